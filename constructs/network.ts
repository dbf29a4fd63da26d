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
import { availabilityZoneOf, logRetentionDays } from "./aws-limits";
import { checkField, integerIn, listOf, oneOf, problem } from "./checks";
import { serviceTrustPolicy } from "./policy-documents";
import {
  defaultSubnetPrefixLength,
  ipv4Cidr,
  parseIpv4Cidr,
  planSubnets,
  slotsPerTier,
} from "./subnet-cidrs";
import type { SubnetPlan } from "./subnet-cidrs";
import { throwIfProblems } from "./validation-error";

export const NAT_STRATEGIES = ["per-az", "single", "none"] as const;
/** `per-az`: one NAT gateway per AZ; `single`: one shared NAT; `none`: no internet egress. */
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
export const VPC_PREFIX_RANGE = { min: 16, max: 24 } as const;
export const AZ_COUNT_RANGE = { min: 2, max: 3 } as const;
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 365;
/** Aggregation interval of the flow log, in seconds (AWS allows 60 or 600). */
export const FLOW_LOG_AGGREGATION_SECONDS = 600;

export interface NetworkProps {
  /** Prefix of every Name tag and resource name, e.g. "orders-api-dev". */
  readonly namePrefix: string;
  /** Region of the VPC; names the S3 gateway endpoint service. */
  readonly region: string;
  /** Account id (may be a token), used in the flow-log role's confused-deputy conditions. */
  readonly accountId: string;
  /** ARN partition (may be a token), e.g. "aws". */
  readonly partition: string;
  /** Availability zones to spread the tiers over, 2 or 3 names of `region`. */
  readonly availabilityZones: readonly string[];
  /**
   * IPv4 CIDR of the VPC, a literal /16 to /24 network.
   *
   * @default "10.0.0.0/16"
   */
  readonly vpcCidr?: string;
  /**
   * Prefix length of every subnet.
   *
   * @default - the VPC prefix plus 4 (a /16 VPC gets /20 subnets), at most /28
   */
  readonly subnetPrefixLength?: number;
  /**
   * How private subnets reach the internet.
   *
   * @default "per-az"
   */
  readonly natStrategy?: NatStrategy;
  /**
   * Gives the VPC an Amazon-provided IPv6 /56 and each public subnet a /64, with a `::/0` route
   * to the internet gateway, so a dualstack load balancer can serve IPv6 clients. Private and
   * isolated subnets stay IPv4-only.
   *
   * @default false
   */
  readonly publicIpv6?: boolean;
  /**
   * Retention of the VPC flow-log group, in days.
   *
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * KMS key that encrypts the flow-log group. Its policy must let CloudWatch Logs use it.
   *
   * @default - the log group uses CloudWatch Logs' own encryption
   */
  readonly flowLogKmsKeyArn?: string;
}

/**
 * Three-tier VPC: a public, a private (app) and an isolated (data) subnet per AZ, with literal
 * CIDRs; internet gateway; NAT per the strategy; per-tier routing where only the public route
 * table has a default route to the internet gateway and the isolated tier has no default route;
 * S3 gateway endpoint; VPC flow logs; the default security group adopted with no rules; and a DB
 * subnet group over the isolated subnets.
 */
export class Network extends Construct {
  public readonly vpc: Vpc;
  public readonly publicSubnets: Subnet[];
  public readonly privateSubnets: Subnet[];
  public readonly isolatedSubnets: Subnet[];
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

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const vpcCidr = props.vpcCidr ?? DEFAULT_VPC_CIDR;
    const natStrategy = props.natStrategy ?? "per-az";
    const flowLogRetentionDays = props.flowLogRetentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS;
    const vpcPrefix = parseIpv4Cidr(vpcCidr)?.prefixLength;
    const subnetPrefixLength =
      props.subnetPrefixLength ?? defaultSubnetPrefixLength(vpcPrefix ?? VPC_PREFIX_RANGE.max);
    const azs = props.availabilityZones;
    const publicIpv6 = props.publicIpv6 ?? false;

    throwIfProblems(this, [
      checkField("vpcCidr", vpcCidr, ipv4Cidr(VPC_PREFIX_RANGE.min, VPC_PREFIX_RANGE.max)),
      checkField(
        "availabilityZones",
        azs,
        listOf(availabilityZoneOf(props.region), {
          min: AZ_COUNT_RANGE.min,
          max: AZ_COUNT_RANGE.max,
          unique: true,
        }),
      ),
      checkField("natStrategy", natStrategy, oneOf(NAT_STRATEGIES)),
      checkField("flowLogRetentionDays", flowLogRetentionDays, logRetentionDays),
      vpcPrefix === undefined
        ? undefined
        : subnetFitProblem(vpcCidr, vpcPrefix, subnetPrefixLength, azs.length),
    ]);

    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });
    this.natStrategy = natStrategy;
    this.availabilityZones = azs;
    this.subnetPlan = planSubnets(vpcCidr, azs.length, subnetPrefixLength);

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      assignGeneratedIpv6CidrBlock: publicIpv6,
      tags: name("vpc"),
    });
    this.vpcId = this.vpc.id;
    this.vpcCidr = vpcCidr;

    const subnets = (tier: keyof SubnetPlan) =>
      this.subnetPlan[tier].map(
        (cidrBlock, i) =>
          new Subnet(this, `${tier}_${i}`, {
            vpcId: this.vpc.id,
            cidrBlock,
            availabilityZone: azs[i],
            mapPublicIpOnLaunch: false,
            ...(publicIpv6 && tier === "public"
              ? {
                  ipv6CidrBlock: Fn.cidrsubnet(this.vpc.ipv6CidrBlock, 8, i),
                  assignIpv6AddressOnCreation: false,
                }
              : {}),
            tags: { ...name(`${tier}-${azs[i]}`), Tier: tier },
          }),
      );
    this.publicSubnets = subnets("public");
    this.privateSubnets = subnets("private");
    this.isolatedSubnets = subnets("isolated");
    this.publicSubnetIds = this.publicSubnets.map((s) => s.id);
    this.privateSubnetIds = this.privateSubnets.map((s) => s.id);
    this.isolatedSubnetIds = this.isolatedSubnets.map((s) => s.id);

    const internetGateway = new InternetGateway(this, "internet_gateway", {
      vpcId: this.vpc.id,
      tags: name("igw"),
    });

    this.publicRouteTable = new RouteTable(this, "public_route_table", {
      vpcId: this.vpc.id,
      tags: name("public"),
    });
    new Route(this, "public_default_route", {
      routeTableId: this.publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: internetGateway.id,
    });
    if (publicIpv6) {
      new Route(this, "public_default_ipv6_route", {
        routeTableId: this.publicRouteTable.id,
        destinationIpv6CidrBlock: "::/0",
        gatewayId: internetGateway.id,
      });
    }
    this.publicSubnets.forEach(
      (subnet, i) =>
        new RouteTableAssociation(this, `public_${i}_route_table_association`, {
          subnetId: subnet.id,
          routeTableId: this.publicRouteTable.id,
        }),
    );

    const natCount = { "per-az": azs.length, single: 1, none: 0 }[natStrategy];
    this.natGateways = this.publicSubnets.slice(0, natCount).map((subnet, i) => {
      const eip = new Eip(this, `nat_${i}_eip`, {
        domain: "vpc",
        tags: name(`nat-${azs[i]}`),
        dependsOn: [internetGateway],
      });
      return new NatGateway(this, `nat_${i}`, {
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        connectivityType: "public",
        tags: name(`nat-${azs[i]}`),
        dependsOn: [internetGateway],
      });
    });

    this.privateRouteTables = this.privateSubnets.map((subnet, i) => {
      const table = new RouteTable(this, `private_${i}_route_table`, {
        vpcId: this.vpc.id,
        tags: name(`private-${azs[i]}`),
      });
      new RouteTableAssociation(this, `private_${i}_route_table_association`, {
        subnetId: subnet.id,
        routeTableId: table.id,
      });
      const nat = this.natGateways[natStrategy === "per-az" ? i : 0];
      if (nat) {
        new Route(this, `private_${i}_default_route`, {
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: nat.id,
        });
      }
      return table;
    });

    this.isolatedRouteTable = new RouteTable(this, "isolated_route_table", {
      vpcId: this.vpc.id,
      tags: name("isolated"),
    });
    this.isolatedSubnets.forEach(
      (subnet, i) =>
        new RouteTableAssociation(this, `isolated_${i}_route_table_association`, {
          subnetId: subnet.id,
          routeTableId: this.isolatedRouteTable.id,
        }),
    );

    this.s3GatewayEndpoint = new VpcEndpoint(this, "s3_gateway_endpoint", {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...this.privateRouteTables.map((t) => t.id), this.isolatedRouteTable.id],
      tags: name("s3"),
    });
    this.s3PrefixListId = this.s3GatewayEndpoint.prefixListId;

    new DefaultSecurityGroup(this, "default_security_group", {
      vpcId: this.vpc.id,
      tags: name("default-unused"),
    });

    this.dbSubnetGroup = new DbSubnetGroup(this, "db_subnet_group", {
      name: `${props.namePrefix}-data`.toLowerCase(),
      description: `Isolated data-tier subnets of ${props.namePrefix}`,
      subnetIds: this.isolatedSubnetIds,
      tags: name("data"),
    });

    this.flowLogGroup = new CloudwatchLogGroup(this, "flow_log_group", {
      name: `/vpc/${props.namePrefix}/flow-logs`,
      retentionInDays: flowLogRetentionDays,
      kmsKeyId: props.flowLogKmsKeyArn,
      tags: name("flow-logs"),
    });
    const flowLogRole = new IamRole(this, "flow_log_role", {
      name: `${props.namePrefix}-vpc-flow-logs`,
      description: `Lets VPC Flow Logs write ${props.namePrefix} flow records to its log group`,
      assumeRolePolicy: serviceTrustPolicy(this, "flow_log_trust_policy", {
        service: "vpc-flow-logs.amazonaws.com",
        accountId: props.accountId,
        sourceArnLike: `arn:${props.partition}:ec2:${props.region}:${props.accountId}:vpc-flow-log/*`,
      }).json,
      tags: name("vpc-flow-logs"),
    });
    new IamRolePolicy(this, "flow_log_role_policy", {
      name: "write-flow-log-group",
      role: flowLogRole.id,
      policy: new DataAwsIamPolicyDocument(this, "flow_log_policy", {
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
      }).json,
    });
    this.flowLog = new FlowLog(this, "flow_log", {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: FLOW_LOG_AGGREGATION_SECONDS,
      tags: name("flow-log"),
    });
  }
}

/** Problem line when the subnet size cannot hold 3 tiers x the AZs inside the VPC. */
export function subnetFitProblem(
  vpcCidr: string,
  vpcPrefix: number,
  subnetPrefixLength: number,
  azCount: number,
): string | undefined {
  const sizeProblem = checkField(
    "subnetPrefixLength",
    subnetPrefixLength,
    integerIn(vpcPrefix + 1, 28, `(longer than the VPC's /${vpcPrefix}, at most /28)`),
  );
  if (sizeProblem) return sizeProblem;
  const perTier = slotsPerTier(vpcPrefix, subnetPrefixLength);
  if (azCount <= perTier) return undefined;
  return problem(
    "availabilityZones",
    `${azCount} AZs`,
    `at most ${perTier} AZs, because ${vpcCidr} split into /${subnetPrefixLength} subnets holds ${perTier} subnet(s) per tier for 3 tiers`,
  );
}
