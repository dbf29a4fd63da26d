/** Policy rules: KMS and logs. */
import type { PolicyRule } from "../stack-view";
import { asList, isTrue, logGroups, paths } from "../stack-view";
import type { Block } from "../terraform-json";

export const KMS_AND_LOG_RULES: readonly PolicyRule[] = [
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
