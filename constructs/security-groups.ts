import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { tcpPort } from "./aws-limits";
import { checkField, problem } from "./checks";
import { throwIfProblems } from "./validation-error";

/** Tiers that own a security group. */
export const SECURITY_TIERS = ["alb", "app", "data", "cache", "endpoints"] as const;
export type SecurityTier = (typeof SECURITY_TIERS)[number];
/** `internet` is 0.0.0.0/0; `s3` is the S3 gateway endpoint's prefix list (egress only). */
export type FlowPeer = SecurityTier | "internet" | "s3";

export const INTERNET_CIDR = "0.0.0.0/0";
export const INTERNET_IPV6_CIDR = "::/0";
export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;
export const HTTPS_PORT = 443;
export const HTTP_PORT = 80;

/** One allowed TCP connection between tiers. */
export interface TierFlow {
  /** Stable snake_case name; it becomes part of the rules' Terraform addresses. */
  readonly id: string;
  readonly from: SecurityTier | "internet";
  readonly to: FlowPeer;
  readonly port: number;
  /** Why this flow exists; becomes the description of both rules. */
  readonly description: string;
}

export interface TierFlowOptions {
  /** Port the app containers listen on. */
  readonly containerPort: number;
  /** Whether private subnets have a NAT path to the internet. */
  readonly internetEgress: boolean;
  /** Whether interface VPC endpoints exist (they get their own group). */
  readonly interfaceEndpoints: boolean;
  /** Whether the cache tier (Redis, 6379) exists. */
  readonly cache: boolean;
  /** Whether the ALB keeps port 80 open to answer with a redirect to HTTPS. */
  readonly httpRedirect: boolean;
}

/**
 * The declared tier-flow graph of the service: the only connections security groups allow.
 * Every flow becomes an ingress rule on the receiver and the matching egress rule on the sender.
 */
export function tierFlows(options: TierFlowOptions): TierFlow[] {
  const flows: Array<TierFlow | false> = [
    {
      id: "internet_to_alb_https",
      from: "internet",
      to: "alb",
      port: HTTPS_PORT,
      description: "HTTPS from the internet to the load balancer",
    },
    options.httpRedirect && {
      id: "internet_to_alb_http",
      from: "internet",
      to: "alb",
      port: HTTP_PORT,
      description: "HTTP from the internet, answered only with a redirect to HTTPS",
    },
    {
      id: "alb_to_app",
      from: "alb",
      to: "app",
      port: options.containerPort,
      description: "Load balancer to the service containers (traffic and health checks)",
    },
    {
      id: "app_to_data",
      from: "app",
      to: "data",
      port: POSTGRES_PORT,
      description: "Service to PostgreSQL in the data tier",
    },
    options.cache && {
      id: "app_to_cache",
      from: "app",
      to: "cache",
      port: REDIS_PORT,
      description: "Service to Redis in the cache tier",
    },
    options.interfaceEndpoints && {
      id: "app_to_endpoints",
      from: "app",
      to: "endpoints",
      port: HTTPS_PORT,
      description: "Service to the interface VPC endpoints (ECR, Logs, Secrets Manager, SSM)",
    },
    {
      id: "app_to_s3",
      from: "app",
      to: "s3",
      port: HTTPS_PORT,
      description: "Service to S3 through the gateway endpoint (ECR image layers)",
    },
    options.internetEgress && {
      id: "app_to_internet_https",
      from: "app",
      to: "internet",
      port: HTTPS_PORT,
      description: "Service to HTTPS on the internet through NAT (AWS APIs, image pulls)",
    },
  ];
  return flows.filter((flow): flow is TierFlow => flow !== false);
}

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
  public readonly groups: Partial<Record<SecurityTier, SecurityGroup>> = {};
  public readonly ingressRules: VpcSecurityGroupIngressRule[] = [];
  public readonly egressRules: VpcSecurityGroupEgressRule[] = [];
  public readonly flows: readonly TierFlow[];

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    this.flows = props.flows;
    throwIfProblems(this, flowProblems(props.flows, props.s3PrefixListId !== undefined));

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

    for (const flow of props.flows) {
      const common = {
        ipProtocol: "tcp",
        fromPort: flow.port,
        toPort: flow.port,
        description: flow.description,
        tags: { Name: `${props.namePrefix}-${flow.id}`, Flow: flow.id },
      };
      if (flow.to !== "internet" && flow.to !== "s3") {
        this.ingressRules.push(
          new VpcSecurityGroupIngressRule(this, `${flow.id}_ingress`, {
            ...common,
            securityGroupId: this.groupId(flow.to),
            ...(flow.from === "internet"
              ? { cidrIpv4: INTERNET_CIDR }
              : { referencedSecurityGroupId: this.groupId(flow.from) }),
          }),
        );
        if (flow.from === "internet" && props.internetIpv6) {
          this.ingressRules.push(
            new VpcSecurityGroupIngressRule(this, `${flow.id}_ipv6_ingress`, {
              ...common,
              securityGroupId: this.groupId(flow.to),
              cidrIpv6: INTERNET_IPV6_CIDR,
            }),
          );
        }
      }
      if (flow.from !== "internet") {
        const destination =
          flow.to === "internet"
            ? { cidrIpv4: INTERNET_CIDR }
            : flow.to === "s3"
              ? { prefixListId: props.s3PrefixListId }
              : { referencedSecurityGroupId: this.groupId(flow.to) };
        this.egressRules.push(
          new VpcSecurityGroupEgressRule(this, `${flow.id}_egress`, {
            ...common,
            securityGroupId: this.groupId(flow.from),
            ...destination,
          }),
        );
      }
    }
  }

  /** Id of a tier's group; throws when no flow touches that tier. */
  public groupId(tier: SecurityTier): string {
    const group = this.groups[tier];
    if (!group) throw new Error(`${this.node.path}: no security group for tier "${tier}" (no flow uses it)`);
    return group.id;
  }

  public hasGroup(tier: SecurityTier): boolean {
    return this.groups[tier] !== undefined;
  }
}

function flowProblems(flows: readonly TierFlow[], hasS3PrefixList: boolean): Array<string | undefined> {
  const seen = new Set<string>();
  return flows.flatMap((flow, i) => {
    const field = `flows[${i}] (${flow.id})`;
    const duplicate = seen.has(flow.id);
    seen.add(flow.id);
    return [
      duplicate ? problem(`${field}.id`, flow.id, "a flow id used once") : undefined,
      /^[a-z][a-z0-9_]*$/.test(flow.id) ? undefined : problem(`${field}.id`, flow.id, "snake_case"),
      checkField(`${field}.port`, flow.port, tcpPort),
      flow.from === "internet" && (flow.to === "internet" || flow.to === "s3")
        ? problem(
            `${field}.to`,
            flow.to,
            "a tier with a security group when the flow comes from the internet",
          )
        : undefined,
      flow.from === flow.to ? problem(`${field}.to`, flow.to, "a tier other than the sender") : undefined,
      flow.to === "s3" && !hasS3PrefixList
        ? problem(`${field}.to`, flow.to, "s3 only when s3PrefixListId is given")
        : undefined,
      flow.description.trim() === ""
        ? problem(`${field}.description`, flow.description, "a non-empty description")
        : undefined,
    ];
  });
}
