import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { Token } from "cdktf";
import type { ITerraformDependable } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { ELB_NAME_MAX_LENGTH, TARGET_GROUP_NAME_PREFIX_MAX_LENGTH, elbName, tcpPort } from "./aws-limits";
import { booleanValue, check, checkField, integerIn, oneOf, problem } from "./checks";
import type { TargetGroupHealthCheck } from "./health-check";
import { HEALTH_CHECK_LIMITS, healthCheckPath } from "./health-check";
import { throwIfProblems } from "./validation-error";

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
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
export const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 30;
export const IDLE_TIMEOUT_RANGE = { min: 1, max: 4000 } as const;
export const DEREGISTRATION_DELAY_RANGE = { min: 0, max: 3600 } as const;

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

export interface LoadBalancerProps {
  /** Prefix of Name tags, e.g. "orders-api-prod". */
  readonly namePrefix: string;
  /** ALB name, at most 32 characters (see `loadBalancerNameFor`). */
  readonly loadBalancerName: string;
  /** Target-group name prefix, at most 6 characters (see `targetGroupNamePrefixFor`). */
  readonly targetGroupNamePrefix: string;
  readonly vpcId: string;
  /** Public subnets in at least two AZs. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Certificate of the HTTPS listener: take it from `aws_acm_certificate_validation` so it is issued. */
  readonly certificateArn: string;
  /** Port of the targets (the container port). @default 8000 */
  readonly targetPort?: number;
  /** Target-group health check. */
  readonly healthCheck: TargetGroupHealthCheck;
  /** @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** @default "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" */
  readonly sslPolicy?: string;
  /** @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** @default false */
  readonly deletionProtection?: boolean;
  /**
   * Keep port 80 open, answering only with a 301 to HTTPS.
   *
   * @default true
   */
  readonly httpRedirect?: boolean;
  /** Dualstack (IPv4 and IPv6); the subnets need IPv6 CIDRs. @default false */
  readonly ipv6?: boolean;
  /**
   * Access logs to this S3 bucket (SSE-S3, with a bucket policy for log delivery).
   *
   * @default - no access logs
   */
  readonly accessLogs?: { readonly bucket: string; readonly prefix: string };
  /**
   * What the load balancer must wait for, e.g. the access-log bucket policy (AWS checks that it
   * may write there when access logs are switched on).
   *
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Internet-facing ALB: an ip-type target group (name_prefix, create_before_destroy), an HTTPS
 * listener with an explicit TLS 1.2+ policy forwarding to it, and an HTTP listener that only
 * redirects to HTTPS.
 */
export class LoadBalancer extends Construct {
  public readonly loadBalancer: Lb;
  public readonly targetGroup: LbTargetGroup;
  public readonly httpsListener: LbListener;
  public readonly httpListener?: LbListener;
  public readonly dnsName: string;
  public readonly zoneId: string;
  public readonly targetGroupArn: string;
  public readonly deregistrationDelaySeconds: number;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const targetPort = props.targetPort ?? 8000;
    const sslPolicy = props.sslPolicy ?? DEFAULT_SSL_POLICY;
    const idleTimeout = props.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS;
    const deregistrationDelay = props.deregistrationDelaySeconds ?? DEFAULT_DEREGISTRATION_DELAY_SECONDS;
    const deletionProtection = props.deletionProtection ?? false;
    const httpRedirect = props.httpRedirect ?? true;
    const hc = props.healthCheck;
    const limits = HEALTH_CHECK_LIMITS;

    throwIfProblems(this, [
      checkField("loadBalancerName", props.loadBalancerName, elbName),
      checkField("targetGroupNamePrefix", props.targetGroupNamePrefix, targetGroupNamePrefix),
      Token.isUnresolved(props.subnetIds) || props.subnetIds.length >= 2
        ? undefined
        : problem("subnetIds", props.subnetIds, "subnets in at least 2 AZs (an ALB requires two)"),
      checkField("targetPort", targetPort, tcpPort),
      checkField("sslPolicy", sslPolicy, oneOf(ALLOWED_SSL_POLICIES)),
      checkField(
        "idleTimeoutSeconds",
        idleTimeout,
        integerIn(IDLE_TIMEOUT_RANGE.min, IDLE_TIMEOUT_RANGE.max, "seconds"),
      ),
      checkField(
        "deregistrationDelaySeconds",
        deregistrationDelay,
        integerIn(DEREGISTRATION_DELAY_RANGE.min, DEREGISTRATION_DELAY_RANGE.max, "seconds"),
      ),
      checkField("deletionProtection", deletionProtection, booleanValue),
      checkField("healthCheck.path", hc.path, healthCheckPath),
      checkField(
        "healthCheck.intervalSeconds",
        hc.intervalSeconds,
        integerIn(limits.intervalSeconds.min, limits.intervalSeconds.max),
      ),
      checkField(
        "healthCheck.timeoutSeconds",
        hc.timeoutSeconds,
        integerIn(limits.timeoutSeconds.min, limits.timeoutSeconds.max),
      ),
      hc.timeoutSeconds >= hc.intervalSeconds
        ? problem(
            "healthCheck.timeoutSeconds",
            hc.timeoutSeconds,
            `less than healthCheck.intervalSeconds (${hc.intervalSeconds})`,
          )
        : undefined,
      checkField("healthCheck.healthyThreshold", hc.healthyThreshold, integerIn(2, 10)),
      checkField("healthCheck.unhealthyThreshold", hc.unhealthyThreshold, integerIn(2, 10)),
    ]);
    this.deregistrationDelaySeconds = deregistrationDelay;

    this.loadBalancer = new Lb(this, "load_balancer", {
      name: props.loadBalancerName,
      internal: false,
      loadBalancerType: "application",
      ipAddressType: props.ipv6 ? "dualstack" : "ipv4",
      subnets: [...props.subnetIds],
      securityGroups: [...props.securityGroupIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: deletionProtection,
      idleTimeout,
      desyncMitigationMode: "defensive",
      accessLogs: props.accessLogs
        ? { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true }
        : undefined,
      tags: { Name: props.loadBalancerName },
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;

    this.targetGroup = new LbTargetGroup(this, "target_group", {
      namePrefix: props.targetGroupNamePrefix,
      port: targetPort,
      protocol: "HTTP",
      targetType: "ip",
      vpcId: props.vpcId,
      deregistrationDelay: String(deregistrationDelay),
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: hc.path,
        matcher: "200",
        interval: hc.intervalSeconds,
        timeout: hc.timeoutSeconds,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
      },
      tags: { Name: `${props.namePrefix}-app` },
      lifecycle: { createBeforeDestroy: true },
    });
    this.targetGroupArn = this.targetGroup.arn;

    this.httpsListener = new LbListener(this, "https_listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy,
      certificateArn: props.certificateArn,
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      tags: { Name: `${props.namePrefix}-https` },
    });
    if (httpRedirect) {
      this.httpListener = new LbListener(this, "http_redirect_listener", {
        loadBalancerArn: this.loadBalancer.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [
          { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ],
        tags: { Name: `${props.namePrefix}-http-redirect` },
      });
    }
  }
}
