/**
 * What the service's roles may do, as plain statements. The execution role pulls from one
 * repository, writes one log group and reads exactly the configured secrets; ECS Exec adds the
 * Session Manager channels to the task role. The only `Resource: "*"` are the actions AWS offers
 * no resource-level permission for.
 */
import type { PolicyStatement } from "../model/iam";
import { parseSecretReference } from "../model/secrets";

export interface ExecutionRoleInput {
  readonly region: string;
  readonly repositoryArn: string;
  readonly logGroupArn: string;
  /** Variable name → Secrets Manager or SSM ARN. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Secrets Manager secrets whose ARNs are references (the stack's own, e.g. the database's). */
  readonly referencedSecretArns?: readonly string[];
  /** Keys the secrets are encrypted with; decrypt is allowed only through Secrets Manager and SSM. */
  readonly secretsKmsKeyArns: readonly string[];
}

export function executionRoleStatements(input: ExecutionRoleInput): PolicyStatement[] {
  const references = Object.values(input.secrets).map((arn) => parseSecretReference(arn));
  const resourcesOf = (kind: "secretsmanager" | "ssm") => [
    ...new Set(references.filter((r) => r?.kind === kind).map((r) => r?.iamResource as string)),
  ];
  const referenced = input.referencedSecretArns ?? [];
  const secretArns = [...resourcesOf("secretsmanager"), ...referenced];
  const parameterArns = resourcesOf("ssm");
  return [
    // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
    { sid: "EcrAuthorization", effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
    {
      sid: "PullFromThisRepository",
      effect: "Allow",
      actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
      resources: [input.repositoryArn],
    },
    {
      sid: "WriteThisLogGroup",
      effect: "Allow",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [`${input.logGroupArn}:*`],
    },
    ...(secretArns.length > 0
      ? [
          {
            sid: "ReadConfiguredSecrets",
            effect: "Allow" as const,
            actions: ["secretsmanager:GetSecretValue"],
            resources: secretArns,
          },
        ]
      : []),
    ...(parameterArns.length > 0
      ? [
          {
            sid: "ReadConfiguredParameters",
            effect: "Allow" as const,
            actions: ["ssm:GetParameters"],
            resources: parameterArns,
          },
        ]
      : []),
    ...(input.secretsKmsKeyArns.length > 0 && references.length + referenced.length > 0
      ? [
          {
            sid: "DecryptSecretsThroughTheirServices",
            effect: "Allow" as const,
            actions: ["kms:Decrypt"],
            resources: [...input.secretsKmsKeyArns],
            condition: [
              {
                test: "StringEquals",
                variable: "kms:ViaService",
                values: [`secretsmanager.${input.region}.amazonaws.com`, `ssm.${input.region}.amazonaws.com`],
              },
            ],
          },
        ]
      : []),
  ];
}

/**
 * ECS Exec: the Session Manager channels, the sessions' own log group and their key. The agent
 * that records sessions runs with the task role, so the role must write that group; it cannot
 * write the container logs or decrypt any other key.
 */
export function execStatements(logGroupArn: string, execKmsKeyArn: string | undefined): PolicyStatement[] {
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
      resources: [`${logGroupArn}:*`],
    },
    {
      sid: "EcsExecDescribeLogGroup",
      effect: "Allow",
      actions: ["logs:DescribeLogGroups"],
      resources: [logGroupArn],
    },
    ...(execKmsKeyArn === undefined
      ? []
      : [
          {
            sid: "EcsExecSessionEncryption",
            effect: "Allow" as const,
            actions: ["kms:Decrypt"],
            resources: [execKmsKeyArn],
          },
        ]),
  ];
}
