/**
 * An existing VPC the environment deploys into instead of creating one: its id and, per tier,
 * which subnet serves each availability zone. Synth checks what it can know (the ids' shape, at
 * least two AZs per tier, AZs of the region); the plan checks the rest against AWS (the subnets
 * belong to the VPC and lie in the AZs given, the private tier routes out).
 */
import { availabilityZoneOf } from "./aws-limits";
import { entryPath, matches, mapOf, optional } from "./checks";
import type { Problem } from "./checks";
import type { CrossCheck, PropRules, RuleGroup } from "./props";

export const SUBNET_TIERS = ["public", "private", "isolated"] as const;
export type ExistingSubnetTier = (typeof SUBNET_TIERS)[number];

/** Availability zone → subnet id. */
export type SubnetsByZone = Readonly<Record<string, string>>;

export interface ExistingVpcOptions {
  /** The VPC to deploy into; unset: the environment creates its own (network.vpcCidr...). */
  readonly vpcId?: string;
  /** The load balancer's subnets: a route to an internet gateway. @default {} */
  readonly publicSubnets?: SubnetsByZone;
  /** The tasks' subnets: a route out (NAT) or the interface endpoints the tasks need. @default {} */
  readonly privateSubnets?: SubnetsByZone;
  /** The database's and cache's subnets. @default {} */
  readonly isolatedSubnets?: SubnetsByZone;
}

export const vpcId = matches(/^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$/, 'a VPC id such as "vpc-0123456789abcdef0"');
export const subnetId = matches(
  /^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/,
  'a subnet id such as "subnet-0123456789abcdef0"',
);

const TIER_USE: Readonly<Record<ExistingSubnetTier, string>> = {
  public: "the load balancer's subnets (routed to an internet gateway)",
  private: "the tasks' subnets (routed out through NAT, or reaching the interface endpoints)",
  isolated: "the database's and cache's subnets",
};

const subnetsRule = (tier: ExistingSubnetTier) => ({
  description: `${TIER_USE[tier][0]?.toUpperCase()}${TIER_USE[tier].slice(1)}: availability zone → subnet id.`,
  check: (o: { region?: string }) => mapOf(availabilityZoneOf(o.region ?? ""), subnetId),
  after: ["region"] as const,
  documented: "an object of availability zone of the region → subnet id",
  default: {},
});

type View = ExistingVpcOptions & { region: string };

const EXISTING_VPC_RULES: PropRules<View> = {
  vpcId: {
    description:
      "An existing VPC to deploy into (the network team's): the environment then creates no VPC, subnets, gateways, routes or flow logs, only its security groups, the endpoints it is asked for and its own resources.",
    check: optional(vpcId),
  },
  publicSubnets: subnetsRule("public"),
  privateSubnets: subnetsRule("private"),
  isolatedSubnets: subnetsRule("isolated"),
};

const tierField = (tier: ExistingSubnetTier) => `${tier}Subnets` as const;

const EXISTING_VPC_CROSS_CHECKS: ReadonlyArray<CrossCheck<View>> = [
  {
    description:
      "With vpcId, each tier names subnets in at least two availability zones (the load balancer, Multi-AZ databases and the tasks need two), and no subnet serves two tiers; without it, no subnets.",
    reads: ["vpcId", "publicSubnets", "privateSubnets", "isolatedSubnets"],
    check: (o) => {
      const problems: Problem[] = [];
      const seen = new Map<string, string>();
      for (const tier of SUBNET_TIERS) {
        const field = tierField(tier);
        const subnets = o[field] ?? {};
        const zones = Object.keys(subnets);
        if (o.vpcId === undefined) {
          if (zones.length > 0) {
            problems.push({
              field,
              value: subnets,
              allowed: "none without existingVpc.vpcId (set it, or remove the subnets)",
            });
          }
          continue;
        }
        if (zones.length < 2) {
          problems.push({
            field,
            value: subnets,
            allowed: `subnets in at least two availability zones of the VPC, for ${TIER_USE[tier]}: {"<az>": "subnet-..."} twice or more`,
          });
        }
        for (const [zone, id] of Object.entries(subnets)) {
          const other = seen.get(id);
          if (other !== undefined) {
            problems.push({
              field: `${field}${entryPath(zone)}`,
              value: id,
              allowed: `a subnet no other tier uses (${other} has it)`,
            });
          }
          seen.set(id, `${field}${entryPath(zone)}`);
        }
      }
      return problems;
    },
  },
];

export const EXISTING_VPC_GROUP: RuleGroup<View> = {
  rules: EXISTING_VPC_RULES,
  crossChecks: EXISTING_VPC_CROSS_CHECKS,
};

/** Whether an environment deploys into an existing VPC. */
export function usesExistingVpc(options: ExistingVpcOptions | undefined): options is ExistingVpcOptions & {
  vpcId: string;
} {
  return options?.vpcId !== undefined;
}
