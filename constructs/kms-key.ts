import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import type { KmsKeyOptions, PolicyStatement } from "./model/iam";
import {
  KMS_KEY_RULES,
  accountRootKeyStatement,
  forPolicyDocument,
  keyAdministratorsStatement,
} from "./model/iam";
import { withGroupDefaults } from "./model/props";
import { acceptFindings } from "./support/accepted-findings";

export interface KmsKeyProps extends KmsKeyOptions {
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
  readonly usageStatements?: readonly PolicyStatement[];
  /**
   * Waiting period before a scheduled deletion, in days.
   *
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * IAM roles that administer the key (manage, rotate, tag, schedule deletion) without using it.
   *
   * @default []
   */
  readonly administratorArns?: readonly string[];
}

/** Symmetric customer-managed KMS key with yearly rotation, an explicit key policy and an alias. */
export class KmsKey extends Construct {
  public readonly key: KmsKeyResource;
  public readonly keyArn: string;
  public readonly aliasName: string;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const options = withGroupDefaults({ rules: KMS_KEY_RULES }, props);

    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: forPolicyDocument([
        accountRootKeyStatement(props.accountId, props.partition),
        ...(options.administratorArns && options.administratorArns.length > 0
          ? [keyAdministratorsStatement(options.administratorArns)]
          : []),
        ...(props.usageStatements ?? []),
      ]),
    });
    // A key policy, not an identity policy: Resource "*" is the key itself (see the reason).
    acceptFindings(policy, "keyPolicy");
    this.key = new KmsKeyResource(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: options.deletionWindowInDays,
      policy: policy.json,
      tags: { Name: props.aliasName },
    });
    this.keyArn = this.key.arn;
    this.aliasName = `alias/${props.aliasName}`;
    new KmsAlias(this, "alias", { name: this.aliasName, targetKeyId: this.key.keyId });
  }
}
