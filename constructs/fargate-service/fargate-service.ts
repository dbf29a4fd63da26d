import { Construct } from "constructs";
import { addFargateTaskDefinition } from "./fargate-task-definition";
import type { ITerraformDependable } from "cdktf";
import type { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import type { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { CONTAINER_NAME, DEPLOYMENT, SERVICE_GROUP, oneOffTaskDefinitionId } from "../model/fargate-service";
import type { ServiceOptions } from "../model/fargate-service";
import { containerHealthCheck } from "../model/health-check";
import type { ContainerHealthCheck } from "../model/health-check";
import {
  APPLICATION_POLICY_NAME,
  applicationPolicyStatements,
  forPolicyDocument,
  isAwsManagedPolicy,
  managedPolicyAttachmentId,
  usesWildcard,
} from "../model/iam";
import type { PolicyStatement } from "../model/iam";
import { withGroupDefaults } from "../model/props";
import type { RuleGroup } from "../model/props";
import { throwIfProblems } from "../model/checks";
import { REQUEST_COUNT_LABEL_CHECK, addServiceAutoscaling } from "./autoscaling";
import { execStatements, executionRoleStatements } from "./iam-statements";
import { addTaskRole } from "./task-roles";
import { serviceConnectClient, serviceConnectTriggers } from "./workload-service";
import type { ServiceConnectClient } from "./workload-service";
import type { ContainerDefinitionInput } from "./task-definition";
import { acceptLogRetention } from "../support/accepted-findings";
import { acceptFindings } from "../support/accepted-findings";

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
   * Service Connect, when the service calls an internal workload (a client only: it publishes nothing).
   *
   * @default - no Service Connect
   */
  readonly serviceConnect?: ServiceConnectClient;
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
  /**
   * What only the one-off tasks get, for administrative work such as migrations: plain variables
   * (over the service's) and keys of the stack's own JSON secrets (e.g. the database's master
   * password). The one-off tasks then run with an execution role of their own, the only one that
   * may read those secrets.
   *
   * @default - one-off tasks get exactly what the service gets, with the service's execution role
   */
  readonly oneOffTaskAccess?: OneOffTaskAccess;
  /**
   * CloudWatch alarms that fail a deployment in progress (and roll it back with
   * circuitBreakerRollback): a release that passes the health check but answers errors.
   *
   * @default - deployments are judged by the health checks alone
   */
  readonly deploymentAlarmNames?: readonly string[];
}

/** Variables and secrets of the one-off tasks only. */
export interface OneOffTaskAccess {
  readonly environment: Readonly<Record<string, string>>;
  readonly referencedSecrets: Readonly<Record<string, ReferencedSecret>>;
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
  /** The one-off tasks' own execution role, when they have access the service has not. */
  public readonly oneOffExecutionRole?: IamRole;
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
    this.props = withGroupDefaults(SERVICE_GROUP as RuleGroup<FargateServiceProps>, props) as ResolvedProps;
    // The one check only the construct can make: the wiring its stack passes, which no setting holds.
    throwIfProblems(this.node.path, REQUEST_COUNT_LABEL_CHECK.check(this.props, ""));
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
    this.oneOffExecutionRole = this.createOneOffExecutionRole();
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
    return acceptLogRetention(
      new CloudwatchLogGroup(this, "log_group", {
        name: `/ecs/${this.props.namePrefix}/${this.props.serviceName}`,
        retentionInDays: this.props.logRetentionDays,
        kmsKeyId: this.props.logKmsKeyArn,
      }),
    );
  }

  /** ECS Exec sessions get their own log group, outside the container logs' name space and key. */
  private createExecLogGroup(): CloudwatchLogGroup | undefined {
    if (!this.props.enableExecuteCommand) return undefined;
    return acceptLogRetention(
      new CloudwatchLogGroup(this, "exec_log_group", {
        name: `${EXEC_LOG_GROUP_PREFIX}${this.props.namePrefix}/${this.props.serviceName}`,
        retentionInDays: this.props.logRetentionDays,
        kmsKeyId: this.props.execKmsKeyArn,
      }),
    );
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

  private executionStatements(
    referencedSecrets: Readonly<Record<string, ReferencedSecret>> = this.props.referencedSecrets ?? {},
  ): PolicyStatement[] {
    const { region, repositoryArn, secrets, secretsKmsKeyArns } = this.props;
    return executionRoleStatements({
      region,
      repositoryArn,
      logGroupArn: this.logGroup.arn,
      secrets,
      referencedSecretArns: [...new Set(Object.values(referencedSecrets).map((r) => r.secretArn))],
      secretsKmsKeyArns,
    });
  }

  /** The one-off tasks' secrets: the service's, and the ones only they get. */
  private oneOffSecrets(): Record<string, ReferencedSecret> {
    return { ...this.props.referencedSecrets, ...this.props.oneOffTaskAccess?.referencedSecrets };
  }

  private createOneOffExecutionRole(): IamRole | undefined {
    const { oneOffTasks, oneOffTaskAccess, namePrefix } = this.props;
    if (Object.keys(oneOffTasks).length === 0 || oneOffTaskAccess === undefined) return undefined;
    return this.createRole(
      "one_off_execution",
      `Lets ECS pull the image and write logs for the one-off tasks of ${namePrefix}, and read their secrets`,
      this.executionStatements(this.oneOffSecrets()),
    );
  }

  /** Every secret of the container: configured ARNs, and keys of the stack's own JSON secrets. */
  private containerSecrets(
    referencedSecrets: Readonly<Record<string, ReferencedSecret>> = this.props.referencedSecrets ?? {},
  ): Record<string, string> {
    const referenced = Object.entries(referencedSecrets).map(
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
      const document = new DataAwsIamPolicyDocument(this, "task_application_policy", {
        statement: forPolicyDocument(applicationPolicyStatements(taskRoleStatements)),
      });
      if (taskRoleStatements.some((st) => usesWildcard(st))) acceptFindings(document, "logStreamWildcard");
      new IamRolePolicy(this, "task_role_application_policy", {
        name: APPLICATION_POLICY_NAME,
        role: this.taskRole.id,
        policy: document.json,
      });
    }
    for (const arn of taskRoleManagedPolicyArns) {
      const attachment = new IamRolePolicyAttachment(this, managedPolicyAttachmentId(arn), {
        role: this.taskRole.name,
        policyArn: arn,
      });
      if (isAwsManagedPolicy(arn)) acceptFindings(attachment, "awsManagedTaskPolicy");
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
    kind: "execution" | "one_off_execution" | "task",
    description: string,
    statements: PolicyStatement[],
  ): IamRole {
    const { partition, region, accountId } = this.props;
    const [id, documentId, name] =
      kind === "task"
        ? ["task_role_exec_policy", "task_exec_policy", "ecs-exec"]
        : [`${kind}_role_policy`, `${kind}_policy`, "pull-log-read-secrets"];
    return addTaskRole(this, {
      id: `${kind}_role`,
      name: this.name(kind.replace(/_/g, "-")),
      description,
      partition,
      region,
      accountId,
      policy: { id, documentId, name, statements },
    });
  }

  private createTaskDefinition(): EcsTaskDefinition {
    const p = this.props;
    return this.taskDefinitionFor("task_definition", p.serviceName, {
      containerPort: p.containerPort,
      healthCheck: this.healthCheck,
      command: p.command,
    });
  }

  /**
   * The service's container with another command, no port and no health check, logging under its
   * own prefix, with the one-off tasks' own variables, secrets and execution role when they have any.
   */
  private createOneOffTaskDefinitions(): Record<string, EcsTaskDefinition> {
    const access = {
      executionRole: this.oneOffExecutionRole ?? this.executionRole,
      environment: { ...this.props.environment, ...this.props.oneOffTaskAccess?.environment },
      secrets: this.containerSecrets(this.oneOffSecrets()),
    };
    return Object.fromEntries(
      Object.entries(this.props.oneOffTasks).map(([name, command]) => [
        name,
        this.taskDefinitionFor(
          oneOffTaskDefinitionId(name),
          `${this.props.serviceName}-${name}`,
          { command, logStreamPrefix: name },
          access,
        ),
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
    access = {
      executionRole: this.executionRole,
      environment: this.props.environment,
      secrets: this.containerSecrets(),
    },
  ): EcsTaskDefinition {
    const p = this.props;
    return addFargateTaskDefinition(this, id, {
      family: this.name(family),
      cpu: p.cpu,
      memory: p.memory,
      cpuArchitecture: p.cpuArchitecture,
      executionRoleArn: access.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      container: {
        image: `${p.repositoryUrl}:${p.imageTag}`,
        user: p.user,
        readonlyRootFilesystem: !p.enableExecuteCommand,
        environment: access.environment,
        secrets: access.secrets,
        stopTimeoutSeconds: p.stopTimeoutSeconds,
        logGroupName: this.logGroup.name,
        region: p.region,
        entryPoint: p.entryPoint,
        ...container,
      },
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
      // ECS takes a new capacity strategy only with a new deployment; without this the provider
      // replaces the whole service (5.x) or refuses the plan (6.x). Any update then rolls the tasks.
      forceNewDeployment: true,
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
      alarms:
        p.deploymentAlarmNames === undefined || p.deploymentAlarmNames.length === 0
          ? undefined
          : { alarmNames: [...p.deploymentAlarmNames], enable: true, rollback: p.circuitBreakerRollback },
      deploymentController: { type: "ECS" },
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      enableExecuteCommand: p.enableExecuteCommand,
      serviceConnectConfiguration: serviceConnectClient(p.serviceConnect),
      triggers: serviceConnectTriggers(p.serviceConnect),
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

  private addAutoscaling(): AppautoscalingTarget {
    const { autoscaling, requestCountResourceLabel, namePrefix } = this.props;
    return addServiceAutoscaling(this, {
      autoscaling,
      requestCountResourceLabel,
      namePrefix,
      resourceId: `service/${this.cluster.name}/${this.service.name}`,
    });
  }
}
