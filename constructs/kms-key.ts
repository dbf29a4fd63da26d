import { Construct } from "constructs";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { checkField, integerIn } from "./checks";
import { throwIfProblems } from "./validation-error";

export const DEFAULT_KEY_DELETION_WINDOW_DAYS = 30;

export interface KmsKeyProps {
  /** Alias without the `alias/` prefix, e.g. "orders-api-dev/logs". */
  readonly aliasName: string;
  readonly description: string;
  /** Account that owns the key (may be a token). Its root principal administers the key through IAM. */
  readonly accountId: string;
  /** ARN partition, e.g. "aws". */
  readonly partition: string;
  /**
   * Statements letting services or roles use the key, each with its conditions.
   *
   * @default - only the account root statement (IAM policies decide who may use the key)
   */
  readonly usageStatements?: readonly DataAwsIamPolicyDocumentStatement[];
  /**
   * Waiting period before a scheduled deletion, in days.
   *
   * @default 30
   */
  readonly deletionWindowInDays?: number;
}

/** Symmetric customer-managed KMS key with yearly rotation, an explicit key policy and an alias. */
export class KmsKey extends Construct {
  public readonly key: KmsKeyResource;
  public readonly keyArn: string;
  public readonly aliasName: string;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? DEFAULT_KEY_DELETION_WINDOW_DAYS;
    throwIfProblems(this, [
      checkField("deletionWindowInDays", deletionWindowInDays, integerIn(7, 30, "days")),
    ]);

    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AccountRootAdministersKeyThroughIam",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:${props.partition}:iam::${props.accountId}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        ...(props.usageStatements ?? []),
      ],
    });
    this.key = new KmsKeyResource(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: policy.json,
      tags: { Name: props.aliasName },
    });
    this.keyArn = this.key.arn;
    this.aliasName = `alias/${props.aliasName}`;
    new KmsAlias(this, "alias", { name: this.aliasName, targetKeyId: this.key.keyId });
  }
}

/**
 * Key-policy statement letting CloudWatch Logs in `region` use the key for log groups whose
 * ARN matches one of `logGroupArnPatterns` (the encryption-context condition AWS documents).
 */
export function cloudWatchLogsKeyStatement(
  region: string,
  logGroupArnPatterns: readonly string[],
): DataAwsIamPolicyDocumentStatement {
  return {
    sid: "CloudWatchLogsUsesKeyForTheseLogGroups",
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    resources: ["*"],
    condition: [
      {
        test: "ArnLike",
        variable: "kms:EncryptionContext:aws:logs:arn",
        values: [...logGroupArnPatterns],
      },
    ],
  };
}

/**
 * Key-policy statement letting principals of the account use the key only through the given AWS
 * services (`kms:ViaService`, e.g. "ecr.eu-west-1.amazonaws.com"): what services that encrypt on
 * a caller's behalf need. IAM policies still decide which principals may call those services.
 */
export function viaServiceKeyStatement(
  sid: string,
  serviceEndpoints: readonly string[],
  accountId: string,
  partition: string,
): DataAwsIamPolicyDocumentStatement {
  return {
    sid,
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${accountId}:root`] }],
    actions: [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:DescribeKey",
      "kms:CreateGrant",
      "kms:RetireGrant",
    ],
    resources: ["*"],
    condition: [
      { test: "StringEquals", variable: "kms:ViaService", values: [...serviceEndpoints] },
      { test: "StringEquals", variable: "kms:CallerAccount", values: [accountId] },
    ],
  };
}
