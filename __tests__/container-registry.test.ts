import "cdktf/lib/testing/adapters/jest";
import { ContainerRegistry } from "../constructs/container-registry";
import type { ContainerRegistryProps } from "../constructs/container-registry";
import { ECR_MAX_IMAGES_PER_REPOSITORY } from "../constructs/model/registry";
import { blockOf, dataSources, ref, synth, testStack } from "./support/synth";
import type { Block } from "./support/synth";
import { validate } from "./support/validate";
import { REGISTRY_RULES } from "../constructs/model/registry";

const BASE: ContainerRegistryProps = {
  repositoryName: "orders-api",
  kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ecr",
  project: "orders-api",
  partition: "aws",
};

function build(overrides: Partial<ContainerRegistryProps> = {}) {
  const stack = testStack();
  const registry = new ContainerRegistry(
    stack,
    "registry",
    validate("test/registry", { rules: REGISTRY_RULES }, { ...BASE, ...overrides }),
  );
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

  function lifecycleRules(overrides: Parameters<typeof build>[0]) {
    const { registry, json } = build(overrides);
    const policy = blockOf(json, registry.lifecyclePolicy);
    expect(policy.repository).toBe(ref(registry.repository, "name"));
    const name = /^\$\{data\.aws_ecr_lifecycle_policy_document\.([^.]+)\.json\}$/.exec(
      policy.policy,
    )?.[1] as string;
    return dataSources(json, "aws_ecr_lifecycle_policy_document")[name]?.rule as Block[];
  }

  test("expires untagged images after N days, keeps release images, and keeps the last M other tagged images", () => {
    expect(lifecycleRules({ untaggedImageExpiryDays: 7, taggedImagesToKeep: 30 })).toEqual([
      {
        priority: 1,
        description: "Expire untagged images after 7 days",
        selection: [
          { tag_status: "untagged", count_type: "sinceImagePushed", count_unit: "days", count_number: 7 },
        ],
        action: [{ type: "expire" }],
      },
      {
        // ECR never lets a lower-priority rule expire an image a higher one selected.
        priority: 2,
        description: "Keep release images (v*): no lower rule may expire them",
        selection: [
          {
            tag_status: "tagged",
            tag_pattern_list: ["v*"],
            count_type: "imageCountMoreThan",
            count_number: ECR_MAX_IMAGES_PER_REPOSITORY,
          },
        ],
        action: [{ type: "expire" }],
      },
      {
        priority: 3,
        description: "Keep the last 30 other tagged images",
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

  test("protects the release tag patterns given, or none with []", () => {
    const protecting = (rules: Block[]) =>
      rules.filter((r) => String(r.description).startsWith("Keep release"));
    expect(
      protecting(lifecycleRules({ protectedTagPatterns: ["release-*", "v*.*.*"] })).map(
        (r) => (r.selection as Block[])[0]?.tag_pattern_list,
      ),
    ).toEqual([["release-*", "v*.*.*"]]);
    expect(protecting(lifecycleRules({ protectedTagPatterns: [] }))).toEqual([]);
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
      "a release pattern that protects every tag",
      { protectedTagPatterns: ["*"] },
      /protectedTagPatterns\[0\]: got '\*'; allowed: an ECR tag pattern/,
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

  test("has no repository policy while every environment is in its own account", () => {
    const { json } = build();
    expect(json.resource?.aws_ecr_repository_policy).toBeUndefined();
  });

  test("lets the execution roles of the listed accounts pull, and nothing else", () => {
    const { json } = build({ pullAccountIds: ["210987654321", "345678901234"] });
    const [policy] = Object.values<Block>(json.resource?.aws_ecr_repository_policy ?? {});
    const [statement, ...others] = Object.values(dataSources(json, "aws_iam_policy_document")).find((d) =>
      JSON.stringify(d).includes("EnvironmentAccountsPull"),
    )?.statement as Block[];
    expect(others).toEqual([]);
    expect(policy?.policy).toMatch(/^\$\{data\.aws_iam_policy_document\./);
    expect(statement).toEqual({
      sid: "EnvironmentAccountsPull",
      effect: "Allow",
      principals: [
        { type: "AWS", identifiers: ["arn:aws:iam::210987654321:root", "arn:aws:iam::345678901234:root"] },
      ],
      actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
      condition: [
        {
          test: "ArnLike",
          variable: "aws:PrincipalArn",
          values: [
            "arn:aws:iam::210987654321:role/orders-api-*-execution",
            "arn:aws:iam::345678901234:role/orders-api-*-execution",
          ],
        },
      ],
    });
  });

  test("refuses an account id that is not 12 digits", () => {
    expect(() => build({ pullAccountIds: ["12345"] })).toThrow(/pullAccountIds\[0\]: got '12345'/);
  });
});
