import type { Construct } from "constructs";
import { Aspects, TerraformOutput } from "cdktf";
import { ContainerRegistry } from "../constructs/container-registry";
import { KmsKey } from "../constructs/kms-key";
import { viaServiceKeyStatement } from "../constructs/model/iam";
import { DestroyProtection } from "./destroy-protection";
import { ProjectStack } from "./project-stack";
import { REGISTRY_STACK_NAME } from "./config/settings";
import type { ProjectSettings } from "./config/settings";

export interface RegistryStackProps {
  readonly project: ProjectSettings;
}

/**
 * The ECR repository shared by every environment: images are built once and promoted by tag.
 * Environment stacks find it by name; deploy this stack first.
 */
export class RegistryStack extends ProjectStack {
  public readonly key: KmsKey;
  public readonly registry: ContainerRegistry;

  constructor(scope: Construct, props: RegistryStackProps) {
    const { project } = props;
    const settings = project.registry;
    super(scope, REGISTRY_STACK_NAME, {
      project: project.project,
      repository: project.repository,
      awsProviderVersion: project.awsProviderVersion,
      environment: REGISTRY_STACK_NAME,
      region: settings.region,
      accountId: settings.accountId,
      state: settings.state,
      tags: settings.tags,
    });

    this.key = new KmsKey(this, "ecr_key", {
      aliasName: `${this.namePrefix}/ecr`,
      description: `Encrypts the images of the ${settings.repositoryName} ECR repository`,
      accountId: this.accountId,
      partition: this.partition,
      administratorArns: settings.keyAdministratorArns,
      usageStatements: [
        viaServiceKeyStatement(
          "AccountUsesKeyThroughEcr",
          [`ecr.${this.region}.amazonaws.com`],
          this.accountId,
          this.partition,
        ),
        ...settings.pullAccountIds.map((account) =>
          viaServiceKeyStatement(
            `Account${account}PullsThroughEcr`,
            [`ecr.${this.region}.amazonaws.com`],
            account,
            this.partition,
          ),
        ),
      ],
    });
    this.registry = new ContainerRegistry(this, "registry", {
      repositoryName: settings.repositoryName,
      kmsKeyArn: this.key.keyArn,
      untaggedImageExpiryDays: settings.untaggedImageExpiryDays,
      taggedImagesToKeep: settings.taggedImagesToKeep,
      protectedTagPatterns: settings.protectedTagPatterns,
      forceDelete: settings.forceDelete,
      pullAccountIds: settings.pullAccountIds,
      project: project.project,
      partition: this.partition,
    });
    if (settings.destroyProtection) Aspects.of(this).add(new DestroyProtection(settings.destroyBreakGlass));

    new TerraformOutput(this, "repository_url", {
      value: this.registry.repositoryUrl,
      description: "URL to push images to: docker push <repository_url>:<git sha>.",
    });
    new TerraformOutput(this, "repository_name", {
      value: this.registry.repository.name,
      description: "Name of the ECR repository; environment stacks look it up by this name.",
    });
    new TerraformOutput(this, "repository_arn", {
      value: this.registry.repositoryArn,
      description: "ARN of the ECR repository, for CI push policies.",
    });
    new TerraformOutput(this, "kms_key_arn", {
      value: this.key.keyArn,
      description: "KMS key that encrypts the repository's images.",
    });
  }
}
