/**
 * Workloads beside the HTTP service: queue workers and scheduled jobs, declared by name in
 * `workloads`. Each runs the service's image (its own command), with its own task definition,
 * roles, log group and security group. Their options are declared here once: the settings schema
 * checks them, the reference documents them, the constructs take their defaults from them.
 */
import { FARGATE_MEMORY_DOCUMENTED, fargateCpu, fargateMemoryFor } from "./aws-limits";
import {
  booleanValue,
  check,
  entryPath,
  integerIn,
  isPlainObject,
  listOf,
  mapOf,
  oneOf,
  stringValue,
} from "./checks";
import type { Check, FailedEntry } from "./checks";
import { checkGroup, withGroupDefaults } from "./props";
import type { PropRules, RuleGroup } from "./props";
import { environmentVariableName, secretArn } from "./secrets";
import { oneOffTaskName } from "./data-tier";

export const WORKLOAD_KINDS = ["worker", "job"] as const;
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

export type WorkloadOptions = WorkerOptions | JobOptions;

/** Workload names: part of role, queue and schedule names, so short. */
export const workloadName = check(
  '2-20 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (not "one-off")',
  (v) => typeof v === "string" && /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/.test(v) && v !== "one-off",
  { type: "string", pattern: "^[a-z][a-z0-9-]{0,18}[a-z0-9]$", maxLength: 20 },
);

const RATE = /^rate\((\d+) (minutes?|hours?|days?)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const CRON_FIELD = {
  minutes: /^(\*|\d{1,2}(-\d{1,2})?(\/\d{1,2})?)(,(\d{1,2}(-\d{1,2})?(\/\d{1,2})?))*$/,
  hours: /^(\*|\d{1,2}(-\d{1,2})?(\/\d{1,2})?)(,(\d{1,2}(-\d{1,2})?(\/\d{1,2})?))*$/,
  dayOfMonth: /^(\*|\?|L|LW|\d{1,2}W|(\d{1,2}(-\d{1,2})?(\/\d{1,2})?)(,\d{1,2}(-\d{1,2})?(\/\d{1,2})?)*)$/,
  month:
    /^(\*|((\d{1,2}|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(-(\d{1,2}|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))?(\/\d{1,2})?)(,(\d{1,2}|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(-(\d{1,2}|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))?)*)$/i,
  dayOfWeek:
    /^(\*|\?|[1-7]L|[1-7]#[1-5]|((\d|SUN|MON|TUE|WED|THU|FRI|SAT)(-(\d|SUN|MON|TUE|WED|THU|FRI|SAT))?)(,(\d|SUN|MON|TUE|WED|THU|FRI|SAT)(-(\d|SUN|MON|TUE|WED|THU|FRI|SAT))?)*)$/i,
  year: /^(\*|\d{4}(-\d{4})?(\/\d{1,3})?(,\d{4}(-\d{4})?)*)$/,
};
const SCHEDULE_ALLOWED =
  "an EventBridge Scheduler expression: rate(5 minutes), cron(0 3 * * ? *) (six fields, ? in day-of-month or day-of-week) or at(2027-01-01T00:00:00)";
const NUMBERS_IN = (field: string) => (field.match(/\d+/g) ?? []).map(Number);

/**
 * Why a schedule expression is not one EventBridge Scheduler accepts (its documented syntax:
 * rate with a singular unit for 1, six cron fields with `?` in day-of-month or day-of-week, a
 * one-time at), or undefined when it is.
 */
export function scheduleProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return SCHEDULE_ALLOWED;
  const rate = RATE.exec(value);
  if (rate) {
    const [, amount = "0", unit = ""] = rate;
    if (Number(amount) < 1) return "a rate of at least 1";
    if ((Number(amount) === 1) !== !unit.endsWith("s")) {
      return `"rate(1 ${unit.replace(/s$/, "")})" for one, a plural unit for more`;
    }
    return undefined;
  }
  const at = AT.exec(value);
  if (at) {
    const [, y, mo, d, h, mi, se] = at;
    const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se}Z`);
    const real = !Number.isNaN(date.getTime()) && date.getUTCDate() === Number(d);
    return real ? undefined : "a real date and time in at(yyyy-mm-ddThh:mm:ss)";
  }
  const cron = /^cron\((.*)\)$/.exec(value);
  if (!cron) return "rate(<n> <unit>), cron(<6 fields>) or at(<yyyy-mm-ddThh:mm:ss>)";
  const fields = (cron[1] ?? "").trim().split(/\s+/);
  if (fields.length !== 6) {
    return `six cron fields (minutes hours day-of-month month day-of-week year); got ${fields.length}`;
  }
  const patterns = Object.entries(CRON_FIELD);
  for (const [i, field] of fields.entries()) {
    const [name, pattern] = patterns[i] ?? ["", /^$/];
    if (!pattern.test(field)) return `a valid ${name} cron field (got "${field}")`;
  }
  const [minutes = "", hours = "", dayOfMonth = "", , dayOfWeek = ""] = fields;
  if (NUMBERS_IN(minutes).some((n) => n > 59)) return "minutes from 0 to 59";
  if (NUMBERS_IN(hours).some((n) => n > 23)) return "hours from 0 to 23";
  if (NUMBERS_IN(dayOfMonth).some((n) => n < 1 || n > 31)) return "days of the month from 1 to 31";
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    return "a ? in exactly one of day-of-month and day-of-week (cron(0 3 * * ? *) runs daily at 03:00)";
  }
  return undefined;
}

export const scheduleExpression: Check = check(
  SCHEDULE_ALLOWED,
  (v) => scheduleProblem(v) === undefined,
  { type: "string" },
  (v) => {
    const problem = scheduleProblem(v);
    return problem === undefined ? [] : [{ at: "", value: v, allowed: problem }];
  },
);

const TIME_ZONES = new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
export const timeZone = check('an IANA time zone such as "UTC" or "Europe/Dublin"', (v) =>
  TIME_ZONES.has(v as string),
);

const containerArgument = check(
  "a non-empty string",
  (v) => typeof v === "string" && v.length > 0 && v.length <= 4096,
);
const containerArguments = listOf(containerArgument, { max: 100 });

const COMMON_RULES: PropRules<WorkloadOptionsBase> = {
  kind: { description: "What the workload is: worker or job.", check: oneOf(WORKLOAD_KINDS) },
  command: {
    description: "The container's command, replacing the image's CMD; [] keeps the image's.",
    check: containerArguments,
    default: [],
  },
  cpu: { description: "Task CPU units (256 = 0.25 vCPU).", check: fargateCpu, default: 256 },
  memory: {
    description: "Task memory in MiB; must be a size Fargate offers for the CPU.",
    check: (o) => fargateMemoryFor(o.cpu ?? 0),
    after: ["cpu"],
    documented: FARGATE_MEMORY_DOCUMENTED,
    default: 512,
  },
  environment: {
    description: "Plain variables, over the service's own (service.environment).",
    check: mapOf(environmentVariableName, stringValue),
    default: {},
  },
  secrets: {
    description: "Variables read from Secrets Manager or SSM Parameter Store: name → ARN.",
    check: mapOf(environmentVariableName, secretArn),
    default: {},
  },
  dataAccess: {
    description: "Data stores the workload connects to (IAM authentication); each needs its tier enabled.",
    check: listOf(oneOf(DATA_ACCESS), { unique: true }),
    default: [],
  },
  oneOffTasks: {
    description:
      "One-off tasks (a backfill, a replay) with the workload's image, variables, secrets and roles: name → command; the workloads output gives each one's aws ecs run-task command line.",
    check: mapOf(oneOffTaskName, listOf(containerArgument, { min: 1, max: 100 }), { maxEntries: 10 }),
    default: {},
  },
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

export const WORKLOAD_GROUPS: Readonly<Record<WorkloadKind, RuleGroup<WorkloadOptions>>> = {
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
  if (!isPlainObject(value)) return [{ at: "", value, allowed: "an object with a kind (worker or job)" }];
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
      allowed: `a setting of a ${kind}: ${known.join(", ")}`,
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

/** The `workloads` setting: name → a worker or a job, each checked against its kind's rules. */
export const workloadMap: Check = check(
  `an object of workloads by name (${workloadName.allowed}), each a worker or a job`,
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

/** Scale out fast when work piles up, in slowly (a task may be mid-message). */
export const WORKER_SCALING = { scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 } as const;
