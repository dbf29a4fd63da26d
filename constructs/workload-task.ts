import { Construct } from "constructs";
import { addFargateTaskDefinition } from "./fargate-service/fargate-task-definition";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { executionRoleStatements } from "./fargate-service/iam-statements";
import type { ContainerDefinitionInput } from "./fargate-service/task-definition";
import type { ContainerHealthCheck } from "./model/health-check";
import { addTaskRole } from "./fargate-service/task-roles";
import type { CpuArchitecture } from "./model/fargate-service";
import { oneOffTaskDefinitionId } from "./model/fargate-service";
import type { PolicyStatement } from "./model/iam";
import { acceptLogRetention } from "./support/accepted-findings";

export interface WorkloadTaskProps {
  /** Prefix of resource names, e.g. "orders-api-prod". */
  readonly namePrefix: string;
  /** The workload's name: the family is `<namePrefix>-<name>`, the roles `<namePrefix>-<name>-execution|task`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly repositoryArn: string;
  readonly repositoryUrl: string;
  readonly imageTag: string;
  readonly cpu: number;
  readonly memory: number;
  readonly cpuArchitecture: CpuArchitecture;
  readonly user: string;
  readonly stopTimeoutSeconds: number;
  readonly command: readonly string[];
  readonly entryPoint: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  /** name → Secrets Manager or SSM ARN; the execution role may read exactly these. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly secretsKmsKeyArns: readonly string[];
  readonly logRetentionDays: number;
  readonly logKmsKeyArn: string;
  /** Everything the workload's own code may do (its queue, its data stores): the task role's policy. */
  readonly taskStatements: readonly PolicyStatement[];
  /**
   * One-off tasks (e.g. a backfill): name → command, each a task definition of the workload's
   * container and roles with that command, family `<family>-<name>`, log streams `<name>/...`.
   *
   * @default {}
   */
  readonly oneOffTasks?: Readonly<Record<string, readonly string[]>>;
  /**
   * A web workload's port and container health check (its one-off tasks get neither).
   *
   * @default - no port, no container health check (workers and jobs)
   */
  readonly serving?: {
    readonly containerPort: number;
    /** @default - no container health check (an internal workload's callers' proxies detect failures) */
    readonly healthCheck?: ContainerHealthCheck;
    /** The port mapping's name, for Service Connect. @default - unnamed */
    readonly portName?: string;
  };
}

/**
 * What a workload's tasks run as: its own log group, execution role (pull from the repository,
 * write this log group, read its secrets), task role (only the statements it is given) and task
 * definition (the hardened container of the service, without a port or health check).
 */
export class WorkloadTask extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  public readonly executionRole: IamRole;
  public readonly taskRole: IamRole;
  public readonly taskDefinition: EcsTaskDefinition;
  /** One task definition per one-off task, by name. */
  public readonly oneOffTaskDefinitions: Readonly<Record<string, EcsTaskDefinition>>;
  public readonly family: string;

  constructor(scope: Construct, id: string, props: WorkloadTaskProps) {
    super(scope, id);
    this.family = `${props.namePrefix}-${props.name}`;
    this.logGroup = acceptLogRetention(
      new CloudwatchLogGroup(this, "log_group", {
        name: `/ecs/${props.namePrefix}/${props.name}`,
        retentionInDays: props.logRetentionDays,
        kmsKeyId: props.logKmsKeyArn,
      }),
    );
    this.executionRole = this.role(props, "execution", {
      description: `Lets ECS pull the image and write logs for the ${props.name} workload of ${props.namePrefix}, and read its secrets`,
      policyName: "pull-log-read-secrets",
      statements: executionRoleStatements({
        region: props.region,
        repositoryArn: props.repositoryArn,
        logGroupArn: this.logGroup.arn,
        secrets: props.secrets,
        secretsKmsKeyArns: props.secretsKmsKeyArns,
      }),
    });
    this.taskRole = this.role(props, "task", {
      description: `Identity of the ${props.name} workload of ${props.namePrefix}: its queue and data stores only`,
      policyName: "workload",
      statements: props.taskStatements,
    });
    this.taskDefinition = this.createTaskDefinition(props, "task_definition", this.family, props.command, {
      containerPort: props.serving?.containerPort,
      healthCheck: props.serving?.healthCheck,
      portName: props.serving?.portName,
    });
    this.oneOffTaskDefinitions = Object.fromEntries(
      Object.entries(props.oneOffTasks ?? {}).map(([name, command]) => [
        name,
        this.createTaskDefinition(props, oneOffTaskDefinitionId(name), `${this.family}-${name}`, command, {
          logStreamPrefix: name,
        }),
      ]),
    );
  }

  private role(
    props: WorkloadTaskProps,
    kind: "execution" | "task",
    policy: { description: string; policyName: string; statements: readonly PolicyStatement[] },
  ): IamRole {
    return addTaskRole(this, {
      id: `${kind}_role`,
      name: `${this.family}-${kind}`,
      description: policy.description,
      partition: props.partition,
      region: props.region,
      accountId: props.accountId,
      policy: {
        id: `${kind}_role_policy`,
        documentId: `${kind}_policy`,
        name: policy.policyName,
        statements: policy.statements,
      },
    });
  }

  private createTaskDefinition(
    props: WorkloadTaskProps,
    id: string,
    family: string,
    command: readonly string[],
    container: Pick<
      ContainerDefinitionInput,
      "containerPort" | "healthCheck" | "logStreamPrefix" | "portName"
    >,
  ): EcsTaskDefinition {
    return addFargateTaskDefinition(this, id, {
      family,
      cpu: props.cpu,
      memory: props.memory,
      cpuArchitecture: props.cpuArchitecture,
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      container: {
        image: `${props.repositoryUrl}:${props.imageTag}`,
        user: props.user,
        readonlyRootFilesystem: true,
        environment: props.environment,
        secrets: props.secrets,
        stopTimeoutSeconds: props.stopTimeoutSeconds,
        logGroupName: this.logGroup.name,
        region: props.region,
        command,
        entryPoint: props.entryPoint,
        ...container,
      },
    });
  }
}
