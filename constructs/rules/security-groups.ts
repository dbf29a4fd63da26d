/** The declared tier-flow graph: the only connections the security groups allow. */
import { tcpPort } from "./aws-limits";
import { checkField } from "./checks";
import type { Problem } from "./checks";

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
