import { Construct } from "constructs";
import { DataAwsEcrLifecyclePolicyDocument } from "@cdktf/provider-aws/lib/data-aws-ecr-lifecycle-policy-document";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { forPolicyDocument } from "./model/iam";
import { withGroupDefaults } from "./model/props";
import { ECR_MAX_IMAGES_PER_REPOSITORY, REGISTRY_RULES, crossAccountPullStatement } from "./model/registry";
import type { RegistryOptions } from "./model/registry";
import { acceptFindings } from "./support/accepted-findings";

export interface ContainerRegistryProps extends RegistryOptions {
  /** Customer-managed KMS key that encrypts the images (see `ecrKeyStatement`). */
  readonly kmsKeyArn: string;
  /** Project name: execution roles that may pull are named `<project>-<environment>-execution`. */
  readonly project: string;
  /** ARN partition (may be a token). */
  readonly partition: string;
}

/**
 * ECR repository with immutable tags, scan on push, KMS encryption and a lifecycle policy that
 * expires untagged images after N days and keeps the last M tagged images, never expiring
 * release images (protected tag patterns) by that count.
 */
export class ContainerRegistry extends Construct {
  public readonly repository: EcrRepository;
  public readonly lifecyclePolicy: EcrLifecyclePolicy;
  public readonly repositoryUrl: string;
  public readonly repositoryArn: string;

  private readonly props: ContainerRegistryProps;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    this.props = props;
    const { untaggedImageExpiryDays, taggedImagesToKeep, protectedTagPatterns, forceDelete } =
      withGroupDefaults({ rules: REGISTRY_RULES }, props) as Required<ContainerRegistryProps>;

    this.repository = new EcrRepository(this, "repository", {
      name: props.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
      forceDelete,
      tags: { Name: props.repositoryName },
    });
    if (protectedTagPatterns.length === 0) acceptFindings(this.repository, "noProtectedTags");
    this.repositoryUrl = this.repository.repositoryUrl;
    this.repositoryArn = this.repository.arn;

    const policy = new DataAwsEcrLifecyclePolicyDocument(this, "lifecycle_policy_document", {
      rule: [
        {
          priority: 1,
          description: `Expire untagged images after ${untaggedImageExpiryDays} days`,
          selection: [
            {
              tagStatus: "untagged",
              countType: "sinceImagePushed",
              countUnit: "days",
              countNumber: untaggedImageExpiryDays,
            },
          ],
          action: [{ type: "expire" }],
        },
        ...(protectedTagPatterns.length === 0
          ? []
          : [
              {
                priority: 2,
                description: `Keep release images (${protectedTagPatterns.join(", ")}): no lower rule may expire them`,
                selection: [
                  {
                    tagStatus: "tagged",
                    tagPatternList: [...protectedTagPatterns],
                    countType: "imageCountMoreThan",
                    countNumber: ECR_MAX_IMAGES_PER_REPOSITORY,
                  },
                ],
                action: [{ type: "expire" }],
              },
            ]),
        {
          priority: 3,
          description: `Keep the last ${taggedImagesToKeep} other tagged images`,
          selection: [
            {
              tagStatus: "tagged",
              tagPatternList: ["*"],
              countType: "imageCountMoreThan",
              countNumber: taggedImagesToKeep,
            },
          ],
          action: [{ type: "expire" }],
        },
      ],
    });
    this.lifecyclePolicy = new EcrLifecyclePolicy(this, "lifecycle_policy", {
      repository: this.repository.name,
      policy: policy.json,
    });
    this.addPullAccess(props.pullAccountIds ?? []);
  }

  /** A repository policy for environments in other accounts; none when all are in this one. */
  private addPullAccess(accountIds: readonly string[]): void {
    if (accountIds.length === 0) return;
    new EcrRepositoryPolicy(this, "repository_policy", {
      repository: this.repository.name,
      policy: new DataAwsIamPolicyDocument(this, "repository_policy_document", {
        statement: forPolicyDocument([
          crossAccountPullStatement(this.props.partition, accountIds, this.props.project),
        ]),
      }).json,
    });
  }
}
