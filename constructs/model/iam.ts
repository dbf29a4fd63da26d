/**
 * IAM and KMS policy statements as plain data: trust policies with confused-deputy guards, and
 * key-policy statements. Constructs put them into `aws_iam_policy_document` data sources, so
 * scanners and tests read them as structured data.
 */
import { iamRoleArn } from "./arns";
import { check, integerIn, listOf } from "./checks";
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
 * Key-policy statement letting an AWS service act for this account only (aws:SourceAccount: not
 * for another account's resources, the confused deputy).
 */
function sameAccountServiceKeyStatement(
  sid: string,
  service: string,
  actions: readonly string[],
  accountId: string,
): PolicyStatement {
  return {
    sid,
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [service] }],
    actions: [...actions],
    resources: ["*"],
    condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
  };
}

/** CloudWatch alarms of this account may publish to a topic encrypted with the key. */
export function cloudWatchAlarmsKeyStatement(accountId: string): PolicyStatement {
  return sameAccountServiceKeyStatement(
    "CloudWatchAlarmsPublishToEncryptedTopic",
    "cloudwatch.amazonaws.com",
    ["kms:Decrypt", "kms:GenerateDataKey*"],
    accountId,
  );
}

/**
 * EventBridge rules of this account may deliver to a queue encrypted with the key: a job's rule
 * that records its failed runs in its dead-letter queue.
 */
export function eventBridgeQueueKeyStatement(accountId: string): PolicyStatement {
  return sameAccountServiceKeyStatement(
    "EventBridgeDeliversToEncryptedQueues",
    "events.amazonaws.com",
    ["kms:Decrypt", "kms:GenerateDataKey"],
    accountId,
  );
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
 * What a key administrator may do: manage aliases, rotation, tags, state and deletion of the key,
 * and revoke grants. Named one by one, unlike AWS's default policy ("kms:Create*", "kms:Put*"),
 * which includes kms:CreateGrant and kms:PutKeyPolicy: with those an administrator could grant
 * itself Decrypt. Neither encrypt nor decrypt, nor importing key material.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:RotateKeyOnDemand",
  "kms:UpdateKeyDescription",
  "kms:RevokeGrant",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
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
      "IAM roles named in every key policy as key administrators: they may manage aliases, rotation, tags, state and deletion of the keys and revoke grants; not encrypt, decrypt, create grants or change the key policy. The account-root statement stays (AWS's default), so IAM policies of the account still decide the rest. A role of another account needs foreignKeyAdministratorsAcknowledged.",
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

/** Name of the task role's inline policy that holds service.taskRoleStatements. */
export const APPLICATION_POLICY_NAME = "application";

/** A statement of the application's own permissions, as a setting (task role). */
export interface ApplicationStatement {
  readonly sid?: string;
  readonly effect?: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: ReadonlyArray<{
    readonly test: string;
    readonly variable: string;
    readonly values: readonly string[];
  }>;
}

const IAM_ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
const IAM_RESOURCE = /^(\*|arn:(aws|aws-us-gov|aws-cn):[a-z0-9-]+:[a-z0-9-]*:(\d{12}|\*|):.+)$/;
const SID = /^[A-Za-z0-9]{1,100}$/;
const CONDITION_OPERATOR = /^(ForAllValues:|ForAnyValue:)?[A-Za-z]+(IfExists)?$/;

function isStringList(value: unknown, pattern: RegExp): value is string[] {
  return (
    Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" && pattern.test(v))
  );
}

/** Shape of one application statement; the wildcard policy is a separate check. */
export const applicationStatement = check(
  'a statement {"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::bucket/*"]} with optional "sid" (letters and digits), "effect" ("Allow" or "Deny") and "conditions" ([{"test", "variable", "values"}])',
  (v) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
    const s = v as Record<string, unknown>;
    const known = ["sid", "effect", "actions", "resources", "conditions"];
    if (Object.keys(s).some((k) => !known.includes(k))) return false;
    if (s.sid !== undefined && !(typeof s.sid === "string" && SID.test(s.sid))) return false;
    if (s.effect !== undefined && s.effect !== "Allow" && s.effect !== "Deny") return false;
    if (!isStringList(s.actions, IAM_ACTION) || !isStringList(s.resources, IAM_RESOURCE)) return false;
    return (
      s.conditions === undefined ||
      (Array.isArray(s.conditions) &&
        s.conditions.every(
          (c: unknown) =>
            typeof c === "object" &&
            c !== null &&
            typeof (c as Record<string, unknown>).test === "string" &&
            CONDITION_OPERATOR.test(String((c as Record<string, unknown>).test)) &&
            typeof (c as Record<string, unknown>).variable === "string" &&
            isStringList((c as Record<string, unknown>).values, /^[\s\S]+$/),
        ))
    );
  },
  {
    type: "object",
    additionalProperties: false,
    required: ["actions", "resources"],
    properties: {
      sid: { type: "string", pattern: SID.source },
      effect: { enum: ["Allow", "Deny"] },
      actions: { type: "array", minItems: 1, items: { type: "string", pattern: IAM_ACTION.source } },
      resources: { type: "array", minItems: 1, items: { type: "string", pattern: IAM_RESOURCE.source } },
      conditions: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["test", "variable", "values"],
          properties: {
            test: { type: "string" },
            variable: { type: "string" },
            values: { type: "array", minItems: 1, items: { type: "string" } },
          },
        },
      },
    },
  },
);

/** An IAM managed policy: AWS's own (account "aws") or one of an account. */
export const managedPolicyArn = check(
  "an IAM managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<path/name>)",
  (v) =>
    typeof v === "string" &&
    /^arn:(aws|aws-us-gov|aws-cn):iam::(aws|\d{12}):policy\/[\w+=,.@/-]{1,512}$/.test(v),
);

/** Whether a managed policy is AWS's own (AWS changes it; checkov CKV_AWS_274 and cdk-nag IAM4 flag it). */
export const isAwsManagedPolicy = (arn: string) => /^arn:[^:]+:iam::aws:policy\//.test(arn);

/**
 * Actions that let a principal raise its own privileges or act as another principal: Rhino
 * Security Labs' AWS privilege-escalation methods as Salesforce's cloudsplaining and DataDog's
 * pathfinding.cloud catalogue them (IAM writes on users, groups, roles and policies, iam:PassRole,
 * sts:AssumeRole), plus the writes that hand out a key or a resource (grants, key and resource
 * policies).
 */
export const ESCALATION_ACTIONS: readonly string[] = [
  "iam:AddUserToGroup",
  "iam:AttachGroupPolicy",
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:CreatePolicyVersion",
  "iam:CreateRole",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteUserPermissionsBoundary",
  "iam:PassRole",
  "iam:PutGroupPolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:PutUserPermissionsBoundary",
  "iam:PutUserPolicy",
  "iam:SetDefaultPolicyVersion",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateLoginProfile",
  "sts:AssumeRole",
  "kms:CreateGrant",
  "kms:PutKeyPolicy",
  "s3:PutBucketPolicy",
  "secretsmanager:PutResourcePolicy",
  "ecr:SetRepositoryPolicy",
  "lambda:AddPermission",
];

/** An IAM action pattern ("iam:Put*", "kms:Create?rant") as a case-insensitive regular expression. */
function actionPattern(action: string): RegExp {
  const body = action
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}

/**
 * The narrow forms of three escalation actions, which pass: on named resources only, iam:PassRole
 * with the condition iam:PassedToService, kms:CreateGrant with kms:GrantIsForAWSResource, and
 * sts:AssumeRole of named roles.
 */
const NARROW_FORMS: Readonly<Record<string, string | undefined>> = {
  "iam:PassRole": "iam:PassedToService",
  "kms:CreateGrant": "kms:GrantIsForAWSResource",
  "sts:AssumeRole": undefined,
};

const NARROW_HINTS: Readonly<Record<string, string>> = {
  "iam:PassRole": "iam:PassRole on a named role with the condition iam:PassedToService",
  "kms:CreateGrant": "kms:CreateGrant on a named key with the condition kms:GrantIsForAWSResource",
  "sts:AssumeRole": "sts:AssumeRole of a named role",
};

/** The escalation actions an Allow statement grants (through a wildcard too: "iam:*", "kms:Create*"). */
export function escalationActionsOf(statement: ApplicationStatement): string[] {
  if ((statement.effect ?? "Allow") !== "Allow") return [];
  const patterns = statement.actions.map(actionPattern);
  const named = broadResourcesOf(statement).length === 0;
  const narrow = (action: string) =>
    named &&
    action in NARROW_FORMS &&
    statement.actions.some((a) => a.toLowerCase() === action.toLowerCase()) &&
    (NARROW_FORMS[action] === undefined ||
      (statement.conditions ?? []).some(
        (c) => c.variable.toLowerCase() === NARROW_FORMS[action]?.toLowerCase(),
      ));
  return ESCALATION_ACTIONS.filter((action) => patterns.some((p) => p.test(action)) && !narrow(action));
}

/**
 * Resources of a statement that are as broad as "*": "*" itself, any account or region ("::*:"),
 * or a wildcard where the resource's name begins ("role/*", "secret:*", "key/*", "arn:aws:s3:::*").
 * A wildcard after a name ("arn:aws:s3:::assets/*", "secret:orders-api-prod/db-*") is narrow.
 */
export function broadResourcesOf(statement: ApplicationStatement): string[] {
  return statement.resources.filter((resource) => {
    if (resource === "*") return true;
    const parts = resource.split(":");
    if (parts.length < 6) return resource.includes("*");
    const [, , service = "", region = "", account = ""] = parts;
    if (service.includes("*") || region.includes("*") || account.includes("*")) return true;
    const name = parts.slice(5).join(":");
    // "bucket", "role/name", "secret:name", "key/id": the part after the resource type.
    const afterType = service === "s3" ? name : (/^[A-Za-z-]+[/:](.*)$/.exec(name)?.[1] ?? name);
    return afterType.startsWith("*") || afterType.startsWith("?");
  });
}

/** Whether an Allow statement grants every action of a service ("*", "s3:*"). */
const grantsWholeService = (s: ApplicationStatement) =>
  (s.effect ?? "Allow") === "Allow" && s.actions.some((a) => a === "*" || a.endsWith(":*"));

/** Allow statements granting every action of a service, a resource as broad as "*", or an escalation action. */
export function broadStatements(statements: readonly ApplicationStatement[]): ApplicationStatement[] {
  return statements.filter(
    (s) =>
      (s.effect ?? "Allow") === "Allow" &&
      (grantsWholeService(s) || broadResourcesOf(s).length > 0 || escalationActionsOf(s).length > 0),
  );
}

/** What makes a statement broad, in words, with the narrow form that would pass. */
export function broadAccessFindings(statement: ApplicationStatement): string {
  const found: string[] = [];
  const wholeService = statement.actions.filter((a) => a === "*" || a.endsWith(":*"));
  if (wholeService.length > 0) {
    found.push(`${wholeService.join(", ")} grants every action (name the actions the application calls)`);
  }
  const resources = broadResourcesOf(statement);
  if (resources.length > 0) {
    found.push(
      `${resources.join(", ")} is as broad as "*" (name the resource, e.g. arn:aws:s3:::<bucket>/*, arn:aws:secretsmanager:<region>:<account>:secret:<name>-*)`,
    );
  }
  const escalation = escalationActionsOf(statement);
  if (escalation.length > 0) {
    const hints = escalation.flatMap((action) => (action in NARROW_HINTS ? [NARROW_HINTS[action]] : []));
    found.push(
      `${escalation.join(", ")} can escalate privileges (drop ${escalation.length === 1 ? "it" : "them"}${hints.length > 0 ? `; what passes: ${hints.join(", ")}` : ""})`,
    );
  }
  return found.join("; ");
}

/** The application statements in the shape of `aws_iam_policy_document`. */
export function applicationPolicyStatements(statements: readonly ApplicationStatement[]): PolicyStatement[] {
  return statements.map((s) => ({
    ...(s.sid === undefined ? {} : { sid: s.sid }),
    effect: s.effect ?? "Allow",
    actions: s.actions,
    resources: s.resources,
    ...(s.conditions === undefined ? {} : { condition: s.conditions }),
  }));
}

/** Construct id of a managed-policy attachment, from the policy's account and name (stable). */
export function managedPolicyAttachmentId(arn: string): string {
  const [, account = "", name = ""] = /^arn:[^:]+:iam::([^:]+):policy\/(.+)$/.exec(arn) ?? [];
  return `task_role_managed_${account}_${name}`.replace(/[^A-Za-z0-9_]/g, "_");
}

/** A wildcard as tfsec/trivy read it: any "*", except an S3 object pattern ("arn:aws:s3:::bucket/*"). */
export function isWildcardResource(resource: string): boolean {
  return resource.includes("*") && !(resource.startsWith("arn:aws:s3") && resource.endsWith("/*"));
}

/** A statement with a wildcard action or resource (S3 object patterns such as bucket/* do not count). */
export function usesWildcard(statement: {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}): boolean {
  return (
    statement.actions.some((a) => a.includes("*")) || statement.resources.some((r) => isWildcardResource(r))
  );
}
