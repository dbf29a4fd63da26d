import type { Network } from "../constructs/network";
import "cdktf/lib/testing/adapters/jest";
import { blockOf, dataSources, ref, resources } from "./support/synth";
import type { Block } from "./support/synth";
import { decodeJsonencode } from "../.ci/policy/hcl-expression";
import { build, writeConfig } from "./support/environment-stack";

describe("EnvironmentStack keys", () => {
  const prod = build("prod");

  test("encrypts container logs with the logs key, and flow and WAF logs with the audit-logs key", () => {
    const keyOf = (group: object) => blockOf(prod.json, group as never).kms_key_id;
    expect(keyOf(prod.stack.serviceTier.service.logGroup)).toBe(ref(prod.stack.keys.logs.key, "arn"));
    expect(keyOf((prod.stack.networkTier.network as Network).flowLogGroup)).toBe(
      ref(prod.stack.keys.auditLogs.key, "arn"),
    );
    expect(keyOf(prod.stack.edgeTier.webAcl?.logGroup as object)).toBe(
      ref(prod.stack.keys.auditLogs.key, "arn"),
    );
    expect(prod.stack.serviceTier.execKey).toBeUndefined();
  });

  test("with ECS Exec, logs sessions to their own group and key, the only key the task role may decrypt", () => {
    const { stack, json } = build("dev", {}, { service: { enableExecuteCommand: true } });
    const execKey = ref(stack.serviceTier.execKey?.key as never, "arn");
    const execGroup = stack.serviceTier.service.execLogGroup as never;
    expect(blockOf(json, execGroup)).toMatchObject({
      name: "/ecs-exec/orders-api-dev/api",
      kms_key_id: execKey,
    });
    expect(
      blockOf(json, stack.serviceTier.service.cluster).configuration.execute_command_configuration,
    ).toEqual({
      kms_key_id: execKey,
      logging: "OVERRIDE",
      log_configuration: {
        cloud_watch_encryption_enabled: true,
        cloud_watch_log_group_name: ref(execGroup, "name"),
      },
    });
    const taskPolicy = Object.values(dataSources(json, "aws_iam_policy_document")).find((d) =>
      (d.statement as Block[]).some((st) => st.sid === "EcsExecSessionLogs"),
    ) as Block;
    const resourcesOf = (sid: string) =>
      (taskPolicy.statement as Block[]).find((st) => st.sid === sid)?.resources;
    expect(resourcesOf("EcsExecSessionEncryption")).toEqual([execKey]);
    expect(resourcesOf("EcsExecSessionLogs")).toEqual([`${ref(execGroup, "arn")}:*`]);
  });

  test("names the key administrators in every key policy, without cryptographic use", () => {
    const admin = "arn:aws:iam::123456789012:role/platform-key-admin";
    const { json } = build("dev", {}, { keyAdministratorArns: [admin] });
    const keys = Object.values(resources(json, "aws_kms_key"));
    // logs, audit logs, secrets, data and the queues' key (the example has a worker and a job).
    expect(keys).toHaveLength(5);
    for (const key of keys) {
      const name = /data\.aws_iam_policy_document\.([^.]+)\./.exec(String(key.policy))?.[1] as string;
      const statements = dataSources(json, "aws_iam_policy_document")[name]?.statement as Block[];
      const adminStatement = statements.find((st) => JSON.stringify(st.principals).includes(admin));
      expect(adminStatement?.actions).toContain("kms:ScheduleKeyDeletion");
      expect(
        adminStatement?.actions.some((a: string) => /Decrypt|Encrypt|GenerateDataKey|kms:\*/.test(a)),
      ).toBe(false);
    }
  });
});

describe("EnvironmentStack with the registry in another account", () => {
  test("addresses the repository by ARN and URL instead of looking it up, and pulls only from it", () => {
    const env = {
      STACK_CONFIG_FILE: writeConfig({
        registry: { accountId: "111111111111", pullAccountIds: ["123456789012"] },
        prod: { accountId: "123456789012" },
      }),
    };
    const { stack, json } = build("prod", env);
    expect(json.data?.aws_ecr_repository).toBeUndefined();
    const [container] = decodeJsonencode(
      blockOf(json, stack.serviceTier.service.taskDefinition).container_definitions,
    ) as Block[];
    expect(container?.image).toBe("111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders-api:${var.image_tag}");
    const pull = Object.values(dataSources(json, "aws_iam_policy_document"))
      .flatMap((d) => d.statement as Block[])
      .find((st) => st.sid === "PullFromThisRepository");
    expect(pull?.resources).toEqual(["arn:aws:ecr:eu-west-1:111111111111:repository/orders-api"]);
  });
});
