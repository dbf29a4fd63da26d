/** Policy rules: IAM. */
import { isAwsManagedPolicy } from "../../../constructs/model/iam";
import type { PolicyRule } from "../stack-view";
import {
  asList,
  paths,
  policyDocuments,
  rolePolicies,
  roles,
  taskDefinitions,
  unconstrainedStatements,
  wildcardStatements,
} from "../stack-view";
import type { Block } from "../terraform-json";

export const IAM_RULES: readonly PolicyRule[] = [
  {
    ids: ["CKV_AWS_60", "CKV_AWS_61"],
    title: "trust policies name a service, never a wildcard or a whole account",
    violations: (s) =>
      paths(
        roles(s).filter((role) =>
          s
            .statements(role.block.assume_role_policy)
            .some((st) =>
              asList<Block>(st.principals).some(
                (p) => p.type !== "Service" || asList<string>(p.identifiers).includes("*"),
              ),
            ),
        ),
      ),
  },
  {
    ids: ["PROJECT-IAM-CONFUSED-DEPUTY"],
    title: "trust policies carry an aws:SourceAccount condition",
    violations: (s) =>
      paths(
        roles(s).filter((role) =>
          s
            .statements(role.block.assume_role_policy)
            .some(
              (st) =>
                !asList<Block>(st.condition).some(
                  (c) => c.variable === "aws:SourceAccount" && c.test === "StringEquals",
                ),
            ),
        ),
      ),
  },
  {
    ids: ["CKV_AWS_274", "CKV2_AWS_56"],
    title: "no role has AdministratorAccess or IAMFullAccess",
    violations: (s) =>
      paths(
        s
          .resources("aws_iam_role_policy_attachment")
          .filter((a) => /:policy\/(AdministratorAccess|IAMFullAccess)$/.test(String(a.block.policy_arn))),
      ),
  },
  {
    ids: ["AwsSolutions-IAM4"],
    title: "no AWS-managed policy (which AWS changes without notice) is attached to a role",
    violations: (s) =>
      paths([
        ...s
          .resources("aws_iam_role_policy_attachment")
          .filter(
            (a) =>
              !String(a.block.policy_arn).startsWith("arn:") ||
              isAwsManagedPolicy(String(a.block.policy_arn)),
          ),
        ...roles(s).filter((r) => asList(r.block.managed_policy_arns).length > 0),
      ]),
  },
  {
    ids: ["CKV_AWS_62", "CKV_AWS_63", "CKV2_AWS_40", "CKV_AWS_1", "CKV_AWS_49"],
    title: "no policy allows every action or every IAM action",
    violations: (s) =>
      paths(
        policyDocuments(s).filter((d) =>
          asList<Block>(d.block.statement).some(
            (st) =>
              (st.effect ?? "Allow") === "Allow" &&
              asList<string>(st.actions).some((a) => a === "*" || a === "iam:*"),
          ),
        ),
      ),
  },
  {
    // checkov runs these data-source checks on every policy document, key policies included.
    ids: ["CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"],
    title: "no policy document allows restrictable actions on Resource * without a condition",
    violations: (s) => paths(policyDocuments(s).filter((d) => unconstrainedStatements(d).length > 0)),
  },
  {
    ids: ["CKV_AWS_355", "AwsSolutions-IAM5"],
    title: "no role policy allows restrictable actions on Resource * without a condition",
    violations: (s) =>
      paths(
        rolePolicies(s).filter((p) => {
          const document = s.referenced(p.block.policy);
          return document !== undefined && unconstrainedStatements(document).length > 0;
        }),
      ),
  },
  {
    // tfsec and trivy read the documents attached to roles; any "*" counts, ARN patterns included.
    ids: ["AWS-0057"],
    title: "role policies name actions and resources without wildcards (except actions IAM cannot scope)",
    violations: (s) =>
      paths(
        rolePolicies(s)
          .map((p) => s.referenced(p.block.policy))
          .filter((d): d is NonNullable<typeof d> => d !== undefined)
          .filter((d) => wildcardStatements(d).length > 0),
      ),
  },
  {
    ids: ["CKV_AWS_249"],
    title: "task definitions use distinct execution and task roles",
    violations: (s) =>
      paths(
        taskDefinitions(s).filter(
          (td) => !td.block.task_role_arn || td.block.execution_role_arn === td.block.task_role_arn,
        ),
      ),
  },
];
