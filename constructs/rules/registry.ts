/** The shared ECR repository's options, declared once. */
import { booleanValue, check, integerIn } from "./checks";
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

export interface RegistryOptions {
  readonly repositoryName: string;
  readonly untaggedImageExpiryDays?: number;
  readonly taggedImagesToKeep?: number;
  readonly forceDelete?: boolean;
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
  forceDelete: {
    description: "Let destroy delete the repository with its images.",
    check: booleanValue,
    default: false,
  },
};
