import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { throwIfProblems } from "./model/checks";
import { acceptFindings } from "./support/accepted-findings";
import {
  HTTP_PORT,
  INTERNET_CIDR,
  INTERNET_IPV6_CIDR,
  PREFIX_LIST_ID,
  SECURITY_TIERS,
  flowProblems,
} from "./model/security-groups";
import type { FlowGroup, SecurityTier, TierFlow } from "./model/security-groups";

export interface SecurityGroupsProps {
  /** Prefix of group names and Name tags, e.g. "orders-api-dev". */
  readonly namePrefix: string;
  readonly vpcId: string;
  /** The allowed connections; see `tierFlows()` for the standard graph. */
  readonly flows: readonly TierFlow[];
  /**
   * Prefix list of the S3 gateway endpoint. Required when a flow goes to `s3`.
   *
   * @default - no flow may target `s3`
   */
  readonly s3PrefixListId?: string;
  /**
   * Whether flows from the internet also admit IPv6 (`::/0`), for a dualstack load balancer.
   *
   * @default false
   */
  readonly internetIpv6?: boolean;
}

const GROUP_DESCRIPTIONS: Record<SecurityTier, string> = {
  alb: "Internet-facing application load balancer",
  app: "Fargate tasks of the HTTP API",
  data: "Data tier (PostgreSQL)",
  cache: "Cache tier (Redis)",
  endpoints: "Interface VPC endpoints",
};

/**
 * One security group per tier that appears in the flows, with no inline rules. Each flow yields
 * a standalone ingress rule on the receiver and egress rule on the sender, referencing the
 * other group by id; CIDRs appear only for the internet and prefix lists only for S3.
 */
export class SecurityGroups extends Construct {
  public readonly groups: Partial<Record<FlowGroup, SecurityGroup>> = {};
  public readonly ingressRules: VpcSecurityGroupIngressRule[] = [];
  public readonly egressRules: VpcSecurityGroupEgressRule[] = [];
  public readonly flows: readonly TierFlow[];

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    this.flows = props.flows;
    throwIfProblems(this.node.path, flowProblems(props.flows, props.s3PrefixListId !== undefined));

    for (const tier of SECURITY_TIERS) {
      if (!props.flows.some((f) => f.from === tier || f.to === tier)) continue;
      this.groups[tier] = new SecurityGroup(this, tier, {
        namePrefix: `${props.namePrefix}-${tier}-`,
        description: GROUP_DESCRIPTIONS[tier],
        vpcId: props.vpcId,
        tags: { Name: `${props.namePrefix}-${tier}`, Tier: tier },
        lifecycle: { createBeforeDestroy: true },
      });
    }
    for (const group of workloadGroupsIn(props.flows)) {
      const name = group.slice("workload:".length);
      this.groups[group] = new SecurityGroup(this, `workload_${name.replace(/-/g, "_")}`, {
        namePrefix: `${props.namePrefix}-${name}-`,
        description: `Fargate tasks of the ${name} workload`,
        vpcId: props.vpcId,
        tags: { Name: `${props.namePrefix}-${name}`, Tier: "workload", Workload: name },
        lifecycle: { createBeforeDestroy: true },
      });
    }

    for (const flow of props.flows) {
      const common = {
        ipProtocol: "tcp",
        fromPort: flow.port,
        toPort: flow.port,
        description: flow.description,
        tags: { Name: `${props.namePrefix}-${flow.id}`, Flow: flow.id },
      };
      if (flow.to !== "internet" && flow.to !== "s3") {
        const ingress = new VpcSecurityGroupIngressRule(this, `${flow.id}_ingress`, {
          ...common,
          securityGroupId: this.groupId(flow.to),
          ...(flow.from === "internet"
            ? { cidrIpv4: INTERNET_CIDR }
            : { referencedSecurityGroupId: this.groupId(flow.from) }),
        });
        this.ingressRules.push(ingress);
        if (flow.from === "internet") {
          acceptFindings(ingress, "publicLoadBalancerIngress");
          if (flow.port === HTTP_PORT) acceptFindings(ingress, "httpRedirectPort");
          if (props.internetIpv6) {
            const ipv6 = new VpcSecurityGroupIngressRule(this, `${flow.id}_ipv6_ingress`, {
              ...common,
              securityGroupId: this.groupId(flow.to),
              cidrIpv6: INTERNET_IPV6_CIDR,
            });
            acceptFindings(ipv6, "publicLoadBalancerIngress");
            this.ingressRules.push(ipv6);
          }
        }
      }
      if (flow.from !== "internet") {
        const internet = flow.destination ?? INTERNET_CIDR;
        const destination =
          flow.to === "internet"
            ? PREFIX_LIST_ID.test(internet)
              ? { prefixListId: internet }
              : { cidrIpv4: internet }
            : flow.to === "s3"
              ? { prefixListId: props.s3PrefixListId }
              : { referencedSecurityGroupId: this.groupId(flow.to) };
        const egress = new VpcSecurityGroupEgressRule(this, `${flow.id}_egress`, {
          ...common,
          securityGroupId: this.groupId(flow.from),
          ...destination,
        });
        if (flow.to === "internet" && internet === INTERNET_CIDR) acceptFindings(egress, "anyHttpsEgress");
        this.egressRules.push(egress);
      }
    }
  }

  /** Id of a tier's or workload's group; throws when no flow touches it. */
  public groupId(tier: FlowGroup): string {
    const group = this.groups[tier];
    if (!group) throw new Error(`${this.node.path}: no security group for tier "${tier}" (no flow uses it)`);
    return group.id;
  }

  public hasGroup(tier: FlowGroup): boolean {
    return this.groups[tier] !== undefined;
  }
}

/** The workload groups the flows name, in order of first appearance. */
function workloadGroupsIn(flows: readonly TierFlow[]): Array<`workload:${string}`> {
  const found = flows
    .flatMap((f) => [f.from, f.to])
    .filter((peer): peer is `workload:${string}` => peer.startsWith("workload:"));
  return [...new Set(found)];
}
