/** Policy rules: ACM. */
import type { PolicyRule } from "../stack-view";
import { asList, isTrue, paths } from "../stack-view";

export const ACM_RULES: readonly PolicyRule[] = [
  {
    ids: ["CKV_AWS_233"],
    title: "certificates are replaced create-before-destroy",
    violations: (s) =>
      paths(
        s.resources("aws_acm_certificate").filter((c) => !isTrue(c.block.lifecycle?.create_before_destroy)),
      ),
  },
  {
    ids: ["CKV_AWS_234"],
    title: "certificate transparency logging is not disabled",
    violations: (s) =>
      paths(
        s
          .resources("aws_acm_certificate")
          .filter((c) => c.block.options?.certificate_transparency_logging_preference === "DISABLED"),
      ),
  },
  {
    ids: ["CKV2_AWS_71"],
    title: "certificates are not wildcard certificates",
    violations: (s) =>
      paths(
        s
          .resources("aws_acm_certificate")
          .filter((c) =>
            [c.block.domain_name, ...asList<string>(c.block.subject_alternative_names)].some((n) =>
              String(n).includes("*"),
            ),
          ),
      ),
  },
];
