/**
 * The service: the image it runs (the `image_tag` variable, checked against the repository at
 * plan time with every secret it reads), ECS Exec's key when Exec is on, and the Fargate service
 * in the private subnets behind the load balancer's target group.
 */
import type { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { DataAwsEcrRepository } from "@cdktf/provider-aws/lib/data-aws-ecr-repository";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ServiceDiscoveryHttpNamespace } from "@cdktf/provider-aws/lib/service-discovery-http-namespace";
import { EXEC_LOG_GROUP_PREFIX, FargateService } from "../../constructs/fargate-service/fargate-service";
import type { KmsKey } from "../../constructs/kms-key";
import { partitionOf } from "../../constructs/model/aws-limits";
import { crossAccountRepository, tagPatternsRegex } from "../../constructs/model/registry";
import { IMAGE_TAG_PATTERN } from "../config/schema/fields";
import type { RegistrySettings, ServiceSettings } from "../config/settings";
import type { DataTier } from "./data-tier";
import type { EdgeTier } from "./edge-tier";
import { addEnvironmentKey, logGroupsKeyUsage } from "./environment-context";
import type { EnvironmentContext } from "./environment-context";
import type { EnvironmentKeys } from "./environment-keys";
import type { NetworkTier } from "./network-tier";
import { addReleaseChecks } from "./release-checks";

/** The Terraform variable a pipeline sets to deploy an image: `TF_VAR_image_tag=<git sha>`. */
export const IMAGE_TAG_VARIABLE = "image_tag";

export interface ServiceTierInput {
  readonly context: EnvironmentContext;
  readonly settings: ServiceSettings;
  readonly registry: RegistrySettings;
  /** The environment's configured account (unset: whichever the credentials reach). */
  readonly configuredAccountId?: string;
  readonly environmentName: string;
  /** The provider for lookups in another region (the registry's, a secret's). */
  readonly providerFor: (region: string) => AwsProvider | undefined;
  /** Alarms that roll a deployment back (names, not references: the alarms watch this service). */
  readonly deploymentAlarmNames?: readonly string[];
  readonly keys: EnvironmentKeys;
  readonly network: NetworkTier;
  readonly data: DataTier;
  readonly edge: EdgeTier;
  /**
   * Service Connect: whether the environment has internal workloads (then a Cloud Map namespace
   * exists), and the ones the service calls (`<name>:<port>`).
   */
  readonly serviceConnect: { readonly namespace: boolean; readonly serviceCalls: readonly string[] };
}

export class ServiceTier {
  public readonly imageTag: TerraformVariable;
  /** ECS Exec sessions: the only key the task role may decrypt, and only while ECS Exec is on. */
  public readonly execKey?: KmsKey;
  public readonly repository: { readonly arn: string; readonly repositoryUrl: string };
  public readonly service: FargateService;
  /** Where internal workloads are published (Service Connect); present with any internal workload. */
  public readonly namespace?: ServiceDiscoveryHttpNamespace;

  constructor(scope: Construct, input: ServiceTierInput) {
    const { context, settings } = input;
    this.imageTag = addImageTagVariable(scope, input);
    if (settings.enableExecuteCommand) {
      this.execKey = addEnvironmentKey(scope, context, "exec_key", {
        alias: "exec",
        description: `Encrypts the ECS Exec sessions of ${context.namePrefix} and their log group`,
        usage: logGroupsKeyUsage(context, [`${EXEC_LOG_GROUP_PREFIX}${context.namePrefix}/*`]),
      });
    }
    this.repository = findRepository(scope, input);
    addReleaseChecks(scope, {
      registry: input.registry,
      accountId: input.configuredAccountId,
      imageTag: this.imageTag.stringValue,
      secrets: settings.secrets,
      providerFor: input.providerFor,
    });
    if (input.serviceConnect.namespace) {
      this.namespace = new ServiceDiscoveryHttpNamespace(scope, "service_connect_namespace", {
        name: context.namePrefix,
        description: `Service Connect names of the internal workloads of ${context.namePrefix}`,
      });
    }
    this.service = this.addService(scope, input);
  }

  private addService(scope: Construct, input: ServiceTierInput): FargateService {
    const { context, settings: svc, network, data, edge, keys } = input;
    const { loadBalancer } = edge;
    return new FargateService(scope, "service", {
      namePrefix: context.namePrefix,
      serviceName: svc.name,
      region: context.region,
      accountId: context.accountId,
      partition: context.partition,
      repositoryArn: this.repository.arn,
      repositoryUrl: this.repository.repositoryUrl,
      imageTag: this.imageTag.stringValue,
      subnetIds: network.network.privateSubnetIds,
      securityGroupIds: [network.securityGroups.groupId("app")],
      targetGroupArn: loadBalancer.targetGroupArn,
      // The target group must be attached to the load balancer before the service registers in it.
      dependsOn: loadBalancer.forwarding,
      containerPort: svc.containerPort,
      cpu: svc.cpu,
      memory: svc.memory,
      cpuArchitecture: svc.cpuArchitecture,
      environment: { ...svc.environment, ...data.serviceEnvironment },
      secrets: svc.secrets,
      oneOffTaskAccess: data.oneOffTaskAccess,
      dataAccessStatements: data.serviceStatements,
      oneOffTasks: svc.oneOffTasks,
      secretsKmsKeyArns: [keys.secrets.keyArn, ...svc.secretsKmsKeyArns],
      healthCheck: svc.healthCheck,
      stopTimeoutSeconds: svc.stopTimeoutSeconds,
      user: svc.user,
      logRetentionDays: svc.logRetentionDays,
      logKmsKeyArn: keys.logs.keyArn,
      execKmsKeyArn: this.execKey?.keyArn,
      desiredCount: svc.desiredCount,
      autoscaling: svc.autoscaling,
      requestCountResourceLabel: `${loadBalancer.loadBalancer.arnSuffix}/${loadBalancer.targetGroup.arnSuffix}`,
      capacity: svc.capacity,
      enableExecuteCommand: svc.enableExecuteCommand,
      circuitBreakerRollback: svc.circuitBreakerRollback,
      command: svc.command,
      entryPoint: svc.entryPoint,
      taskRoleStatements: svc.taskRoleStatements,
      taskRoleManagedPolicyArns: svc.taskRoleManagedPolicyArns,
      taskRoleBroadAccessAcknowledged: svc.taskRoleBroadAccessAcknowledged,
      waitForDeployment: svc.waitForDeployment,
      deploymentAlarmNames: input.deploymentAlarmNames,
      serviceConnect:
        this.namespace !== undefined && input.serviceConnect.serviceCalls.length > 0
          ? { namespaceArn: this.namespace.arn, calls: input.serviceConnect.serviceCalls }
          : undefined,
    });
  }
}

function addImageTagVariable(scope: Construct, input: ServiceTierInput): TerraformVariable {
  const name = IMAGE_TAG_VARIABLE;
  const { settings, registry, environmentName } = input;
  const patterns = registry.protectedTagPatterns;
  const releaseTags = settings.releaseTagsOnly
    ? [
        {
          condition: `\${can(regex("${tagPatternsRegex(patterns)}", var.${name}))}`,
          errorMessage: `image_tag must be a release tag (${patterns.join(", ")}; registry.protectedTagPatterns) in ${environmentName}: the lifecycle policy never expires those images. Promote a tested image by adding such a tag (help/deploy-with-cdktf.md, step 3).`,
        },
      ]
    : [];
  return new TerraformVariable(scope, name, {
    type: "string",
    description: 'Tag of the image to deploy, e.g. the git SHA the pipeline built. Never "latest".',
    default: settings.imageTagDefault,
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

/**
 * The shared repository: looked up by name in its own region (through an aliased provider), or,
 * when the registry is pinned to another account, addressed by ARN and URL (its policy lets this
 * environment's execution role pull).
 */
function findRepository(scope: Construct, input: ServiceTierInput): { arn: string; repositoryUrl: string } {
  const { registry, configuredAccountId: accountId } = input;
  if (registry.accountId !== undefined && accountId !== undefined && registry.accountId !== accountId) {
    const found = crossAccountRepository(
      partitionOf(registry.region),
      registry.region,
      registry.accountId,
      registry.repositoryName,
    );
    return { arn: found.arn, repositoryUrl: found.url };
  }
  return new DataAwsEcrRepository(scope, "repository", {
    name: registry.repositoryName,
    provider: input.providerFor(registry.region),
  });
}
