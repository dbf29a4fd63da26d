/**
 * What counts as broad access in a task-role statement: whole services, resources as broad as
 * "*" (a wildcard where the name begins, any account or region), and actions that can escalate
 * privileges (beyond their narrow forms); and what key administrators may do.
 */
import {
  KEY_ADMINISTRATION_ACTIONS,
  broadResourcesOf,
  broadStatements,
  escalationActionsOf,
} from "../constructs/model/iam";
import type { ApplicationStatement } from "../constructs/model/iam";

const allow = (actions: string[], resources: string[], conditions?: ApplicationStatement["conditions"]) => ({
  actions,
  resources,
  ...(conditions === undefined ? {} : { conditions }),
});

describe("resources as broad as *", () => {
  test.each([
    "*",
    "arn:aws:iam::123456789012:role/*",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:*",
    "arn:aws:kms:eu-west-1:123456789012:key/*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::*/uploads",
    "arn:aws:iam::*:role/deploy",
    "arn:aws:dynamodb:*:123456789012:table/orders",
    "arn:aws:ssm:eu-west-1:123456789012:parameter/*",
  ])("%s is broad", (resource) => {
    expect(broadResourcesOf(allow(["s3:GetObject"], [resource]))).toEqual([resource]);
  });

  test.each([
    "arn:aws:s3:::orders-api-dev-assets/*",
    "arn:aws:s3:::orders-api-dev-assets",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-api-dev/db-*",
    "arn:aws:iam::123456789012:role/orders-api-dev-worker",
    "arn:aws:sqs:eu-west-1:123456789012:orders-*",
    "arn:aws:ssm:eu-west-1:123456789012:parameter/orders-api-dev/*",
  ])("%s is named", (resource) => {
    expect(broadResourcesOf(allow(["s3:GetObject"], [resource]))).toEqual([]);
  });
});

describe("actions that can escalate privileges", () => {
  const role = "arn:aws:iam::123456789012:role/orders-api-dev-worker";
  test.each<[string, ApplicationStatement, string[]]>([
    ["iam:PassRole on a named role without a condition", allow(["iam:PassRole"], [role]), ["iam:PassRole"]],
    [
      "a wildcard that covers IAM writes",
      allow(["iam:Put*"], [role]),
      [
        "iam:PutGroupPolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:PutRolePolicy",
        "iam:PutUserPermissionsBoundary",
        "iam:PutUserPolicy",
      ],
    ],
    [
      "kms:Create* (kms:CreateGrant)",
      allow(["kms:Create*"], ["arn:aws:kms:eu-west-1:123456789012:key/1234"]),
      ["kms:CreateGrant"],
    ],
    [
      "sts:AssumeRole on every role",
      allow(["sts:AssumeRole"], ["arn:aws:iam::123456789012:role/*"]),
      ["sts:AssumeRole"],
    ],
    ["attaching a policy to its own role", allow(["iam:AttachRolePolicy"], [role]), ["iam:AttachRolePolicy"]],
    [
      "a key policy write, in any case",
      allow(["KMS:putkeypolicy"], ["arn:aws:kms:eu-west-1:123456789012:key/1234"]),
      ["kms:PutKeyPolicy"],
    ],
  ])("%s", (_, statement, found) => {
    expect(escalationActionsOf(statement)).toEqual(found);
    expect(broadStatements([statement])).toEqual([statement]);
  });

  test.each<[string, ApplicationStatement]>([
    [
      "iam:PassRole on a named role to one service",
      allow(
        ["iam:PassRole"],
        [role],
        [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
      ),
    ],
    [
      "kms:CreateGrant for AWS resources on a named key",
      allow(
        ["kms:CreateGrant"],
        ["arn:aws:kms:eu-west-1:123456789012:key/1234"],
        [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
      ),
    ],
    [
      "sts:AssumeRole of a named role",
      allow(["sts:AssumeRole"], ["arn:aws:iam::210987654321:role/reporting-read"]),
    ],
    ["reading objects", allow(["s3:GetObject"], ["arn:aws:s3:::orders-api-dev-assets/*"])],
    ["a Deny of IAM writes", { effect: "Deny", actions: ["iam:*"], resources: ["*"] }],
  ])("%s passes", (_, statement) => {
    expect(escalationActionsOf(statement)).toEqual([]);
    expect(broadStatements([statement])).toEqual([]);
  });
});

test("key administrators manage keys but cannot use them, grant use or rewrite the key policy", () => {
  for (const action of [
    "kms:CreateGrant",
    "kms:PutKeyPolicy",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:ImportKeyMaterial",
  ]) {
    expect(KEY_ADMINISTRATION_ACTIONS).not.toContain(action);
  }
  expect(KEY_ADMINISTRATION_ACTIONS.every((a) => !a.includes("*"))).toBe(true);
  expect(KEY_ADMINISTRATION_ACTIONS).toEqual(
    expect.arrayContaining(["kms:ScheduleKeyDeletion", "kms:EnableKeyRotation", "kms:RevokeGrant"]),
  );
});
