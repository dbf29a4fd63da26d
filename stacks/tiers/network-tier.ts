/** The VPC and its three subnet tiers, the security groups between them, and the interface endpoints. */
import type { Construct } from "constructs";
import { InterfaceEndpoints } from "../../constructs/interface-endpoints";
import type { TierFlow } from "../../constructs/model/security-groups";
import { ExistingNetwork } from "../../constructs/existing-network";
import { usesExistingVpc } from "../../constructs/model/existing-vpc";
import { INTERNET_CIDR } from "../../constructs/model/security-groups";
import { Network } from "../../constructs/network";
import { SecurityGroups } from "../../constructs/security-groups";
import type { NetworkSettings } from "../config/settings";
import type { EnvironmentContext } from "./environment-context";

export interface NetworkTierInput {
  readonly context: EnvironmentContext;
  readonly settings: NetworkSettings;
  /** The load balancer's subnets and the internet rules get IPv6 (edge.ipv6). */
  readonly ipv6: boolean;
  /** Who may call whom, on which port: one security group per tier that appears in a flow. */
  readonly flows: readonly TierFlow[];
  /** The audit-logs key, for the flow logs. */
  readonly flowLogKmsKeyArn: string;
}

/** The network the tiers run in: the environment's own, or an existing VPC's (network.existingVpc). */
export type EnvironmentNetwork = Network | ExistingNetwork;

export class NetworkTier {
  public readonly network: EnvironmentNetwork;
  public readonly securityGroups: SecurityGroups;
  /** Present when network.interfaceEndpoints lists services. */
  public readonly interfaceEndpoints?: InterfaceEndpoints;

  constructor(scope: Construct, input: NetworkTierInput) {
    const { context, settings } = input;
    this.network = usesExistingVpc(settings.existingVpc)
      ? new ExistingNetwork(scope, "network", {
          namePrefix: context.namePrefix,
          region: context.region,
          vpcId: settings.existingVpc.vpcId,
          publicSubnets: settings.existingVpc.publicSubnets ?? {},
          privateSubnets: settings.existingVpc.privateSubnets ?? {},
          isolatedSubnets: settings.existingVpc.isolatedSubnets ?? {},
          privateRouteOut: settings.appInternetEgress.includes(INTERNET_CIDR),
          interfaceEndpoints: settings.interfaceEndpoints.length > 0,
        })
      : createNetwork(scope, input);
    this.securityGroups = new SecurityGroups(scope, "security_groups", {
      namePrefix: context.namePrefix,
      vpcId: this.network.vpcId,
      s3PrefixListId: this.network.s3PrefixListId,
      internetIpv6: input.ipv6,
      flows: input.flows,
    });
    if (settings.interfaceEndpoints.length > 0) {
      this.interfaceEndpoints = new InterfaceEndpoints(scope, "interface_endpoints", {
        namePrefix: context.namePrefix,
        region: context.region,
        accountId: context.accountId,
        vpcId: this.network.vpcId,
        subnetIds: this.network.privateSubnetIds,
        securityGroupId: this.securityGroups.groupId("endpoints"),
        services: settings.interfaceEndpoints,
      });
    }
  }
}

function createNetwork(scope: Construct, input: NetworkTierInput): Network {
  const { context, settings } = input;
  return new Network(scope, "network", {
    namePrefix: context.namePrefix,
    region: context.region,
    accountId: context.accountId,
    partition: context.partition,
    vpcCidr: settings.vpcCidr,
    availabilityZones: settings.availabilityZones,
    subnetPrefixLength: settings.subnetPrefixLength,
    natStrategy: settings.natStrategy,
    publicIpv6: input.ipv6,
    flowLogRetentionDays: settings.flowLogRetentionDays,
    flowLogKmsKeyArn: input.flowLogKmsKeyArn,
    s3EndpointBuckets: settings.s3EndpointBuckets,
  });
}
