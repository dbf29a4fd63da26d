import type { Construct } from "constructs";
import { Aspects, LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import { partitionOf } from "../constructs/model/aws-limits";
import { HclMetaArguments } from "../constructs/support/hcl-rendering";

/** Registry address of the AWS provider, fully qualified so Terraform and OpenTofu agree. */
export const AWS_PROVIDER_SOURCE = "hashicorp/aws";

export interface ProjectStackProps {
  readonly project: string;
  /** Source repository, recorded in the default tags. */
  readonly repository: string;
  /** Versions of the hashicorp/aws provider the stack accepts. */
  readonly awsProviderVersion: string;
  /** Value of the Environment default tag ("registry" for the shared registry stack). */
  readonly environment: string;
  readonly region: string;
  /** When set, the provider refuses to act in any other account and ARNs use it literally. */
  readonly accountId?: string;
  readonly state: { readonly bucket?: string; readonly region: string; readonly kmsKeyArn?: string };
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A stack of this project: the AWS provider with default tags, and its own Terraform state
 * (S3 with native locking when a bucket is configured, otherwise a local file next to the project).
 */
export class ProjectStack extends TerraformStack {
  public readonly region: string;
  public readonly partition: string;
  /** Literal account id when configured, otherwise the caller identity's (a token). */
  public readonly accountId: string;
  public readonly namePrefix: string;
  /** Where the state lives, for documentation and tests: "s3://bucket/key" or a relative path. */
  public readonly stateLocation: string;
  private readonly providerConfig: AwsProviderConfig;
  private readonly regionalProviders = new Map<string, AwsProvider>();

  constructor(scope: Construct, id: string, props: ProjectStackProps) {
    super(scope, id);
    Aspects.of(this).add(new HclMetaArguments());
    this.region = props.region;
    this.partition = partitionOf(props.region);
    this.namePrefix = `${props.project}-${props.environment}`;

    this.providerConfig = {
      region: props.region,
      allowedAccountIds: props.accountId === undefined ? undefined : [props.accountId],
      defaultTags: [
        {
          tags: {
            ...props.tags,
            Project: props.project,
            Environment: props.environment,
            ManagedBy: "cdktf",
            Repository: props.repository,
          },
        },
      ],
    };
    new AwsProvider(this, "aws", this.providerConfig);
    this.addOverride("terraform.required_providers.aws.source", AWS_PROVIDER_SOURCE);
    this.addOverride("terraform.required_providers.aws.version", props.awsProviderVersion);
    this.accountId = props.accountId ?? new DataAwsCallerIdentity(this, "caller_identity").accountId;

    if (props.state.bucket !== undefined) {
      const key = `${props.project}/${id}.tfstate`;
      new S3Backend(this, {
        bucket: props.state.bucket,
        key,
        region: props.state.region,
        encrypt: true,
        kmsKeyId: props.state.kmsKeyArn,
      });
      // cdktf 0.21 does not type use_lockfile (S3-native locking, Terraform >= 1.10); set it directly.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
      this.stateLocation = `s3://${props.state.bucket}/${key}`;
    } else {
      // Relative to cdktf.out/stacks/<stack>, where Terraform runs: the project root. Outside
      // cdktf.out, so the state survives a clean synth, and no absolute path of this machine leaks.
      this.stateLocation = `../../../terraform.${id}.tfstate`;
      new LocalBackend(this, { path: this.stateLocation });
    }
  }

  /**
   * The provider for resources and lookups in another region than the stack's: undefined for the
   * stack's own region, otherwise an aliased provider (same account pin and tags) made once per
   * region. An alias works with AWS provider 5.x and 6.x alike; 6.x's per-resource `region`
   * argument does not exist in 5.x.
   */
  public providerFor(region: string): AwsProvider | undefined {
    if (region === this.region) return undefined;
    let provider = this.regionalProviders.get(region);
    if (provider === undefined) {
      provider = new AwsProvider(this, `aws_${region.replace(/-/g, "_")}`, {
        ...this.providerConfig,
        region,
        alias: region.replace(/-/g, "_"),
      });
      this.regionalProviders.set(region, provider);
    }
    return provider;
  }
}
