/**
 * What the ECS services of workloads share: one capacity provider, private subnets without public
 * IPs, rolling deployments that keep capacity and roll back, tags propagated, and the task count
 * left to autoscaling once the service exists.
 */
import type { ITerraformDependable } from "cdktf";
import type { EcsServiceConfig } from "@cdktf/provider-aws/lib/ecs-service";
import { DEPLOYMENT } from "../model/fargate-service";

/** Where a long-running workload's ECS service runs: what the worker's and web workload's props share. */
export interface WorkloadServiceProps {
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Apply waits until the workload's deployment is steady. */
  readonly waitForDeployment: boolean;
  /**
   * Resources the service must wait for, above all the cluster's capacity providers.
   *
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Service Connect, when the workload calls an internal workload.
   *
   * @default - no Service Connect (an internal workload sets its own)
   */
  readonly serviceConnect?: ServiceConnectClient;
}

/** What a workload that serves HTTP (web or internal) adds: its port, and task counts scaled on CPU. */
export interface ServingWorkloadProps extends WorkloadServiceProps {
  readonly containerPort: number;
  readonly minCount: number;
  readonly maxCount: number;
  readonly cpuTargetPercent: number;
}

/** A caller of internal workloads: the namespace it joins, and what it calls there. */
export interface ServiceConnectClient {
  /** ARN of the environment's Cloud Map namespace. */
  readonly namespaceArn: string;
  /** `<name>:<port>` of each internal workload it calls, sorted. */
  readonly calls: readonly string[];
}

export interface WorkloadServiceInput {
  readonly name: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  /** Tasks at first deploy; autoscaling owns the count afterwards. */
  readonly desiredCount: number;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly capacityProvider: "FARGATE" | "FARGATE_SPOT";
  readonly waitForDeployment: boolean;
  readonly dependsOn: readonly ITerraformDependable[];
  /** @default - no Service Connect */
  readonly serviceConnect?: ServiceConnectClient;
}

/** A Service Connect client in the namespace (it may call the namespace's services, publishes none). */
export function serviceConnectClient(client: ServiceConnectClient | undefined) {
  return client === undefined ? undefined : { enabled: true, namespace: client.namespaceArn };
}

/**
 * A task resolves only the Service Connect names that existed when it started: a caller's tasks
 * are replaced (a new deployment, force_new_deployment) whenever what it calls changes.
 */
export function serviceConnectTriggers(client: ServiceConnectClient | undefined) {
  return client === undefined ? undefined : { service_connect_calls: client.calls.join(" ") };
}

export function workloadServiceConfig(input: WorkloadServiceInput): EcsServiceConfig {
  return {
    name: input.name,
    cluster: input.clusterArn,
    taskDefinition: input.taskDefinitionArn,
    desiredCount: input.desiredCount,
    capacityProviderStrategy: [{ capacityProvider: input.capacityProvider, weight: 1 }],
    // As for the service: a new capacity strategy needs a new deployment (see FargateService).
    forceNewDeployment: true,
    platformVersion: "LATEST",
    networkConfiguration: {
      subnets: [...input.subnetIds],
      securityGroups: [...input.securityGroupIds],
      assignPublicIp: false,
    },
    deploymentMinimumHealthyPercent: DEPLOYMENT.minimumHealthyPercent,
    deploymentMaximumPercent: DEPLOYMENT.maximumPercent,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    deploymentController: { type: "ECS" },
    propagateTags: "SERVICE",
    enableEcsManagedTags: true,
    waitForSteadyState: input.waitForDeployment,
    serviceConnectConfiguration: serviceConnectClient(input.serviceConnect),
    triggers: serviceConnectTriggers(input.serviceConnect),
    dependsOn: [...input.dependsOn],
    lifecycle: { ignoreChanges: ["desired_count"] },
  };
}
