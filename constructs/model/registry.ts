/** The shared ECR repository's options, declared once. */
import { awsAccountId } from "./aws-limits";
import { booleanValue, check, integerIn, listOf } from "./checks";
import type { PolicyStatement } from "./iam";
import type { PropRules } from "./props";

/** ECR repository names: 2-256 characters, lowercase, with `/`-separated path components. */
export const repositoryName = check(
  "an ECR repository name: 2-256 lowercase letters, digits and . _ - / separators, e.g. orders-api or team/orders-api",
  (v) =>
    typeof v === "string" &&
    v.length >= 2 &&
    v.length <= 256 &&
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(v),
);

/** An ECR lifecycle tag pattern: tag characters and up to four `*` wildcards, e.g. "v*". */
export const lifecycleTagPattern = check(
  'an ECR tag pattern of 1-128 letters, digits, . _ - and up to four "*" wildcards, e.g. "v*"',
  (v) =>
    typeof v === "string" &&
    v.length <= 128 &&
    /^[A-Za-z0-9._*-]+$/.test(v) &&
    v !== "*" &&
    (v.match(/\*/g) ?? []).length <= 4,
);

/**
 * An RE2 regular expression (Terraform's `regex()`) matching exactly the tags ECR's lifecycle
 * patterns select: `*` is any run of characters, everything else literal (`.` as `[.]`, so the
 * expression needs no backslash in HCL or JSON).
 */
export function tagPatternsRegex(patterns: readonly string[]): string {
  const one = (p: string) => p.replace(/\./g, "[.]").replace(/\*/g, ".*");
  return `^(?:${patterns.map(one).join("|")})$`;
}

/**
 * ECR's default quota of images per repository: a count-based rule keeping this many never
 * expires anything, which is how release tags are protected (an image a rule selects cannot be
 * expired by a rule of lower priority).
 */
export const ECR_MAX_IMAGES_PER_REPOSITORY = 20000;

export interface RegistryOptions {
  /** Repository name, e.g. "orders-api". */
  readonly repositoryName: string;
  /**
   * Days after which untagged images (leftovers of re-tagged or failed pushes) expire.
   *
   * @default 14
   */
  readonly untaggedImageExpiryDays?: number;
  /**
   * How many tagged images to keep; older ones expire.
   *
   * @default 100
   */
  readonly taggedImagesToKeep?: number;
  /**
   * Tag patterns of release images that the keep-the-last-N rule never expires.
   *
   * @default ["v*"]
   */
  readonly protectedTagPatterns?: readonly string[];
  /**
   * Whether `terraform destroy` may delete the repository while it still holds images.
   *
   * @default false
   */
  readonly forceDelete?: boolean;
  /**
   * Other accounts whose environments pull images: their execution roles get pull access.
   *
   * @default []
   */
  readonly pullAccountIds?: readonly string[];
}

export const REGISTRY_RULES: PropRules<RegistryOptions> = {
  repositoryName: { description: "ECR repository name (default: the project name).", check: repositoryName },
  untaggedImageExpiryDays: {
    description: "Days after which untagged images expire.",
    check: integerIn(1, 3650, "days"),
    default: 14,
  },
  taggedImagesToKeep: {
    description: "How many tagged images the lifecycle policy keeps.",
    check: integerIn(1, 10000, "images"),
    default: 100,
  },
  protectedTagPatterns: {
    description:
      "Tags of release images the keep-the-last-N rule never expires (a running environment may still use them); [] protects none.",
    check: listOf(lifecycleTagPattern, { max: 10, unique: true }),
    default: ["v*"],
  },
  forceDelete: {
    description: "Let destroy delete the repository with its images.",
    check: booleanValue,
    default: false,
  },
  pullAccountIds: {
    description:
      "Other AWS accounts whose environments pull from this repository: its policy lets their ECS execution roles pull (and ECR decrypt the images for them), nothing else.",
    check: listOf(awsAccountId, { max: 50, unique: true }),
    default: [],
  },
};

/** Execution roles of the project's environments are named `<project>-<environment>-execution`. */
export function executionRolePattern(partition: string, accountId: string, project: string): string {
  return `arn:${partition}:iam::${accountId}:role/${project}-*-execution`;
}

/** Repository policy statement: the listed accounts' execution roles may pull, nothing more. */
export function crossAccountPullStatement(
  partition: string,
  accountIds: readonly string[],
  project: string,
): PolicyStatement {
  return {
    sid: "EnvironmentAccountsPull",
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: accountIds.map((a) => `arn:${partition}:iam::${a}:root`) }],
    actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
    condition: [
      {
        test: "ArnLike",
        variable: "aws:PrincipalArn",
        values: accountIds.map((a) => executionRolePattern(partition, a, project)),
      },
    ],
  };
}

/** Where an environment finds the repository when the registry is in another account. */
export function crossAccountRepository(
  partition: string,
  region: string,
  accountId: string,
  repositoryName: string,
): { arn: string; url: string } {
  const domain = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return {
    arn: `arn:${partition}:ecr:${region}:${accountId}:repository/${repositoryName}`,
    url: `${accountId}.dkr.ecr.${region}.${domain}/${repositoryName}`,
  };
}
