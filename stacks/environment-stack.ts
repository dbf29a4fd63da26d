import type { Construct } from "constructs";
import { DEFAULT_CONTAINER_PORT } from "../constructs/model/fargate-service";
import { Aspects } from "cdktf";
import { DEPLOYMENT_ALARM_IDS, alarmName } from "../constructs/model/alarms";
import { targetGroupNamePrefixFor } from "../constructs/model/load-balancer";
import { tierFlows, workloadFlows } from "../constructs/model/security-groups";
import { internalCallFlows, internalWorkloads, callsOf } from "../constructs/model/service-connect";
import type { TierFlow } from "../constructs/model/security-groups";
import type { EnvironmentSettings, ProjectSettings } from "./config/settings";
import { DestroyProtection } from "./destroy-protection";
import { ProjectStack } from "./project-stack";
import { DataTier } from "./tiers/data-tier";
import { EdgeTier } from "./tiers/edge-tier";
import type { EnvironmentContext } from "./tiers/environment-context";
import { EnvironmentKeys } from "./tiers/environment-keys";
import { addEnvironmentOutputs } from "./tiers/environment-outputs";
import { NetworkTier } from "./tiers/network-tier";
import { OperationsTier } from "./tiers/operations-tier";
import { ServiceTier } from "./tiers/service-tier";
import { WorkloadTier } from "./tiers/workload-tier";

export interface EnvironmentStackProps {
  readonly project: ProjectSettings;
  readonly settings: EnvironmentSettings;
}

/**
 * One environment, with its own state, built tier by tier: the keys the tiers share, the network,
 * the data tier, the HTTPS edge, the Fargate service and its operations (alarms, dashboard). Each
 * tier takes its settings and the tiers before it, and nothing else. The image tag is the
 * Terraform variable `image_tag`, so a pipeline deploys a git SHA with `TF_VAR_image_tag=<sha>`.
 */
export class EnvironmentStack extends ProjectStack {
  public readonly settings: EnvironmentSettings;
  public readonly keys: EnvironmentKeys;
  public readonly networkTier: NetworkTier;
  public readonly dataTier: DataTier;
  public readonly edgeTier: EdgeTier;
  public readonly serviceTier: ServiceTier;
  public readonly workloadTier: WorkloadTier;
  public readonly operationsTier: OperationsTier;

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
    const context = this.context();
    const { network, service, edge, database, cache } = settings;

    this.keys = new EnvironmentKeys(this, { context });
    this.networkTier = new NetworkTier(this, {
      context,
      settings: network,
      ipv6: edge.ipv6,
      flows: environmentFlows(settings),
      flowLogKmsKeyArn: this.keys.auditLogs.keyArn,
    });
    this.dataTier = new DataTier(this, {
      context,
      database,
      cache,
      logRetentionDays: service.logRetentionDays,
      network: this.networkTier,
      keys: this.keys,
    });
    this.edgeTier = new EdgeTier(this, {
      context,
      settings: edge,
      targetGroupNamePrefix: targetGroupNamePrefixFor(settings.name),
      target: { port: service.containerPort, healthCheck: service.healthCheck },
      wafLogRetentionDays: service.logRetentionDays,
      webWorkloads: Object.values(settings.workloads).some((w) => w.kind === "web"),
      network: this.networkTier,
      keys: this.keys,
    });
    this.serviceTier = new ServiceTier(this, {
      context,
      settings: service,
      registry: project.registry,
      configuredAccountId: settings.accountId,
      environmentName: settings.name,
      providerFor: (region) => this.providerFor(region),
      deploymentAlarmNames: settings.alarms.enabled
        ? DEPLOYMENT_ALARM_IDS.map((id) => alarmName(this.namePrefix, id))
        : undefined,
      keys: this.keys,
      network: this.networkTier,
      data: this.dataTier,
      edge: this.edgeTier,
      serviceConnect: serviceConnectOf(settings),
    });
    this.workloadTier = new WorkloadTier(this, {
      context,
      workloads: settings.workloads,
      service,
      keys: this.keys,
      network: this.networkTier,
      data: this.dataTier,
      edge: this.edgeTier,
      targetGroupNamePrefix: targetGroupNamePrefixFor(settings.name),
      deregistrationDelaySeconds: edge.deregistrationDelaySeconds,
      serviceTier: this.serviceTier,
    });
    this.operationsTier = new OperationsTier(this, {
      context,
      settings: settings.alarms,
      edge: this.edgeTier,
      service: this.serviceTier,
      data: this.dataTier,
      workloads: this.workloadTier,
    });
    addEnvironmentOutputs(this, { region: this.region, domainName: edge.domainName, ...this.tiers() });
    if (settings.destroyProtection) Aspects.of(this).add(new DestroyProtection(settings.destroyBreakGlass));
  }

  private tiers() {
    return {
      keys: this.keys,
      network: this.networkTier,
      data: this.dataTier,
      edge: this.edgeTier,
      service: this.serviceTier,
      workloads: this.workloadTier,
      operations: this.operationsTier,
    };
  }

  private context(): EnvironmentContext {
    return {
      namePrefix: this.namePrefix,
      region: this.region,
      accountId: this.accountId,
      partition: this.partition,
      keyAdministratorArns: this.settings.keyAdministratorArns,
      destroyBreakGlass: this.settings.destroyBreakGlass,
    };
  }
}

/** Whether the environment has a Service Connect namespace, and whether the service calls through it. */
function serviceConnectOf({ workloads, service }: EnvironmentSettings) {
  return {
    namespace: internalWorkloads(workloads).length > 0,
    serviceCalls: callsOf(service.name, workloads),
  };
}

/** Who may call whom in an environment, on which port: the security groups follow from it. */
function environmentFlows(settings: EnvironmentSettings): TierFlow[] {
  const { network, service, edge, database, cache } = settings;
  const shared = {
    internetEgress: network.appInternetEgress,
    interfaceEndpoints: network.interfaceEndpoints.length > 0,
  };
  return [
    ...tierFlows({
      ...shared,
      containerPort: service.containerPort,
      database: database.enabled,
      cache: cache.enabled,
      httpRedirect: edge.httpRedirect,
    }),
    ...Object.entries(settings.workloads).flatMap(([name, w]) =>
      workloadFlows(name, {
        ...shared,
        fromLoadBalancerPort: w.kind === "web" ? (w.containerPort ?? DEFAULT_CONTAINER_PORT) : undefined,
        database: database.enabled && (w.dataAccess ?? []).includes("database"),
        cache: cache.enabled && (w.dataAccess ?? []).includes("cache"),
      }),
    ),
    ...internalCallFlows(service.name, settings.workloads),
  ];
}
