import { TerraformOutput } from "cdktf";
import { SECURITY_TIERS } from "../constructs/rules/security-groups";
import type { EnvironmentStack } from "./environment-stack";

/** The environment stack's outputs, each with a description (what pipelines and people read). */
export function addEnvironmentOutputs(stack: EnvironmentStack): void {
  const output = (id: string, value: unknown, description: string) =>
    new TerraformOutput(stack, id, { value, description });
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
  output("repository_url", stack.repository.repositoryUrl, "ECR repository the service pulls from.");
  output("cluster_name", stack.service.cluster.name, "ECS cluster name.");
  output("service_name", stack.service.service.name, "ECS service name.");
  output(
    "task_definition_family",
    stack.service.taskDefinition.family,
    "Task definition family; each deploy adds a revision.",
  );
  output("log_group_name", stack.service.logGroup.name, "CloudWatch log group of the containers.");
  output(
    "secrets_kms_key_arn",
    stack.secretsKey.keyArn,
    "KMS key to encrypt this environment's secrets with; the tasks may decrypt with it.",
  );
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
