/**
 * VPC endpoint policies as plain statements: what the service's tasks may do through each
 * endpoint, and nothing for another account's principals (data cannot leave through them).
 */
import type { PolicyStatement } from "./iam";
import type { InterfaceEndpointService } from "./network";

const ANYONE = [{ type: "*", identifiers: ["*"] }];

/** What the tasks call through each interface endpoint (image pulls, container logs, secrets). */
export const INTERFACE_ENDPOINT_ACTIONS: Readonly<Record<InterfaceEndpointService, readonly string[]>> = {
  "ecr.api": [
    "ecr:GetAuthorizationToken",
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
  ],
  "ecr.dkr": ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
  logs: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"],
  secretsmanager: ["secretsmanager:GetSecretValue"],
  ssm: ["ssm:GetParameters"],
  sqs: [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
    "sqs:SendMessage",
  ],
};

/** Only principals of this account, and only the service's own calls, pass the endpoint. */
export function interfaceEndpointStatements(
  service: InterfaceEndpointService,
  accountId: string,
): PolicyStatement[] {
  return [
    {
      sid: "ThisAccountsTasksOnly",
      effect: "Allow",
      principals: ANYONE,
      actions: INTERFACE_ENDPOINT_ACTIONS[service],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: [accountId] }],
    },
  ];
}

/** The bucket where ECR keeps image layers in a region (AWS names it for endpoint policies). */
export function ecrLayerObjects(partition: string, region: string): string {
  return `arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*`;
}

export interface S3EndpointAccess {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** Buckets the tasks use themselves, reachable by this account's principals only. */
  readonly buckets: readonly string[];
}

/**
 * The S3 gateway endpoint: image layers from ECR's bucket (fetched with URLs ECR signs, so no
 * principal condition can apply), and the listed buckets for this account's principals.
 */
export function s3GatewayEndpointStatements(access: S3EndpointAccess): PolicyStatement[] {
  const { partition, region, accountId, buckets } = access;
  return [
    {
      sid: "EcrImageLayers",
      effect: "Allow",
      principals: ANYONE,
      actions: ["s3:GetObject"],
      resources: [ecrLayerObjects(partition, region)],
    },
    ...(buckets.length === 0
      ? []
      : [
          {
            sid: "ThisAccountsBuckets",
            effect: "Allow" as const,
            principals: ANYONE,
            actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
            resources: buckets.flatMap((b) => [`arn:${partition}:s3:::${b}`, `arn:${partition}:s3:::${b}/*`]),
            condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: [accountId] }],
          },
        ]),
  ];
}
