import { Construct } from "constructs";
import { Token } from "cdktf";
import type { ITerraformDependable } from "cdktf";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { fargateCpu, fargateMemoryFor, logRetentionDays, tcpPort } from "./aws-limits";
import { check, checkField, formatProblem, integerIn, listOf, mapOf, oneOf, problem } from "./checks";
import type { Problem } from "./checks";
import { jsonencode } from "./json-encode";
import { serviceTrustPolicy } from "./policy-documents";
import {
  environmentSecretProblems,
  environmentVariableName,
  parseSecretReference,
  secretArn,
} from "./secret-references";
import { throwIfProblems } from "./validation-error";

export const CPU_ARCHITECTURES = ["X86_64", "ARM64"] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];

export const CONTAINER_NAME = "app";
export const DEFAULT_CONTAINER_PORT = 8000;
export const DEFAULT_USER = "1000:1000";
/** Scratch volume mounted at /tmp, so the root filesystem can stay read-only. */
export const SCRATCH_VOLUME = { name: "tmp", containerPath: "/tmp" } as const;
export const DEPLOYMENT = { minimumHealthyPercent: 100, maximumPercent: 200 } as const;

/** Container health check; the numbers follow the ECS `HealthCheck` limits. */
export interface ContainerHealthCheck {
  /** `["CMD-SHELL", "<shell command>"]` or `["CMD", "<executable>", ...args]`. */
  readonly command: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

export const CONTAINER_HEALTH_CHECK_LIMITS = {
  intervalSeconds: { min: 5, max: 300 },
  timeoutSeconds: { min: 2, max: 60 },
  retries: { min: 1, max: 10 },
  startPeriodSeconds: { min: 0, max: 300 },
} as const;

/** Default command: an HTTP GET of the health path on the container port (the image needs curl). */
export function defaultHealthCheckCommand(port: number, path: string): string[] {
  return ["CMD-SHELL", `curl -fsS http://localhost:${port}${path} || exit 1`];
}

/** How tasks are spread over FARGATE and FARGATE_SPOT. */
export interface CapacityStrategy {
  /** Tasks always placed on FARGATE before weights apply. */
  readonly fargateBase: number;
  readonly fargateWeight: number;
  readonly spotWeight: number;
}

export interface AutoscalingProps {
  readonly minCount: number;
  readonly maxCount: number;
  /** Target average CPU utilization, percent. */
  readonly cpuTargetPercent: number;
  /**
   * Target average memory utilization, percent.
   *
   * @default - no memory policy
   */
  readonly memoryTargetPercent?: number;
  /**
   * Target requests per task per minute, through the ALB.
   *
   * @default - no request-count policy
   */
  readonly requestsPerTarget?: number;
  /** `<alb arn_suffix>/<target group arn_suffix>`; required with `requestsPerTarget`. */
  readonly requestCountResourceLabel?: string;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

export const DEFAULT_AUTOSCALING = {
  cpuTargetPercent: 60,
  scaleInCooldownSeconds: 300,
  scaleOutCooldownSeconds: 60,
} as const;

export interface FargateServiceProps {
  /** Prefix of resource names, e.g. "orders-api-prod"; also the cluster name. */
  readonly namePrefix: string;
  /** ECS service name. */
  readonly serviceName: string;
  readonly region: string;
  /** Account id (may be a token), for the trust-policy conditions. */
  readonly accountId: string;
  readonly partition: string;
  /** ARN of the ECR repository the image comes from (the execution role may pull only from it). */
  readonly repositoryArn: string;
  readonly repositoryUrl: string;
  /** Image tag, usually `${var.image_tag}`. */
  readonly imageTag: string;
  /** Private subnets the tasks run in. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** ip-type target group the tasks register in. */
  readonly targetGroupArn: string;
  /**
   * Resources the service must wait for, above all the listener that forwards to the target group.
   *
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** @default 8000 */
  readonly containerPort?: number;
  /** Task CPU units. @default 256 */
  readonly cpu?: number;
  /** Task memory, MiB. @default 512 */
  readonly memory?: number;
  /** @default "X86_64" */
  readonly cpuArchitecture?: CpuArchitecture;
  /**
   * Plain, non-secret settings for the container.
   *
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secrets injected as variables: name → Secrets Manager secret ARN or SSM parameter ARN.
   *
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /**
   * Customer-managed KMS keys the secrets are encrypted with; the execution role may decrypt
   * with them only through Secrets Manager and SSM.
   *
   * @default []
   */
  readonly secretsKmsKeyArns?: readonly string[];
  /**
   * Container health check.
   *
   * @default - GET http://localhost:<port>/health every 15 s, 5 s timeout, 3 retries, 30 s start period
   */
  readonly healthCheck?: ContainerHealthCheck;
  /** Seconds the service ignores failing load-balancer health checks after a task starts. @default 60 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Seconds between SIGTERM and SIGKILL (Fargate allows 2 to 120). @default 30 */
  readonly stopTimeoutSeconds?: number;
  /** Non-root user the container runs as. @default "1000:1000" */
  readonly user?: string;
  /** @default 365 */
  readonly logRetentionDays?: number;
  /**
   * KMS key of the log group (its policy must let CloudWatch Logs use it).
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logKmsKeyArn?: string;
  /** Initial number of tasks; autoscaling owns the count afterwards. @default 2 */
  readonly desiredCount?: number;
  /** @default - min = max = desiredCount, CPU target 60 %, cooldowns 300 s in / 60 s out */
  readonly autoscaling?: AutoscalingProps;
  /** @default - everything on FARGATE */
  readonly capacityStrategy?: CapacityStrategy;
  /**
   * ECS Exec: adds the ssmmessages permissions to the task role and makes the root filesystem
   * writable (the SSM agent needs it).
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
  /**
   * Whether the deployment circuit breaker rolls a failed deployment back.
   *
   * @default true
   */
  readonly circuitBreakerRollback?: boolean;
}

/**
 * An ECS Fargate service: cluster with Container Insights and FARGATE/FARGATE_SPOT capacity,
 * encrypted log group, separate least-privilege execution and task roles, a hardened task
 * definition, a service in private subnets registered in an ip target group, and CPU (plus
 * optional memory and request-count) target-tracking autoscaling.
 */
export class FargateService extends Construct {
  public readonly cluster: EcsCluster;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly executionRole: IamRole;
  public readonly taskRole: IamRole;
  public readonly taskDefinition: EcsTaskDefinition;
  public readonly service: EcsService;
  public readonly scalableTarget: AppautoscalingTarget;
  public readonly containerPort: number;
  public readonly stopTimeoutSeconds: number;
  public readonly healthCheck: ContainerHealthCheck;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const containerPort = props.containerPort ?? DEFAULT_CONTAINER_PORT;
    const cpu = props.cpu ?? 256;
    const memory = props.memory ?? 512;
    const cpuArchitecture = props.cpuArchitecture ?? "X86_64";
    const environment = props.environment ?? {};
    const secrets = props.secrets ?? {};
    const secretsKmsKeyArns = props.secretsKmsKeyArns ?? [];
    const healthCheck = props.healthCheck ?? {
      command: defaultHealthCheckCommand(containerPort, "/health"),
      intervalSeconds: 15,
      timeoutSeconds: 5,
      retries: 3,
      startPeriodSeconds: 30,
    };
    const gracePeriod = props.healthCheckGracePeriodSeconds ?? 60;
    const stopTimeoutSeconds = props.stopTimeoutSeconds ?? 30;
    const user = props.user ?? DEFAULT_USER;
    const logRetention = props.logRetentionDays ?? 365;
    const desiredCount = props.desiredCount ?? 2;
    const autoscaling = props.autoscaling ?? {
      minCount: desiredCount,
      maxCount: desiredCount,
      ...DEFAULT_AUTOSCALING,
    };
    const capacity = props.capacityStrategy ?? { fargateBase: 0, fargateWeight: 1, spotWeight: 0 };
    const exec = props.enableExecuteCommand ?? false;

    throwIfProblems(this, [
      checkField("containerPort", containerPort, tcpPort),
      checkField("cpu", cpu, fargateCpu),
      fargateCpu.test(cpu) ? checkField("memory", memory, fargateMemoryFor(cpu)) : undefined,
      checkField("cpuArchitecture", cpuArchitecture, oneOf(CPU_ARCHITECTURES)),
      checkField(
        "environment",
        environment,
        mapOf(
          environmentVariableName,
          check("a string", (v) => typeof v === "string"),
        ),
      ),
      ...(mapOf(
        environmentVariableName,
        check("a string", (v) => typeof v === "string"),
      ).test(environment)
        ? environmentSecretProblems(environment, secrets).map(formatProblem)
        : []),
      checkField("secrets", secrets, mapOf(environmentVariableName, secretArn)),
      checkField("secretsKmsKeyArns", secretsKmsKeyArns, listOf(kmsKeyArn, { unique: true })),
      ...healthCheckProblems(healthCheck),
      checkField("healthCheckGracePeriodSeconds", gracePeriod, integerIn(0, 7200, "seconds")),
      checkField("stopTimeoutSeconds", stopTimeoutSeconds, integerIn(2, 120, "seconds")),
      checkField("user", user, nonRootUser),
      checkField("logRetentionDays", logRetention, logRetentionDays),
      ...countProblems(desiredCount, autoscaling),
      ...capacityProblems(capacity),
    ]);

    this.containerPort = containerPort;
    this.stopTimeoutSeconds = stopTimeoutSeconds;
    this.healthCheck = healthCheck;
    const name = (suffix: string) => `${props.namePrefix}-${suffix}`;

    this.logGroup = new CloudwatchLogGroup(this, "log_group", {
      name: `/ecs/${props.namePrefix}/${props.serviceName}`,
      retentionInDays: logRetention,
      kmsKeyId: props.logKmsKeyArn,
    });

    this.cluster = new EcsCluster(this, "cluster", {
      name: props.namePrefix,
      setting: [{ name: "containerInsights", value: "enabled" }],
      configuration: exec
        ? {
            executeCommandConfiguration: {
              kmsKeyId: props.logKmsKeyArn,
              logging: "OVERRIDE",
              logConfiguration: {
                cloudWatchEncryptionEnabled: props.logKmsKeyArn !== undefined,
                cloudWatchLogGroupName: this.logGroup.name,
              },
            },
          }
        : undefined,
    });
    const strategy = [
      { capacityProvider: "FARGATE", base: capacity.fargateBase, weight: capacity.fargateWeight },
      ...(capacity.spotWeight > 0 ? [{ capacityProvider: "FARGATE_SPOT", weight: capacity.spotWeight }] : []),
    ];
    const capacityProviders = new EcsClusterCapacityProviders(this, "capacity_providers", {
      clusterName: this.cluster.name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: strategy,
    });

    const trust = (trustId: string) =>
      serviceTrustPolicy(this, trustId, {
        service: "ecs-tasks.amazonaws.com",
        accountId: props.accountId,
        sourceArnLike: `arn:${props.partition}:ecs:${props.region}:${props.accountId}:*`,
      }).json;
    this.executionRole = new IamRole(this, "execution_role", {
      name: name("execution"),
      description: `Lets ECS pull the image and write logs for ${props.namePrefix}, and read its configured secrets`,
      assumeRolePolicy: trust("execution_role_trust_policy"),
    });
    new IamRolePolicy(this, "execution_role_policy", {
      name: "pull-log-read-secrets",
      role: this.executionRole.id,
      policy: new DataAwsIamPolicyDocument(this, "execution_policy", {
        statement: this.executionStatements(props, secrets, secretsKmsKeyArns),
      }).json,
    });
    this.taskRole = new IamRole(this, "task_role", {
      name: name("task"),
      description: `Identity of the ${props.namePrefix} application's own AWS calls (no permissions by default)`,
      assumeRolePolicy: trust("task_role_trust_policy"),
    });
    if (exec) {
      new IamRolePolicy(this, "task_role_exec_policy", {
        name: "ecs-exec",
        role: this.taskRole.id,
        policy: new DataAwsIamPolicyDocument(this, "task_exec_policy", {
          statement: this.execStatements(props.logKmsKeyArn),
        }).json,
      });
    }

    this.taskDefinition = new EcsTaskDefinition(this, "task_definition", {
      family: name(props.serviceName),
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: String(cpu),
      memory: String(memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      volume: [{ name: SCRATCH_VOLUME.name }],
      containerDefinitions: jsonencode([
        {
          name: CONTAINER_NAME,
          image: `${props.repositoryUrl}:${props.imageTag}`,
          essential: true,
          cpu: 0,
          user,
          readonlyRootFilesystem: !exec,
          portMappings: [{ containerPort, hostPort: containerPort, protocol: "tcp" }],
          environment: Object.keys(environment)
            .sort()
            .map((key) => ({ name: key, value: environment[key] })),
          ...(Object.keys(secrets).length > 0
            ? {
                secrets: Object.keys(secrets)
                  .sort()
                  .map((key) => ({ name: key, valueFrom: secrets[key] })),
              }
            : {}),
          mountPoints: [
            {
              sourceVolume: SCRATCH_VOLUME.name,
              containerPath: SCRATCH_VOLUME.containerPath,
              readOnly: false,
            },
          ],
          volumesFrom: [],
          systemControls: [],
          healthCheck: {
            command: [...healthCheck.command],
            interval: healthCheck.intervalSeconds,
            timeout: healthCheck.timeoutSeconds,
            retries: healthCheck.retries,
            startPeriod: healthCheck.startPeriodSeconds,
          },
          stopTimeout: stopTimeoutSeconds,
          logConfiguration: {
            logDriver: "awslogs",
            options: {
              "awslogs-group": this.logGroup.name,
              "awslogs-region": props.region,
              "awslogs-stream-prefix": CONTAINER_NAME,
            },
          },
        },
      ]),
    });

    this.service = new EcsService(this, "service", {
      name: props.serviceName,
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount,
      capacityProviderStrategy: strategy,
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: [...props.subnetIds],
        securityGroups: [...props.securityGroupIds],
        assignPublicIp: false,
      },
      loadBalancer: [{ targetGroupArn: props.targetGroupArn, containerName: CONTAINER_NAME, containerPort }],
      healthCheckGracePeriodSeconds: gracePeriod,
      deploymentMinimumHealthyPercent: DEPLOYMENT.minimumHealthyPercent,
      deploymentMaximumPercent: DEPLOYMENT.maximumPercent,
      deploymentCircuitBreaker: { enable: true, rollback: props.circuitBreakerRollback ?? true },
      deploymentController: { type: "ECS" },
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      enableExecuteCommand: exec,
      dependsOn: [capacityProviders, ...(props.dependsOn ?? [])],
      // Autoscaling owns the task count once the service exists; desiredCount is only the start.
      lifecycle: { ignoreChanges: ["desired_count"] },
    });

    this.scalableTarget = new AppautoscalingTarget(this, "autoscaling_target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${this.cluster.name}/${this.service.name}`,
      minCapacity: autoscaling.minCount,
      maxCapacity: autoscaling.maxCount,
    });
    const policy = (policyId: string, metric: string, target: number, resourceLabel?: string) =>
      new AppautoscalingPolicy(this, policyId, {
        name: name(policyId.replace(/_/g, "-")),
        policyType: "TargetTrackingScaling",
        serviceNamespace: this.scalableTarget.serviceNamespace,
        scalableDimension: this.scalableTarget.scalableDimension,
        resourceId: this.scalableTarget.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: target,
          scaleInCooldown: autoscaling.scaleInCooldownSeconds,
          scaleOutCooldown: autoscaling.scaleOutCooldownSeconds,
          predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
        },
      });
    policy("cpu_target_tracking", "ECSServiceAverageCPUUtilization", autoscaling.cpuTargetPercent);
    if (autoscaling.memoryTargetPercent !== undefined) {
      policy("memory_target_tracking", "ECSServiceAverageMemoryUtilization", autoscaling.memoryTargetPercent);
    }
    if (autoscaling.requestsPerTarget !== undefined) {
      policy(
        "requests_target_tracking",
        "ALBRequestCountPerTarget",
        autoscaling.requestsPerTarget,
        autoscaling.requestCountResourceLabel,
      );
    }
  }

  private executionStatements(
    props: FargateServiceProps,
    secrets: Readonly<Record<string, string>>,
    kmsKeyArns: readonly string[],
  ): DataAwsIamPolicyDocumentStatement[] {
    const references = Object.values(secrets).map((arn) => parseSecretReference(arn));
    const resourcesOf = (kind: "secretsmanager" | "ssm") => [
      ...new Set(references.filter((r) => r?.kind === kind).map((r) => r?.iamResource as string)),
    ];
    const secretArns = resourcesOf("secretsmanager");
    const parameterArns = resourcesOf("ssm");
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
      { sid: "EcrAuthorization", effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      {
        sid: "PullFromThisRepository",
        effect: "Allow",
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        resources: [props.repositoryArn],
      },
      {
        sid: "WriteThisLogGroup",
        effect: "Allow",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${this.logGroup.arn}:*`],
      },
    ];
    if (secretArns.length > 0) {
      statements.push({
        sid: "ReadConfiguredSecrets",
        effect: "Allow",
        actions: ["secretsmanager:GetSecretValue"],
        resources: secretArns,
      });
    }
    if (parameterArns.length > 0) {
      statements.push({
        sid: "ReadConfiguredParameters",
        effect: "Allow",
        actions: ["ssm:GetParameters"],
        resources: parameterArns,
      });
    }
    if (kmsKeyArns.length > 0 && references.length > 0) {
      statements.push({
        sid: "DecryptSecretsThroughTheirServices",
        effect: "Allow",
        actions: ["kms:Decrypt"],
        resources: [...kmsKeyArns],
        condition: [
          {
            test: "StringEquals",
            variable: "kms:ViaService",
            values: [`secretsmanager.${props.region}.amazonaws.com`, `ssm.${props.region}.amazonaws.com`],
          },
        ],
      });
    }
    return statements;
  }

  private execStatements(logKmsKeyArn: string | undefined): DataAwsIamPolicyDocumentStatement[] {
    return [
      {
        // The Session Manager channel actions have no resource-level permissions: AWS requires "*".
        sid: "EcsExecChannels",
        effect: "Allow",
        actions: [
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ],
        resources: ["*"],
      },
      {
        sid: "EcsExecSessionLogs",
        effect: "Allow",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        resources: [`${this.logGroup.arn}:*`],
      },
      {
        sid: "EcsExecDescribeLogGroup",
        effect: "Allow",
        actions: ["logs:DescribeLogGroups"],
        resources: [this.logGroup.arn],
      },
      ...(logKmsKeyArn === undefined
        ? []
        : [
            {
              sid: "EcsExecSessionEncryption",
              effect: "Allow",
              actions: ["kms:Decrypt"],
              resources: [logKmsKeyArn],
            },
          ]),
    ];
  }
}

/** A KMS key ARN, or a reference to one (a token). */
const kmsKeyArn = check(
  "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
  (v) =>
    typeof v === "string" &&
    (Token.isUnresolved(v) ||
      /^arn:(aws|aws-us-gov|aws-cn):kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(v)),
);

/** A user the container runs as: uid[:gid] or name[:group], never root. */
export const nonRootUser = check(
  'a non-root user such as "1000:1000" (uid[:gid] or name[:group], not root or uid 0)',
  (v) =>
    typeof v === "string" &&
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/.test(v) &&
    !/^(root|0+)(:|$)/.test(v),
);

export function healthCheckProblems(
  healthCheck: ContainerHealthCheck,
  field = "healthCheck",
): Array<string | undefined> {
  const limits = CONTAINER_HEALTH_CHECK_LIMITS;
  const command = healthCheck.command;
  return [
    Array.isArray(command) &&
    command.length >= 2 &&
    (command[0] === "CMD" || command[0] === "CMD-SHELL") &&
    command.every((part) => typeof part === "string" && part !== "")
      ? undefined
      : problem(
          `${field}.command`,
          command,
          '["CMD-SHELL", "<command>"] or ["CMD", "<executable>", ...args]',
        ),
    checkField(
      `${field}.intervalSeconds`,
      healthCheck.intervalSeconds,
      integerIn(limits.intervalSeconds.min, limits.intervalSeconds.max, "seconds"),
    ),
    checkField(
      `${field}.timeoutSeconds`,
      healthCheck.timeoutSeconds,
      integerIn(limits.timeoutSeconds.min, limits.timeoutSeconds.max, "seconds"),
    ),
    checkField(`${field}.retries`, healthCheck.retries, integerIn(limits.retries.min, limits.retries.max)),
    checkField(
      `${field}.startPeriodSeconds`,
      healthCheck.startPeriodSeconds,
      integerIn(limits.startPeriodSeconds.min, limits.startPeriodSeconds.max, "seconds"),
    ),
  ];
}

function countProblems(desiredCount: number, autoscaling: AutoscalingProps): Array<string | undefined> {
  const count = integerIn(1, 1000, "tasks");
  const percent = integerIn(10, 95, "percent");
  const cooldown = integerIn(0, 3600, "seconds");
  const problems = [
    checkField("desiredCount", desiredCount, count),
    checkField("autoscaling.minCount", autoscaling.minCount, count),
    checkField("autoscaling.maxCount", autoscaling.maxCount, count),
    checkField("autoscaling.cpuTargetPercent", autoscaling.cpuTargetPercent, percent),
    autoscaling.memoryTargetPercent === undefined
      ? undefined
      : checkField("autoscaling.memoryTargetPercent", autoscaling.memoryTargetPercent, percent),
    autoscaling.requestsPerTarget === undefined
      ? undefined
      : checkField(
          "autoscaling.requestsPerTarget",
          autoscaling.requestsPerTarget,
          integerIn(1, 1000000, "requests per minute"),
        ),
    autoscaling.requestsPerTarget !== undefined && autoscaling.requestCountResourceLabel === undefined
      ? problem(
          "autoscaling.requestCountResourceLabel",
          undefined,
          "the ALB/target-group resource label when requestsPerTarget is set",
        )
      : undefined,
    checkField("autoscaling.scaleInCooldownSeconds", autoscaling.scaleInCooldownSeconds, cooldown),
    checkField("autoscaling.scaleOutCooldownSeconds", autoscaling.scaleOutCooldownSeconds, cooldown),
  ];
  if (count.test(desiredCount) && count.test(autoscaling.minCount) && count.test(autoscaling.maxCount)) {
    const inconsistent = countConsistencyProblem(desiredCount, autoscaling.minCount, autoscaling.maxCount);
    if (inconsistent) problems.push(formatProblem(inconsistent));
  }
  return problems;
}

function capacityProblems(capacity: CapacityStrategy): Array<string | undefined> {
  const weight = integerIn(0, 1000);
  return [
    checkField("capacityStrategy.fargateBase", capacity.fargateBase, integerIn(0, 100000, "tasks")),
    checkField("capacityStrategy.fargateWeight", capacity.fargateWeight, weight),
    checkField("capacityStrategy.spotWeight", capacity.spotWeight, weight),
    ...[capacityWeightProblem(capacity, "capacityStrategy")]
      .filter((p) => p !== undefined)
      .map(formatProblem),
  ];
}

/**
 * min ≤ max and min ≤ desired ≤ max. `prefix` names the fields as the caller knows them
 * ("" for construct props, "service." for settings).
 */
export function countConsistencyProblem(
  desired: number,
  min: number,
  max: number,
  prefix = "",
): Problem | undefined {
  if (min > max) {
    return {
      field: `${prefix}autoscaling.minCount`,
      value: min,
      allowed: `at most ${prefix}autoscaling.maxCount (${max})`,
    };
  }
  if (desired < min || desired > max) {
    return {
      field: `${prefix}desiredCount`,
      value: desired,
      allowed: `a count within ${prefix}autoscaling.minCount..maxCount (${min}..${max})`,
    };
  }
  return undefined;
}

/** A capacity strategy must place tasks somewhere. */
export function capacityWeightProblem(capacity: CapacityStrategy, field: string): Problem | undefined {
  return capacity.fargateWeight === 0 && capacity.spotWeight === 0
    ? { field, value: capacity, allowed: "at least one of fargateWeight and spotWeight above 0" }
    : undefined;
}
