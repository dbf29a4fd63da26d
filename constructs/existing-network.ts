import { Construct } from "constructs";
import { DataAwsPrefixList } from "@cdktf/provider-aws/lib/data-aws-prefix-list";
import { DataAwsRouteTables } from "@cdktf/provider-aws/lib/data-aws-route-tables";
import type { DataAwsRouteTablesConfig } from "@cdktf/provider-aws/lib/data-aws-route-tables";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { entryPath } from "./model/checks";
import type { ExistingSubnetTier, SubnetsByZone } from "./model/existing-vpc";
import { SUBNET_TIERS } from "./model/existing-vpc";

export interface ExistingNetworkProps {
  /** Prefix of the DB subnet group's name, e.g. "orders-api-dev". */
  readonly namePrefix: string;
  readonly region: string;
  readonly vpcId: string;
  readonly publicSubnets: SubnetsByZone;
  readonly privateSubnets: SubnetsByZone;
  readonly isolatedSubnets: SubnetsByZone;
  /**
   * Interface endpoints with private DNS will be created in the VPC: it must resolve and name
   * hosts (enable_dns_support and enable_dns_hostnames), checked at plan.
   *
   * @default false
   */
  readonly interfaceEndpoints?: boolean;
  /**
   * The tasks reach AWS and the internet through NAT: each private subnet must route 0.0.0.0/0
   * (its own route table's, or the VPC's main one when it has none).
   *
   * @default false
   */
  readonly privateRouteOut?: boolean;
}

const SETTING = "network.existingVpc";

/**
 * The network an environment deploys into when another team owns it: the VPC and the subnets of
 * each tier are looked up, never created or changed, and the plan fails before anything is
 * applied unless each subnet lies in that VPC and in the availability zone the settings give, and
 * (with privateRouteOut) each private subnet routes out. The only resource is the DB subnet group
 * over the isolated subnets; the S3 prefix list is the region's.
 */
export class ExistingNetwork extends Construct {
  public readonly vpc: DataAwsVpc;
  public readonly vpcId: string;
  public readonly availabilityZones: readonly string[];
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly isolatedSubnetIds: string[];
  public readonly dbSubnetGroup: DbSubnetGroup;
  public readonly s3PrefixListId: string;

  constructor(scope: Construct, id: string, props: ExistingNetworkProps) {
    super(scope, id);
    this.vpc = new DataAwsVpc(this, "vpc", {
      id: props.vpcId,
      lifecycle: props.interfaceEndpoints
        ? {
            postcondition: [
              {
                condition: "${self.enable_dns_support && self.enable_dns_hostnames}",
                errorMessage: `${SETTING}.vpcId: ${props.vpcId} must have DNS support and DNS hostnames enabled for the interface endpoints' private DNS (network.interfaceEndpoints); ask its owner to enable both.`,
              },
            ],
          }
        : undefined,
    });
    this.vpcId = this.vpc.id;
    this.availabilityZones = Object.keys(props.privateSubnets);
    const [publicIds, privateIds, isolatedIds] = SUBNET_TIERS.map((tier) => this.lookUpSubnets(tier, props));
    this.publicSubnetIds = publicIds ?? [];
    this.privateSubnetIds = privateIds ?? [];
    this.isolatedSubnetIds = isolatedIds ?? [];
    if (props.privateRouteOut) this.checkRoutesOut(props);
    this.s3PrefixListId = new DataAwsPrefixList(this, "s3_prefix_list", {
      name: `com.amazonaws.${props.region}.s3`,
    }).id;
    this.dbSubnetGroup = new DbSubnetGroup(this, "db_subnet_group", {
      name: `${props.namePrefix}-data`.toLowerCase(),
      description: `Isolated data-tier subnets of ${props.namePrefix} (existing VPC)`,
      subnetIds: this.isolatedSubnetIds,
      tags: { Name: `${props.namePrefix}-data` },
    });
  }

  /** Each subnet of a tier, looked up by id, with the plan-time checks that it is where the settings say. */
  private lookUpSubnets(tier: ExistingSubnetTier, props: ExistingNetworkProps): string[] {
    const subnets = props[`${tier}Subnets`];
    return Object.entries(subnets).map(([zone, subnetId], i) => {
      const field = `${SETTING}.${tier}Subnets${entryPath(zone)}`;
      return new DataAwsSubnet(this, `${tier}_${i}_subnet`, {
        id: subnetId,
        lifecycle: {
          postcondition: [
            {
              condition: `\${self.vpc_id == "${props.vpcId}"}`,
              errorMessage: `${field}: ${subnetId} is not a subnet of ${props.vpcId} (${SETTING}.vpcId); name a subnet of that VPC.`,
            },
            {
              condition: `\${self.availability_zone == "${zone}"}`,
              errorMessage: `${field}: ${subnetId} is not in ${zone}; give each subnet under the availability zone it is in.`,
            },
          ],
        },
      }).id;
    });
  }

  /** Each private subnet routes 0.0.0.0/0: through its own route table, or the main one when it has none. */
  private checkRoutesOut(props: ExistingNetworkProps): void {
    const tables = (
      id: string,
      filters: Record<string, string>,
      lifecycle?: DataAwsRouteTablesConfig["lifecycle"],
    ) =>
      new DataAwsRouteTables(this, id, {
        vpcId: props.vpcId,
        filter: Object.entries(filters).map(([name, value]) => ({ name, values: [value] })),
        lifecycle,
      });
    const mainOut = tables("main_route_table_out", {
      "association.main": "true",
      "route.destination-cidr-block": "0.0.0.0/0",
    });
    Object.entries(props.privateSubnets).forEach(([zone, subnetId], i) => {
      const own = tables(`private_${i}_route_tables`, { "association.subnet-id": subnetId });
      const ownOut = `data.aws_route_tables.${own.friendlyUniqueId}`;
      tables(
        `private_${i}_route_out`,
        { "association.subnet-id": subnetId, "route.destination-cidr-block": "0.0.0.0/0" },
        {
          postcondition: [
            {
              condition: `\${length(self.ids) > 0 || (length(${ownOut}.ids) == 0 && length(data.aws_route_tables.${mainOut.friendlyUniqueId}.ids) > 0)}`,
              errorMessage: `${SETTING}.privateSubnets${entryPath(zone)}: ${subnetId} has no route to 0.0.0.0/0, and the tasks reach ECR, CloudWatch Logs and the internet through NAT (network.appInternetEgress includes "0.0.0.0/0"). Route it through a NAT gateway, or list the interface endpoints the tasks need in network.interfaceEndpoints and narrow network.appInternetEgress.`,
            },
          ],
        },
      );
    });
  }
}
