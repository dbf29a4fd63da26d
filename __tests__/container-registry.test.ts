import "cdktf/lib/testing/adapters/jest";
import { ContainerRegistry } from "../constructs/container-registry";
import type { ContainerRegistryProps } from "../constructs/container-registry";
import { blockOf, dataSources, ref, synth, testStack } from "./support/synth";

const BASE: ContainerRegistryProps = {
  repositoryName: "orders-api",
  kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ecr",
};

function build(overrides: Partial<ContainerRegistryProps> = {}) {
  const stack = testStack();
  const registry = new ContainerRegistry(stack, "registry", { ...BASE, ...overrides });
  return { registry, json: synth(stack) };
}

describe("ContainerRegistry", () => {
  test("creates an immutable, scanned, KMS-encrypted repository that destroy will not empty", () => {
    const { registry, json } = build();
    expect(blockOf(json, registry.repository)).toMatchObject({
      name: "orders-api",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: BASE.kmsKeyArn }],
      force_delete: false,
    });
  });

  test("expires untagged images after N days and keeps the last M tagged images", () => {
    const { registry, json } = build({ untaggedImageExpiryDays: 7, taggedImagesToKeep: 30 });
    const policy = blockOf(json, registry.lifecyclePolicy);
    expect(policy.repository).toBe(ref(registry.repository, "name"));
    const name = /^\$\{data\.aws_ecr_lifecycle_policy_document\.([^.]+)\.json\}$/.exec(
      policy.policy,
    )?.[1] as string;
    expect(dataSources(json, "aws_ecr_lifecycle_policy_document")[name]?.rule).toEqual([
      {
        priority: 1,
        description: "Expire untagged images after 7 days",
        selection: [
          { tag_status: "untagged", count_type: "sinceImagePushed", count_unit: "days", count_number: 7 },
        ],
        action: [{ type: "expire" }],
      },
      {
        priority: 2,
        description: "Keep the last 30 tagged images",
        selection: [
          {
            tag_status: "tagged",
            tag_pattern_list: ["*"],
            count_type: "imageCountMoreThan",
            count_number: 30,
          },
        ],
        action: [{ type: "expire" }],
      },
    ]);
  });

  test.each<[string, Partial<ContainerRegistryProps>, RegExp]>([
    [
      "an uppercase name",
      { repositoryName: "Orders" },
      /repositoryName: got 'Orders'; allowed: an ECR repository name/,
    ],
    [
      "zero expiry days",
      { untaggedImageExpiryDays: 0 },
      /untaggedImageExpiryDays: got 0; allowed: an integer from 1 to 3650 days/,
    ],
    [
      "keeping no tagged image",
      { taggedImagesToKeep: 0 },
      /taggedImagesToKeep: got 0; allowed: an integer from 1 to 10000 images/,
    ],
    ["a fractional count", { taggedImagesToKeep: 2.5 }, /taggedImagesToKeep: got 2\.5/],
  ])("fails on %s", (_, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
