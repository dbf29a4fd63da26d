/** Policy rules: KMS and logs. */
import { APPLICATION_POLICY_NAME } from "../../../constructs/model/iam";
import type { Entry, PolicyRule, StackView } from "../stack-view";
import { asList, isTrue, logGroups, paths, rolePolicies, taskDefinitions } from "../stack-view";
import type { Block } from "../terraform-json";

/** Log groups the containers write through the awslogs driver (referenced by name). */
function containerLogGroups(s: StackView): Entry[] {
  const names = taskDefinitions(s).flatMap((td) =>
    s.containers(td).map((c) => String(c.logConfiguration?.options?.["awslogs-group"])),
  );
  return logGroups(s).filter((g) => names.includes(`\${aws_cloudwatch_log_group.${g.name}.name}`));
}

/** Log groups AWS writes about the environment: flow logs and WAF logs. */
function auditLogGroups(s: StackView): Entry[] {
  const destinations = [
    ...s.resources("aws_flow_log").map((f) => String(f.block.log_destination)),
    ...s
      .resources("aws_wafv2_web_acl_logging_configuration")
      .flatMap((l) => asList<string>(l.block.log_destination_configs)),
  ];
  return logGroups(s).filter((g) => destinations.includes(`\${aws_cloudwatch_log_group.${g.name}.arn}`));
}

const keyOf = (group: Entry) => String(group.block.kms_key_id ?? "");

/** The ECS Exec configuration of each cluster that has one. */
function execConfigurations(s: StackView): Array<{ cluster: Entry; config: Block }> {
  return s.resources("aws_ecs_cluster").flatMap((cluster) => {
    const config = asList<Block>(cluster.block.configuration)[0]?.execute_command_configuration as
      Block | undefined;
    return config === undefined ? [] : [{ cluster, config: asList<Block>(config)[0] as Block }];
  });
}

const CRYPTO_ACTIONS =
  /^kms:(\*|Encrypt|Decrypt|ReEncrypt|GenerateDataKey|Sign|Verify|GenerateMac|VerifyMac)/;

export const KMS_AND_LOG_RULES: readonly PolicyRule[] = [
  {
    ids: ["PROJECT-KMS-LOG-KEYS-BY-TRUST"],
    title:
      "no key encrypts both what the application writes (container logs) and what AWS records about it (flow and WAF logs)",
    violations: (s) => {
      const appKeys = new Set(containerLogGroups(s).map(keyOf));
      return paths(auditLogGroups(s).filter((g) => keyOf(g) !== "" && appKeys.has(keyOf(g))));
    },
  },
  {
    ids: ["PROJECT-ECS-EXEC-OWN-LOGS"],
    title:
      "ECS Exec sessions are logged to their own encrypted log group, with a key no container log group uses",
    violations: (s) => {
      const appGroups = containerLogGroups(s);
      return paths(
        execConfigurations(s)
          .filter(({ config }) => {
            const logging = asList<Block>(config.log_configuration)[0];
            const group = String(logging?.cloud_watch_log_group_name);
            const key = String(config.kms_key_id ?? "");
            return (
              config.logging !== "OVERRIDE" ||
              !isTrue(logging?.cloud_watch_encryption_enabled) ||
              key === "" ||
              appGroups.some(
                (g) => group === `\${aws_cloudwatch_log_group.${g.name}.name}` || keyOf(g) === key,
              )
            );
          })
          .map(({ cluster }) => cluster),
      );
    },
  },
  {
    ids: ["PROJECT-IAM-TASK-ROLE-SCOPE"],
    title:
      "the project's task-role permissions write no container log group and decrypt no key but the ECS Exec key and the key of a queue",
    violations: (s) => {
      const taskRoles = new Set(taskDefinitions(s).map((td) => String(td.block.task_role_arn)));
      const appGroups = containerLogGroups(s).map((g) => `aws_cloudwatch_log_group.${g.name}.`);
      const execKeys = execConfigurations(s).map(({ config }) => String(config.kms_key_id));
      // A worker reads its messages, which SQS encrypts under the queue's key.
      const queueKeys = s.resources("aws_sqs_queue").map((q) => String(q.block.kms_master_key_id));
      const usable = [...execKeys, ...queueKeys];
      return paths(
        rolePolicies(s)
          .filter((p) => taskRoles.has(String(p.block.role).replace(/\.id\}$/, ".arn}")))
          // The adopter's own statements (service.taskRoleStatements) are theirs to scope.
          .filter((p) => p.block.name !== APPLICATION_POLICY_NAME)
          .filter((p) =>
            s.statements(p.block.policy).some((st) => {
              const actions = asList<string>(st.actions);
              const resources = asList<string>(st.resources);
              const writesAppLogs =
                actions.some((a) => a.startsWith("logs:")) &&
                resources.some((r) => r === "*" || appGroups.some((g) => r.includes(g)));
              const decryptsOtherKeys =
                actions.some((a) => CRYPTO_ACTIONS.test(a)) && resources.some((r) => !usable.includes(r));
              return writesAppLogs || decryptsOtherKeys;
            }),
          ),
      );
    },
  },
  {
    ids: ["PROJECT-KMS-ADMINISTRATORS"],
    title:
      "key policies give named principals no cryptographic use of a key except through a service (kms:ViaService)",
    violations: (s) =>
      paths(
        s.resources("aws_kms_key").filter((k) =>
          s.statements(k.block.policy).some((st) => {
            const principals = asList<Block>(st.principals);
            const rootOnly = principals.every(
              (p) => p.type === "Service" || asList<string>(p.identifiers).every((i) => /:root$/.test(i)),
            );
            const viaService = asList<Block>(st.condition).some((c) => c.variable === "kms:ViaService");
            return (
              (st.effect ?? "Allow") === "Allow" &&
              !rootOnly &&
              !viaService &&
              asList<string>(st.actions).some((a) => CRYPTO_ACTIONS.test(a))
            );
          }),
        ),
      ),
  },
  {
    ids: ["CKV_AWS_7", "AWS-0065", "AwsSolutions-KMS5"],
    title: "KMS keys rotate",
    violations: (s) => paths(s.resources("aws_kms_key").filter((k) => !isTrue(k.block.enable_key_rotation))),
  },
  {
    ids: ["CKV2_AWS_64"],
    title: "KMS keys have an explicit key policy",
    violations: (s) => paths(s.resources("aws_kms_key").filter((k) => typeof k.block.policy !== "string")),
  },
  {
    ids: ["CKV_AWS_33"],
    title: "key policies name no wildcard principal without a condition",
    violations: (s) =>
      paths(
        s
          .resources("aws_kms_key")
          .filter((k) =>
            s
              .statements(k.block.policy)
              .some(
                (st) =>
                  (st.effect ?? "Allow") === "Allow" &&
                  asList(st.condition).length === 0 &&
                  asList<Block>(st.principals).some((p) => asList<string>(p.identifiers).includes("*")),
              ),
          ),
      ),
  },
  {
    ids: ["CKV_AWS_227"],
    title: "KMS keys are enabled and have a deletion window",
    violations: (s) =>
      paths(
        s
          .resources("aws_kms_key")
          .filter((k) => k.block.is_enabled === false || k.block.deletion_window_in_days === undefined),
      ),
  },
  {
    ids: ["CKV_AWS_158", "AWS-0017"],
    title: "log groups are encrypted with a customer-managed key",
    violations: (s) =>
      paths(logGroups(s).filter((g) => !String(g.block.kms_key_id ?? "").startsWith("${aws_kms_key."))),
  },
  {
    ids: ["CKV_AWS_66"],
    title: "log groups set a retention",
    violations: (s) => paths(logGroups(s).filter((g) => typeof g.block.retention_in_days !== "number")),
  },
  {
    ids: ["CKV_AWS_338"],
    title: "log groups keep logs at least a year",
    violations: (s) => paths(logGroups(s).filter((g) => (g.block.retention_in_days as number) < 365)),
  },
];
