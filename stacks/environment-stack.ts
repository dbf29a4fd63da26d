import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { InterfaceEndpoints } from "../constructs/interface-endpoints";
import { KmsKey, cloudWatchLogsKeyStatement } from "../constructs/kms-key";
import { Network } from "../constructs/network";
import type { SecurityTier } from "../constructs/security-groups";
import { SecurityGroups, tierFlows } from "../constructs/security-groups";
import { ProjectStack } from "./project-stack";
import type { EnvironmentSettings, ProjectSettings } from "./settings";

/** Port the example API listens on; the service settings will make it configurable. */
export const DEFAULT_CONTAINER_PORT = 8000;

export interface EnvironmentStackProps {
  readonly project: ProjectSettings;
  readonly settings: EnvironmentSettings;
}

/** One environment: network, security groups and (as they are added) edge and service. */
export class EnvironmentStack extends ProjectStack {
  public readonly settings: EnvironmentSettings;
  public readonly logsKey: KmsKey;
  public readonly network: Network;
  public readonly securityGroups: SecurityGroups;
  public readonly interfaceEndpoints?: InterfaceEndpoints;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    const { settings, project } = props;
    super(scope, settings.name, {
      project: project.project,
      repository: project.repository,
      environment: settings.name,
      region: settings.region,
      accountId: settings.accountId,
      state: settings.state,
      tags: settings.tags,
    });
    this.settings = settings;
    const { network: net } = settings;
    const logGroupArn = (namePattern: string) =>
      `arn:${this.partition}:logs:${this.region}:${this.accountId}:log-group:${namePattern}`;

    this.logsKey = new KmsKey(this, "logs_key", {
      aliasName: `${this.namePrefix}/logs`,
      description: `Encrypts the CloudWatch log groups of ${this.namePrefix}`,
      accountId: this.accountId,
      partition: this.partition,
      usageStatements: [cloudWatchLogsKeyStatement(this.region, [logGroupArn(`/vpc/${this.namePrefix}/*`)])],
    });

    this.network = new Network(this, "network", {
      namePrefix: this.namePrefix,
      region: this.region,
      accountId: this.accountId,
      partition: this.partition,
      vpcCidr: net.vpcCidr,
      availabilityZones: net.availabilityZones,
      subnetPrefixLength: net.subnetPrefixLength,
      natStrategy: net.natStrategy,
      flowLogRetentionDays: net.flowLogRetentionDays,
      flowLogKmsKeyArn: this.logsKey.keyArn,
    });

    this.securityGroups = new SecurityGroups(this, "security_groups", {
      namePrefix: this.namePrefix,
      vpcId: this.network.vpcId,
      s3PrefixListId: this.network.s3PrefixListId,
      flows: tierFlows({
        containerPort: DEFAULT_CONTAINER_PORT,
        internetEgress: net.natStrategy !== "none",
        interfaceEndpoints: net.interfaceEndpoints.length > 0,
        cache: net.cacheTier,
        httpRedirect: true,
      }),
    });

    if (net.interfaceEndpoints.length > 0) {
      this.interfaceEndpoints = new InterfaceEndpoints(this, "interface_endpoints", {
        namePrefix: this.namePrefix,
        region: this.region,
        vpcId: this.network.vpcId,
        subnetIds: this.network.privateSubnetIds,
        securityGroupId: this.securityGroups.groupId("endpoints"),
        services: net.interfaceEndpoints,
      });
    }

    this.addOutputs();
  }

  private addOutputs(): void {
    const output = (id: string, value: unknown, description: string) =>
      new TerraformOutput(this, id, { value, description });
    output("vpc_id", this.network.vpcId, "ID of the VPC.");
    output(
      "public_subnet_ids",
      this.network.publicSubnetIds,
      "Public subnets (load balancer, NAT), in AZ order.",
    );
    output(
      "private_subnet_ids",
      this.network.privateSubnetIds,
      "Private app subnets (Fargate tasks), in AZ order.",
    );
    output(
      "isolated_subnet_ids",
      this.network.isolatedSubnetIds,
      "Isolated data subnets (no internet route), in AZ order.",
    );
    output(
      "db_subnet_group_name",
      this.network.dbSubnetGroup.name,
      "DB subnet group over the isolated subnets.",
    );
    const tiers: SecurityTier[] = ["alb", "app", "data", "cache", "endpoints"];
    for (const tier of tiers) {
      if (this.securityGroups.hasGroup(tier)) {
        output(
          `${tier}_security_group_id`,
          this.securityGroups.groupId(tier),
          `Security group of the ${tier} tier.`,
        );
      }
    }
  }
}
