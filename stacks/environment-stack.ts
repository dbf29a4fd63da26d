import type { Construct } from "constructs";
import { Aspects, TerraformVariable } from "cdktf";
import { DataAwsEcrRepository } from "@cdktf/provider-aws/lib/data-aws-ecr-repository";
import { AccessLogBucket } from "../constructs/access-log-bucket";
import { AliasRecords } from "../constructs/alias-records";
import { DnsValidatedCertificate } from "../constructs/dns-validated-certificate";
import { EXEC_LOG_GROUP_PREFIX, FargateService } from "../constructs/fargate-service/fargate-service";
import { HostedZoneLookup } from "../constructs/hosted-zone-lookup";
import { InterfaceEndpoints } from "../constructs/interface-endpoints";
import { KmsKey } from "../constructs/kms-key";
import { LoadBalancer } from "../constructs/load-balancer";
import { Network } from "../constructs/network";
import { RDS_LOG_GROUP_PREFIX } from "../constructs/postgres-database";
import type { PostgresDatabase } from "../constructs/postgres-database";
import type { RedisCache } from "../constructs/redis-cache";
import { cloudWatchLogsKeyStatement, viaServiceKeyStatement } from "../constructs/model/iam";
import { DEPLOYMENT_ALARM_IDS, alarmName } from "../constructs/model/alarms";
import { targetGroupNamePrefixFor } from "../constructs/model/load-balancer";
import { tierFlows } from "../constructs/model/security-groups";
import { SecurityGroups } from "../constructs/security-groups";
import { WAF_LOG_GROUP_PREFIX, WebAcl } from "../constructs/web-acl";
import { partitionOf } from "../constructs/model/aws-limits";
import { crossAccountRepository, tagPatternsRegex } from "../constructs/model/registry";
import { IMAGE_TAG_PATTERN } from "./config/schema/fields";
import type { EnvironmentSettings, ProjectSettings } from "./config/settings";
import { addEnvironmentOperations } from "./environment-operations";
import type { EnvironmentOperations } from "./environment-operations";
import { addEnvironmentOutputs } from "./environment-outputs";
import { DestroyProtection } from "./destroy-protection";
import { addReleaseChecks } from "./release-checks";
import * as dataTier from "./environment-data-tier";
import { ProjectStack } from "./project-stack";

export const IMAGE_TAG_VARIABLE = "image_tag";

export interface EnvironmentStackProps {
  readonly project: ProjectSettings;
  readonly settings: EnvironmentSettings;
}

/**
 * One environment: network, security groups, HTTPS edge (ALB, certificate, DNS) and the Fargate
 * service, with its own state. The image tag is the Terraform variable `image_tag`, so a
 * pipeline deploys a git SHA with `TF_VAR_image_tag=<sha>`.
 */
export class EnvironmentStack extends ProjectStack {
  public readonly settings: EnvironmentSettings;
  public readonly imageTag: TerraformVariable;
  public readonly logsKey: KmsKey;
  public readonly auditLogsKey: KmsKey;
  public readonly execKey?: KmsKey;
  public readonly secretsKey: KmsKey;
  public readonly dataKey?: KmsKey;
  public readonly network: Network;
  public readonly securityGroups: SecurityGroups;
  public readonly interfaceEndpoints?: InterfaceEndpoints;
  public readonly database?: PostgresDatabase;
  public readonly cache?: RedisCache;
  public readonly repository: { readonly arn: string; readonly repositoryUrl: string };
  public readonly hostedZone?: HostedZoneLookup;
  public readonly certificate?: DnsValidatedCertificate;
  public readonly accessLogs?: AccessLogBucket;
  public readonly loadBalancer: LoadBalancer;
  public readonly webAcl?: WebAcl;
  public readonly aliasRecords?: AliasRecords;
  public readonly service: FargateService;
  public readonly operations: EnvironmentOperations;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    const { settings, project } = props;
    super(scope, settings.name, {
      project: project.project,
      repository: project.repository,
      awsProviderVersion: project.awsProviderVersion,
      environment: settings.name,
      region: settings.region,
      accountId: settings.accountId,
      state: settings.state,
      tags: settings.tags,
    });
    this.settings = settings;

    this.imageTag = this.addImageTagVariable(project.registry.protectedTagPatterns);
    this.logsKey = this.addLogsKey();
    this.auditLogsKey = this.addAuditLogsKey();
    this.execKey = this.addExecKey();
    this.secretsKey = this.addSecretsKey();
    this.dataKey = dataTier.addDataKey(this);
    this.network = this.addNetwork();
    this.securityGroups = this.addSecurityGroups();
    this.interfaceEndpoints = this.addInterfaceEndpoints();
    this.database = dataTier.addDatabase(this);
    this.cache = dataTier.addCache(this);
    this.repository = this.findRepository(project);
    addReleaseChecks(this, {
      registry: project.registry,
      accountId: settings.accountId,
      imageTag: this.imageTag.stringValue,
      secrets: settings.service.secrets,
      providerFor: (region) => this.providerFor(region),
    });
    this.hostedZone = this.findHostedZone();
    this.certificate = this.addCertificate();
    this.accessLogs = this.addAccessLogs();
    this.loadBalancer = this.addLoadBalancer();
    this.webAcl = this.addWebAcl();
    this.aliasRecords = this.addAliasRecords();
    this.service = this.addService();
    this.operations = addEnvironmentOperations(this);
    addEnvironmentOutputs(this);
    if (settings.destroyProtection) Aspects.of(this).add(new DestroyProtection(settings.destroyBreakGlass));
  }

  private addImageTagVariable(protectedTagPatterns: readonly string[]): TerraformVariable {
    const name = IMAGE_TAG_VARIABLE;
    const releaseTags = this.settings.service.releaseTagsOnly
      ? [
          {
            condition: `\${can(regex("${tagPatternsRegex(protectedTagPatterns)}", var.${name}))}`,
            errorMessage: `image_tag must be a release tag (${protectedTagPatterns.join(", ")}; registry.protectedTagPatterns) in ${this.settings.name}: the lifecycle policy never expires those images. Promote a tested image by adding such a tag (help/deploy-with-cdktf.md, step 3).`,
          },
        ]
      : [];
    return new TerraformVariable(this, name, {
      type: "string",
      description: 'Tag of the image to deploy, e.g. the git SHA the pipeline built. Never "latest".',
      default: this.settings.service.imageTagDefault,
      // Not `nullable = false`: cdktf's HCL output drops it. A validation says the same in both formats.
      validation: [
        { condition: `\${var.${name} != null}`, errorMessage: "image_tag must be set." },
        { condition: `\${length(var.${name}) > 0}`, errorMessage: "image_tag must not be empty." },
        {
          condition: `\${var.${name} != "latest"}`,
          errorMessage: 'image_tag must not be "latest": deploy an immutable tag such as the git SHA.',
        },
        {
          condition: `\${can(regex("${IMAGE_TAG_PATTERN}", var.${name}))}`,
          errorMessage:
            "image_tag must be a Docker tag: 1-128 letters, digits, _ . - and not starting with . or -.",
        },
        ...releaseTags,
      ],
    });
  }

  private logGroupArn(namePattern: string): string {
    return `arn:${this.partition}:logs:${this.region}:${this.accountId}:log-group:${namePattern}`;
  }

  /** A customer-managed key for the log groups matching these name patterns. */
  private addLogKey(id: string, alias: string, description: string, namePatterns: string[]): KmsKey {
    return new KmsKey(this, id, {
      aliasName: `${this.namePrefix}/${alias}`,
      description,
      accountId: this.accountId,
      partition: this.partition,
      administratorArns: this.settings.keyAdministratorArns,
      usageStatements: [
        cloudWatchLogsKeyStatement(
          this.region,
          namePatterns.map((p) => this.logGroupArn(p)),
        ),
      ],
    });
  }

  /** What the application and its database write: read by the team running it. */
  private addLogsKey(): KmsKey {
    return this.addLogKey(
      "logs_key",
      "logs",
      `Encrypts the container and database log groups of ${this.namePrefix}`,
      [`/ecs/${this.namePrefix}/*`, `${RDS_LOG_GROUP_PREFIX}${this.namePrefix}-*`],
    );
  }

  /** What AWS records about the environment (flow logs, WAF logs): an audit trail the app never writes. */
  private addAuditLogsKey(): KmsKey {
    return this.addLogKey(
      "audit_logs_key",
      "audit-logs",
      `Encrypts the VPC flow logs and WAF logs of ${this.namePrefix}`,
      [`/vpc/${this.namePrefix}/*`, `${WAF_LOG_GROUP_PREFIX}${this.namePrefix}`],
    );
  }

  /** ECS Exec sessions: the only key the task role may decrypt, and only while ECS Exec is on. */
  private addExecKey(): KmsKey | undefined {
    if (!this.settings.service.enableExecuteCommand) return undefined;
    return this.addLogKey(
      "exec_key",
      "exec",
      `Encrypts the ECS Exec sessions of ${this.namePrefix} and their log group`,
      [`${EXEC_LOG_GROUP_PREFIX}${this.namePrefix}/*`],
    );
  }

  private addSecretsKey(): KmsKey {
    return new KmsKey(this, "secrets_key", {
      aliasName: `${this.namePrefix}/secrets`,
      description: `Encrypts the Secrets Manager secrets and SSM parameters of ${this.namePrefix}`,
      accountId: this.accountId,
      partition: this.partition,
      administratorArns: this.settings.keyAdministratorArns,
      usageStatements: [
        viaServiceKeyStatement(
          "AccountUsesKeyThroughSecretsManagerAndSsm",
          [`secretsmanager.${this.region}.amazonaws.com`, `ssm.${this.region}.amazonaws.com`],
          this.accountId,
          this.partition,
        ),
      ],
    });
  }

  private addNetwork(): Network {
    const { network, edge } = this.settings;
    return new Network(this, "network", {
      namePrefix: this.namePrefix,
      region: this.region,
      accountId: this.accountId,
      partition: this.partition,
      vpcCidr: network.vpcCidr,
      availabilityZones: network.availabilityZones,
      subnetPrefixLength: network.subnetPrefixLength,
      natStrategy: network.natStrategy,
      publicIpv6: edge.ipv6,
      flowLogRetentionDays: network.flowLogRetentionDays,
      flowLogKmsKeyArn: this.auditLogsKey.keyArn,
      s3EndpointBuckets: network.s3EndpointBuckets,
    });
  }

  private addSecurityGroups(): SecurityGroups {
    const { network, service, edge } = this.settings;
    return new SecurityGroups(this, "security_groups", {
      namePrefix: this.namePrefix,
      vpcId: this.network.vpcId,
      s3PrefixListId: this.network.s3PrefixListId,
      internetIpv6: edge.ipv6,
      flows: tierFlows({
        containerPort: service.containerPort,
        internetEgress: network.appInternetEgress,
        interfaceEndpoints: network.interfaceEndpoints.length > 0,
        database: this.settings.database.enabled,
        cache: this.settings.cache.enabled,
        httpRedirect: edge.httpRedirect,
      }),
    });
  }

  private addInterfaceEndpoints(): InterfaceEndpoints | undefined {
    const services = this.settings.network.interfaceEndpoints;
    if (services.length === 0) return undefined;
    return new InterfaceEndpoints(this, "interface_endpoints", {
      namePrefix: this.namePrefix,
      region: this.region,
      accountId: this.accountId,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      securityGroupId: this.securityGroups.groupId("endpoints"),
      services,
    });
  }

  /**
   * The shared repository: looked up by name in its own region (through an aliased provider), or,
   * when the registry is pinned to another account, addressed by ARN and URL (its policy lets this
   * environment's execution role pull).
   */
  private findRepository(project: ProjectSettings): { arn: string; repositoryUrl: string } {
    const { registry } = project;
    const accountId = this.settings.accountId;
    if (registry.accountId !== undefined && accountId !== undefined && registry.accountId !== accountId) {
      const found = crossAccountRepository(
        partitionOf(registry.region),
        registry.region,
        registry.accountId,
        registry.repositoryName,
      );
      return { arn: found.arn, repositoryUrl: found.url };
    }
    return new DataAwsEcrRepository(this, "repository", {
      name: registry.repositoryName,
      provider: this.providerFor(registry.region),
    });
  }

  private findHostedZone(): HostedZoneLookup | undefined {
    const { domainName, hostedZoneId, hostedZoneName } = this.settings.edge;
    if (domainName === undefined || (hostedZoneId === undefined && hostedZoneName === undefined)) {
      return undefined;
    }
    return new HostedZoneLookup(this, "hosted_zone", {
      domainName,
      zoneId: hostedZoneId,
      zoneName: hostedZoneId === undefined ? hostedZoneName : undefined,
    });
  }

  /** A DNS-validated certificate, unless an existing one is given (the settings guarantee one of them). */
  private addCertificate(): DnsValidatedCertificate | undefined {
    const { certificateArn, domainName, subjectAlternativeNames } = this.settings.edge;
    if (certificateArn !== undefined || this.hostedZone === undefined || domainName === undefined) {
      return undefined;
    }
    return new DnsValidatedCertificate(this, "certificate", {
      domainName,
      subjectAlternativeNames,
      hostedZoneId: this.hostedZone.zoneId,
    });
  }

  private addAccessLogs(): AccessLogBucket | undefined {
    const { accessLogs, accessLogRetentionDays, deletionProtection } = this.settings.edge;
    if (!accessLogs) return undefined;
    return new AccessLogBucket(this, "access_logs", {
      bucketName: `${this.namePrefix}-alb-logs-${this.accountId}`,
      region: this.region,
      accountId: this.accountId,
      prefix: "alb",
      retentionDays: accessLogRetentionDays,
      noncurrentVersionDays: this.settings.edge.accessLogNoncurrentVersionDays,
      objectLockDays: this.settings.edge.accessLogObjectLockDays,
      forceDestroy: !deletionProtection,
    });
  }

  private addLoadBalancer(): LoadBalancer {
    const { edge, service } = this.settings;
    return new LoadBalancer(this, "load_balancer", {
      namePrefix: this.namePrefix,
      loadBalancerName: edge.loadBalancerName,
      targetGroupNamePrefix: targetGroupNamePrefixFor(this.settings.name),
      vpcId: this.network.vpcId,
      subnetIds: this.network.publicSubnetIds,
      securityGroupIds: [this.securityGroups.groupId("alb")],
      certificateArn: this.certificate?.certificateArn ?? edge.certificateArn,
      targetPort: service.containerPort,
      healthCheck: service.healthCheck,
      deregistrationDelaySeconds: edge.deregistrationDelaySeconds,
      sslPolicy: edge.sslPolicy,
      idleTimeoutSeconds: edge.idleTimeoutSeconds,
      deletionProtection: edge.deletionProtection && !this.settings.destroyBreakGlass,
      httpRedirect: edge.httpRedirect,
      ipv6: edge.ipv6,
      hstsMaxAgeSeconds: edge.hstsMaxAgeSeconds,
      hostNames:
        edge.domainName === undefined ? undefined : [edge.domainName, ...edge.subjectAlternativeNames],
      accessLogs: this.accessLogs && { bucket: this.accessLogs.bucketName, prefix: this.accessLogs.prefix },
      dependsOn: this.accessLogs && [this.accessLogs.policy],
    });
  }

  private addWebAcl(): WebAcl | undefined {
    if (!this.settings.edge.waf) return undefined;
    return new WebAcl(this, "waf", {
      namePrefix: this.namePrefix,
      resourceArn: this.loadBalancer.loadBalancer.arn,
      rateLimitPerIp: this.settings.edge.wafRateLimitPerIp,
      logRetentionDays: this.settings.service.logRetentionDays,
      logKmsKeyArn: this.auditLogsKey.keyArn,
    });
  }

  private addAliasRecords(): AliasRecords | undefined {
    const { domainName, ipv6 } = this.settings.edge;
    if (this.hostedZone === undefined || domainName === undefined) return undefined;
    return new AliasRecords(this, "dns", {
      zoneId: this.hostedZone.zoneId,
      domainName,
      targetDnsName: this.loadBalancer.dnsName,
      targetZoneId: this.loadBalancer.zoneId,
      ipv6,
    });
  }

  private addService(): FargateService {
    const svc = this.settings.service;
    return new FargateService(this, "service", {
      namePrefix: this.namePrefix,
      serviceName: svc.name,
      region: this.region,
      accountId: this.accountId,
      partition: this.partition,
      repositoryArn: this.repository.arn,
      repositoryUrl: this.repository.repositoryUrl,
      imageTag: this.imageTag.stringValue,
      subnetIds: this.network.privateSubnetIds,
      securityGroupIds: [this.securityGroups.groupId("app")],
      targetGroupArn: this.loadBalancer.targetGroupArn,
      // The target group must be attached to the load balancer before the service registers in it.
      dependsOn: this.loadBalancer.forwarding,
      containerPort: svc.containerPort,
      cpu: svc.cpu,
      memory: svc.memory,
      cpuArchitecture: svc.cpuArchitecture,
      environment: { ...svc.environment, ...dataTier.dataTierEnvironment(this.database, this.cache) },
      secrets: svc.secrets,
      oneOffTaskAccess: dataTier.oneOffDataTierAccess(this.database),
      dataAccessStatements: dataTier.dataTierStatements(this.database, this.cache),
      oneOffTasks: svc.oneOffTasks,
      secretsKmsKeyArns: [this.secretsKey.keyArn, ...svc.secretsKmsKeyArns],
      healthCheck: svc.healthCheck,
      stopTimeoutSeconds: svc.stopTimeoutSeconds,
      user: svc.user,
      logRetentionDays: svc.logRetentionDays,
      logKmsKeyArn: this.logsKey.keyArn,
      execKmsKeyArn: this.execKey?.keyArn,
      desiredCount: svc.desiredCount,
      autoscaling: svc.autoscaling,
      requestCountResourceLabel: `${this.loadBalancer.loadBalancer.arnSuffix}/${this.loadBalancer.targetGroup.arnSuffix}`,
      capacity: svc.capacity,
      enableExecuteCommand: svc.enableExecuteCommand,
      circuitBreakerRollback: svc.circuitBreakerRollback,
      command: svc.command,
      entryPoint: svc.entryPoint,
      taskRoleStatements: svc.taskRoleStatements,
      taskRoleManagedPolicyArns: svc.taskRoleManagedPolicyArns,
      taskRoleBroadAccessAcknowledged: svc.taskRoleBroadAccessAcknowledged,
      waitForDeployment: svc.waitForDeployment,
      // Names, not references: the alarms watch the service, so a reference back would be a cycle.
      deploymentAlarmNames: this.settings.alarms.enabled
        ? DEPLOYMENT_ALARM_IDS.map((id) => alarmName(this.namePrefix, id))
        : undefined,
    });
  }
}
