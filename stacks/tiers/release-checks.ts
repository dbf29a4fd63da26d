/**
 * Plan-time checks of what a release needs, so that a plan fails within seconds instead of tasks
 * failing to start ten minutes into a rollout: the image tag exists in the repository, and every
 * Secrets Manager secret in service.secrets exists. Data sources keyed by the value, so Terraform's
 * error names the missing tag or variable; a secret is read by its metadata only, so no value
 * reaches the state. SSM parameters are not checked: their data source stores the value.
 */
import type { Construct } from "constructs";
import { TerraformIterator, Token } from "cdktf";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsEcrImage } from "@cdktf/provider-aws/lib/data-aws-ecr-image";
import { DataAwsSecretsmanagerSecret } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret";
import { parseSecretReference } from "../../constructs/model/secrets";
import type { RegistrySettings } from "../config/settings";

export interface ReleaseChecksInput {
  readonly registry: Pick<RegistrySettings, "repositoryName" | "region" | "accountId">;
  /** The environment's account, when pinned; secrets of other accounts are not checked (no access to describe them). */
  readonly accountId?: string;
  /** The image tag the plan deploys (`var.image_tag`). */
  readonly imageTag: string;
  /** service.secrets: variable name → ARN. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly providerFor: (region: string) => AwsProvider | undefined;
}

export function addReleaseChecks(scope: Construct, input: ReleaseChecksInput): void {
  const { registry, accountId, imageTag, secrets, providerFor } = input;
  const tag = TerraformIterator.fromList([imageTag]);
  new DataAwsEcrImage(scope, "image_to_deploy", {
    forEach: tag,
    repositoryName: registry.repositoryName,
    imageTag: Token.asString(tag.value),
    registryId:
      registry.accountId !== undefined && registry.accountId !== accountId ? registry.accountId : undefined,
    provider: providerFor(registry.region),
  });
  const checked = Object.entries(secrets).flatMap(([name, arn]) => {
    const reference = parseSecretReference(arn);
    const sameAccount = accountId === undefined || arn.split(":")[4] === accountId;
    return reference?.kind === "secretsmanager" && sameAccount ? [{ name, ...reference }] : [];
  });
  for (const region of new Set(checked.map((s) => s.region))) {
    const each = TerraformIterator.fromMap(
      Object.fromEntries(checked.filter((s) => s.region === region).map((s) => [s.name, s.resourceArn])),
    );
    new DataAwsSecretsmanagerSecret(scope, `secret_to_read_${region.replace(/-/g, "_")}`, {
      forEach: each,
      arn: Token.asString(each.value),
      provider: providerFor(region),
    });
  }
}
