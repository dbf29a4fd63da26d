import "cdktf/lib/testing/adapters/jest";
import { KmsKey } from "../constructs/kms-key";
import { KMS_KEY_RULES, cloudWatchLogsKeyStatement, viaServiceKeyStatement } from "../constructs/model/iam";
import { validate } from "./support/validate";
import { blockOf, only, policyDocument, synth, testStack } from "./support/synth";

describe("KmsKey", () => {
  test("rotates yearly, names itself with an alias and writes an explicit key policy", () => {
    const stack = testStack();
    const key = new KmsKey(stack, "logs_key", {
      aliasName: "api-test/logs",
      description: "logs",
      accountId: "123456789012",
      partition: "aws",
      usageStatements: [
        cloudWatchLogsKeyStatement("eu-west-1", ["arn:aws:logs:eu-west-1:123456789012:log-group:/x/*"]),
      ],
    });
    const json = synth(stack);
    const block = blockOf(json, key.key);
    expect(block).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(only(json, "aws_kms_alias")).toMatchObject({ name: "alias/api-test/logs" });
    const statements = policyDocument(json, block.policy).statement;
    expect(statements).toEqual([
      expect.objectContaining({
        principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }],
      }),
      expect.objectContaining({
        principals: [{ type: "Service", identifiers: ["logs.eu-west-1.amazonaws.com"] }],
        condition: [
          {
            test: "ArnLike",
            variable: "kms:EncryptionContext:aws:logs:arn",
            values: ["arn:aws:logs:eu-west-1:123456789012:log-group:/x/*"],
          },
        ],
      }),
    ]);
    for (const statement of statements) expect(statement.principals[0].identifiers).not.toContain("*");
  });

  test("its rules refuse a deletion window KMS does not allow", () => {
    expect(() => validate("test/k", { rules: KMS_KEY_RULES }, { deletionWindowInDays: 3 })).toThrow(
      /deletionWindowInDays: got 3; allowed: an integer from 7 to 30 days/,
    );
  });

  test("a via-service statement lets the account use the key only through those services", () => {
    expect(
      viaServiceKeyStatement("Ecr", ["ecr.eu-west-1.amazonaws.com"], "123456789012", "aws"),
    ).toMatchObject({
      sid: "Ecr",
      principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }],
      condition: [
        { test: "StringEquals", variable: "kms:ViaService", values: ["ecr.eu-west-1.amazonaws.com"] },
        { test: "StringEquals", variable: "kms:CallerAccount", values: ["123456789012"] },
      ],
    });
  });
});
