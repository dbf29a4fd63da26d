import { Fn, TerraformOutput } from "cdktf";
import { SECURITY_TIERS } from "../constructs/model/security-groups";
import type { EnvironmentStack } from "./environment-stack";

type Output = (id: string, value: unknown, description: string) => void;

/** The environment stack's outputs, each with a description (what pipelines and people read). */
export function addEnvironmentOutputs(stack: EnvironmentStack): void {
  const output: Output = (id, value, description) => {
    new TerraformOutput(stack, id, { value, description });
  };
  addEdgeOutputs(stack, output);
  addServiceOutputs(stack, output);
  addNetworkOutputs(stack, output);
  addOperationsOutputs(stack, output);
  addDataTierOutputs(stack, output);
}

/** Where the database and cache are, and the one-off tasks' command lines. */
function addDataTierOutputs(stack: EnvironmentStack, output: Output): void {
  const { database, cache } = stack;
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
  const tasks = Object.entries(stack.service.oneOffTaskDefinitions);
  if (tasks.length === 0) return;
  // The CLI's shorthand syntax: no double quotes, which cdktf's HCL output would not escape.
  const network = `awsvpcConfiguration={subnets=[${stack.network.privateSubnetIds.join(",")}],securityGroups=[${stack.securityGroups.groupId("app")}],assignPublicIp=DISABLED}`;
  const ecs = `aws ecs --region ${stack.region}`;
  const cluster = `--cluster ${stack.service.cluster.name}`;
  output(
    "one_off_tasks",
    Object.fromEntries(
      tasks.map(([name, definition]) => [
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
    ),
    "Per one-off task (service.oneOffTasks): its task definition, the -target that registers it alone at a new image tag, and the aws ecs commands that run it in the private subnets with the service's group and no public IP (run_task_command prints the task ARN), wait for it to stop, and print its exit code (each of the last two takes the task ARN last).",
  );
}

/** Where alarms go and where to look. */
function addOperationsOutputs(stack: EnvironmentStack, output: Output): void {
  const { topic, dashboard } = stack.operations;
  if (topic) {
    output("alarm_topic_arn", topic.topicArn, "SNS topic the alarms notify; subscribe more endpoints to it.");
  }
  output(
    "dashboard_url",
    `https://${stack.region}.console.aws.amazon.com/cloudwatch/home?region=${stack.region}#dashboards/dashboard/${dashboard.dashboard.dashboardName}`,
    "CloudWatch dashboard of this environment (traffic, latency, errors, tasks, alarms).",
  );
}

/** URL, load balancer, certificate. */
function addEdgeOutputs(stack: EnvironmentStack, output: Output): void {
  const domain = stack.settings.edge.domainName;
  output(
    "service_url",
    `https://${domain ?? stack.loadBalancer.dnsName}`,
    "HTTPS URL of the API (the domain when one is configured, otherwise the load balancer's name).",
  );
  output("alb_dns_name", stack.loadBalancer.dnsName, "DNS name of the load balancer.");
  output(
    "alb_zone_id",
    stack.loadBalancer.zoneId,
    "Route 53 zone id of the load balancer, for alias records.",
  );
  output("alb_arn", stack.loadBalancer.loadBalancer.arn, "ARN of the load balancer.");
  output(
    "target_group_arn",
    stack.loadBalancer.targetGroupArn,
    "ARN of the ip target group the tasks register in.",
  );
  output(
    "certificate_arn",
    stack.certificate?.certificateArn ?? stack.settings.edge.certificateArn,
    "ARN of the certificate the HTTPS listener serves.",
  );
}

/** What deploys, one-off tasks and people on call need: registry, cluster, roles, log groups. */
function addServiceOutputs(stack: EnvironmentStack, output: Output): void {
  output("repository_url", stack.repository.repositoryUrl, "ECR repository the service pulls from.");
  output("cluster_name", stack.service.cluster.name, "ECS cluster name.");
  output("service_name", stack.service.service.name, "ECS service name.");
  output(
    "task_definition_family",
    stack.service.taskDefinition.family,
    "Task definition family; each deploy adds a revision.",
  );
  output("log_group_name", stack.service.logGroup.name, "CloudWatch log group of the containers.");
  if (stack.service.execLogGroup) {
    output(
      "exec_log_group_name",
      stack.service.execLogGroup.name,
      "CloudWatch log group of the ECS Exec sessions (present while service.enableExecuteCommand is on).",
    );
  }
  output(
    "flow_log_group_name",
    stack.network.flowLogGroup.name,
    "CloudWatch log group of the VPC flow logs.",
  );
  if (stack.webAcl) {
    output(
      "waf_log_group_name",
      stack.webAcl.logGroup.name,
      "CloudWatch log group of the WAF (present with edge.waf).",
    );
  }
  output(
    "task_role_arn",
    stack.service.taskRole.arn,
    "ARN of the task role: the application's own AWS identity.",
  );
  output(
    "task_role_name",
    stack.service.taskRole.name,
    "Name of the task role, to attach extra policies outside this stack.",
  );
  output(
    "execution_role_arn",
    stack.service.executionRole.arn,
    "ARN of the execution role ECS uses to pull the image, write logs and read the configured secrets.",
  );
  output("execution_role_name", stack.service.executionRole.name, "Name of the execution role.");
  output(
    "run_task_network_configuration",
    Fn.jsonencode({
      awsvpcConfiguration: {
        subnets: stack.network.privateSubnetIds,
        securityGroups: [stack.securityGroups.groupId("app")],
        assignPublicIp: "DISABLED",
      },
    }),
    "JSON for `aws ecs run-task --network-configuration` (private subnets, the app group, no public IP), for one-off tasks.",
  );
  output(
    "secrets_kms_key_arn",
    stack.secretsKey.keyArn,
    "KMS key to encrypt this environment's secrets with; the tasks may decrypt with it.",
  );
}

/** VPC, subnets, security groups. */
function addNetworkOutputs(stack: EnvironmentStack, output: Output): void {
  output("vpc_id", stack.network.vpcId, "ID of the VPC.");
  output(
    "public_subnet_ids",
    stack.network.publicSubnetIds,
    "Public subnets (load balancer, NAT), in AZ order.",
  );
  output(
    "private_subnet_ids",
    stack.network.privateSubnetIds,
    "Private app subnets (Fargate tasks), in AZ order.",
  );
  output(
    "isolated_subnet_ids",
    stack.network.isolatedSubnetIds,
    "Isolated data subnets (no internet route), in AZ order.",
  );
  output(
    "db_subnet_group_name",
    stack.network.dbSubnetGroup.name,
    "DB subnet group over the isolated subnets.",
  );
  for (const tier of SECURITY_TIERS) {
    if (stack.securityGroups.hasGroup(tier)) {
      output(
        `${tier}_security_group_id`,
        stack.securityGroups.groupId(tier),
        `Security group of the ${tier} tier.`,
      );
    }
  }
}
