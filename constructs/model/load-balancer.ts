/** The HTTPS edge's options (load balancer, certificate, DNS, access logs, WAF), declared once. */
import { createHash } from "node:crypto";
import {
  ELB_NAME_MAX_LENGTH,
  TARGET_GROUP_NAME_PREFIX_MAX_LENGTH,
  domainName,
  elbName,
  hostedZoneId,
  hostedZoneName,
  logRetentionDays,
} from "./aws-limits";
import { booleanValue, check, integerIn, listOf, oneOf, optional } from "./checks";
import type { Problem } from "./checks";
import { domainIsInZone } from "./aws-limits";
import type { CrossCheck, PropRules } from "./props";

/** AWS's recommended policy: TLS 1.2 and 1.3 with hybrid post-quantum key exchange. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
/** TLS 1.2+ policies that pass checkov CKV_AWS_103/CKV2_AWS_74 and trivy AWS-0047. */
export const ALLOWED_SSL_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
] as const;

export const targetGroupNamePrefix = check(
  `1-${TARGET_GROUP_NAME_PREFIX_MAX_LENGTH} letters, digits and hyphens, starting with a letter or digit`,
  (v) =>
    typeof v === "string" &&
    v.length <= TARGET_GROUP_NAME_PREFIX_MAX_LENGTH &&
    /^[A-Za-z0-9][A-Za-z0-9-]*$/.test(v),
);

/**
 * A load-balancer name of at most 32 characters derived from `base`: `base` itself when it fits,
 * otherwise its first 27 characters and a 4-character hash of the whole, so names stay
 * deterministic and distinct.
 */
export function loadBalancerNameFor(base: string): string {
  if (base.length <= ELB_NAME_MAX_LENGTH) return base;
  const hash = createHash("sha256").update(base).digest("hex").slice(0, 4);
  return `${base.slice(0, ELB_NAME_MAX_LENGTH - 5).replace(/-+$/, "")}-${hash}`;
}

/** A target-group `name_prefix` derived from an environment name: up to 5 characters and "-". */
export function targetGroupNamePrefixFor(environment: string): string {
  return `${environment.slice(0, TARGET_GROUP_NAME_PREFIX_MAX_LENGTH - 1).replace(/-+$/, "")}-`;
}

/** The load balancer's options that are settings too. */
/** A year: the HSTS max-age browsers and scanners expect. */
export const ONE_YEAR_SECONDS = 31536000;

export interface LoadBalancerOptions {
  /** Prefix of resource names, e.g. "orders-api-prod"; the default ALB name derives from it. */
  readonly namePrefix: string;
  readonly loadBalancerName?: string;
  readonly sslPolicy?: string;
  readonly idleTimeoutSeconds?: number;
  readonly deletionProtection?: boolean;
  readonly deregistrationDelaySeconds?: number;
  readonly httpRedirect?: boolean;
  readonly ipv6?: boolean;
  readonly hstsMaxAgeSeconds?: number;
}

/** Two years: the longest HSTS max-age browsers' preload lists ask for. */
export const HSTS_MAX_AGE_LIMIT_SECONDS = 63072000;

/** The Strict-Transport-Security header the HTTPS listener adds, or undefined for none (max-age 0). */
export function hstsHeaderValue(maxAgeSeconds: number): string | undefined {
  return maxAgeSeconds === 0 ? undefined : `max-age=${maxAgeSeconds}`;
}

export const LOAD_BALANCER_RULES: PropRules<LoadBalancerOptions> = {
  loadBalancerName: {
    description: "ALB name (default: <project>-<environment>, shortened with a hash past 32 characters).",
    check: elbName,
    default: (o) => loadBalancerNameFor(o.namePrefix),
  },
  sslPolicy: {
    description: "TLS policy of the HTTPS listener.",
    check: oneOf(ALLOWED_SSL_POLICIES),
    default: DEFAULT_SSL_POLICY,
  },
  idleTimeoutSeconds: { description: "ALB idle timeout.", check: integerIn(1, 4000, "seconds"), default: 60 },
  deletionProtection: { description: "ALB deletion protection.", check: booleanValue, default: false },
  deregistrationDelaySeconds: {
    description: "Seconds the ALB drains a task; at most service.stopTimeoutSeconds.",
    check: integerIn(0, 3600, "seconds"),
    default: 30,
  },
  httpRedirect: {
    description: "Keep port 80 open, answering only with a 301 to HTTPS.",
    check: booleanValue,
    default: true,
  },
  ipv6: {
    description: "Dualstack ALB (IPv6 on the public tier) and an AAAA record.",
    check: booleanValue,
    default: false,
  },
  hstsMaxAgeSeconds: {
    description:
      "max-age of the Strict-Transport-Security header the HTTPS listener adds to every response (browsers then refuse plain HTTP for that long); 0 sends none.",
    check: integerIn(0, HSTS_MAX_AGE_LIMIT_SECONDS, "seconds"),
    default: ONE_YEAR_SECONDS,
  },
};

/** The DNS-validated certificate's names. */
export interface CertificateOptions {
  readonly domainName: string;
  readonly subjectAlternativeNames?: readonly string[];
}

export const CERTIFICATE_RULES: PropRules<CertificateOptions> = {
  domainName: { description: "Domain of the API.", check: domainName },
  subjectAlternativeNames: {
    description: "More names on the DNS-validated certificate.",
    check: listOf(domainName, { unique: true }),
    default: [],
  },
};

/** The hosted zone a domain is published in: by id or by name. */
export interface HostedZoneOptions {
  readonly domainName: string;
  readonly zoneId?: string;
  readonly zoneName?: string;
}

export const HOSTED_ZONE_RULES: PropRules<HostedZoneOptions> = {
  domainName: { description: "Name that must lie in the zone.", check: domainName },
  zoneId: {
    description: "Route 53 hosted zone of the domain, by id.",
    check: optional(hostedZoneId),
  },
  zoneName: {
    description: "Route 53 hosted zone of the domain, by name (looked up).",
    check: optional(hostedZoneName),
  },
};

export const HOSTED_ZONE_CROSS_CHECKS: ReadonlyArray<CrossCheck<HostedZoneOptions>> = [
  {
    description: "Exactly one of zoneId and zoneName; a zone given by name contains the domain.",
    reads: ["domainName", "zoneId", "zoneName"],
    check: (o): Problem[] => {
      if ((o.zoneId === undefined) === (o.zoneName === undefined)) {
        return [{ field: "zoneName", value: o.zoneName, allowed: "exactly one of zoneId and zoneName" }];
      }
      return o.zoneName !== undefined && !domainIsInZone(o.domainName, o.zoneName)
        ? [
            {
              field: "domainName",
              value: o.domainName,
              allowed: `a name inside the hosted zone ${o.zoneName}`,
            },
          ]
        : [];
    },
  },
];

/** Access-log retention, days. */
export const ACCESS_LOG_RETENTION_DAYS = integerIn(1, 3650, "days");
/** Object Lock retention of access logs; 0 is off. */
export const ACCESS_LOG_OBJECT_LOCK_DAYS = integerIn(0, 3650, "days");

/** The WAF's log group keeps this many days. */
export const WAF_LOG_RETENTION = logRetentionDays;

/** The web ACL's tunable props (the construct's other props are wiring). */
export interface WebAclOptions {
  readonly rateLimitPerIp?: number;
  readonly logRetentionDays: number;
}

export const WEB_ACL_RULES: PropRules<WebAclOptions> = {
  rateLimitPerIp: {
    description:
      "Requests one client IP may send in 5 minutes before the WAF blocks it (a rate-based rule evaluated before the managed rule groups).",
    check: integerIn(100, 2_000_000_000, "requests per 5 minutes"),
    default: 2000,
  },
  logRetentionDays: { description: "Days the WAF's log group keeps its logs.", check: WAF_LOG_RETENTION },
};

/** Request headers the WAF's logs never contain: credentials and session cookies. */
export const WAF_REDACTED_HEADERS = [
  "authorization",
  "cookie",
  "x-api-key",
  "proxy-authorization",
  "x-amz-security-token",
] as const;

/**
 * The ALB keeps sending a deregistering target requests for the deregistration delay; a
 * container stopped sooner than that drops them. So the delay must not exceed the stop timeout.
 */
export function deregistrationDelayProblem(
  delayField: string,
  delaySeconds: number,
  stopTimeoutField: string,
  stopTimeoutSeconds: number,
): Problem | undefined {
  if (delaySeconds <= stopTimeoutSeconds) return undefined;
  return {
    field: delayField,
    value: delaySeconds,
    allowed: `at most ${stopTimeoutField} (${stopTimeoutSeconds} s): the ALB would keep sending requests to a container that is already stopped`,
  };
}
