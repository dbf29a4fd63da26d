/**
 * The HTTPS edge: the hosted zone and certificate, the load balancer with its access logs, the WAF
 * in front of it, and the alias records that point the domain at it.
 */
import { SERVICE_RULE_PRIORITY_AFTER_WEB } from "../../constructs/model/web-routing";
import type { Construct } from "constructs";
import { AccessLogBucket } from "../../constructs/access-log-bucket";
import { AliasRecords } from "../../constructs/alias-records";
import { DnsValidatedCertificate } from "../../constructs/dns-validated-certificate";
import { HostedZoneLookup } from "../../constructs/hosted-zone-lookup";
import { LoadBalancer } from "../../constructs/load-balancer";
import type { HealthCheckContract } from "../../constructs/model/health-check";
import { WebAcl } from "../../constructs/web-acl";
import type { EdgeSettings } from "../config/settings";
import type { EnvironmentContext } from "./environment-context";
import type { EnvironmentKeys } from "./environment-keys";
import type { NetworkTier } from "./network-tier";
import { acceptFindings } from "../../constructs/support/accepted-findings";

export interface EdgeTierInput {
  readonly context: EnvironmentContext;
  readonly settings: EdgeSettings;
  /** Prefix of the target group's name (it is replaced when the port changes, so it needs a free name). */
  readonly targetGroupNamePrefix: string;
  /** Where the load balancer sends requests, and how it knows a target is healthy. */
  readonly target: { readonly port: number; readonly healthCheck: HealthCheckContract };
  /** The WAF's log group keeps its logs as long as the service's (service.logRetentionDays). */
  readonly wafLogRetentionDays: number;
  /** Web workloads share the listener: the service's Host rules then come after theirs. */
  readonly webWorkloads: boolean;
  readonly network: NetworkTier;
  readonly keys: EnvironmentKeys;
}

export class EdgeTier {
  /** Present when edge.domainName has a hosted zone (by id or name). */
  public readonly hostedZone?: HostedZoneLookup;
  /** Present unless edge.certificateArn names an existing certificate. */
  public readonly certificate?: DnsValidatedCertificate;
  /** The certificate the HTTPS listener serves. */
  public readonly certificateArn?: string;
  public readonly accessLogs?: AccessLogBucket;
  public readonly loadBalancer: LoadBalancer;
  public readonly webAcl?: WebAcl;
  public readonly aliasRecords?: AliasRecords;

  constructor(scope: Construct, input: EdgeTierInput) {
    const { settings } = input;
    this.hostedZone = this.findHostedZone(scope, settings);
    this.certificate = this.addCertificate(scope, settings);
    this.certificateArn = this.certificate?.certificateArn ?? settings.certificateArn;
    this.accessLogs = this.addAccessLogs(scope, input);
    this.loadBalancer = this.addLoadBalancer(scope, input);
    this.webAcl = this.addWebAcl(scope, input);
    if (this.webAcl === undefined) acceptFindings(this.loadBalancer.loadBalancer, "noWaf");
    this.aliasRecords = this.addAliasRecords(scope, settings);
  }

  private findHostedZone(scope: Construct, settings: EdgeSettings): HostedZoneLookup | undefined {
    const { domainName, hostedZoneId, hostedZoneName } = settings;
    if (domainName === undefined || (hostedZoneId === undefined && hostedZoneName === undefined)) {
      return undefined;
    }
    return new HostedZoneLookup(scope, "hosted_zone", {
      domainName,
      zoneId: hostedZoneId,
      zoneName: hostedZoneId === undefined ? hostedZoneName : undefined,
    });
  }

  /** A DNS-validated certificate, unless an existing one is given (the settings guarantee one of them). */
  private addCertificate(scope: Construct, settings: EdgeSettings): DnsValidatedCertificate | undefined {
    const { certificateArn, domainName, subjectAlternativeNames } = settings;
    if (certificateArn !== undefined || this.hostedZone === undefined || domainName === undefined) {
      return undefined;
    }
    return new DnsValidatedCertificate(scope, "certificate", {
      domainName,
      subjectAlternativeNames,
      hostedZoneId: this.hostedZone.zoneId,
    });
  }

  private addAccessLogs(scope: Construct, { context, settings }: EdgeTierInput): AccessLogBucket | undefined {
    if (!settings.accessLogs) return undefined;
    return new AccessLogBucket(scope, "access_logs", {
      bucketName: `${context.namePrefix}-alb-logs-${context.accountId}`,
      region: context.region,
      accountId: context.accountId,
      prefix: "alb",
      retentionDays: settings.accessLogRetentionDays,
      noncurrentVersionDays: settings.accessLogNoncurrentVersionDays,
      objectLockDays: settings.accessLogObjectLockDays,
      forceDestroy: !settings.deletionProtection,
    });
  }

  private addLoadBalancer(scope: Construct, input: EdgeTierInput): LoadBalancer {
    const { context, settings, network, target } = input;
    return new LoadBalancer(scope, "load_balancer", {
      namePrefix: context.namePrefix,
      loadBalancerName: settings.loadBalancerName,
      targetGroupNamePrefix: input.targetGroupNamePrefix,
      vpcId: network.network.vpcId,
      subnetIds: network.network.publicSubnetIds,
      securityGroupIds: [network.securityGroups.groupId("alb")],
      certificateArn: this.certificateArn,
      targetPort: target.port,
      healthCheck: target.healthCheck,
      deregistrationDelaySeconds: settings.deregistrationDelaySeconds,
      sslPolicy: settings.sslPolicy,
      idleTimeoutSeconds: settings.idleTimeoutSeconds,
      deletionProtection: settings.deletionProtection && !context.destroyBreakGlass,
      httpRedirect: settings.httpRedirect,
      ipv6: settings.ipv6,
      hstsMaxAgeSeconds: settings.hstsMaxAgeSeconds,
      hostNames:
        settings.domainName === undefined
          ? undefined
          : [settings.domainName, ...settings.subjectAlternativeNames],
      hostRulesFirstPriority: input.webWorkloads ? SERVICE_RULE_PRIORITY_AFTER_WEB : undefined,
      accessLogs: this.accessLogs && { bucket: this.accessLogs.bucketName, prefix: this.accessLogs.prefix },
      dependsOn: this.accessLogs && [this.accessLogs.policy],
    });
  }

  private addWebAcl(scope: Construct, input: EdgeTierInput): WebAcl | undefined {
    if (!input.settings.waf) return undefined;
    return new WebAcl(scope, "waf", {
      namePrefix: input.context.namePrefix,
      resourceArn: this.loadBalancer.loadBalancer.arn,
      rateLimitPerIp: input.settings.wafRateLimitPerIp,
      logRetentionDays: input.wafLogRetentionDays,
      logKmsKeyArn: input.keys.auditLogs.keyArn,
    });
  }

  private addAliasRecords(scope: Construct, settings: EdgeSettings): AliasRecords | undefined {
    const { domainName, ipv6 } = settings;
    if (this.hostedZone === undefined || domainName === undefined) return undefined;
    return new AliasRecords(scope, "dns", {
      zoneId: this.hostedZone.zoneId,
      domainName,
      targetDnsName: this.loadBalancer.dnsName,
      targetZoneId: this.loadBalancer.zoneId,
      ipv6,
    });
  }
}
