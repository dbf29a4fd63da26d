/** The declared tier-flow graph: the only connections the security groups allow. */
import { tcpPort } from "./aws-limits";
import { check, checkField, listOf } from "./checks";
import type { Problem } from "./checks";
import { parseIpv4Cidr } from "./cidr";

/** Tiers that own a security group. */
export const SECURITY_TIERS = ["alb", "app", "data", "cache", "endpoints"] as const;
export type SecurityTier = (typeof SECURITY_TIERS)[number];
/** A workload's own group: `workload:<name>`. */
export type WorkloadGroup = `workload:${string}`;
/** Who owns a security group: a tier, or a workload. */
export type FlowGroup = SecurityTier | WorkloadGroup;
/** `internet` is 0.0.0.0/0; `s3` is the S3 gateway endpoint's prefix list (egress only). */
export type FlowPeer = FlowGroup | "internet" | "s3";

export function workloadGroup(name: string): WorkloadGroup {
  return `workload:${name}`;
}

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
  readonly from: FlowGroup | "internet";
  readonly to: FlowPeer;
  /** For flows to the internet: the IPv4 CIDR or prefix list id (default 0.0.0.0/0). */
  readonly destination?: string;
  readonly port: number;
  /** Why this flow exists; becomes the description of both rules. */
  readonly description: string;
}

/** A managed prefix list, e.g. "pl-0123456789abcdef0". */
export const PREFIX_LIST_ID = /^pl-[0-9a-f]{8,17}$/;

/** Where the app tier may open HTTPS connections on the internet (through NAT). */
export const internetEgressDestination = check(
  'an IPv4 network CIDR such as "203.0.113.0/24" or "0.0.0.0/0" (any HTTPS), or a managed prefix list id "pl-..." (private subnets are IPv4 only)',
  (v) => parseIpv4Cidr(v) !== undefined || (typeof v === "string" && PREFIX_LIST_ID.test(v)),
);
export const internetEgressDestinations = listOf(internetEgressDestination, { max: 50, unique: true });

/** Terraform-address-safe name of an egress destination; 0.0.0.0/0 keeps the flow's own name. */
export function destinationSlug(destination: string): string {
  if (destination === INTERNET_CIDR) return "";
  return `_${destination.replace(/[^a-z0-9]+/gi, "_").replace(/^_+|_+$/g, "")}`;
}

export interface TierFlowOptions {
  /** Port the app containers listen on. */
  readonly containerPort: number;
  /**
   * IPv4 CIDRs and prefix lists the app may reach on 443 through NAT; empty for none.
   * "0.0.0.0/0" is any HTTPS destination.
   */
  readonly internetEgress: readonly string[];
  /** Whether interface VPC endpoints exist (they get their own group). */
  readonly interfaceEndpoints: boolean;
  /** Whether the database (PostgreSQL, 5432) exists. */
  readonly database: boolean;
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
    options.database && {
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
    ...options.internetEgress.map((destination): TierFlow => ({
      id: `app_to_internet_https${destinationSlug(destination)}`,
      from: "app",
      to: "internet",
      destination,
      port: HTTPS_PORT,
      description:
        destination === INTERNET_CIDR
          ? "Service to HTTPS on the internet through NAT (AWS APIs, image pulls)"
          : `Service to HTTPS at ${destination} through NAT`,
    })),
  ];
  return flows.filter((flow): flow is TierFlow => flow !== false);
}

/** What a workload may reach: the data stores it uses, the endpoints, S3 and the internet egress. */
export interface WorkloadFlowOptions {
  /** A web workload's container port, which the load balancer calls. @default - nothing calls it */
  readonly fromLoadBalancerPort?: number;
  readonly internetEgress: readonly string[];
  readonly interfaceEndpoints: boolean;
  readonly database: boolean;
  readonly cache: boolean;
}

/** The flows of a workload: the load balancer to a web workload, and each one's outbound flows. */
export function workloadFlows(name: string, options: WorkloadFlowOptions): TierFlow[] {
  const from = workloadGroup(name);
  const id = `workload_${name.replace(/-/g, "_")}`;
  const flows: Array<TierFlow | false> = [
    options.fromLoadBalancerPort !== undefined && {
      id: `alb_to_${id}`,
      from: "alb",
      to: from,
      port: options.fromLoadBalancerPort,
      description: `Load balancer to the ${name} web workload (traffic and health checks)`,
    },
    options.database && {
      id: `${id}_to_data`,
      from,
      to: "data",
      port: POSTGRES_PORT,
      description: `The ${name} workload to PostgreSQL in the data tier`,
    },
    options.cache && {
      id: `${id}_to_cache`,
      from,
      to: "cache",
      port: REDIS_PORT,
      description: `The ${name} workload to Redis in the cache tier`,
    },
    options.interfaceEndpoints && {
      id: `${id}_to_endpoints`,
      from,
      to: "endpoints",
      port: HTTPS_PORT,
      description: `The ${name} workload to the interface VPC endpoints`,
    },
    {
      id: `${id}_to_s3`,
      from,
      to: "s3",
      port: HTTPS_PORT,
      description: `The ${name} workload to S3 through the gateway endpoint (ECR image layers)`,
    },
    ...options.internetEgress.map((destination): TierFlow => ({
      id: `${id}_to_internet_https${destinationSlug(destination)}`,
      from,
      to: "internet",
      destination,
      port: HTTPS_PORT,
      description: `The ${name} workload to HTTPS at ${destination === INTERNET_CIDR ? "any address" : destination} through NAT`,
    })),
  ];
  return flows.filter((flow): flow is TierFlow => flow !== false);
}

/** Problems of a flow list: duplicate or malformed ids, bad ports, impossible peers, missing descriptions. */
export function flowProblems(
  flows: readonly TierFlow[],
  hasS3PrefixList: boolean,
): Array<Problem | undefined> {
  const seen = new Set<string>();
  return flows.flatMap((flow, i) => {
    const field = `flows[${i}] (${flow.id})`;
    const duplicate = seen.has(flow.id);
    seen.add(flow.id);
    return [
      duplicate ? { field: `${field}.id`, value: flow.id, allowed: "a flow id used once" } : undefined,
      /^[a-z][a-z0-9_]*$/.test(flow.id)
        ? undefined
        : { field: `${field}.id`, value: flow.id, allowed: "snake_case" },
      ...checkField(`${field}.port`, flow.port, tcpPort),
      flow.from === "internet" && (flow.to === "internet" || flow.to === "s3")
        ? {
            field: `${field}.to`,
            value: flow.to,
            allowed: "a tier with a security group when the flow comes from the internet",
          }
        : undefined,
      ...(flow.destination === undefined
        ? []
        : flow.to === "internet"
          ? checkField(`${field}.destination`, flow.destination, internetEgressDestination)
          : [
              {
                field: `${field}.destination`,
                value: flow.destination,
                allowed: "only on flows to the internet",
              },
            ]),
      flow.from === flow.to
        ? { field: `${field}.to`, value: flow.to, allowed: "a tier other than the sender" }
        : undefined,
      flow.to === "s3" && !hasS3PrefixList
        ? { field: `${field}.to`, value: flow.to, allowed: "s3 only when s3PrefixListId is given" }
        : undefined,
      flow.description.trim() === ""
        ? { field: `${field}.description`, value: flow.description, allowed: "a non-empty description" }
        : undefined,
    ];
  });
}
