import type { Construct } from "constructs";
import { Fn, TerraformOutput } from "cdktf";
import { SECURITY_TIERS, workloadGroup } from "../../constructs/model/security-groups";
import type { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Network } from "../../constructs/network";
import type { DataTier } from "./data-tier";
import type { EdgeTier } from "./edge-tier";
import type { EnvironmentKeys } from "./environment-keys";
import type { NetworkTier } from "./network-tier";
import type { OperationsTier } from "./operations-tier";
import type { ServiceTier } from "./service-tier";
import type { WorkloadTier } from "./workload-tier";

/** What the outputs describe: every tier of the environment. */
export interface EnvironmentOutputsInput {
  readonly region: string;
  /** edge.domainName: the service's URL when set. */
  readonly domainName?: string;
  readonly keys: EnvironmentKeys;
  readonly network: NetworkTier;
  readonly data: DataTier;
  readonly edge: EdgeTier;
  readonly service: ServiceTier;
  readonly workloads: WorkloadTier;
  readonly operations: OperationsTier;
}

type Output = (id: string, value: unknown, description: string) => void;

/** The environment stack's outputs, each with a description (what pipelines and people read). */
export function addEnvironmentOutputs(stack: Construct, input: EnvironmentOutputsInput): void {
  const output: Output = (id, value, description) => {
    new TerraformOutput(stack, id, { value, description });
  };
  addEdgeOutputs(input, output);
  addServiceOutputs(input, output);
  addNetworkOutputs(input, output);
  addOperationsOutputs(input, output);
  addDataTierOutputs(input, output);
  addWorkloadOutputs(input, output);
}

/** What each workload is reached by: a web workload's rule, an internal one's address, a worker's queue, a job's schedule. */
function addWorkloadOutputs(env: EnvironmentOutputsInput, output: Output): void {
  const { webs, internals, workers, jobs } = env.workloads;
  if ([webs, internals, workers, jobs].every((kind) => Object.keys(kind).length === 0)) return;
  output(
    "workloads",
    {
      ...Object.fromEntries(
        Object.entries(webs).map(([name, w]) => [
          name,
          {
            kind: "web",
            service_name: w.service.name,
            target_group_arn: w.targetGroup.arn,
            listener_rule_priority: w.rule.priority,
            task_definition_arn: w.task.taskDefinition.arn,
            ...oneOffTasksOf(env, name, w.task.oneOffTaskDefinitions),
          },
        ]),
      ),
      ...Object.fromEntries(
        Object.entries(internals).map(([name, w]) => [
          name,
          {
            kind: "internal",
            endpoint: w.endpoint,
            called_by: [...w.calledBy],
            service_name: w.service.name,
            task_definition_arn: w.task.taskDefinition.arn,
            ...oneOffTasksOf(env, name, w.task.oneOffTaskDefinitions),
          },
        ]),
      ),
      ...Object.fromEntries(
        Object.entries(workers).map(([name, w]) => [
          name,
          {
            kind: "worker",
            queue_url: w.queue.url,
            queue_arn: w.queue.arn,
            dead_letter_queue_url: w.deadLetterQueue.url,
            service_name: w.service.name,
            task_definition_arn: w.task.taskDefinition.arn,
            ...oneOffTasksOf(env, name, w.task.oneOffTaskDefinitions),
          },
        ]),
      ),
      ...Object.fromEntries(
        Object.entries(jobs).map(([name, j]) => [
          name,
          {
            kind: "job",
            schedule_name: j.schedule.name,
            dead_letter_queue_url: j.deadLetterQueue.url,
            task_definition_arn: j.task.taskDefinition.arn,
            ...oneOffTasksOf(env, name, j.task.oneOffTaskDefinitions),
          },
        ]),
      ),
    },
    "Per workload (workloads): a web workload's ECS service, target group and listener-rule priority; an internal workload's address for its callers (Service Connect), who calls it and its ECS service; a worker's queue (send it work with sqs:SendMessage and the queue key), its dead-letter queue and ECS service; a job's EventBridge schedule and the dead-letter queue of its failed runs (not started, or exited non-zero); each one's one-off tasks, as one_off_tasks lists the service's.",
  );
}

/** A workload's one-off tasks, run in its own security group (nothing when it has none). */
function oneOffTasksOf(
  env: EnvironmentOutputsInput,
  name: string,
  tasks: Readonly<Record<string, EcsTaskDefinition>>,
): { one_off_tasks?: Record<string, Record<string, string>> } {
  if (Object.keys(tasks).length === 0) return {};
  return {
    one_off_tasks: oneOffTaskCommands(env, tasks, env.network.securityGroups.groupId(workloadGroup(name))),
  };
}

/** Where the database and cache are, and the one-off tasks' command lines. */
function addDataTierOutputs(env: EnvironmentOutputsInput, output: Output): void {
  const { database, cache } = env.data;
  if (database) {
    output("database_address", database.address, "Host name of the PostgreSQL instance (DATABASE_HOST).");
    output("database_port", database.port, "Port of the PostgreSQL instance.");
    output("database_name", database.databaseName, "Database the service uses.");
    output(
      "database_secret_arn",
      database.masterUserSecretArn,
      "Secrets Manager secret RDS keeps the master user name and password in (it rotates the password); only the one-off tasks read it (the service logs in with IAM tokens).",
    );
  }
  if (cache) {
    output(
      "cache_address",
      cache.primaryEndpointAddress,
      "Primary endpoint of the Redis replication group (REDIS_HOST; TLS).",
    );
    output(
      "cache_user",
      cache.userName,
      "Redis user the service logs in as, with an IAM token signed by its task role.",
    );
  }
  const tasks = env.service.service.oneOffTaskDefinitions;
  if (Object.keys(tasks).length === 0) return;
  output(
    "one_off_tasks",
    oneOffTaskCommands(env, tasks, env.network.securityGroups.groupId("app")),
    "Per one-off task (service.oneOffTasks): its task definition, the -target that registers it alone at a new image tag, and the aws ecs commands that run it in the private subnets with the service's group and no public IP (run_task_command prints the task ARN), wait for it to stop, and print its exit code (each of the last two takes the task ARN last).",
  );
}

/** Per one-off task: its task definition, its -target, and the aws ecs commands that run it in the private subnets with the group given. */
function oneOffTaskCommands(
  env: EnvironmentOutputsInput,
  tasks: Readonly<Record<string, EcsTaskDefinition>>,
  securityGroupId: string,
): Record<string, Record<string, string>> {
  // The CLI's shorthand syntax: no double quotes, which cdktf's HCL output would not escape.
  const network = `awsvpcConfiguration={subnets=[${env.network.network.privateSubnetIds.join(",")}],securityGroups=[${securityGroupId}],assignPublicIp=DISABLED}`;
  const ecs = `aws ecs --region ${env.region}`;
  const cluster = `--cluster ${env.service.service.cluster.name}`;
  return Object.fromEntries(
    Object.entries(tasks).map(([name, definition]) => [
      name,
      {
        task_definition_arn: definition.arn,
        terraform_target: `${definition.terraformResourceType}.${definition.friendlyUniqueId}`,
        // The family, not this revision's ARN: after a targeted apply of terraform_target, the
        // family's only active revision is the one at the new image tag.
        run_task_command: `${ecs} run-task ${cluster} --task-definition ${definition.family} --launch-type FARGATE --network-configuration '${network}' --started-by ${name} --query 'tasks[0].taskArn' --output text`,
        wait_command: `${ecs} wait tasks-stopped ${cluster} --tasks`,
        exit_code_command: `${ecs} describe-tasks ${cluster} --query 'tasks[0].containers[0].exitCode' --output text --tasks`,
      },
    ]),
  );
}

/** Where alarms go and where to look. */
function addOperationsOutputs(env: EnvironmentOutputsInput, output: Output): void {
  const { topic, dashboard } = env.operations;
  if (topic) {
    output("alarm_topic_arn", topic.topicArn, "SNS topic the alarms notify; subscribe more endpoints to it.");
  }
  output(
    "dashboard_url",
    `https://${env.region}.console.aws.amazon.com/cloudwatch/home?region=${env.region}#dashboards/dashboard/${dashboard.dashboard.dashboardName}`,
    "CloudWatch dashboard of this environment (traffic, latency, errors, tasks, alarms).",
  );
}

/** URL, load balancer, certificate. */
function addEdgeOutputs(env: EnvironmentOutputsInput, output: Output): void {
  const domain = env.domainName;
  output(
    "service_url",
    `https://${domain ?? env.edge.loadBalancer.dnsName}`,
    "HTTPS URL of the API (the domain when one is configured, otherwise the load balancer's name).",
  );
  output("alb_dns_name", env.edge.loadBalancer.dnsName, "DNS name of the load balancer.");
  output(
    "alb_zone_id",
    env.edge.loadBalancer.zoneId,
    "Route 53 zone id of the load balancer, for alias records.",
  );
  output("alb_arn", env.edge.loadBalancer.loadBalancer.arn, "ARN of the load balancer.");
  output(
    "target_group_arn",
    env.edge.loadBalancer.targetGroupArn,
    "ARN of the ip target group the tasks register in.",
  );
  output("certificate_arn", env.edge.certificateArn, "ARN of the certificate the HTTPS listener serves.");
}

/** What deploys, one-off tasks and people on call need: registry, cluster, roles, log groups. */
function addServiceOutputs(env: EnvironmentOutputsInput, output: Output): void {
  output("repository_url", env.service.repository.repositoryUrl, "ECR repository the service pulls from.");
  output("cluster_name", env.service.service.cluster.name, "ECS cluster name.");
  output("service_name", env.service.service.service.name, "ECS service name.");
  output(
    "task_definition_family",
    env.service.service.taskDefinition.family,
    "Task definition family; each deploy adds a revision.",
  );
  output("log_group_name", env.service.service.logGroup.name, "CloudWatch log group of the containers.");
  if (env.service.service.execLogGroup) {
    output(
      "exec_log_group_name",
      env.service.service.execLogGroup.name,
      "CloudWatch log group of the ECS Exec sessions (present while service.enableExecuteCommand is on).",
    );
  }
  if (env.network.network instanceof Network) {
    output(
      "flow_log_group_name",
      env.network.network.flowLogGroup.name,
      "CloudWatch log group of the VPC flow logs.",
    );
  }
  if (env.edge.webAcl) {
    output(
      "waf_log_group_name",
      env.edge.webAcl.logGroup.name,
      "CloudWatch log group of the WAF (present with edge.waf).",
    );
  }
  output(
    "task_role_arn",
    env.service.service.taskRole.arn,
    "ARN of the task role: the application's own AWS identity.",
  );
  output(
    "task_role_name",
    env.service.service.taskRole.name,
    "Name of the task role, to attach extra policies outside this stack.",
  );
  output(
    "execution_role_arn",
    env.service.service.executionRole.arn,
    "ARN of the execution role ECS uses to pull the image, write logs and read the configured secrets.",
  );
  output("execution_role_name", env.service.service.executionRole.name, "Name of the execution role.");
  output(
    "run_task_network_configuration",
    Fn.jsonencode({
      awsvpcConfiguration: {
        subnets: env.network.network.privateSubnetIds,
        securityGroups: [env.network.securityGroups.groupId("app")],
        assignPublicIp: "DISABLED",
      },
    }),
    "JSON for `aws ecs run-task --network-configuration` (private subnets, the app group, no public IP), for one-off tasks.",
  );
  output(
    "secrets_kms_key_arn",
    env.keys.secrets.keyArn,
    "KMS key to encrypt this environment's secrets with; the tasks may decrypt with it.",
  );
}

/** VPC, subnets, security groups. */
function addNetworkOutputs(env: EnvironmentOutputsInput, output: Output): void {
  output("vpc_id", env.network.network.vpcId, "ID of the VPC.");
  output(
    "public_subnet_ids",
    env.network.network.publicSubnetIds,
    "Public subnets (load balancer, NAT), in AZ order.",
  );
  output(
    "private_subnet_ids",
    env.network.network.privateSubnetIds,
    "Private app subnets (Fargate tasks), in AZ order.",
  );
  output(
    "isolated_subnet_ids",
    env.network.network.isolatedSubnetIds,
    "Isolated data subnets (no internet route), in AZ order.",
  );
  output(
    "db_subnet_group_name",
    env.network.network.dbSubnetGroup.name,
    "DB subnet group over the isolated subnets.",
  );
  for (const tier of SECURITY_TIERS) {
    if (env.network.securityGroups.hasGroup(tier)) {
      output(
        `${tier}_security_group_id`,
        env.network.securityGroups.groupId(tier),
        `Security group of the ${tier} tier.`,
      );
    }
  }
}
