/** A FargateService in a test stack with realistic props, and lookups over what it synthesizes. */
import { FargateService } from "../../constructs/fargate-service/fargate-service";
import { SERVICE_GROUP } from "../../constructs/model/fargate-service";
import type { FargateServiceProps } from "../../constructs/fargate-service/fargate-service";
import { decodeJsonencode } from "../../.ci/policy/hcl-expression";
import { blockOf, policyDocument, resources, synth, testStack } from "./synth";
import type { Block, TerraformJson } from "./synth";
import { validate } from "./validate";

export const REPO_ARN = "arn:aws:ecr:eu-west-1:123456789012:repository/orders-api";
export const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123";
export const PARTIAL_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api";
export const JSON_KEY_SECRET =
  "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/keys-XyZ789:signing:AWSCURRENT:";
export const PARAMETER_ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/feature-flags";
export const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1111-2222";

export const BASE: FargateServiceProps = {
  namePrefix: "orders-api-prod",
  serviceName: "api",
  region: "eu-west-1",
  accountId: "123456789012",
  partition: "aws",
  repositoryArn: REPO_ARN,
  repositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api",
  imageTag: "${var.image_tag}",
  subnetIds: ["subnet-a", "subnet-b"],
  securityGroupIds: ["sg-app"],
  targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod/abc",
  logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/logs",
};

export function build(overrides: Partial<FargateServiceProps> = {}) {
  const stack = testStack();
  const service = new FargateService(
    stack,
    "service",
    validate("test/service", SERVICE_GROUP, { ...BASE, ...overrides }),
  );
  const json = synth(stack);
  const taskDefinition = blockOf(json, service.taskDefinition);
  const [container] = decodeJsonencode(taskDefinition.container_definitions as string) as Block[];
  return {
    service,
    json,
    taskDefinition,
    container: container as Block,
    serviceBlock: blockOf(json, service.service),
  };
}

/** Every statement of the inline policies attached to a role. */
export function roleStatements(json: TerraformJson, roleRef: string): Block[] {
  return Object.values(resources(json, "aws_iam_role_policy"))
    .filter((p) => p.role === roleRef)
    .flatMap((p) => policyDocument(json, p.policy).statement as Block[]);
}
