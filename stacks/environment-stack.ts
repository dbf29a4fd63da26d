import type { Construct } from "constructs";
import { TerraformOutput, TerraformVariable } from "cdktf";
import { DataAwsEcrRepository } from "@cdktf/provider-aws/lib/data-aws-ecr-repository";
import { AccessLogBucket } from "../constructs/access-log-bucket";
import { AliasRecords } from "../constructs/alias-records";
import { DnsValidatedCertificate } from "../constructs/dns-validated-certificate";
import { FargateService } from "../constructs/fargate-service";
import { containerHealthCheck } from "../constructs/health-check";
import { HostedZoneLookup } from "../constructs/hosted-zone-lookup";
import { InterfaceEndpoints } from "../constructs/interface-endpoints";
import { KmsKey, cloudWatchLogsKeyStatement, viaServiceKeyStatement } from "../constructs/kms-key";
import { LoadBalancer, targetGroupNamePrefixFor } from "../constructs/load-balancer";
import { Network } from "../constructs/network";
import { SECURITY_TIERS, SecurityGroups, tierFlows } from "../constructs/security-groups";
import { WAF_LOG_GROUP_PREFIX, WebAcl } from "../constructs/web-acl";
import { ProjectStack } from "./project-stack";
import type { EnvironmentSettings, ProjectSettings } from "./settings";
import { IMAGE_TAG_PATTERN } from "./settings-schema";

export const IMAGE_TAG_VARIABLE = "image_tag";

export interface EnvironmentStackProps {
  readonly project: ProjectSettings;
  readonly settings: EnvironmentSettings;
}

/**
 * One environment: network, security groups, HTTPS edge (ALB, certificate, DNS) and the Fargate
 * service, with its own state. The image tag is the Terraform variable `image_tag`, so a
 * pipeline deploys a git SHA with `-var image_tag=<sha>`.
 */
export class EnvironmentStack extends ProjectStack {
  public readonly settings: EnvironmentSettings;
  public readonly imageTag: TerraformVariable;
  public readonly logsKey: KmsKey;
  public readonly secretsKey: KmsKey;
  public readonly network: Network;
  public readonly securityGroups: SecurityGroups;
  public readonly interfaceEndpoints?: InterfaceEndpoints;
  public readonly repository: DataAwsEcrRepository;
  public readonly hostedZone?: HostedZoneLookup;
  public readonly certificate?: DnsValidatedCertificate;
  public readonly accessLogs?: AccessLogBucket;
  public readonly loadBalancer: LoadBalancer;
  public readonly webAcl?: WebAcl;
  public readonly aliasRecords?: AliasRecords;
  public readonly service: FargateService;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    const { settings, project } = props;
    super(scope, settings.name, {
      project: project.project,
      repository: project.repository,
      environment: settings.name,
      region: settings.region,
      accountId: settings.accountId,
      state: settings.state,
      tags: settings.tags,
    });
    this.settings = settings;
    const { network: net, service: svc, edge } = settings;

    this.imageTag = new TerraformVariable(this, IMAGE_TAG_VARIABLE, {
      type: "string",
      description: 'Tag of the image to deploy, e.g. the git SHA the pipeline built. Never "latest".',
      default: svc.imageTagDefault,
      // Not `nullable = false`: cdktf's HCL output drops it. A validation says the same in both formats.
      validation: [
        { condition: `\${var.${IMAGE_TAG_VARIABLE} != null}`, errorMessage: "image_tag must be set." },
        {
          condition: `\${length(var.${IMAGE_TAG_VARIABLE}) > 0}`,
          errorMessage: "image_tag must not be empty.",
        },
        {
          condition: `\${var.${IMAGE_TAG_VARIABLE} != "latest"}`,
          errorMessage: 'image_tag must not be "latest": deploy an immutable tag such as the git SHA.',
        },
        {
          condition: `\${can(regex("${IMAGE_TAG_PATTERN}", var.${IMAGE_TAG_VARIABLE}))}`,
          errorMessage:
            "image_tag must be a Docker tag: 1-128 letters, digits, _ . - and not starting with . or -.",
        },
      ],
    });

    const logGroupArn = (namePattern: string) =>
      `arn:${this.partition}:logs:${this.region}:${this.accountId}:log-group:${namePattern}`;
    this.logsKey = new KmsKey(this, "logs_key", {
      aliasName: `${this.namePrefix}/logs`,
      description: `Encrypts the CloudWatch log groups of ${this.namePrefix}`,
      accountId: this.accountId,
      partition: this.partition,
      usageStatements: [
        cloudWatchLogsKeyStatement(this.region, [
          logGroupArn(`/vpc/${this.namePrefix}/*`),
          logGroupArn(`/ecs/${this.namePrefix}/*`),
          logGroupArn(`${WAF_LOG_GROUP_PREFIX}${this.namePrefix}`),
        ]),
      ],
    });
    this.secretsKey = new KmsKey(this, "secrets_key", {
      aliasName: `${this.namePrefix}/secrets`,
      description: `Encrypts the Secrets Manager secrets and SSM parameters of ${this.namePrefix}`,
      accountId: this.accountId,
      partition: this.partition,
      usageStatements: [
        viaServiceKeyStatement(
          "AccountUsesKeyThroughSecretsManagerAndSsmOnly",
          [`secretsmanager.${this.region}.amazonaws.com`, `ssm.${this.region}.amazonaws.com`],
          this.accountId,
          this.partition,
        ),
      ],
    });

    this.network = new Network(this, "network", {
      namePrefix: this.namePrefix,
      region: this.region,
      accountId: this.accountId,
      partition: this.partition,
      vpcCidr: net.vpcCidr,
      availabilityZones: net.availabilityZones,
      subnetPrefixLength: net.subnetPrefixLength,
      natStrategy: net.natStrategy,
      publicIpv6: edge.ipv6,
      flowLogRetentionDays: net.flowLogRetentionDays,
      flowLogKmsKeyArn: this.logsKey.keyArn,
    });

    this.securityGroups = new SecurityGroups(this, "security_groups", {
      namePrefix: this.namePrefix,
      vpcId: this.network.vpcId,
      s3PrefixListId: this.network.s3PrefixListId,
      internetIpv6: edge.ipv6,
      flows: tierFlows({
        containerPort: svc.containerPort,
        internetEgress: net.natStrategy !== "none",
        interfaceEndpoints: net.interfaceEndpoints.length > 0,
        cache: net.cacheTier,
        httpRedirect: edge.httpRedirect,
      }),
    });

    if (net.interfaceEndpoints.length > 0) {
      this.interfaceEndpoints = new InterfaceEndpoints(this, "interface_endpoints", {
        namePrefix: this.namePrefix,
        region: this.region,
        vpcId: this.network.vpcId,
        subnetIds: this.network.privateSubnetIds,
        securityGroupId: this.securityGroups.groupId("endpoints"),
        services: net.interfaceEndpoints,
      });
    }

    this.repository = new DataAwsEcrRepository(this, "repository", {
      name: project.registry.repositoryName,
      provider: this.providerFor(project.registry.region),
    });

    const zone = edge.hostedZoneId ?? edge.hostedZoneName;
    if (zone !== undefined && edge.domainName !== undefined) {
      this.hostedZone = new HostedZoneLookup(this, "hosted_zone", {
        domainName: edge.domainName,
        zoneId: edge.hostedZoneId,
        zoneName: edge.hostedZoneId === undefined ? edge.hostedZoneName : undefined,
      });
    }
    let certificateArn = edge.certificateArn;
    if (certificateArn === undefined) {
      if (this.hostedZone === undefined || edge.domainName === undefined) {
        throw new Error(
          `${settings.name}: HTTPS needs edge.certificateArn or edge.domainName with a hosted zone`,
        );
      }
      this.certificate = new DnsValidatedCertificate(this, "certificate", {
        domainName: edge.domainName,
        subjectAlternativeNames: edge.subjectAlternativeNames,
        hostedZoneId: this.hostedZone.zoneId,
      });
      certificateArn = this.certificate.certificateArn;
    }

    if (edge.accessLogs) {
      this.accessLogs = new AccessLogBucket(this, "access_logs", {
        bucketName: `${this.namePrefix}-alb-logs-${this.accountId}`,
        region: this.region,
        accountId: this.accountId,
        prefix: "alb",
        retentionDays: edge.accessLogRetentionDays,
        forceDestroy: !edge.deletionProtection,
      });
    }

    const health = svc.healthCheck;
    this.loadBalancer = new LoadBalancer(this, "load_balancer", {
      namePrefix: this.namePrefix,
      loadBalancerName: edge.loadBalancerName,
      targetGroupNamePrefix: targetGroupNamePrefixFor(settings.name),
      vpcId: this.network.vpcId,
      subnetIds: this.network.publicSubnetIds,
      securityGroupIds: [this.securityGroups.groupId("alb")],
      certificateArn,
      targetPort: svc.containerPort,
      healthCheck: health,
      deregistrationDelaySeconds: edge.deregistrationDelaySeconds,
      sslPolicy: edge.sslPolicy,
      idleTimeoutSeconds: edge.idleTimeoutSeconds,
      deletionProtection: edge.deletionProtection,
      httpRedirect: edge.httpRedirect,
      ipv6: edge.ipv6,
      accessLogs: this.accessLogs && { bucket: this.accessLogs.bucketName, prefix: this.accessLogs.prefix },
      dependsOn: this.accessLogs && [this.accessLogs.policy],
    });

    if (edge.waf) {
      this.webAcl = new WebAcl(this, "waf", {
        namePrefix: this.namePrefix,
        resourceArn: this.loadBalancer.loadBalancer.arn,
        logRetentionDays: svc.logRetentionDays,
        logKmsKeyArn: this.logsKey.keyArn,
      });
    }

    if (this.hostedZone !== undefined && edge.domainName !== undefined) {
      this.aliasRecords = new AliasRecords(this, "dns", {
        zoneId: this.hostedZone.zoneId,
        domainName: edge.domainName,
        targetDnsName: this.loadBalancer.dnsName,
        targetZoneId: this.loadBalancer.zoneId,
        ipv6: edge.ipv6,
      });
    }

    this.service = new FargateService(this, "service", {
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
      dependsOn: [this.loadBalancer.httpsListener],
      containerPort: svc.containerPort,
      cpu: svc.cpu,
      memory: svc.memory,
      cpuArchitecture: svc.cpuArchitecture,
      environment: svc.environment,
      secrets: svc.secrets,
      secretsKmsKeyArns: [this.secretsKey.keyArn, ...svc.secretsKmsKeyArns],
      healthCheck: containerHealthCheck(health, svc.containerPort),
      healthCheckGracePeriodSeconds: health.gracePeriodSeconds,
      stopTimeoutSeconds: svc.stopTimeoutSeconds,
      user: svc.user,
      logRetentionDays: svc.logRetentionDays,
      logKmsKeyArn: this.logsKey.keyArn,
      desiredCount: svc.desiredCount,
      autoscaling: {
        ...svc.autoscaling,
        requestCountResourceLabel: `${this.loadBalancer.loadBalancer.arnSuffix}/${this.loadBalancer.targetGroup.arnSuffix}`,
      },
      capacityStrategy: svc.capacity,
      enableExecuteCommand: svc.enableExecuteCommand,
      circuitBreakerRollback: svc.circuitBreakerRollback,
    });

    this.addOutputs();
  }

  private addOutputs(): void {
    const output = (id: string, value: unknown, description: string) =>
      new TerraformOutput(this, id, { value, description });
    const domain = this.settings.edge.domainName;
    output(
      "service_url",
      `https://${domain ?? this.loadBalancer.dnsName}`,
      "HTTPS URL of the API (the domain when one is configured, otherwise the load balancer's name).",
    );
    output("alb_dns_name", this.loadBalancer.dnsName, "DNS name of the load balancer.");
    output(
      "alb_zone_id",
      this.loadBalancer.zoneId,
      "Route 53 zone id of the load balancer, for alias records.",
    );
    output("alb_arn", this.loadBalancer.loadBalancer.arn, "ARN of the load balancer.");
    output(
      "target_group_arn",
      this.loadBalancer.targetGroupArn,
      "ARN of the ip target group the tasks register in.",
    );
    output(
      "certificate_arn",
      this.certificate?.certificateArn ?? this.settings.edge.certificateArn,
      "ARN of the certificate the HTTPS listener serves.",
    );
    output("repository_url", this.repository.repositoryUrl, "ECR repository the service pulls from.");
    output("cluster_name", this.service.cluster.name, "ECS cluster name.");
    output("service_name", this.service.service.name, "ECS service name.");
    output(
      "task_definition_family",
      this.service.taskDefinition.family,
      "Task definition family; each deploy adds a revision.",
    );
    output("log_group_name", this.service.logGroup.name, "CloudWatch log group of the containers.");
    output(
      "secrets_kms_key_arn",
      this.secretsKey.keyArn,
      "KMS key to encrypt this environment's secrets with; the tasks may decrypt with it.",
    );
    output("vpc_id", this.network.vpcId, "ID of the VPC.");
    output(
      "public_subnet_ids",
      this.network.publicSubnetIds,
      "Public subnets (load balancer, NAT), in AZ order.",
    );
    output(
      "private_subnet_ids",
      this.network.privateSubnetIds,
      "Private app subnets (Fargate tasks), in AZ order.",
    );
    output(
      "isolated_subnet_ids",
      this.network.isolatedSubnetIds,
      "Isolated data subnets (no internet route), in AZ order.",
    );
    output(
      "db_subnet_group_name",
      this.network.dbSubnetGroup.name,
      "DB subnet group over the isolated subnets.",
    );
    for (const tier of SECURITY_TIERS) {
      if (this.securityGroups.hasGroup(tier)) {
        output(
          `${tier}_security_group_id`,
          this.securityGroups.groupId(tier),
          `Security group of the ${tier} tier.`,
        );
      }
    }
  }
}
