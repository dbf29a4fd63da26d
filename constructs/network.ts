import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { s3GatewayEndpointStatements } from "./model/endpoints";
import { planSubnets } from "./model/cidr";
import type { SubnetPlan, SubnetTier } from "./model/cidr";
import { forPolicyDocument, serviceTrustStatement } from "./model/iam";
import { FLOW_LOG_AGGREGATION_SECONDS, NETWORK_CROSS_CHECKS, NETWORK_RULES } from "./model/network";
import type { NatStrategy, NetworkOptions } from "./model/network";
import { withGroupDefaults } from "./model/props";
import { acceptLogRetention } from "./support/accepted-findings";
import { acceptFindings } from "./support/accepted-findings";

export interface NetworkProps extends NetworkOptions {
  /** Prefix of every Name tag and resource name, e.g. "orders-api-dev". */
  readonly namePrefix: string;
  /** Account id (may be a token), used in the flow-log role's confused-deputy conditions. */
  readonly accountId: string;
  /** ARN partition (may be a token), e.g. "aws". */
  readonly partition: string;
  /**
   * Availability zones to spread the tiers over, 2 or 3 names of `region`.
   *
   * @default - the region's first two zones
   */
  readonly availabilityZones?: readonly string[];
  /** @default "10.0.0.0/16" */
  readonly vpcCidr?: string;
  /** @default - the VPC prefix plus 4 (a /16 VPC gets /20 subnets), at most /27 */
  readonly subnetPrefixLength?: number;
  /** @default "per-az" */
  readonly natStrategy?: NatStrategy;
  /**
   * Gives the VPC an Amazon-provided IPv6 /56 and each public subnet a /64, with a `::/0` route
   * to the internet gateway, so a dualstack load balancer can serve IPv6 clients. Private and
   * isolated subnets stay IPv4-only.
   *
   * @default false
   */
  readonly publicIpv6?: boolean;
  /** @default 365 */
  readonly flowLogRetentionDays?: number;
  /** Buckets the tasks may use through the S3 gateway endpoint, besides ECR's image layers. @default [] */
  readonly s3EndpointBuckets?: readonly string[];
  /**
   * KMS key that encrypts the flow-log group. Its policy must let CloudWatch Logs use it.
   *
   * @default - the log group uses CloudWatch Logs' own encryption
   */
  readonly flowLogKmsKeyArn?: string;
}

type ResolvedProps = NetworkProps & Required<NetworkOptions>;

/**
 * Three-tier VPC: a public, a private (app) and an isolated (data) subnet per AZ, with literal
 * CIDRs; internet gateway; NAT per the strategy; per-tier routing where only the public route
 * table has a default route to the internet gateway and the isolated tier no route out of the VPC;
 * an S3 gateway endpoint for the private tier (ECR image layers and the listed buckets only); VPC flow logs; the default security group adopted with no rules; and a DB
 * subnet group over the isolated subnets.
 */
export class Network extends Construct {
  public readonly vpc: Vpc;
  public readonly publicSubnets: Subnet[];
  public readonly privateSubnets: Subnet[];
  public readonly isolatedSubnets: Subnet[];
  public readonly internetGateway: InternetGateway;
  public readonly natGateways: NatGateway[];
  public readonly publicRouteTable: RouteTable;
  public readonly privateRouteTables: RouteTable[];
  public readonly isolatedRouteTable: RouteTable;
  public readonly s3GatewayEndpoint: VpcEndpoint;
  public readonly flowLogGroup: CloudwatchLogGroup;
  public readonly flowLog: FlowLog;
  public readonly dbSubnetGroup: DbSubnetGroup;

  /** The subnet CIDRs per tier, in AZ order. */
  public readonly subnetPlan: SubnetPlan;
  public readonly availabilityZones: readonly string[];
  public readonly natStrategy: NatStrategy;
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly isolatedSubnetIds: string[];
  /** Prefix list of the S3 gateway endpoint, for security-group egress to S3. */
  public readonly s3PrefixListId: string;

  private readonly props: ResolvedProps;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.props = withGroupDefaults(
      { rules: NETWORK_RULES, crossChecks: NETWORK_CROSS_CHECKS },
      props,
    ) as ResolvedProps;
    this.natStrategy = this.props.natStrategy;
    this.availabilityZones = this.props.availabilityZones;
    this.vpcCidr = this.props.vpcCidr;
    this.subnetPlan = planSubnets(this.vpcCidr, this.availabilityZones.length, this.props.subnetPrefixLength);

    this.vpc = this.addVpc();
    this.vpcId = this.vpc.id;
    this.publicSubnets = this.addSubnets("public");
    this.privateSubnets = this.addSubnets("private");
    this.isolatedSubnets = this.addSubnets("isolated");
    this.publicSubnetIds = this.publicSubnets.map((s) => s.id);
    this.privateSubnetIds = this.privateSubnets.map((s) => s.id);
    this.isolatedSubnetIds = this.isolatedSubnets.map((s) => s.id);

    this.internetGateway = new InternetGateway(this, "internet_gateway", {
      vpcId: this.vpc.id,
      tags: this.name("igw"),
    });
    this.publicRouteTable = this.addPublicRouting();
    this.natGateways = this.addNatGateways();
    this.privateRouteTables = this.addPrivateRouting();
    this.isolatedRouteTable = this.addIsolatedRouting();
    this.s3GatewayEndpoint = this.addS3GatewayEndpoint();
    this.s3PrefixListId = this.s3GatewayEndpoint.prefixListId;
    this.adoptDefaultSecurityGroup();
    this.dbSubnetGroup = this.addDbSubnetGroup();
    this.flowLogGroup = this.addFlowLogGroup();
    this.flowLog = this.addFlowLog();
  }

  private name(suffix: string): { Name: string } {
    return { Name: `${this.props.namePrefix}-${suffix}` };
  }

  private addVpc(): Vpc {
    return new Vpc(this, "vpc", {
      cidrBlock: this.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      assignGeneratedIpv6CidrBlock: this.props.publicIpv6,
      tags: this.name("vpc"),
    });
  }

  private addSubnets(tier: SubnetTier): Subnet[] {
    const azs = this.availabilityZones;
    return this.subnetPlan[tier].map(
      (cidrBlock, i) =>
        new Subnet(this, `${tier}_${i}`, {
          vpcId: this.vpc.id,
          cidrBlock,
          availabilityZone: azs[i],
          mapPublicIpOnLaunch: false,
          ...(this.props.publicIpv6 && tier === "public"
            ? {
                ipv6CidrBlock: Fn.cidrsubnet(this.vpc.ipv6CidrBlock, 8, i),
                assignIpv6AddressOnCreation: false,
              }
            : {}),
          tags: { ...this.name(`${tier}-${azs[i]}`), Tier: tier },
        }),
    );
  }

  /** The only routes to the internet gateway: 0.0.0.0/0 (and ::/0) from the public tier. */
  private addPublicRouting(): RouteTable {
    const table = new RouteTable(this, "public_route_table", {
      vpcId: this.vpc.id,
      tags: this.name("public"),
    });
    new Route(this, "public_default_route", {
      routeTableId: table.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: this.internetGateway.id,
    });
    if (this.props.publicIpv6) {
      new Route(this, "public_default_ipv6_route", {
        routeTableId: table.id,
        destinationIpv6CidrBlock: "::/0",
        gatewayId: this.internetGateway.id,
      });
    }
    this.publicSubnets.forEach((subnet, i) => this.associate("public", i, subnet, table));
    return table;
  }

  private addNatGateways(): NatGateway[] {
    const azs = this.availabilityZones;
    const natCount = { "per-az": azs.length, single: 1, none: 0 }[this.natStrategy];
    return this.publicSubnets.slice(0, natCount).map((subnet, i) => {
      const eip = new Eip(this, `nat_${i}_eip`, {
        domain: "vpc",
        tags: this.name(`nat-${azs[i]}`),
        dependsOn: [this.internetGateway],
      });
      return new NatGateway(this, `nat_${i}`, {
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        connectivityType: "public",
        tags: this.name(`nat-${azs[i]}`),
        dependsOn: [this.internetGateway],
      });
    });
  }

  /** One table per AZ, so each AZ's tasks use their own AZ's NAT gateway (per-az). */
  private addPrivateRouting(): RouteTable[] {
    return this.privateSubnets.map((subnet, i) => {
      const table = new RouteTable(this, `private_${i}_route_table`, {
        vpcId: this.vpc.id,
        tags: this.name(`private-${this.availabilityZones[i]}`),
      });
      this.associate("private", i, subnet, table);
      const nat = this.natGateways[this.natStrategy === "per-az" ? i : 0];
      if (nat) {
        new Route(this, `private_${i}_default_route`, {
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: nat.id,
        });
      }
      return table;
    });
  }

  /** The data tier has no default route at all. */
  private addIsolatedRouting(): RouteTable {
    const table = new RouteTable(this, "isolated_route_table", {
      vpcId: this.vpc.id,
      tags: this.name("isolated"),
    });
    this.isolatedSubnets.forEach((subnet, i) => this.associate("isolated", i, subnet, table));
    return table;
  }

  private associate(tier: string, index: number, subnet: Subnet, table: RouteTable): void {
    new RouteTableAssociation(this, `${tier}_${index}_route_table_association`, {
      subnetId: subnet.id,
      routeTableId: table.id,
    });
  }

  /**
   * S3 for the private tier only (the data tier has no route out of the VPC), limited to ECR's
   * image layers and the configured buckets.
   */
  private addS3GatewayEndpoint(): VpcEndpoint {
    const { region, partition, accountId, s3EndpointBuckets } = this.props;
    const policy = new DataAwsIamPolicyDocument(this, "s3_gateway_endpoint_policy", {
      statement: forPolicyDocument(
        s3GatewayEndpointStatements({ partition, region, accountId, buckets: s3EndpointBuckets }),
      ),
    });
    return new VpcEndpoint(this, "s3_gateway_endpoint", {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: this.privateRouteTables.map((t) => t.id),
      policy: policy.json,
      tags: this.name("s3"),
    });
  }

  private adoptDefaultSecurityGroup(): void {
    new DefaultSecurityGroup(this, "default_security_group", {
      vpcId: this.vpc.id,
      tags: this.name("default-unused"),
    });
  }

  private addDbSubnetGroup(): DbSubnetGroup {
    return new DbSubnetGroup(this, "db_subnet_group", {
      name: `${this.props.namePrefix}-data`.toLowerCase(),
      description: `Isolated data-tier subnets of ${this.props.namePrefix}`,
      subnetIds: this.isolatedSubnetIds,
      tags: this.name("data"),
    });
  }

  private addFlowLogGroup(): CloudwatchLogGroup {
    return acceptLogRetention(
      new CloudwatchLogGroup(this, "flow_log_group", {
        name: `/vpc/${this.props.namePrefix}/flow-logs`,
        retentionInDays: this.props.flowLogRetentionDays,
        kmsKeyId: this.props.flowLogKmsKeyArn,
        tags: this.name("flow-logs"),
      }),
    );
  }

  /** Flow logs through a role that may write only this log group and that only this account's VPC Flow Logs can assume. */
  private addFlowLog(): FlowLog {
    const { namePrefix, partition, region, accountId } = this.props;
    const role = new IamRole(this, "flow_log_role", {
      name: `${namePrefix}-vpc-flow-logs`,
      description: `Lets VPC Flow Logs write ${namePrefix} flow records to its log group`,
      assumeRolePolicy: new DataAwsIamPolicyDocument(this, "flow_log_trust_policy", {
        statement: forPolicyDocument([
          serviceTrustStatement({
            service: "vpc-flow-logs.amazonaws.com",
            accountId,
            sourceArnLike: `arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*`,
          }),
        ]),
      }).json,
      tags: this.name("vpc-flow-logs"),
    });
    const policy = new DataAwsIamPolicyDocument(this, "flow_log_policy", {
      statement: [
        {
          sid: "WriteFlowLogGroup",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [`${this.flowLogGroup.arn}:*`],
        },
        {
          sid: "DescribeFlowLogGroup",
          effect: "Allow",
          actions: ["logs:DescribeLogGroups"],
          resources: [this.flowLogGroup.arn],
        },
      ],
    });
    // The flow log writes log streams whose names it chooses.
    acceptFindings(policy, "logStreamWildcard");
    new IamRolePolicy(this, "flow_log_role_policy", {
      name: "write-flow-log-group",
      role: role.id,
      policy: policy.json,
    });
    return new FlowLog(this, "flow_log", {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: FLOW_LOG_AGGREGATION_SECONDS,
      tags: this.name("flow-log"),
    });
  }
}
