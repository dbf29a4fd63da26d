import { Construct } from "constructs";
import { Token } from "cdktf";
import type { ITerraformDependable } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { acmCertificateArn } from "./model/arns";
import { domainName, tcpPort } from "./model/aws-limits";
import { check, listOf, optional, orToken } from "./model/checks";
import { DEFAULT_CONTAINER_PORT } from "./model/fargate-service";
import type { HealthCheckContract } from "./model/health-check";
import { HEALTH_CHECK_GROUP } from "./model/health-check";
import {
  LOAD_BALANCER_RULES,
  ONE_YEAR_SECONDS,
  hstsHeaderValue,
  targetGroupNamePrefix,
} from "./model/load-balancer";
import type { LoadBalancerOptions } from "./model/load-balancer";
import type { PropRules } from "./model/props";
import { withGroupDefaults } from "./model/props";
import { acceptFindings } from "./support/accepted-findings";

export interface LoadBalancerProps extends LoadBalancerOptions {
  /** Prefix of Name tags, e.g. "orders-api-prod"; the default ALB name. */
  readonly namePrefix: string;
  /** ALB name, at most 32 characters. @default - `namePrefix`, shortened with a hash past 32 characters */
  readonly loadBalancerName?: string;
  /** Target-group name prefix, at most 6 characters (see `targetGroupNamePrefixFor`). */
  readonly targetGroupNamePrefix: string;
  readonly vpcId: string;
  /** Public subnets in at least two AZs. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Certificate of the HTTPS listener: take it from `aws_acm_certificate_validation` so it is issued. */
  readonly certificateArn: string | undefined;
  /** Port of the targets (the container port). @default 8000 */
  readonly targetPort?: number;
  /** Health-check contract; the target group uses its path, timings and thresholds. @default - DEFAULT contract: /health every 15 s */
  readonly healthCheck?: HealthCheckContract;
  /** @default 30 */
  readonly deregistrationDelaySeconds?: number;
  /** @default "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" */
  readonly sslPolicy?: string;
  /** @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** Keep port 80 open, answering only with a 301 to HTTPS. @default true */
  readonly httpRedirect?: boolean;
  /** Dualstack (IPv4 and IPv6); the subnets need IPv6 CIDRs. @default false */
  readonly ipv6?: boolean;
  /**
   * Host names the service answers (the certificate's names). Requests for any other Host get a
   * fixed 404 from the listener and never reach the tasks.
   *
   * @default - every Host is forwarded
   */
  readonly hostNames?: readonly string[];
  /**
   * Priority of the first Host rule (the next ones follow): rules of other services on the same
   * listener that route by path must come first.
   *
   * @default - priority 1, the first of the listener
   */
  readonly hostRulesFirstPriority?: number;
  /** max-age of the HSTS header the HTTPS listener adds; 0 for none. @default 31536000 */
  readonly hstsMaxAgeSeconds?: number;
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

type ResolvedProps = LoadBalancerProps &
  Required<Omit<LoadBalancerOptions, "namePrefix">> & {
    readonly certificateArn: string;
    readonly targetPort: number;
    readonly healthCheck: HealthCheckContract;
  };

/** AWS allows 5 condition values per listener rule. */
const HOST_HEADER_VALUES_PER_RULE = 5;

/** The construct's own wiring props, beyond the shared options. */
const WIRING_RULES: PropRules<LoadBalancerProps> = {
  certificateArn: { description: "Certificate of the HTTPS listener.", check: orToken(acmCertificateArn) },
  targetGroupNamePrefix: { description: "Target-group name prefix.", check: targetGroupNamePrefix },
  hostNames: {
    description: "Host names forwarded to the service.",
    check: optional(listOf(domainName, { min: 1, unique: true })),
  },
  targetPort: { description: "Port of the targets.", check: tcpPort, default: DEFAULT_CONTAINER_PORT },
  subnetIds: {
    description: "Public subnets.",
    check: check(
      "subnets in at least 2 AZs (an ALB requires two)",
      (v) => Token.isUnresolved(v) || (Array.isArray(v) && v.length >= 2),
    ),
  },
};

/** Every rule of the props: the shared options' and the wiring's. */
export const LOAD_BALANCER_PROPS_RULES: PropRules<LoadBalancerProps> = {
  ...(LOAD_BALANCER_RULES as PropRules<LoadBalancerProps>),
  ...WIRING_RULES,
};

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
  /** Rules forwarding the service's Host names to the target group (none without hostNames). */
  public readonly hostRules: LbListenerRule[];
  public readonly dnsName: string;
  public readonly zoneId: string;
  public readonly targetGroupArn: string;
  public readonly deregistrationDelaySeconds: number;

  private readonly props: ResolvedProps;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    this.props = withGroupDefaults(
      {
        rules: LOAD_BALANCER_PROPS_RULES,
        nested: { healthCheck: { group: HEALTH_CHECK_GROUP } },
      },
      props,
    ) as ResolvedProps;
    this.deregistrationDelaySeconds = this.props.deregistrationDelaySeconds;

    this.loadBalancer = this.addLoadBalancer();
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;
    this.targetGroup = this.addTargetGroup();
    this.targetGroupArn = this.targetGroup.arn;
    this.httpsListener = this.addHttpsListener();
    this.hostRules = this.addHostRules();
    if (this.props.httpRedirect) this.httpListener = this.addHttpRedirectListener();
    this.recordAcceptedFindings();
  }

  /** The scanner findings this load balancer's settings make, and that the design accepts. */
  private recordAcceptedFindings(): void {
    const p = this.props;
    acceptFindings(this.loadBalancer, "internetFacingLoadBalancer");
    if (!p.deletionProtection) acceptFindings(this.loadBalancer, "loadBalancerDeletable");
    if (p.accessLogs === undefined) acceptFindings(this.loadBalancer, "noAccessLogs");
    if (p.hstsMaxAgeSeconds < ONE_YEAR_SECONDS) acceptFindings(this.httpsListener, "shortHsts");
    if (p.hostNames === undefined) acceptFindings(this.httpsListener, "noHostNames");
    else acceptFindings(this.targetGroup, "tlsEndsAtLoadBalancer");
  }

  private addLoadBalancer(): Lb {
    const p = this.props;
    return new Lb(this, "load_balancer", {
      name: p.loadBalancerName,
      internal: false,
      loadBalancerType: "application",
      ipAddressType: p.ipv6 ? "dualstack" : "ipv4",
      subnets: [...p.subnetIds],
      securityGroups: [...p.securityGroupIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: p.deletionProtection,
      idleTimeout: p.idleTimeoutSeconds,
      desyncMitigationMode: "defensive",
      accessLogs: p.accessLogs
        ? { bucket: p.accessLogs.bucket, prefix: p.accessLogs.prefix, enabled: true }
        : undefined,
      tags: { Name: p.loadBalancerName },
      dependsOn: p.dependsOn ? [...p.dependsOn] : undefined,
    });
  }

  private addTargetGroup(): LbTargetGroup {
    const p = this.props;
    return addIpTargetGroup(this, "target_group", {
      namePrefix: p.targetGroupNamePrefix,
      port: p.targetPort,
      vpcId: p.vpcId,
      deregistrationDelaySeconds: p.deregistrationDelaySeconds,
      healthCheck: p.healthCheck,
      name: `${p.namePrefix}-app`,
    });
  }

  private addHttpsListener(): LbListener {
    return new LbListener(this, "https_listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: this.props.sslPolicy,
      certificateArn: this.props.certificateArn,
      routingHttpResponseStrictTransportSecurityHeaderValue: hstsHeaderValue(this.props.hstsMaxAgeSeconds),
      defaultAction: [
        this.props.hostNames === undefined
          ? { type: "forward", targetGroupArn: this.targetGroup.arn }
          : {
              type: "fixed-response",
              fixedResponse: { contentType: "text/plain", messageBody: "Not Found", statusCode: "404" },
            },
      ],
      tags: { Name: `${this.props.namePrefix}-https` },
    });
  }

  /** What the ECS service must wait for: the listener and the rules that attach the target group. */
  public get forwarding(): ITerraformDependable[] {
    return [this.httpsListener, ...this.hostRules];
  }

  private addHostRules(): LbListenerRule[] {
    const hosts = this.props.hostNames ?? [];
    const rules: LbListenerRule[] = [];
    for (let i = 0; i < hosts.length; i += HOST_HEADER_VALUES_PER_RULE) {
      rules.push(
        new LbListenerRule(this, `https_host_rule_${rules.length}`, {
          listenerArn: this.httpsListener.arn,
          priority: (this.props.hostRulesFirstPriority ?? 1) + rules.length,
          condition: [{ hostHeader: { values: hosts.slice(i, i + HOST_HEADER_VALUES_PER_RULE) } }],
          action: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
          tags: { Name: `${this.props.namePrefix}-https-hosts-${rules.length}` },
        }),
      );
    }
    return rules;
  }

  private addHttpRedirectListener(): LbListener {
    return new LbListener(this, "http_redirect_listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ],
      tags: { Name: `${this.props.namePrefix}-http-redirect` },
    });
  }
}

export interface IpTargetGroupInput {
  /** name_prefix (at most 6 characters): a replacement gets a new name, created before the old goes. */
  readonly namePrefix: string;
  readonly port: number;
  readonly vpcId: string;
  readonly deregistrationDelaySeconds: number;
  readonly healthCheck: HealthCheckContract;
  /** Its Name tag. */
  readonly name: string;
}

/** An ip-type HTTP target group for Fargate tasks, health-checked on the traffic port. */
export function addIpTargetGroup(scope: Construct, id: string, input: IpTargetGroupInput): LbTargetGroup {
  const hc = input.healthCheck;
  return new LbTargetGroup(scope, id, {
    namePrefix: input.namePrefix,
    port: input.port,
    protocol: "HTTP",
    targetType: "ip",
    vpcId: input.vpcId,
    deregistrationDelay: String(input.deregistrationDelaySeconds),
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
    tags: { Name: input.name },
    lifecycle: { createBeforeDestroy: true },
  });
}
