import { Construct } from "constructs";
import type { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { addServiceAutoscaling } from "./fargate-service/autoscaling";
import { serviceConnectTriggers, workloadServiceConfig } from "./fargate-service/workload-service";
import type { ServingWorkloadProps } from "./fargate-service/workload-service";
import { SERVICE_CONNECT_PORT_NAME } from "./model/service-connect";
import { WORKLOAD_SCALING } from "./model/workloads";
import { WorkloadTask } from "./workload-task";
import type { WorkloadTaskProps } from "./workload-task";

export interface InternalWorkloadProps extends ServingWorkloadProps {
  /** The workload's task; the internal workload adds its named port. */
  readonly task: WorkloadTaskProps;
  /** Who calls it (service or workload names); recorded for the outputs, the groups come from the flows. */
  readonly calledBy: readonly string[];
  /** Internal workloads it calls itself, `<name>:<port>` (its tasks are replaced when they change). */
  readonly calls: readonly string[];
  /** ARN of the environment's Cloud Map HTTP namespace (Service Connect). */
  readonly namespaceArn: string;
}

/**
 * An HTTP service only the environment's own services reach: its task with a named port, an ECS
 * service that publishes it through Service Connect as `http://<name>:<port>` (the proxy's logs in
 * the workload's log group), no load balancer, and CPU target tracking.
 */
export class InternalWorkload extends Construct {
  public readonly task: WorkloadTask;
  public readonly service: EcsService;
  public readonly scalableTarget: AppautoscalingTarget;
  /** What callers use: `http://<name>:<port>`. */
  public readonly endpoint: string;
  public readonly calledBy: readonly string[];

  constructor(scope: Construct, id: string, props: InternalWorkloadProps) {
    super(scope, id);
    const { name, namePrefix, region } = props.task;
    this.endpoint = `http://${name}:${props.containerPort}`;
    this.calledBy = props.calledBy;
    this.task = new WorkloadTask(this, "task", {
      ...props.task,
      serving: { containerPort: props.containerPort, portName: SERVICE_CONNECT_PORT_NAME },
    });
    this.service = new EcsService(this, "service", {
      ...workloadServiceConfig({
        name,
        clusterArn: props.clusterArn,
        taskDefinitionArn: this.task.taskDefinition.arn,
        desiredCount: props.minCount,
        subnetIds: props.subnetIds,
        securityGroupIds: props.securityGroupIds,
        capacityProvider: "FARGATE",
        waitForDeployment: props.waitForDeployment,
        dependsOn: props.dependsOn ?? [],
      }),
      triggers:
        props.calls.length > 0
          ? serviceConnectTriggers({ namespaceArn: props.namespaceArn, calls: props.calls })
          : undefined,
      serviceConnectConfiguration: {
        enabled: true,
        namespace: props.namespaceArn,
        service: [
          {
            portName: SERVICE_CONNECT_PORT_NAME,
            discoveryName: name,
            clientAlias: { port: props.containerPort, dnsName: name },
          },
        ],
        logConfiguration: {
          logDriver: "awslogs",
          options: {
            "awslogs-group": this.task.logGroup.name,
            "awslogs-region": region,
            "awslogs-stream-prefix": "service-connect",
          },
        },
      },
    });
    this.scalableTarget = addServiceAutoscaling(this, {
      autoscaling: {
        minCount: props.minCount,
        maxCount: props.maxCount,
        cpuTargetPercent: props.cpuTargetPercent,
        ...WORKLOAD_SCALING,
      },
      namePrefix: `${namePrefix}-${name}`,
      resourceId: `service/${props.clusterName}/${this.service.name}`,
    });
  }
}
