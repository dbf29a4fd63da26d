/**
 * IAM and KMS policy statements as plain data: trust policies with confused-deputy guards, and
 * key-policy statements. Constructs put them into `aws_iam_policy_document` data sources, so
 * scanners and tests read them as structured data.
 */
import { iamRoleArn } from "./arns";
import { integerIn, listOf } from "./checks";
import type { PropRules } from "./props";

/** One statement, in the shape of `aws_iam_policy_document` (snake_case becomes camelCase). */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
  readonly principals?: ReadonlyArray<{ readonly type: string; readonly identifiers: readonly string[] }>;
  readonly condition?: ReadonlyArray<{
    readonly test: string;
    readonly variable: string;
    readonly values: readonly string[];
  }>;
}

export interface ServiceTrustProps {
  /** Service principal allowed to assume the role, e.g. "ecs-tasks.amazonaws.com". */
  readonly service: string;
  /** Account the calling service must act for (`aws:SourceAccount`). */
  readonly accountId: string;
  /**
   * ARN pattern the calling resource must match (`aws:SourceArn`, ArnLike).
   *
   * @default - only the aws:SourceAccount condition
   */
  readonly sourceArnLike?: string;
}

/**
 * Trust statement for a role assumed by an AWS service, with the confused-deputy guards AWS
 * recommends (`aws:SourceAccount`, and `aws:SourceArn` where the service sends it).
 */
export function serviceTrustStatement(props: ServiceTrustProps): PolicyStatement {
  return {
    sid: "AssumeRoleFromService",
    effect: "Allow",
    actions: ["sts:AssumeRole"],
    principals: [{ type: "Service", identifiers: [props.service] }],
    condition: [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
      ...(props.sourceArnLike === undefined
        ? []
        : [{ test: "ArnLike", variable: "aws:SourceArn", values: [props.sourceArnLike] }]),
    ],
  };
}

/** The account root administers the key through IAM (AWS's default key policy statement). */
export function accountRootKeyStatement(accountId: string, partition: string): PolicyStatement {
  return {
    sid: "AccountRootAdministersKeyThroughIam",
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${accountId}:root`] }],
    actions: ["kms:*"],
    resources: ["*"],
  };
}

/**
 * Key-policy statement letting CloudWatch Logs in `region` use the key for log groups whose
 * ARN matches one of `logGroupArnPatterns` (the encryption-context condition AWS documents).
 */
export function cloudWatchLogsKeyStatement(
  region: string,
  logGroupArnPatterns: readonly string[],
): PolicyStatement {
  return {
    sid: "CloudWatchLogsUsesKeyForTheseLogGroups",
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    resources: ["*"],
    condition: [
      { test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [...logGroupArnPatterns] },
    ],
  };
}

/**
 * Key-policy statement letting principals of the account use the key through the given AWS
 * services (`kms:ViaService`, e.g. "ecr.eu-west-1.amazonaws.com"): what services that encrypt on
 * a caller's behalf need. Beside the account-root statement (which lets IAM policies grant any use
 * of the key) it restricts nothing; it names the intended path.
 */
export function viaServiceKeyStatement(
  sid: string,
  serviceEndpoints: readonly string[],
  accountId: string,
  partition: string,
): PolicyStatement {
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

/**
 * What a key administrator may do: manage, schedule deletion of and tag the key, but neither
 * encrypt nor decrypt with it (AWS's default key policy, "Allow access for Key Administrators").
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];

/** Key-policy statement for the roles that administer the key (and may not use it). */
export function keyAdministratorsStatement(administratorArns: readonly string[]): PolicyStatement {
  return {
    sid: "KeyAdministratorsManageButDoNotUseKey",
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: [...administratorArns] }],
    actions: KEY_ADMINISTRATION_ACTIONS,
    resources: ["*"],
  };
}

export interface KmsKeyOptions {
  /** Waiting period before a scheduled deletion, in days. */
  readonly deletionWindowInDays?: number;
  /** IAM roles that administer the key (manage, not use), named in its key policy. */
  readonly administratorArns?: readonly string[];
}

export const KMS_KEY_RULES: PropRules<KmsKeyOptions> = {
  administratorArns: {
    description:
      "IAM roles named in every key policy as key administrators: they may manage, rotate, tag and schedule deletion of the keys, not encrypt or decrypt. The account-root statement stays (AWS's default), so IAM policies of the account still decide the rest.",
    check: listOf(iamRoleArn, { max: 10, unique: true }),
    default: [],
  },
  deletionWindowInDays: {
    description: "Days a scheduled key deletion waits.",
    check: integerIn(7, 30, "days"),
    default: 30,
  },
};

/** Statements in the mutable shape cdktf's `aws_iam_policy_document` binding takes. */
export function forPolicyDocument(statements: readonly PolicyStatement[]) {
  return statements.map((s) => ({
    ...s,
    actions: [...s.actions],
    resources: s.resources && [...s.resources],
    principals: s.principals?.map((p) => ({ type: p.type, identifiers: [...p.identifiers] })),
    condition: s.condition?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
  }));
}
