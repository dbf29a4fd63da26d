/** The three-tier network's options: defaults, ranges and checks, declared once. */
import {
  RESERVED_VPC_RANGES,
  SMALLEST_ALB_SUBNET_PREFIX,
  availabilityZoneList,
  defaultAvailabilityZones,
  S3_BUCKET_NAME,
  logRetentionDays,
} from "./aws-limits";
import { booleanValue, integerIn, listOf, oneOf } from "./checks";
import { cidrsOverlap, defaultSubnetPrefixLength, ipv4Cidr, parseIpv4Cidr, slotsPerTier } from "./cidr";
import type { CrossCheck, PropRules } from "./props";

export const NAT_STRATEGIES = ["per-az", "single", "none"] as const;
/** `per-az`: one NAT gateway per AZ; `single`: one shared NAT; `none`: no internet egress. */
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

/** Interface endpoints private tasks may need: image pulls, logs, secrets. */
export const INTERFACE_ENDPOINT_SERVICES = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "secretsmanager",
  "ssm",
  "sqs",
] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

export const VPC_PREFIX_RANGE = { min: 16, max: 24 } as const;
/** Aggregation interval of the flow log, in seconds (AWS allows 60 or 600). */
export const FLOW_LOG_AGGREGATION_SECONDS = 600;

/** The network's options that are settings too. */
export interface NetworkOptions {
  /** Region of the VPC. */
  readonly region: string;
  /** IPv4 CIDR of the VPC, a literal /16 to /24 network. */
  readonly vpcCidr?: string;
  /** Availability zones to spread the tiers over, 2 or 3 names of `region`. */
  readonly availabilityZones?: readonly string[];
  /** Prefix length of every subnet. */
  readonly subnetPrefixLength?: number;
  /** How private subnets reach the internet. */
  readonly natStrategy?: NatStrategy;
  /** IPv6 on the public tier (for a dualstack load balancer). */
  readonly publicIpv6?: boolean;
  /** Retention of the VPC flow-log group, in days. */
  readonly flowLogRetentionDays?: number;
  /** Buckets the tasks may use through the S3 gateway endpoint, besides ECR's image layers. */
  readonly s3EndpointBuckets?: readonly string[];
}

export const NETWORK_RULES: PropRules<NetworkOptions> = {
  vpcCidr: {
    description: "IPv4 CIDR of the VPC.",
    check: ipv4Cidr(VPC_PREFIX_RANGE.min, VPC_PREFIX_RANGE.max),
    default: "10.0.0.0/16",
  },
  availabilityZones: {
    description: "Availability zones the tiers are spread over (default: the region's first two).",
    check: (o) => availabilityZoneList(o.region),
    after: ["region"],
    documented: "2 or 3 distinct availability zone names of the region",
    default: (o) => defaultAvailabilityZones(o.region, 2),
  },
  subnetPrefixLength: {
    description: "Prefix length of every subnet (default: the VPC prefix + 4, at most /27).",
    check: (o) => {
      const vpcPrefix = parseIpv4Cidr(o.vpcCidr)?.prefixLength ?? VPC_PREFIX_RANGE.max;
      return integerIn(
        vpcPrefix + 1,
        SMALLEST_ALB_SUBNET_PREFIX,
        `(longer than the VPC prefix /${vpcPrefix}, at most /${SMALLEST_ALB_SUBNET_PREFIX}: an ALB needs /27 subnets or larger)`,
      );
    },
    after: ["vpcCidr"],
    documented: `an integer longer than the VPC prefix, at most ${SMALLEST_ALB_SUBNET_PREFIX} (an ALB needs /27 subnets or larger)`,
    default: (o) => defaultSubnetPrefixLength(parseIpv4Cidr(o.vpcCidr)?.prefixLength ?? VPC_PREFIX_RANGE.max),
  },
  natStrategy: {
    description: "NAT gateways: one per AZ, one shared, or none (then interface endpoints are required).",
    check: oneOf(NAT_STRATEGIES),
    default: "per-az",
  },
  publicIpv6: {
    description:
      "IPv6 on the public tier: a /56 for the VPC, a /64 per public subnet, ::/0 to the internet gateway.",
    check: booleanValue,
    default: false,
  },
  flowLogRetentionDays: {
    description: "Retention of the VPC flow-log group.",
    check: logRetentionDays,
    default: 365,
  },
  s3EndpointBuckets: {
    description:
      "S3 buckets the service may use through the VPC's S3 gateway endpoint (this account's principals only); ECR's image-layer bucket is always allowed, every other bucket refused.",
    check: listOf(S3_BUCKET_NAME, { max: 20, unique: true }),
    default: [],
  },
};

export const NETWORK_CROSS_CHECKS: ReadonlyArray<CrossCheck<NetworkOptions>> = [
  {
    description: "The VPC CIDR avoids the ranges AWS reserves or asks VPCs to avoid.",
    reads: ["vpcCidr"],
    check: (o) => {
      const vpc = parseIpv4Cidr(o.vpcCidr);
      const clash = RESERVED_VPC_RANGES.find(([range]) => vpc && cidrsOverlap(vpc, parseIpv4Cidr(range)!));
      return clash === undefined
        ? []
        : [{ field: "vpcCidr", value: o.vpcCidr, allowed: `a range outside ${clash[0]} (${clash[1]})` }];
    },
  },
  {
    description: "The subnets of 3 tiers × the AZs fit in the VPC CIDR at the chosen subnet size.",
    reads: ["vpcCidr", "subnetPrefixLength", "availabilityZones"],
    check: (o) => {
      const vpcPrefix = parseIpv4Cidr(o.vpcCidr)?.prefixLength ?? 0;
      const subnetPrefix = o.subnetPrefixLength ?? 0;
      const zones = o.availabilityZones ?? [];
      const perTier = slotsPerTier(vpcPrefix, subnetPrefix);
      return zones.length <= perTier
        ? []
        : [
            {
              field: "availabilityZones",
              value: zones,
              allowed: `at most ${perTier} AZs, because ${o.vpcCidr} split into /${subnetPrefix} subnets holds ${perTier} subnet(s) per tier for 3 tiers`,
            },
          ];
    },
  },
];

/** The interface endpoints' services. */
export const interfaceEndpointList = listOf(oneOf(INTERFACE_ENDPOINT_SERVICES), { unique: true });
