import { Construct } from "constructs";
import type { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import type { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { addServiceAutoscaling } from "./fargate-service/autoscaling";
import { addIpTargetGroup } from "./load-balancer";
import { CONTAINER_NAME } from "./model/fargate-service";
import { workloadServiceConfig } from "./fargate-service/workload-service";
import type { ServingWorkloadProps } from "./fargate-service/workload-service";
import { containerHealthCheck } from "./model/health-check";
import type { HealthCheckContract } from "./model/health-check";
import { acceptFindings } from "./support/accepted-findings";
import { WORKLOAD_SCALING } from "./model/workloads";
import { WorkloadTask } from "./workload-task";
import type { WorkloadTaskProps } from "./workload-task";

export interface WebWorkloadProps extends ServingWorkloadProps {
  /** The workload's task; the web workload adds its port and container health check. */
  readonly task: WorkloadTaskProps;
  readonly vpcId: string;
  /** The environment's HTTPS listener the workload's rule is added to. */
  readonly listenerArn: string;
  /** `arn_suffix` of the load balancer, for the request-count policy. */
  readonly loadBalancerArnSuffix: string;
  /** name_prefix of the target group (at most 6 characters). */
  readonly targetGroupNamePrefix: string;
  readonly deregistrationDelaySeconds: number;
  readonly healthCheck: HealthCheckContract;
  /** Host names and path patterns of the rule (at least one of the two). */
  readonly hosts: readonly string[];
  readonly paths: readonly string[];
  /** The rule's priority, derived from the workload's name. */
  readonly priority: number;
  /** @default - no request-count policy */
  readonly requestsPerTarget?: number;
}

/**
 * Another HTTP service behind the environment's one load balancer: its own target group, a
 * listener rule that forwards its hosts and/or paths to it (a priority from its name, ahead of
 * the service's Host rules), its task with a health-checked port, an ECS service registered in
 * that group, and CPU (plus request-count) target tracking.
 */
export class WebWorkload extends Construct {
  public readonly targetGroup: LbTargetGroup;
  public readonly rule: LbListenerRule;
  public readonly task: WorkloadTask;
  public readonly service: EcsService;
  public readonly scalableTarget: AppautoscalingTarget;

  constructor(scope: Construct, id: string, props: WebWorkloadProps) {
    super(scope, id);
    const name = `${props.task.namePrefix}-${props.task.name}`;
    this.targetGroup = addIpTargetGroup(this, "target_group", {
      namePrefix: props.targetGroupNamePrefix,
      port: props.containerPort,
      vpcId: props.vpcId,
      deregistrationDelaySeconds: props.deregistrationDelaySeconds,
      healthCheck: props.healthCheck,
      name,
    });
    acceptFindings(this.targetGroup, "tlsEndsAtLoadBalancer");
    this.rule = new LbListenerRule(this, "listener_rule", {
      listenerArn: props.listenerArn,
      priority: props.priority,
      condition: [
        ...(props.hosts.length > 0 ? [{ hostHeader: { values: [...props.hosts] } }] : []),
        ...(props.paths.length > 0 ? [{ pathPattern: { values: [...props.paths] } }] : []),
      ],
      action: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      tags: { Name: name },
    });
    this.task = new WorkloadTask(this, "task", {
      ...props.task,
      serving: {
        containerPort: props.containerPort,
        healthCheck: containerHealthCheck(props.healthCheck, props.containerPort),
      },
    });
    this.service = this.createService(props);
    this.scalableTarget = addServiceAutoscaling(this, {
      autoscaling: {
        minCount: props.minCount,
        maxCount: props.maxCount,
        cpuTargetPercent: props.cpuTargetPercent,
        requestsPerTarget: props.requestsPerTarget,
        ...WORKLOAD_SCALING,
      },
      requestCountResourceLabel: `${props.loadBalancerArnSuffix}/${this.targetGroup.arnSuffix}`,
      namePrefix: name,
      resourceId: `service/${props.clusterName}/${this.service.name}`,
    });
  }

  private createService(props: WebWorkloadProps): EcsService {
    return new EcsService(this, "service", {
      ...workloadServiceConfig({
        name: props.task.name,
        clusterArn: props.clusterArn,
        taskDefinitionArn: this.task.taskDefinition.arn,
        desiredCount: props.minCount,
        subnetIds: props.subnetIds,
        securityGroupIds: props.securityGroupIds,
        capacityProvider: "FARGATE",
        waitForDeployment: props.waitForDeployment,
        serviceConnect: props.serviceConnect,
        // The rule must attach the target group to the load balancer before the service registers in it.
        dependsOn: [this.rule, ...(props.dependsOn ?? [])],
      }),
      loadBalancer: [
        {
          targetGroupArn: this.targetGroup.arn,
          containerName: CONTAINER_NAME,
          containerPort: props.containerPort,
        },
      ],
      healthCheckGracePeriodSeconds: props.healthCheck.gracePeriodSeconds,
    });
  }
}
