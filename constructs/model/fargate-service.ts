/** The Fargate service's options: defaults, ranges and checks, declared once. */
import {
  TASK_DEFINITION_MAX_BYTES,
  FARGATE_MEMORY_DOCUMENTED,
  fargateCpu,
  fargateMemoryFor,
  logRetentionDays,
  tcpPort,
} from "./aws-limits";
import { kmsKeyArn } from "./arns";
import {
  booleanValue,
  check,
  integerIn,
  listOf,
  mapOf,
  oneOf,
  optional,
  orToken,
  stringValue,
} from "./checks";
import type { Problem } from "./checks";
import type { HealthCheckContract } from "./health-check";
import { applicationStatement, broadAccessFindings, broadStatements, managedPolicyArn } from "./iam";
import type { ApplicationStatement } from "./iam";
import { HEALTH_CHECK_GROUP } from "./health-check";
import type { CrossCheck, PropRules, RuleGroup } from "./props";
import { environmentSecretProblems, environmentVariableName, secretArn } from "./secrets";
import { oneOffTaskName } from "./data-tier";

export const CPU_ARCHITECTURES = ["X86_64", "ARM64"] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];

export const CONTAINER_NAME = "app";

/** Construct id of a one-off task's definition ("db-migrate" → "db_migrate_task_definition"). */
export function oneOffTaskDefinitionId(name: string): string {
  return `${name.replace(/-/g, "_")}_task_definition`;
}
/** Scratch volume mounted at /tmp, so the root filesystem can stay read-only. */
export const SCRATCH_VOLUME = { name: "tmp", containerPath: "/tmp" } as const;
export const DEPLOYMENT = { minimumHealthyPercent: 100, maximumPercent: 200 } as const;

/** How tasks are spread over FARGATE and FARGATE_SPOT. */
export interface CapacityStrategy {
  /** Tasks always placed on FARGATE before weights apply. */
  readonly fargateBase: number;
  readonly fargateWeight: number;
  readonly spotWeight: number;
}

export interface AutoscalingOptions {
  readonly minCount: number;
  readonly maxCount: number;
  /** Target average CPU utilization, percent. */
  readonly cpuTargetPercent: number;
  /** Target average memory utilization, percent; unset for no memory policy. */
  readonly memoryTargetPercent?: number;
  /** Target ALB requests per task per minute; unset for no request-count policy. */
  readonly requestsPerTarget?: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

/** The service's options that are settings too (FargateService props and `service.*` settings). */
export interface ServiceOptions {
  /** @default 8000 */
  readonly containerPort?: number;
  /** Task CPU units. @default 256 */
  readonly cpu?: number;
  /** Task memory, MiB. @default 512 */
  readonly memory?: number;
  /** @default "X86_64" */
  readonly cpuArchitecture?: CpuArchitecture;
  /** Initial number of tasks; autoscaling owns the count afterwards. @default 2 */
  readonly desiredCount?: number;
  /** @default - min 2, max 6, CPU target 60 %, cooldowns 300 s in / 60 s out */
  readonly autoscaling?: AutoscalingOptions;
  /** @default - everything on FARGATE */
  readonly capacity?: CapacityStrategy;
  /** One declaration for the container check and the grace period. @default - GET /health every 15 s */
  readonly healthCheck?: HealthCheckContract;
  /** Plain, non-secret settings for the container. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Secrets injected as variables: name → Secrets Manager secret ARN or SSM parameter ARN. @default {} */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Customer-managed keys of the secrets; decrypt only through Secrets Manager and SSM. @default [] */
  readonly secretsKmsKeyArns?: readonly string[];
  /** Seconds between SIGTERM and SIGKILL (Fargate allows 2 to 120). @default 30 */
  readonly stopTimeoutSeconds?: number;
  /** Non-root user the container runs as. @default "1000:1000" */
  readonly user?: string;
  /** @default 365 */
  readonly logRetentionDays?: number;
  /** ECS Exec: ssmmessages for the task role, and a writable root filesystem. @default false */
  readonly enableExecuteCommand?: boolean;
  /** Whether the deployment circuit breaker rolls a failed deployment back. @default true */
  readonly circuitBreakerRollback?: boolean;
  /** The container's command (CMD), replacing the image's. @default [] */
  readonly command?: readonly string[];
  /** The container's entry point (ENTRYPOINT), replacing the image's. @default [] */
  readonly entryPoint?: readonly string[];
  /** The application's own permissions, as statements of the task role's inline policy. @default [] */
  readonly taskRoleStatements?: readonly ApplicationStatement[];
  /** Managed policies attached to the task role. @default [] */
  readonly taskRoleManagedPolicyArns?: readonly string[];
  /**
   * One-off tasks (e.g. migrations): name → command. Each becomes a task definition with the
   * service's image tag, variables, secrets and roles, logging under the stream prefix `<name>`.
   * @default {}
   */
  readonly oneOffTasks?: Readonly<Record<string, readonly string[]>>;
  /** Accepts statements granting every action of a service or every resource ("*"). @default false */
  readonly taskRoleBroadAccessAcknowledged?: boolean;
  /** Apply waits for the deployment and fails unless the new task definition is what runs. @default true */
  readonly waitForDeployment?: boolean;
}

const taskCount = integerIn(1, 1000, "tasks");
/** AWS-managed policies that grant (nearly) everything. */
const BROAD_MANAGED_POLICIES = /:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
/** Command or entry point: up to 100 arguments, each a non-empty string. */
const containerArgument = check(
  "a non-empty string",
  (v) => typeof v === "string" && v.length > 0 && v.length <= 4096,
  { type: "string", minLength: 1, maxLength: 4096 },
);
const containerArguments = listOf(containerArgument, { max: 100 });
const percent = integerIn(10, 95, "percent");
const cooldown = integerIn(0, 3600, "seconds");
const weight = integerIn(0, 1000);

/** A user the container runs as: uid[:gid] or name[:group], never root. */
export const nonRootUser = check(
  'a non-root user such as "1000:1000" (uid[:gid] or name[:group], not root or uid 0)',
  (v) =>
    typeof v === "string" &&
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/.test(v) &&
    !/^(root|0+)(:|$)/.test(v),
);

export const AUTOSCALING_RULES: PropRules<AutoscalingOptions> = {
  minCount: { description: "Fewest tasks autoscaling keeps.", check: taskCount, default: 2 },
  maxCount: { description: "Most tasks autoscaling starts.", check: taskCount, default: 6 },
  cpuTargetPercent: { description: "Average CPU the CPU policy aims for.", check: percent, default: 60 },
  memoryTargetPercent: {
    description: "Average memory the memory policy aims for (unset: no memory policy).",
    check: optional(percent),
  },
  requestsPerTarget: {
    description: "ALB requests per task per minute the request policy aims for (unset: no request policy).",
    check: optional(integerIn(1, 1000000, "requests per minute")),
  },
  scaleInCooldownSeconds: { description: "Wait after a scale-in.", check: cooldown, default: 300 },
  scaleOutCooldownSeconds: { description: "Wait after a scale-out.", check: cooldown, default: 60 },
};

const AUTOSCALING_CROSS_CHECKS: ReadonlyArray<CrossCheck<AutoscalingOptions>> = [
  {
    description: "minCount ≤ maxCount.",
    reads: ["minCount", "maxCount"],
    check: (a, prefix) =>
      a.minCount > a.maxCount
        ? [{ field: "minCount", value: a.minCount, allowed: `at most ${prefix}maxCount (${a.maxCount})` }]
        : [],
  },
];

export const CAPACITY_RULES: PropRules<CapacityStrategy> = {
  fargateBase: {
    description: "Tasks always placed on regular FARGATE.",
    check: integerIn(0, 100000, "tasks"),
    default: 0,
  },
  fargateWeight: { description: "Share of further tasks on FARGATE.", check: weight, default: 1 },
  spotWeight: { description: "Share of further tasks on FARGATE_SPOT.", check: weight, default: 0 },
};

const CAPACITY_CROSS_CHECKS: ReadonlyArray<CrossCheck<CapacityStrategy>> = [
  {
    description: "The capacity strategy places tasks somewhere: fargateWeight or spotWeight above 0.",
    reads: ["fargateWeight", "spotWeight"],
    check: (c, prefix) =>
      c.fargateWeight === 0 && c.spotWeight === 0
        ? [
            {
              field: "fargateWeight",
              value: 0,
              allowed: `above 0 when ${prefix}spotWeight is 0: tasks must be placed somewhere`,
            },
          ]
        : [],
  },
];

/** The port the container listens on and the target group forwards to, unless set. */
export const DEFAULT_CONTAINER_PORT = 8000;

export const SERVICE_RULES: PropRules<ServiceOptions> = {
  containerPort: {
    description: "Port the container listens on; the target group forwards to it.",
    check: tcpPort,
    default: DEFAULT_CONTAINER_PORT,
  },
  cpu: { description: "Task CPU units (256 = 0.25 vCPU).", check: fargateCpu, default: 256 },
  memory: {
    description: "Task memory in MiB; must be a size Fargate offers for the CPU.",
    check: (o) => fargateMemoryFor(o.cpu ?? 0),
    after: ["cpu"],
    documented: FARGATE_MEMORY_DOCUMENTED,
    default: 512,
  },
  cpuArchitecture: {
    description: "CPU architecture of the image.",
    check: oneOf(CPU_ARCHITECTURES),
    default: "X86_64",
  },
  desiredCount: {
    description: "Tasks at first deploy; autoscaling owns the count afterwards.",
    check: taskCount,
    default: 2,
  },
  environment: {
    description: "Plain, non-secret variables of the container.",
    check: mapOf(environmentVariableName, stringValue),
    default: {},
  },
  secrets: {
    description: "Variables read from Secrets Manager or SSM Parameter Store: name → ARN.",
    check: mapOf(environmentVariableName, secretArn),
    default: {},
  },
  secretsKmsKeyArns: {
    description:
      "Customer-managed KMS keys that encrypt the secrets (besides the environment's secrets key).",
    check: listOf(orToken(kmsKeyArn), { unique: true }),
    default: [],
  },
  stopTimeoutSeconds: {
    description: "Seconds between SIGTERM and SIGKILL.",
    check: integerIn(2, 120, "seconds"),
    default: 30,
  },
  user: { description: "User the container runs as.", check: nonRootUser, default: "1000:1000" },
  logRetentionDays: {
    description: "Retention of the container log group.",
    check: logRetentionDays,
    default: 365,
  },
  enableExecuteCommand: {
    description: "ECS Exec (makes the root filesystem writable while on).",
    check: booleanValue,
    default: false,
  },
  circuitBreakerRollback: {
    description: "Roll a failed deployment back automatically.",
    check: booleanValue,
    default: true,
  },
  command: {
    description:
      'The container\'s command, replacing the image\'s CMD, e.g. ["gunicorn", "app:wsgi"]; [] keeps the image\'s.',
    check: containerArguments,
    default: [],
  },
  entryPoint: {
    description: "The container's entry point, replacing the image's ENTRYPOINT; [] keeps the image's.",
    check: containerArguments,
    default: [],
  },
  taskRoleStatements: {
    description:
      'The application\'s own AWS permissions: IAM statements (actions, resources, optional conditions) of the task role\'s inline policy named application. A service-wide action ("s3:*", "*") or Resource "*" needs taskRoleBroadAccessAcknowledged.',
    check: listOf(applicationStatement, { max: 50 }),
    default: [],
  },
  taskRoleManagedPolicyArns: {
    description:
      "Managed policies attached to the task role (your own, or AWS's: those change without notice).",
    check: listOf(managedPolicyArn, { max: 10, unique: true }),
    default: [],
  },
  oneOffTasks: {
    description:
      'One-off tasks such as migrations: name → command, e.g. {"migrate": ["python", "manage.py", "migrate"]}. Each becomes a task definition with the service\'s image tag, variables, secrets, roles and network; the outputs give its aws ecs run-task command line.',
    check: mapOf(oneOffTaskName, listOf(containerArgument, { min: 1, max: 100 }), { maxEntries: 10 }),
    default: {},
  },
  waitForDeployment: {
    description:
      "terraform apply (and cdktf deploy) waits until the deployment reaches steady state, and fails when the service does not run the task definition just applied (the circuit breaker rolled it back).",
    check: booleanValue,
    default: true,
  },
  taskRoleBroadAccessAcknowledged: {
    description:
      "Accepts task-role statements that grant every action of a service or every resource: an explicit, reviewed choice.",
    check: booleanValue,
    default: false,
  },
};

/**
 * The container definition as ECS would receive it, with long ARNs standing in for references:
 * what counts against the task definition size limit.
 */
export function approximateTaskDefinitionBytes(o: ServiceOptions): number {
  const arn = "arn:aws:ecs:xx-xxxx-1:123456789012:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
  const container = {
    name: CONTAINER_NAME,
    image: `${arn}:tag`,
    environment: Object.entries(o.environment ?? {}).map(([name, value]) => ({ name, value })),
    secrets: Object.entries(o.secrets ?? {}).map(([name, valueFrom]) => ({ name, valueFrom })),
    healthCheck: o.healthCheck,
    logConfiguration: { logDriver: "awslogs", options: { group: arn, region: arn, prefix: CONTAINER_NAME } },
  };
  return Buffer.byteLength(
    JSON.stringify({
      family: arn,
      executionRoleArn: arn,
      taskRoleArn: arn,
      containerDefinitions: [container],
    }),
  );
}

export const SERVICE_CROSS_CHECKS: ReadonlyArray<CrossCheck<ServiceOptions>> = [
  {
    description:
      'Task-role statements name their actions and resources: a service-wide action ("s3:*", "*"), a resource as broad as "*" (a wildcard where the name begins: "role/*", "secret:*") or an action that can escalate privileges (iam:PassRole, sts:AssumeRole, IAM and policy writes, kms:CreateGrant) needs service.taskRoleBroadAccessAcknowledged.',
    reads: ["taskRoleStatements", "taskRoleManagedPolicyArns", "taskRoleBroadAccessAcknowledged"],
    check: (o, prefix) =>
      o.taskRoleBroadAccessAcknowledged
        ? []
        : [
            ...(o.taskRoleManagedPolicyArns ?? []).flatMap((arn, index) =>
              BROAD_MANAGED_POLICIES.test(arn)
                ? [
                    {
                      field: `taskRoleManagedPolicyArns[${index}]`,
                      value: arn,
                      allowed: `a policy narrower than AdministratorAccess, PowerUserAccess or IAMFullAccess, or ${prefix}taskRoleBroadAccessAcknowledged: true`,
                    },
                  ]
                : [],
            ),
            ...(o.taskRoleStatements ?? []).flatMap((statement, index) =>
              broadStatements([statement]).length === 0
                ? []
                : [
                    {
                      field: `taskRoleStatements[${index}]`,
                      value: statement,
                      allowed: `named actions and resources: ${broadAccessFindings(statement)}; or ${prefix}taskRoleBroadAccessAcknowledged: true (a reviewed exception)`,
                    },
                  ],
            ),
          ],
  },
  {
    description: "Every desired and autoscaling count is consistent: minCount ≤ desiredCount ≤ maxCount.",
    reads: ["desiredCount", "autoscaling"],
    check: (o, prefix) => {
      const desired = o.desiredCount ?? 0;
      const { minCount = 0, maxCount = 0 } = o.autoscaling ?? {};
      return desired < minCount || desired > maxCount
        ? [
            {
              field: "desiredCount",
              value: desired,
              allowed: `a count within ${prefix}autoscaling.minCount..maxCount (${minCount}..${maxCount})`,
            },
          ]
        : [];
    },
  },
  {
    description:
      "No secret-looking plain variable (names with PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, WEBHOOK..., camelCase included; values with credentials in a URL, private keys, access keys, vendor tokens): those belong in secrets; and no name is both plain and secret.",
    reads: ["environment", "secrets"],
    check: (o, prefix) =>
      environmentSecretProblems(o.environment ?? {}, o.secrets ?? {}, prefix).map((p) => ({
        ...p,
        field: p.field.slice(prefix.length),
      })),
  },
  {
    description: `The task definition stays within the ${TASK_DEFINITION_MAX_BYTES / 1024} KiB ECS accepts (environment and secrets are most of it).`,
    reads: ["environment", "secrets", "healthCheck"],
    check: (o): Problem[] => {
      const bytes = approximateTaskDefinitionBytes(o);
      return bytes <= TASK_DEFINITION_MAX_BYTES
        ? []
        : [
            {
              field: "environment",
              value: `${Object.keys(o.environment ?? {}).length} variables`,
              allowed: `a task definition under ${TASK_DEFINITION_MAX_BYTES} bytes; this one is about ${bytes}: move large values to S3 or SSM`,
            },
          ];
    },
  },
];

export const SERVICE_GROUP: RuleGroup<ServiceOptions> = {
  rules: SERVICE_RULES,
  crossChecks: SERVICE_CROSS_CHECKS,
  nested: {
    autoscaling: { group: { rules: AUTOSCALING_RULES, crossChecks: AUTOSCALING_CROSS_CHECKS } },
    capacity: { group: { rules: CAPACITY_RULES, crossChecks: CAPACITY_CROSS_CHECKS } },
    healthCheck: { group: HEALTH_CHECK_GROUP },
  },
};
