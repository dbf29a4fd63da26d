/**
 * Workloads beside the HTTP service: web and internal services, queue workers and scheduled jobs,
 * declared by name in `workloads`. Each runs the service's image (its own command), with its own task definition,
 * roles, log group and security group. Their options are declared here once: the settings schema
 * checks them, the reference documents them, the constructs take their defaults from them.
 */
import { domainName, tcpPort } from "./aws-limits";
import { HEALTH_CHECK_GROUP } from "./health-check";
import type { HealthCheckContract } from "./health-check";
import { booleanValue, check, entryPath, integerIn, isPlainObject, listOf, oneOf, optional } from "./checks";
import type { Check, FailedEntry } from "./checks";
import { checkGroup, withGroupDefaults } from "./props";
import type { PropRule, PropRules, RuleGroup } from "./props";
import { DEFAULT_CONTAINER_PORT, SERVICE_RULES } from "./fargate-service";
import type { ServiceOptions } from "./fargate-service";
import { scheduleExpression, timeZone } from "./schedule";

export const WORKLOAD_KINDS = ["web", "internal", "worker", "job"] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** What a workload may reach in the data tier (each also needs the tier enabled). */
export const DATA_ACCESS = ["database", "cache"] as const;
export type DataAccess = (typeof DATA_ACCESS)[number];

/** The SQS queue a worker consumes, and its dead-letter queue. */
export interface QueueOptions {
  /** Seconds a received message stays invisible to other consumers. @default 300 */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** Days a message is kept in the queue. @default 4 */
  readonly retentionDays?: number;
}

interface WorkloadOptionsBase {
  readonly kind: WorkloadKind;
  /** The container's command, replacing the image's CMD. @default [] */
  readonly command?: readonly string[];
  /** Task CPU units. @default 256 */
  readonly cpu?: number;
  /** Task memory, MiB. @default 512 */
  readonly memory?: number;
  /** Plain variables, over the service's own (`service.environment`). @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Variables read from Secrets Manager or SSM: name → ARN (the service's are not shared). @default {} */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Data stores the workload connects to, with IAM authentication. @default [] */
  readonly dataAccess?: readonly DataAccess[];
  /** One-off tasks with the workload's image, settings and roles: name → command. @default {} */
  readonly oneOffTasks?: Readonly<Record<string, readonly string[]>>;
}

/** A worker: an ECS service without a load balancer that consumes its own SQS queue. */
export interface WorkerOptions extends WorkloadOptionsBase {
  readonly kind: "worker";
  /** @default 1 */
  readonly minCount?: number;
  /** @default 4 */
  readonly maxCount?: number;
  /** Messages waiting per running task that autoscaling aims for. @default 100 */
  readonly backlogPerTask?: number;
  /** Run on FARGATE_SPOT (about 70 % cheaper; tasks may be stopped with 2 minutes' notice). @default false */
  readonly spot?: boolean;
  /** @default - 300 s visibility, 5 receives, 4 days */
  readonly queue?: QueueOptions;
}

/** A job: a task EventBridge Scheduler starts on a schedule. */
export interface JobOptions extends WorkloadOptionsBase {
  readonly kind: "job";
  /** `rate(1 hour)`, `cron(0 3 * * ? *)` or `at(2027-01-01T00:00:00)`. */
  readonly schedule: string;
  /** IANA time zone of a cron or at expression. @default "UTC" */
  readonly timezone?: string;
  /** Minutes within which the scheduler may start a run (spreads load); 0 for exactly on time. @default 5 */
  readonly flexibleWindowMinutes?: number;
  /** Retries when the scheduler cannot start the task (e.g. capacity). @default 2 */
  readonly retryAttempts?: number;
  /** Seconds after the scheduled time past which a run is given up and sent to the dead-letter queue. @default 3600 */
  readonly maxEventAgeSeconds?: number;
}

/** What a workload that serves HTTP (web or internal) has: a port, and task counts scaled on CPU. */
interface ServingOptions extends WorkloadOptionsBase {
  /** Port the container listens on (an internal workload's callers use it too). @default 8000 */
  readonly containerPort?: number;
  /** @default 2 */
  readonly minCount?: number;
  /** @default 6 */
  readonly maxCount?: number;
  /** Target average CPU, percent. @default 60 */
  readonly cpuTargetPercent?: number;
}

/**
 * A web workload: another HTTP service behind the environment's one load balancer, reached by
 * Host and/or path (its own target group and listener rule), autoscaled like the service.
 */
export interface WebOptions extends ServingOptions {
  readonly kind: "web";
  /** Host names it answers (the certificate's names: edge.domainName, edge.subjectAlternativeNames). @default [] */
  readonly hosts?: readonly string[];
  /** Path patterns it answers, e.g. "/admin/*". @default [] */
  readonly paths?: readonly string[];
  /** @default - GET /health every 15 s */
  readonly healthCheck?: HealthCheckContract;
  /** Target requests per task per minute. @default - no request-count policy */
  readonly requestsPerTarget?: number;
}

/**
 * An internal workload: an HTTP service only the environment's own services reach, by name through
 * ECS Service Connect (`http://<name>:<port>`), with no load balancer.
 */
export interface InternalOptions extends ServingOptions {
  readonly kind: "internal";
  /** Who calls it: the service's name (service.name) and names of web, internal or worker workloads. */
  readonly calledBy: readonly string[];
}

export type WorkloadOptions = WebOptions | InternalOptions | WorkerOptions | JobOptions;

/** The kinds that run as ECS services, and so can call an internal workload through Service Connect. */
export const SERVICE_CONNECT_CLIENT_KINDS: readonly WorkloadKind[] = ["web", "internal", "worker"];

/** Workload names: part of role, queue and schedule names, so short. */
export const workloadName = check(
  '2-20 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (not "one-off")',
  (v) => typeof v === "string" && /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/.test(v) && v !== "one-off",
  { type: "string", pattern: "^[a-z][a-z0-9-]{0,18}[a-z0-9]$", maxLength: 20 },
);

/** A rule of the service's, for the same setting of a workload (with its own words where they differ). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function serviceRule(name: keyof ServiceOptions, description?: string): PropRule<WorkloadOptionsBase, any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const rule = SERVICE_RULES[name] as unknown as PropRule<WorkloadOptionsBase, any>;
  return description === undefined ? rule : { ...rule, description };
}

const COMMON_RULES: PropRules<WorkloadOptionsBase> = {
  kind: { description: "What the workload is: web, internal, worker or job.", check: oneOf(WORKLOAD_KINDS) },
  command: serviceRule(
    "command",
    "The container's command, replacing the image's CMD; [] keeps the image's.",
  ),
  cpu: serviceRule("cpu"),
  memory: serviceRule("memory"),
  environment: serviceRule("environment", "Plain variables, over the service's own (service.environment)."),
  secrets: serviceRule("secrets"),
  dataAccess: {
    description: "Data stores the workload connects to (IAM authentication); each needs its tier enabled.",
    check: listOf(oneOf(DATA_ACCESS), { unique: true }),
    default: [],
  },
  oneOffTasks: serviceRule(
    "oneOffTasks",
    "One-off tasks (a backfill, a replay) with the workload's image, variables, secrets and roles: name → command; the workloads output gives each one's aws ecs run-task command line.",
  ),
};

const QUEUE_RULES: PropRules<QueueOptions> = {
  visibilityTimeoutSeconds: {
    description:
      "Seconds a received message stays invisible to other consumers (longer than one message's work).",
    check: integerIn(0, 43200, "seconds"),
    default: 300,
  },
  maxReceiveCount: {
    description: "Receives before a message moves to the dead-letter queue.",
    check: integerIn(1, 1000),
    default: 5,
  },
  retentionDays: {
    description: "Days a message is kept in the queue.",
    check: integerIn(1, 14, "days"),
    default: 4,
  },
};

export const WORKER_GROUP: RuleGroup<WorkerOptions> = {
  rules: {
    ...(COMMON_RULES as PropRules<WorkerOptions>),
    minCount: { description: "Fewest running tasks.", check: integerIn(0, 1000, "tasks"), default: 1 },
    maxCount: {
      description: "Most running tasks.",
      check: (o) => integerIn(Math.max(1, o.minCount ?? 1), 1000, "tasks"),
      after: ["minCount"],
      documented: "an integer from max(1, minCount) to 1000 tasks",
      default: 4,
    },
    backlogPerTask: {
      description: "Messages waiting per running task that autoscaling aims for.",
      check: integerIn(1, 100000, "messages"),
      default: 100,
    },
    spot: {
      description: "Run on FARGATE_SPOT: about 70 % cheaper, tasks may be stopped with 2 minutes' notice.",
      check: booleanValue,
      default: false,
    },
  },
  nested: { queue: { group: { rules: QUEUE_RULES }, description: "The SQS queue the worker consumes." } },
};

export const JOB_GROUP: RuleGroup<JobOptions> = {
  rules: {
    ...(COMMON_RULES as PropRules<JobOptions>),
    schedule: { description: "When the job runs.", check: scheduleExpression },
    timezone: { description: "Time zone of a cron or at schedule.", check: timeZone, default: "UTC" },
    flexibleWindowMinutes: {
      description: "Minutes within which the scheduler may start a run; 0 starts it on time.",
      check: integerIn(0, 1440, "minutes"),
      default: 5,
    },
    retryAttempts: {
      description: "Retries when the scheduler cannot start the task.",
      check: integerIn(0, 185),
      default: 2,
    },
    maxEventAgeSeconds: {
      description: "Seconds after which a run that could not start is sent to the dead-letter queue.",
      check: integerIn(60, 86400, "seconds"),
      default: 3600,
    },
  },
};

/** The port and CPU-scaled task counts of a workload that serves HTTP (web and internal): one declaration for both. */
const SERVING_RULES: PropRules<ServingOptions> = {
  containerPort: {
    description: "Port the container listens on.",
    check: tcpPort,
    default: DEFAULT_CONTAINER_PORT,
  },
  minCount: { description: "Fewest running tasks.", check: integerIn(1, 1000, "tasks"), default: 2 },
  maxCount: {
    description: "Most running tasks.",
    check: (o) => integerIn(o.minCount ?? 1, 1000, "tasks"),
    after: ["minCount"],
    documented: "an integer from minCount to 1000 tasks",
    default: 6,
  },
  cpuTargetPercent: {
    description: "Target average CPU utilization, percent.",
    check: integerIn(10, 95, "percent"),
    default: 60,
  },
};

/** AWS allows 5 condition values per listener rule (hosts and paths together). */
export const RULE_CONDITION_VALUES = 5;
const pathPattern = check(
  'a path pattern of 1-128 characters starting with "/", with * and ? as wildcards, e.g. "/admin/*"',
  (v) => typeof v === "string" && /^\/[A-Za-z0-9_\-.$/~"'@:+*?&=]{0,127}$/.test(v),
);

export const WEB_GROUP: RuleGroup<WebOptions> = {
  rules: {
    ...(COMMON_RULES as PropRules<WebOptions>),
    hosts: {
      description:
        "Host names it answers; [] for any host the load balancer serves (then paths are required).",
      check: listOf(domainName, { max: RULE_CONDITION_VALUES, unique: true }),
      default: [],
    },
    paths: {
      description: 'Path patterns it answers, e.g. ["/admin/*"]; [] for every path of its hosts.',
      check: listOf(pathPattern, { max: RULE_CONDITION_VALUES, unique: true }),
      default: [],
    },
    ...(SERVING_RULES as PropRules<WebOptions>),
    requestsPerTarget: {
      description: "Target requests per task per minute; unset for no request-count policy.",
      check: optional(integerIn(1, 1000000, "requests")),
    },
  },
  crossChecks: [
    {
      description: `A web workload is reached by hosts, paths or both, with at most ${RULE_CONDITION_VALUES} values in all (one listener rule).`,
      reads: ["hosts", "paths"],
      check: (o) => {
        const values = (o.hosts ?? []).length + (o.paths ?? []).length;
        if (values === 0) {
          return [
            {
              field: "paths",
              value: [],
              allowed:
                'at least one path pattern (or a host in hosts): how requests reach this workload, e.g. ["/admin/*"]',
            },
          ];
        }
        return values > RULE_CONDITION_VALUES
          ? [
              {
                field: "paths",
                value: o.paths,
                allowed: `at most ${RULE_CONDITION_VALUES} hosts and paths together (one listener rule); split the workload's routes`,
              },
            ]
          : [];
      },
    },
  ],
  nested: {
    healthCheck: {
      group: HEALTH_CHECK_GROUP,
      description: "The health check of the container and its target group.",
    },
  },
};

/** Names of the service or of workloads, as an internal workload's callers. */
const callerName = check(
  "the service's name (service.name) or a workload's name",
  (v) => typeof v === "string" && /^[a-z][a-z0-9-]*$/.test(v),
  { type: "string" },
);

export const INTERNAL_GROUP: RuleGroup<InternalOptions> = {
  rules: {
    ...(COMMON_RULES as PropRules<InternalOptions>),
    calledBy: {
      description:
        "Who calls it through Service Connect: the service's name (service.name) and names of web, internal or worker workloads. Only they may connect (security groups); an internal workload nobody calls is refused.",
      check: check(
        `at least one caller, each ${callerName.allowed}, without repeats: an internal workload nobody calls cannot be reached (name its callers, or remove it)`,
        (v) =>
          Array.isArray(v) &&
          v.length > 0 &&
          new Set(v).size === v.length &&
          v.every((c) => callerName.test(c)),
        { type: "array", items: callerName.schema ?? {}, minItems: 1, uniqueItems: true },
      ),
    },
    ...(SERVING_RULES as PropRules<InternalOptions>),
  },
};

export const WORKLOAD_GROUPS: Readonly<Record<WorkloadKind, RuleGroup<WorkloadOptions>>> = {
  web: WEB_GROUP as RuleGroup<WorkloadOptions>,
  internal: INTERNAL_GROUP as RuleGroup<WorkloadOptions>,
  worker: WORKER_GROUP as RuleGroup<WorkloadOptions>,
  job: JOB_GROUP as RuleGroup<WorkloadOptions>,
};

/** The settings a workload of a kind may have (its rules and nested groups). */
export function workloadKeys(kind: WorkloadKind): string[] {
  const group = WORKLOAD_GROUPS[kind];
  return [...Object.keys(group.rules), ...Object.keys(group.nested ?? {})];
}

/** The problems of one workload, relative to it (`.schedule`, `.queue.maxReceiveCount`). */
function workloadEntries(value: unknown): FailedEntry[] {
  if (!isPlainObject(value)) {
    return [{ at: "", value, allowed: "an object with a kind (web, internal, worker or job)" }];
  }
  const kind = value.kind as WorkloadKind;
  if (!(WORKLOAD_KINDS as readonly unknown[]).includes(kind)) {
    return [
      { at: ".kind", value: value.kind, allowed: `one of ${WORKLOAD_KINDS.map((k) => `"${k}"`).join(", ")}` },
    ];
  }
  const known = workloadKeys(kind);
  const unknown = Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => ({
      at: entryPath(key),
      value: value[key],
      allowed: `a setting of ${kind === "internal" ? "an" : "a"} ${kind}: ${known.join(", ")}`,
    }));
  const missingQueue =
    kind === "worker" && "queue" in value && !isPlainObject(value.queue)
      ? [
          {
            at: ".queue",
            value: value.queue,
            allowed:
              "an object of queue settings ({} for the defaults): a worker always consumes the queue the project creates for it; a task that needs no queue is a job",
          },
        ]
      : [];
  const group = WORKLOAD_GROUPS[kind];
  const queue = missingQueue.length > 0 ? { queue: undefined } : {};
  const own = checkGroup(group, withGroupDefaults(group, { ...value, ...queue } as WorkloadOptions)).map(
    (p) => ({
      at: `.${p.field}`,
      value: p.value,
      allowed: p.allowed,
    }),
  );
  return [...unknown, ...missingQueue, ...own];
}

/** The `workloads` setting: name → a web, internal, worker or job workload, each checked against its kind's rules. */
export const workloadMap: Check = check(
  `an object of workloads by name (${workloadName.allowed}), each a web workload, an internal workload, a worker or a job`,
  (v) =>
    isPlainObject(v) &&
    Object.entries(v).every(([name, w]) => workloadName.test(name) && workloadEntries(w).length === 0),
  { type: "object", propertyNames: workloadName.schema ?? {}, additionalProperties: { type: "object" } },
  (v) =>
    isPlainObject(v)
      ? Object.entries(v).flatMap(([name, w]) =>
          workloadName.test(name)
            ? workloadEntries(w).map((e) => ({ ...e, at: `${entryPath(name)}${e.at}` }))
            : [{ at: entryPath(name), value: name, allowed: `a workload name: ${workloadName.allowed}` }],
        )
      : [],
);

/** A workload with every default of its kind filled in. */
export function withWorkloadDefaults<W extends WorkloadOptions>(workload: W): Required<W> {
  return withGroupDefaults(WORKLOAD_GROUPS[workload.kind] as RuleGroup<W>, workload) as Required<W>;
}

/** The variable that tells a worker's container its queue. */
export const QUEUE_URL_VARIABLE = "QUEUE_URL";

/** Every workload service scales out fast when work piles up, in slowly (a task may be mid-request or mid-message). */
export const WORKLOAD_SCALING = { scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 } as const;
