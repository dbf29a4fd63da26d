/** Policy rules: ECR. */
import type { PolicyRule } from "../stack-view";
import { asList, isTrue, paths } from "../stack-view";
import type { Entry, StackView } from "../stack-view";
import type { Block } from "../terraform-json";
import { ECR_MAX_IMAGES_PER_REPOSITORY } from "../../../constructs/model/registry";

/** The lifecycle-policy rules of each repository, by repository entry. */
function lifecycleRules(s: StackView, repo: Entry): Block[] {
  const policy = s
    .resources("aws_ecr_lifecycle_policy")
    .find((p) => p.block.repository === `\${aws_ecr_repository.${repo.name}.name}`);
  return asList<Block>(s.referenced(policy?.block.policy)?.block.rule);
}

/** A rule that keeps tagged images of these patterns beyond any count the repository can reach. */
const protectsReleases = (rule: Block) =>
  asList<Block>(rule.selection).some(
    (sel) =>
      sel.tag_status === "tagged" &&
      asList<string>(sel.tag_pattern_list).length > 0 &&
      !asList<string>(sel.tag_pattern_list).includes("*") &&
      sel.count_type === "imageCountMoreThan" &&
      Number(sel.count_number) >= ECR_MAX_IMAGES_PER_REPOSITORY,
  );

export const ECR_RULES: readonly PolicyRule[] = [
  {
    ids: ["CKV_AWS_51", "AWS-0031"],
    title: "repositories have immutable tags",
    violations: (s) =>
      paths(s.resources("aws_ecr_repository").filter((r) => r.block.image_tag_mutability !== "IMMUTABLE")),
  },
  {
    ids: ["CKV_AWS_163", "AWS-0030"],
    title: "repositories scan images on push",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecr_repository")
          .filter((r) => !isTrue(r.block.image_scanning_configuration?.scan_on_push)),
      ),
  },
  {
    ids: ["CKV_AWS_136", "AWS-0033"],
    title: "repositories are encrypted with a customer-managed KMS key",
    violations: (s) =>
      paths(
        s.resources("aws_ecr_repository").filter((r) => {
          const config = asList<Block>(r.block.encryption_configuration)[0];
          return (
            config?.encryption_type !== "KMS" || !String(config.kms_key ?? "").startsWith("${aws_kms_key.")
          );
        }),
      ),
  },
  {
    ids: ["CKV_AWS_32", "AWS-0032", "AwsSolutions-ECR1"],
    title: "no repository policy grants a wildcard principal",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecr_repository_policy")
          .filter((p) =>
            s
              .statements(p.block.policy)
              .some((st) =>
                asList<Block>(st.principals).some((pr) => asList<string>(pr.identifiers).includes("*")),
              ),
          ),
      ),
  },
  {
    ids: ["ECR.3", "CT.ECR.PR.1"],
    title: "every repository has a lifecycle policy that expires untagged images and caps tagged ones",
    violations: (s) =>
      paths(
        s.resources("aws_ecr_repository").filter((repo) => {
          const rules = lifecycleRules(s, repo);
          const selections = rules.flatMap((r) => asList<Block>(r.selection));
          return !(
            selections.some(
              (sel) => sel.tag_status === "untagged" && sel.count_type === "sinceImagePushed",
            ) &&
            selections.some((sel) => sel.tag_status === "tagged" && sel.count_type === "imageCountMoreThan")
          );
        }),
      ),
  },
  {
    ids: ["PROJECT-ECR-RELEASE-TAGS"],
    title:
      "release images (protected tag patterns) are kept by a rule that comes before any count-based expiry of tagged images",
    violations: (s) =>
      paths(
        s.resources("aws_ecr_repository").filter((repo) => {
          const rules = lifecycleRules(s, repo);
          const firstProtecting = Math.min(...rules.filter(protectsReleases).map((r) => Number(r.priority)));
          return (
            rules.some(
              (rule) =>
                Number(rule.priority) < firstProtecting &&
                asList<Block>(rule.selection).some(
                  (sel) => sel.tag_status !== "untagged" && sel.count_type === "imageCountMoreThan",
                ),
            ) || !Number.isFinite(firstProtecting)
          );
        }),
      ),
  },
];
