/** FargateService: its two roles, least privilege, and ECS Exec. */
import "cdktf/lib/testing/adapters/jest";

import { blockOf, policyDocument, ref } from "./support/synth";
import type { Block } from "./support/synth";
import {
  JSON_KEY_SECRET,
  KEY_ARN,
  PARAMETER_ARN,
  PARTIAL_SECRET_ARN,
  REPO_ARN,
  SECRET_ARN,
  build,
  roleStatements,
} from "./support/fargate-service";

describe("FargateService", () => {
  describe("IAM", () => {
    test("trusts only ECS tasks of this account for both roles", () => {
      const { service, json } = build();
      for (const role of [service.executionRole, service.taskRole]) {
        const trust = policyDocument(json, blockOf(json, role).assume_role_policy as string);
        expect(trust.statement).toEqual([
          expect.objectContaining({
            actions: ["sts:AssumeRole"],
            principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
            condition: [
              { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
              {
                test: "ArnLike",
                variable: "aws:SourceArn",
                values: ["arn:aws:ecs:eu-west-1:123456789012:*"],
              },
            ],
          }),
        ]);
      }
    });

    test("lets the execution role pull from this repository, write this log group, and nothing else by default", () => {
      const { service, json } = build();
      const statements = roleStatements(json, ref(service.executionRole));
      expect(statements.map((s) => [s.actions, s.resources])).toEqual([
        [["ecr:GetAuthorizationToken"], ["*"]],
        [["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], [REPO_ARN]],
        [["logs:CreateLogStream", "logs:PutLogEvents"], [`${ref(service.logGroup, "arn")}:*`]],
      ]);
    });

    test("grants exactly the configured secrets, parameters and keys", () => {
      const { service, json } = build({
        secrets: {
          DB_PASSWORD: SECRET_ARN,
          API_KEY: PARTIAL_SECRET_ARN,
          SIGNING: JSON_KEY_SECRET,
          FLAGS: PARAMETER_ARN,
        },
        secretsKmsKeyArns: [KEY_ARN],
      });
      const statements = roleStatements(json, ref(service.executionRole));
      const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
      expect(bySid.ReadConfiguredSecrets).toMatchObject({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [
          SECRET_ARN,
          `${PARTIAL_SECRET_ARN}-??????`,
          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/keys-XyZ789",
        ],
      });
      expect(bySid.ReadConfiguredParameters).toMatchObject({
        actions: ["ssm:GetParameters"],
        resources: [PARAMETER_ARN],
      });
      expect(bySid.DecryptSecretsThroughTheirServices).toMatchObject({
        actions: ["kms:Decrypt"],
        resources: [KEY_ARN],
        condition: [
          {
            test: "StringEquals",
            variable: "kms:ViaService",
            values: ["secretsmanager.eu-west-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com"],
          },
        ],
      });
    });

    test("never allows every action, and uses Resource * only where the API allows nothing narrower", () => {
      const { json } = build({ secrets: { DB_PASSWORD: SECRET_ARN }, enableExecuteCommand: true });
      const needsStar = new Set([
        "ecr:GetAuthorizationToken",
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ]);
      for (const doc of Object.values(json.data?.aws_iam_policy_document ?? {})) {
        for (const statement of doc.statement as Block[]) {
          for (const action of statement.actions as string[]) expect(action).not.toMatch(/^\*$|:\*$/);
          if ((statement.resources ?? []).includes("*")) {
            (statement.actions as string[]).forEach((a) => expect([a, needsStar.has(a)]).toEqual([a, true]));
          }
        }
      }
    });

    test("gives the task role no permissions by default", () => {
      const { service, json } = build();
      expect(roleStatements(json, ref(service.taskRole))).toEqual([]);
    });
  });

  describe("ECS Exec", () => {
    test("is off by default", () => {
      const { serviceBlock, container } = build();
      expect(serviceBlock.enable_execute_command).toBe(false);
      expect(container.readonlyRootFilesystem).toBe(true);
    });

    test("when on, adds the ssmmessages permissions to the task role and relaxes the read-only root filesystem", () => {
      const { service, json, serviceBlock, container } = build({ enableExecuteCommand: true });
      expect(serviceBlock.enable_execute_command).toBe(true);
      expect(container.readonlyRootFilesystem).toBe(false);
      const actions = roleStatements(json, ref(service.taskRole)).flatMap((s) => s.actions as string[]);
      expect(actions).toEqual(
        expect.arrayContaining(["ssmmessages:CreateControlChannel", "ssmmessages:OpenDataChannel"]),
      );
      expect(blockOf(json, service.cluster).configuration.execute_command_configuration).toMatchObject({
        logging: "OVERRIDE",
        log_configuration: { cloud_watch_encryption_enabled: false },
      });
    });

    test("logs sessions to their own group with the exec key, which is all the task role may decrypt", () => {
      const execKmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/exec";
      const { service, json } = build({ enableExecuteCommand: true, execKmsKeyArn });
      const execGroup = service.execLogGroup as never;
      expect(blockOf(json, execGroup)).toMatchObject({ kms_key_id: execKmsKeyArn });
      expect(blockOf(json, service.cluster).configuration.execute_command_configuration).toEqual({
        kms_key_id: execKmsKeyArn,
        logging: "OVERRIDE",
        log_configuration: {
          cloud_watch_encryption_enabled: true,
          cloud_watch_log_group_name: ref(execGroup, "name"),
        },
      });
      const statements = roleStatements(json, ref(service.taskRole));
      const kmsResources = statements.filter((s) =>
        (s.actions as string[]).some((a) => a.startsWith("kms:")),
      );
      expect(kmsResources.flatMap((s) => s.resources)).toEqual([execKmsKeyArn]);
      const logResources = statements
        .filter((s) => (s.actions as string[]).some((a) => a.startsWith("logs:")))
        .flatMap((s) => s.resources as string[]);
      expect(logResources.every((r) => r.startsWith(ref(execGroup, "arn")))).toBe(true);
      expect(logResources.some((r) => r.includes(ref(service.logGroup, "arn").slice(2, -6)))).toBe(false);
    });
  });
});
