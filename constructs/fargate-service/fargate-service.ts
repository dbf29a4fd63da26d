import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import {
  CONTAINER_NAME,
  DEPLOYMENT,
  SCRATCH_VOLUME,
  SERVICE_GROUP,
  oneOffTaskDefinitionId,
} from "../rules/fargate-service";
import type { ServiceOptions } from "../rules/fargate-service";
import { containerHealthCheck } from "../rules/health-check";
import type { ContainerHealthCheck } from "../rules/health-check";
import {
  APPLICATION_POLICY_NAME,
  applicationPolicyStatements,
  forPolicyDocument,
  managedPolicyAttachmentId,
  serviceTrustStatement,
} from "../rules/iam";
import type { PolicyStatement } from "../rules/iam";
import { jsonencode } from "../rules/json-encode";
import { validProps } from "../rules/props";
import type { RuleGroup } from "../rules/props";
import { execStatements, executionRoleStatements } from "./iam-statements";
import { containerDefinition } from "./task-definition";
import type { ContainerDefinitionInput } from "./task-definition";

/** ECS Exec session log groups are named `<prefix><namePrefix>/<service>`. */
export const EXEC_LOG_GROUP_PREFIX = "/ecs-exec/";

export interface FargateServiceProps extends ServiceOptions {
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
   * `<alb arn_suffix>/<target group arn_suffix>`, for the request-count policy.
   *
   * @default - no request-count policy even when autoscaling.requestsPerTarget is set
   */
  readonly requestCountResourceLabel?: string;
  /**
   * Resources the service must wait for, above all the listener that forwards to the target group.
   *
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * KMS key of ECS Exec: it encrypts the session channel and the sessions' own log group (its
   * policy must let CloudWatch Logs use it for that group). The task role may decrypt this key only.
   *
   * @default - sessions and their log group use AWS-owned encryption (TLS only on the channel)
   */
  readonly execKmsKeyArn?: string;
  /**
   * KMS key of the log group (its policy must let CloudWatch Logs use it).
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logKmsKeyArn?: string;
  /**
   * Secrets of resources this stack creates (their ARNs are references, e.g. the database's
   * managed secret): variable name → secret ARN and the JSON key to inject. The execution role
   * may read exactly these secrets.
   *
   * @default {}
   */
  readonly referencedSecrets?: Readonly<Record<string, ReferencedSecret>>;
  /**
   * Statements of the task role's inline policy "data-tier": what the application needs to reach
   * the stack's data stores (e.g. `elasticache:Connect` for IAM authentication).
   *
   * @default []
   */
  readonly dataAccessStatements?: readonly PolicyStatement[];
}

/** A key of a JSON secret whose ARN is a reference. */
export interface ReferencedSecret {
  readonly secretArn: string;
  readonly jsonKey: string;
}

type ResolvedProps = FargateServiceProps & Required<ServiceOptions>;

/**
 * An ECS Fargate service: cluster with Container Insights and FARGATE/FARGATE_SPOT capacity,
 * encrypted log group, separate least-privilege execution and task roles, a hardened task
 * definition, a service in private subnets registered in an ip target group, and CPU (plus
 * optional memory and request-count) target-tracking autoscaling.
 */
export class FargateService extends Construct {
  public readonly cluster: EcsCluster;
  public readonly capacityProviders: EcsClusterCapacityProviders;
  public readonly logGroup: CloudwatchLogGroup;
  /** Where ECS Exec sessions are logged, when enableExecuteCommand is on. */
  public readonly execLogGroup?: CloudwatchLogGroup;
  public readonly executionRole: IamRole;
  public readonly taskRole: IamRole;
  public readonly taskDefinition: EcsTaskDefinition;
  /** One task definition per one-off task, by name. */
  public readonly oneOffTaskDefinitions: Readonly<Record<string, EcsTaskDefinition>>;
  public readonly service: EcsService;
  public readonly scalableTarget: AppautoscalingTarget;
  public readonly containerPort: number;
  public readonly stopTimeoutSeconds: number;
  public readonly healthCheck: ContainerHealthCheck;

  private readonly props: ResolvedProps;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    this.props = validProps(this.node.path, FARGATE_SERVICE_GROUP, props) as ResolvedProps;
    this.containerPort = this.props.containerPort;
    this.stopTimeoutSeconds = this.props.stopTimeoutSeconds;
    this.healthCheck = containerHealthCheck(this.props.healthCheck, this.containerPort);

    this.logGroup = this.createLogGroup();
    this.execLogGroup = this.createExecLogGroup();
    this.cluster = this.createCluster();
    this.capacityProviders = this.addCapacityProviders();
    this.executionRole = this.createRole(
      "execution",
      this.executionDescription(),
      this.executionStatements(),
    );
    this.taskRole = this.createRole("task", this.taskDescription(), this.taskStatements());
    this.addApplicationPermissions();
    this.addDataAccessPermissions();
    this.taskDefinition = this.createTaskDefinition();
    this.oneOffTaskDefinitions = this.createOneOffTaskDefinitions();
    this.service = this.createService();
    this.scalableTarget = this.addAutoscaling();
  }

  private name(suffix: string): string {
    return `${this.props.namePrefix}-${suffix}`;
  }

  private createLogGroup(): CloudwatchLogGroup {
    return new CloudwatchLogGroup(this, "log_group", {
      name: `/ecs/${this.props.namePrefix}/${this.props.serviceName}`,
      retentionInDays: this.props.logRetentionDays,
      kmsKeyId: this.props.logKmsKeyArn,
    });
  }

  /** ECS Exec sessions get their own log group, outside the container logs' name space and key. */
  private createExecLogGroup(): CloudwatchLogGroup | undefined {
    if (!this.props.enableExecuteCommand) return undefined;
    return new CloudwatchLogGroup(this, "exec_log_group", {
      name: `${EXEC_LOG_GROUP_PREFIX}${this.props.namePrefix}/${this.props.serviceName}`,
      retentionInDays: this.props.logRetentionDays,
      kmsKeyId: this.props.execKmsKeyArn,
    });
  }

  private createCluster(): EcsCluster {
    const { execKmsKeyArn } = this.props;
    return new EcsCluster(this, "cluster", {
      name: this.props.namePrefix,
      setting: [{ name: "containerInsights", value: "enabled" }],
      configuration: this.execLogGroup
        ? {
            executeCommandConfiguration: {
              kmsKeyId: execKmsKeyArn,
              logging: "OVERRIDE",
              logConfiguration: {
                cloudWatchEncryptionEnabled: execKmsKeyArn !== undefined,
                cloudWatchLogGroupName: this.execLogGroup.name,
              },
            },
          }
        : undefined,
    });
  }

  /** FARGATE with a base, and FARGATE_SPOT only when it has a weight. */
  private strategy() {
    const { fargateBase, fargateWeight, spotWeight } = this.props.capacity;
    return [
      { capacityProvider: "FARGATE", base: fargateBase, weight: fargateWeight },
      ...(spotWeight > 0 ? [{ capacityProvider: "FARGATE_SPOT", weight: spotWeight }] : []),
    ];
  }

  private addCapacityProviders(): EcsClusterCapacityProviders {
    return new EcsClusterCapacityProviders(this, "capacity_providers", {
      clusterName: this.cluster.name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: this.strategy(),
    });
  }

  private executionDescription(): string {
    return `Lets ECS pull the image and write logs for ${this.props.namePrefix}, and read its configured secrets`;
  }

  private taskDescription(): string {
    return `Identity of the ${this.props.namePrefix} application's own AWS calls (no permissions by default)`;
  }

  private executionStatements(): PolicyStatement[] {
    const { region, repositoryArn, secrets, secretsKmsKeyArns, referencedSecrets } = this.props;
    return executionRoleStatements({
      region,
      repositoryArn,
      logGroupArn: this.logGroup.arn,
      secrets,
      referencedSecretArns: Object.values(referencedSecrets ?? {}).map((r) => r.secretArn),
      secretsKmsKeyArns,
    });
  }

  /** Every secret of the container: configured ARNs, and keys of the stack's own JSON secrets. */
  private containerSecrets(): Record<string, string> {
    const referenced = Object.entries(this.props.referencedSecrets ?? {}).map(
      ([name, r]) => [name, `${r.secretArn}:${r.jsonKey}::`] as const,
    );
    return { ...this.props.secrets, ...Object.fromEntries(referenced) };
  }

  private taskStatements(): PolicyStatement[] {
    return this.execLogGroup ? execStatements(this.execLogGroup.arn, this.props.execKmsKeyArn) : [];
  }

  /** The application's own permissions on the task role: its statements and managed policies. */
  private addApplicationPermissions(): void {
    const { taskRoleStatements, taskRoleManagedPolicyArns } = this.props;
    if (taskRoleStatements.length > 0) {
      new IamRolePolicy(this, "task_role_application_policy", {
        name: APPLICATION_POLICY_NAME,
        role: this.taskRole.id,
        policy: new DataAwsIamPolicyDocument(this, "task_application_policy", {
          statement: forPolicyDocument(applicationPolicyStatements(taskRoleStatements)),
        }).json,
      });
    }
    for (const arn of taskRoleManagedPolicyArns) {
      new IamRolePolicyAttachment(this, managedPolicyAttachmentId(arn), {
        role: this.taskRole.name,
        policyArn: arn,
      });
    }
  }

  private addDataAccessPermissions(): void {
    const statements = this.props.dataAccessStatements ?? [];
    if (statements.length === 0) return;
    new IamRolePolicy(this, "task_role_data_tier_policy", {
      name: "data-tier",
      role: this.taskRole.id,
      policy: new DataAwsIamPolicyDocument(this, "task_data_tier_policy", {
        statement: forPolicyDocument(statements),
      }).json,
    });
  }

  /** A role only this account's ECS tasks can assume, with an inline policy when it has statements. */
  private createRole(
    kind: "execution" | "task",
    description: string,
    statements: PolicyStatement[],
  ): IamRole {
    const { partition, region, accountId } = this.props;
    const role = new IamRole(this, `${kind}_role`, {
      name: this.name(kind),
      description,
      assumeRolePolicy: new DataAwsIamPolicyDocument(this, `${kind}_role_trust_policy`, {
        statement: forPolicyDocument([
          serviceTrustStatement({
            service: "ecs-tasks.amazonaws.com",
            accountId,
            sourceArnLike: `arn:${partition}:ecs:${region}:${accountId}:*`,
          }),
        ]),
      }).json,
    });
    if (statements.length > 0) {
      const [policyId, documentId, policyName] =
        kind === "execution"
          ? ["execution_role_policy", "execution_policy", "pull-log-read-secrets"]
          : ["task_role_exec_policy", "task_exec_policy", "ecs-exec"];
      new IamRolePolicy(this, policyId, {
        name: policyName,
        role: role.id,
        policy: new DataAwsIamPolicyDocument(this, documentId, { statement: forPolicyDocument(statements) })
          .json,
      });
    }
    return role;
  }

  private createTaskDefinition(): EcsTaskDefinition {
    const p = this.props;
    return this.taskDefinitionFor("task_definition", p.serviceName, {
      containerPort: p.containerPort,
      healthCheck: this.healthCheck,
      command: p.command,
    });
  }

  /** The service's container with another command, no port and no health check, logging under its own prefix. */
  private createOneOffTaskDefinitions(): Record<string, EcsTaskDefinition> {
    return Object.fromEntries(
      Object.entries(this.props.oneOffTasks).map(([name, command]) => [
        name,
        this.taskDefinitionFor(oneOffTaskDefinitionId(name), `${this.props.serviceName}-${name}`, {
          command,
          logStreamPrefix: name,
        }),
      ]),
    );
  }

  private taskDefinitionFor(
    id: string,
    family: string,
    container: Pick<
      ContainerDefinitionInput,
      "containerPort" | "healthCheck" | "command" | "logStreamPrefix"
    >,
  ): EcsTaskDefinition {
    const p = this.props;
    return new EcsTaskDefinition(this, id, {
      family: this.name(family),
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: String(p.cpu),
      memory: String(p.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: p.cpuArchitecture },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      volume: [{ name: SCRATCH_VOLUME.name }],
      containerDefinitions: jsonencode([
        containerDefinition({
          image: `${p.repositoryUrl}:${p.imageTag}`,
          user: p.user,
          readonlyRootFilesystem: !p.enableExecuteCommand,
          environment: p.environment,
          secrets: this.containerSecrets(),
          stopTimeoutSeconds: p.stopTimeoutSeconds,
          logGroupName: this.logGroup.name,
          region: p.region,
          entryPoint: p.entryPoint,
          ...container,
        }),
      ]),
    });
  }

  private createService(): EcsService {
    const p = this.props;
    return new EcsService(this, "service", {
      name: p.serviceName,
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: p.desiredCount,
      capacityProviderStrategy: this.strategy(),
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: [...p.subnetIds],
        securityGroups: [...p.securityGroupIds],
        assignPublicIp: false,
      },
      loadBalancer: [
        { targetGroupArn: p.targetGroupArn, containerName: CONTAINER_NAME, containerPort: p.containerPort },
      ],
      healthCheckGracePeriodSeconds: p.healthCheck.gracePeriodSeconds,
      deploymentMinimumHealthyPercent: DEPLOYMENT.minimumHealthyPercent,
      deploymentMaximumPercent: DEPLOYMENT.maximumPercent,
      deploymentCircuitBreaker: { enable: true, rollback: p.circuitBreakerRollback },
      deploymentController: { type: "ECS" },
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      enableExecuteCommand: p.enableExecuteCommand,
      dependsOn: [this.capacityProviders, ...(p.dependsOn ?? [])],
      waitForSteadyState: p.waitForDeployment,
      lifecycle: {
        // Autoscaling owns the task count once the service exists; desiredCount is only the start.
        ignoreChanges: ["desired_count"],
        postcondition: p.waitForDeployment ? [this.runsTheNewTaskDefinition()] : undefined,
      },
    });
  }

  /**
   * After a waited-for deployment the service must run the task definition just registered: when
   * the circuit breaker rolls a failed deployment back, ECS puts the previous one back and the
   * apply fails here instead of reporting success.
   */
  private runsTheNewTaskDefinition() {
    const applied = `${this.taskDefinition.terraformResourceType}.${this.taskDefinition.friendlyUniqueId}.arn`;
    return {
      condition: `\${self.task_definition == ${applied}}`,
      errorMessage: `The service does not run the task definition just applied: its deployment failed and the circuit breaker rolled it back. Read the service's events (aws ecs describe-services) and the stopped tasks' reasons.`,
    };
  }

  /** CPU target tracking, plus memory and request-count policies when they are set. */
  private addAutoscaling(): AppautoscalingTarget {
    const { autoscaling, requestCountResourceLabel } = this.props;
    const target = new AppautoscalingTarget(this, "autoscaling_target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${this.cluster.name}/${this.service.name}`,
      minCapacity: autoscaling.minCount,
      maxCapacity: autoscaling.maxCount,
    });
    const policy = (policyId: string, metric: string, value: number, resourceLabel?: string) =>
      new AppautoscalingPolicy(this, policyId, {
        name: this.name(policyId.replace(/_/g, "-")),
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: value,
          scaleInCooldown: autoscaling.scaleInCooldownSeconds,
          scaleOutCooldown: autoscaling.scaleOutCooldownSeconds,
          predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
        },
      });
    policy("cpu_target_tracking", "ECSServiceAverageCPUUtilization", autoscaling.cpuTargetPercent);
    if (autoscaling.memoryTargetPercent !== undefined) {
      policy("memory_target_tracking", "ECSServiceAverageMemoryUtilization", autoscaling.memoryTargetPercent);
    }
    if (autoscaling.requestsPerTarget !== undefined && requestCountResourceLabel !== undefined) {
      policy(
        "requests_target_tracking",
        "ALBRequestCountPerTarget",
        autoscaling.requestsPerTarget,
        requestCountResourceLabel,
      );
    }
    return target;
  }
}

/** The shared service rules, plus the construct's own wiring check. */
const FARGATE_SERVICE_GROUP: RuleGroup<FargateServiceProps> = {
  ...(SERVICE_GROUP as RuleGroup<FargateServiceProps>),
  crossChecks: [
    ...(SERVICE_GROUP.crossChecks ?? []),
    {
      description: "A request-count policy needs the ALB/target-group label.",
      reads: ["autoscaling"],
      check: (p) =>
        p.autoscaling?.requestsPerTarget !== undefined && p.requestCountResourceLabel === undefined
          ? [
              {
                field: "requestCountResourceLabel",
                value: undefined,
                allowed: "the ALB/target-group resource label when autoscaling.requestsPerTarget is set",
              },
            ]
          : [],
    },
  ],
};
