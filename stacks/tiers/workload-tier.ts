/**
 * The web, internal, worker and job workloads beside the service (`workloads`): each runs the service's image at the same
 * tag with its own command, in the service's cluster and private subnets, in its own security
 * group, reaching only the data stores it names. Their queues share one environment key.
 */
import type { Construct } from "constructs";
import { dependable } from "cdktf";
import type { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import type { KmsKey } from "../../constructs/kms-key";
import { acceptFindings } from "../../constructs/support/accepted-findings";
import { eventBridgeQueueKeyStatement, viaServiceKeyStatement } from "../../constructs/model/iam";
import { webRulePriority } from "../../constructs/model/web-routing";
import { withWorkloadDefaults } from "../../constructs/model/workloads";
import type {
  InternalOptions,
  JobOptions,
  QueueOptions,
  WebOptions,
  WorkerOptions,
} from "../../constructs/model/workloads";
import { InternalWorkload } from "../../constructs/internal-workload";
import { CONTAINER_NAME } from "../../constructs/model/fargate-service";
import { callsOf } from "../../constructs/model/service-connect";
import type { ServiceConnectClient } from "../../constructs/fargate-service/workload-service";
import { WebWorkload } from "../../constructs/web-workload";
import { workloadGroup } from "../../constructs/model/security-groups";
import type { DashboardWorkload } from "../../constructs/operations-dashboard";
import { QueueWorker } from "../../constructs/queue-worker";
import { ScheduledJob } from "../../constructs/scheduled-job";
import type { WorkloadTaskProps } from "../../constructs/workload-task";
import type { EnvironmentSettings, ServiceSettings } from "../config/settings";
import type { DataTier } from "./data-tier";
import type { EdgeTier } from "./edge-tier";
import { addEnvironmentKey } from "./environment-context";
import type { EnvironmentContext } from "./environment-context";
import type { EnvironmentKeys } from "./environment-keys";
import type { NetworkTier } from "./network-tier";
import type { ServiceTier } from "./service-tier";

export interface WorkloadTierInput {
  readonly context: EnvironmentContext;
  readonly workloads: EnvironmentSettings["workloads"];
  /** The service's container settings the workloads share (user, architecture, variables, logs). */
  readonly service: ServiceSettings;
  readonly keys: EnvironmentKeys;
  readonly network: NetworkTier;
  readonly data: DataTier;
  /** The load balancer and HTTPS listener web workloads are added to. */
  readonly edge: EdgeTier;
  /** Prefix of the web workloads' target-group names (the service's). */
  readonly targetGroupNamePrefix: string;
  /** Seconds the load balancer drains a stopping task (edge.deregistrationDelaySeconds). */
  readonly deregistrationDelaySeconds: number;
  /** The cluster, the repository and the image tag. */
  readonly serviceTier: ServiceTier;
}

/** Construct id of a workload ("nightly-report" → "workload_nightly_report"). */
export function workloadId(name: string): string {
  return `workload_${name.replace(/-/g, "_")}`;
}

export class WorkloadTier {
  /** Encrypts the workers' queues and the jobs' dead-letter queues; present with any workload. */
  public readonly queueKey?: KmsKey;
  public readonly webs: Readonly<Record<string, WebWorkload>> = {};
  public readonly internals: Readonly<Record<string, InternalWorkload>> = {};
  public readonly workers: Readonly<Record<string, QueueWorker>> = {};
  public readonly jobs: Readonly<Record<string, ScheduledJob>> = {};

  constructor(scope: Construct, input: WorkloadTierInput) {
    const { context } = input;
    const entries = Object.entries(input.workloads);
    if (entries.length === 0) return;
    // Web and internal workloads have no queue; the key exists only with a worker or a job.
    const queueKey = entries.some(([, w]) => w.kind === "worker" || w.kind === "job")
      ? addQueueKey(
          scope,
          context,
          entries.some(([, w]) => w.kind === "job"),
        )
      : undefined;
    this.queueKey = queueKey;
    const webs: Record<string, WebWorkload> = {};
    const internals: Record<string, InternalWorkload> = {};
    const workers: Record<string, QueueWorker> = {};
    const jobs: Record<string, ScheduledJob> = {};
    for (const [name, options] of entries) {
      if (options.kind === "web") webs[name] = this.addWeb(scope, input, name, options);
      else if (options.kind === "internal") internals[name] = this.addInternal(scope, input, name, options);
      else if (options.kind === "worker") {
        workers[name] = this.addWorker(scope, input, name, options, queueKey!);
      } else jobs[name] = this.addJob(scope, input, name, options, queueKey!);
    }
    this.webs = webs;
    this.internals = internals;
    this.workers = workers;
    this.jobs = jobs;
    this.deployCallersAfterCallees(input);
  }

  /**
   * Service Connect gives a task only the names that existed when it started (AWS: deploy each
   * caller after what it calls): every caller's ECS service depends on those of the internal
   * workloads it calls. Circles are refused at synth.
   */
  private deployCallersAfterCallees(input: WorkloadTierInput): void {
    const services: Record<string, EcsService> = {
      [input.service.name]: input.serviceTier.service.service,
      ...Object.fromEntries(
        [
          ...Object.entries(this.webs),
          ...Object.entries(this.internals),
          ...Object.entries(this.workers),
        ].map(([name, w]) => [name, w.service]),
      ),
    };
    for (const internal of Object.values(this.internals)) {
      for (const caller of internal.calledBy) {
        const service = services[caller];
        if (service) service.dependsOn = [...(service.dependsOn ?? []), dependable(internal.service)];
      }
    }
  }

  /** The web, internal and worker workloads' ECS services. */
  public get services(): EcsService[] {
    return [
      ...Object.values(this.webs),
      ...Object.values(this.internals),
      ...Object.values(this.workers),
    ].map((w) => w.service);
  }

  /** The workloads as the dashboard and the alarms see them. */
  public get watched(): DashboardWorkload[] {
    return [
      ...Object.entries(this.webs).map(([name, w]) => ({
        name,
        kind: "web" as const,
        targetGroupArnSuffix: w.targetGroup.arnSuffix,
        serviceName: w.service.name,
      })),
      ...Object.entries(this.internals).map(([name, w]) => ({
        name,
        kind: "internal" as const,
        serviceName: w.service.name,
        endpoint: w.endpoint,
      })),
      ...Object.entries(this.workers).map(([name, w]) => ({
        name,
        kind: "worker" as const,
        queueName: w.queue.name,
        deadLetterQueueName: w.deadLetterQueue.name,
        serviceName: w.service.name,
      })),
      ...Object.entries(this.jobs).map(([name, j]) => ({
        name,
        kind: "job" as const,
        deadLetterQueueName: j.deadLetterQueue.name,
      })),
    ];
  }

  private addWeb(scope: Construct, input: WorkloadTierInput, name: string, options: WebOptions): WebWorkload {
    const w = withWorkloadDefaults(options);
    const { cluster, capacityProviders } = input.serviceTier.service;
    const { loadBalancer } = input.edge;
    return new WebWorkload(scope, workloadId(name), {
      task: taskProps(input, name, w),
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      ...placement(input, name),
      vpcId: input.network.network.vpcId,
      listenerArn: loadBalancer.httpsListener.arn,
      loadBalancerArnSuffix: loadBalancer.loadBalancer.arnSuffix,
      targetGroupNamePrefix: input.targetGroupNamePrefix,
      deregistrationDelaySeconds: input.deregistrationDelaySeconds,
      containerPort: w.containerPort,
      healthCheck: w.healthCheck,
      hosts: w.hosts,
      paths: w.paths,
      priority: webRulePriority(name),
      minCount: w.minCount,
      maxCount: w.maxCount,
      cpuTargetPercent: w.cpuTargetPercent,
      requestsPerTarget: options.requestsPerTarget,
      waitForDeployment: input.service.waitForDeployment,
      serviceConnect: serviceConnectFor(input, name),
      dependsOn: [capacityProviders],
    });
  }

  private addInternal(
    scope: Construct,
    input: WorkloadTierInput,
    name: string,
    options: InternalOptions,
  ): InternalWorkload {
    const w = withWorkloadDefaults(options);
    const { cluster, capacityProviders } = input.serviceTier.service;
    return new InternalWorkload(scope, workloadId(name), {
      task: taskProps(input, name, w),
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      ...placement(input, name),
      namespaceArn: input.serviceTier.namespace!.arn,
      calledBy: w.calledBy,
      calls: callsOf(name, input.workloads),
      containerPort: w.containerPort,
      minCount: w.minCount,
      maxCount: w.maxCount,
      cpuTargetPercent: w.cpuTargetPercent,
      waitForDeployment: input.service.waitForDeployment,
      dependsOn: [capacityProviders],
    });
  }

  private addWorker(
    scope: Construct,
    input: WorkloadTierInput,
    name: string,
    options: WorkerOptions,
    queueKey: KmsKey,
  ): QueueWorker {
    const w = withWorkloadDefaults(options);
    const { cluster, capacityProviders } = input.serviceTier.service;
    return new QueueWorker(scope, workloadId(name), {
      task: taskProps(input, name, w),
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      ...placement(input, name),
      queueKmsKeyArn: queueKey.keyArn,
      queue: w.queue as Required<QueueOptions>,
      minCount: w.minCount,
      maxCount: w.maxCount,
      backlogPerTask: w.backlogPerTask,
      spot: w.spot,
      waitForDeployment: input.service.waitForDeployment,
      serviceConnect: serviceConnectFor(input, name),
      dependsOn: [capacityProviders],
    });
  }

  private addJob(
    scope: Construct,
    input: WorkloadTierInput,
    name: string,
    options: JobOptions,
    queueKey: KmsKey,
  ): ScheduledJob {
    const j = withWorkloadDefaults(options);
    const group = input.network.securityGroups.groups[workloadGroup(name)];
    if (group) acceptFindings(group, "scheduledTaskGroup");
    return new ScheduledJob(scope, workloadId(name), {
      task: taskProps(input, name, j),
      clusterArn: input.serviceTier.service.cluster.arn,
      ...placement(input, name),
      queueKmsKeyArn: queueKey.keyArn,
      containerName: CONTAINER_NAME,
      schedule: j.schedule,
      timezone: j.timezone,
      flexibleWindowMinutes: j.flexibleWindowMinutes,
      retryAttempts: j.retryAttempts,
      maxEventAgeSeconds: j.maxEventAgeSeconds,
    });
  }
}

/** The queue key; with a job, EventBridge may use it too (the job's rule records failed runs in its queue). */
function addQueueKey(scope: Construct, context: EnvironmentContext, jobs: boolean): KmsKey {
  return addEnvironmentKey(scope, context, "queue_key", {
    alias: "queues",
    description: `Encrypts the workers' queues and the jobs' dead-letter queues of ${context.namePrefix}`,
    usage: viaServiceKeyStatement(
      "AccountUsesKeyThroughSqs",
      [`sqs.${context.region}.amazonaws.com`],
      context.accountId,
      context.partition,
    ),
    serviceUsage: jobs ? [eventBridgeQueueKeyStatement(context.accountId)] : [],
  });
}

/** The namespace and what the workload calls there, when it calls an internal workload (a Service Connect client). */
function serviceConnectFor(input: WorkloadTierInput, name: string): ServiceConnectClient | undefined {
  const calls = callsOf(name, input.workloads);
  const namespace = input.serviceTier.namespace;
  return namespace === undefined || calls.length === 0 ? undefined : { namespaceArn: namespace.arn, calls };
}

function placement(input: WorkloadTierInput, name: string) {
  return {
    subnetIds: input.network.network.privateSubnetIds,
    securityGroupIds: [input.network.securityGroups.groupId(workloadGroup(name))],
  };
}

/** A workload's task: the service's image, user and log settings, its own command, size, variables and access. */
function taskProps(
  input: WorkloadTierInput,
  name: string,
  w: Required<WebOptions> | Required<InternalOptions> | Required<WorkerOptions> | Required<JobOptions>,
): WorkloadTaskProps {
  const { context, service, keys, serviceTier } = input;
  const access = input.data.accessFor(w.dataAccess);
  return {
    namePrefix: context.namePrefix,
    name,
    region: context.region,
    accountId: context.accountId,
    partition: context.partition,
    repositoryArn: serviceTier.repository.arn,
    repositoryUrl: serviceTier.repository.repositoryUrl,
    imageTag: serviceTier.imageTag.stringValue,
    cpu: w.cpu,
    memory: w.memory,
    cpuArchitecture: service.cpuArchitecture,
    user: service.user,
    stopTimeoutSeconds: service.stopTimeoutSeconds,
    command: w.command,
    entryPoint: service.entryPoint,
    environment: { ...service.environment, ...w.environment, ...access.environment },
    secrets: w.secrets,
    secretsKmsKeyArns: [keys.secrets.keyArn, ...service.secretsKmsKeyArns],
    logRetentionDays: service.logRetentionDays,
    logKmsKeyArn: keys.logs.keyArn,
    taskStatements: access.statements,
    oneOffTasks: w.oneOffTasks,
  };
}
