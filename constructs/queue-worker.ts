import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { workloadServiceConfig } from "./fargate-service/workload-service";
import type { WorkloadServiceProps } from "./fargate-service/workload-service";
import type { PolicyStatement } from "./model/iam";
import { jsonencode } from "./model/json-encode";
import { QUEUE_URL_VARIABLE, WORKLOAD_SCALING } from "./model/workloads";
import type { QueueOptions } from "./model/workloads";
import { WorkloadTask } from "./workload-task";
import type { WorkloadTaskProps } from "./workload-task";

export interface QueueWorkerProps extends WorkloadServiceProps {
  /** The worker's task; the worker adds its queue's URL and the statements to consume it. */
  readonly task: WorkloadTaskProps;
  /** Encrypts the queue and its dead-letter queue. */
  readonly queueKmsKeyArn: string;
  readonly queue: Required<QueueOptions>;
  readonly minCount: number;
  readonly maxCount: number;
  /** Messages waiting per running task that autoscaling aims for. */
  readonly backlogPerTask: number;
  /** FARGATE_SPOT instead of FARGATE. */
  readonly spot: boolean;
}

/**
 * A queue worker: an SQS queue with a dead-letter queue (both under the environment's queue key),
 * an ECS service without a load balancer that consumes it (`QUEUE_URL`), and target tracking on
 * the backlog per running task (visible messages / running tasks), as AWS recommends for workers.
 */
export class QueueWorker extends Construct {
  public readonly queue: SqsQueue;
  public readonly deadLetterQueue: SqsQueue;
  public readonly task: WorkloadTask;
  public readonly service: EcsService;
  public readonly scalableTarget: AppautoscalingTarget;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    const name = `${props.task.namePrefix}-${props.task.name}`;
    this.deadLetterQueue = new SqsQueue(this, "dead_letter_queue", {
      name: `${name}-dlq`,
      kmsMasterKeyId: props.queueKmsKeyArn,
      messageRetentionSeconds: 14 * 86400,
    });
    this.queue = new SqsQueue(this, "queue", {
      name,
      kmsMasterKeyId: props.queueKmsKeyArn,
      visibilityTimeoutSeconds: props.queue.visibilityTimeoutSeconds,
      messageRetentionSeconds: props.queue.retentionDays * 86400,
      receiveWaitTimeSeconds: 20,
      redrivePolicy: jsonencode({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: props.queue.maxReceiveCount,
      }),
    });
    this.task = new WorkloadTask(this, "task", {
      ...props.task,
      environment: { ...props.task.environment, [QUEUE_URL_VARIABLE]: this.queue.url },
      taskStatements: [...this.consumeStatements(props.queueKmsKeyArn), ...props.task.taskStatements],
    });
    this.service = this.createService(props);
    this.scalableTarget = this.addBacklogScaling(props);
  }

  private consumeStatements(keyArn: string): PolicyStatement[] {
    return [
      {
        sid: "ConsumeTheQueue",
        effect: "Allow",
        actions: [
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:ChangeMessageVisibility",
          "sqs:GetQueueAttributes",
        ],
        resources: [this.queue.arn],
      },
      { sid: "DecryptTheQueue", effect: "Allow", actions: ["kms:Decrypt"], resources: [keyArn] },
    ];
  }

  private createService(props: QueueWorkerProps): EcsService {
    return new EcsService(
      this,
      "service",
      workloadServiceConfig({
        name: props.task.name,
        clusterArn: props.clusterArn,
        taskDefinitionArn: this.task.taskDefinition.arn,
        desiredCount: props.minCount,
        subnetIds: props.subnetIds,
        securityGroupIds: props.securityGroupIds,
        capacityProvider: props.spot ? "FARGATE_SPOT" : "FARGATE",
        waitForDeployment: props.waitForDeployment,
        serviceConnect: props.serviceConnect,
        dependsOn: props.dependsOn ?? [],
      }),
    );
  }

  private addBacklogScaling(props: QueueWorkerProps): AppautoscalingTarget {
    const target = new AppautoscalingTarget(this, "autoscaling_target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${props.clusterName}/${this.service.name}`,
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
    });
    new AppautoscalingPolicy(this, "backlog_target_tracking", {
      name: `${props.task.namePrefix}-${props.task.name}-backlog-per-task`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.backlogPerTask,
        scaleInCooldown: WORKLOAD_SCALING.scaleInCooldownSeconds,
        scaleOutCooldown: WORKLOAD_SCALING.scaleOutCooldownSeconds,
        customizedMetricSpecification: {
          metrics: [
            {
              id: "visible",
              label: "Messages waiting",
              returnData: false,
              metricStat: {
                stat: "Sum",
                metric: {
                  namespace: "AWS/SQS",
                  metricName: "ApproximateNumberOfMessagesVisible",
                  dimensions: [{ name: "QueueName", value: this.queue.name }],
                },
              },
            },
            {
              id: "running",
              label: "Running tasks",
              returnData: false,
              metricStat: {
                stat: "Average",
                metric: {
                  namespace: "ECS/ContainerInsights",
                  metricName: "RunningTaskCount",
                  dimensions: [
                    { name: "ClusterName", value: props.clusterName },
                    { name: "ServiceName", value: this.service.name },
                  ],
                },
              },
            },
            {
              id: "backlog_per_task",
              label: "Messages waiting per running task",
              expression: "visible / IF(running > 0, running, 1)",
              returnData: true,
            },
          ],
        },
      },
    });
    return target;
  }
}
