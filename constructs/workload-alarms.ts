import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { serviceConnectDimensions } from "./operations-dashboard";
import type { DashboardWorkload } from "./operations-dashboard";

export interface WorkloadAlarmsProps {
  /** Prefix of the alarm names, e.g. "orders-api-prod". */
  readonly namePrefix: string;
  /** SNS topic every alarm notifies, on alarm and on recovery. */
  readonly topicArn: string;
  readonly workloads: readonly DashboardWorkload[];
  /** `arn_suffix` of the load balancer, for the web workloads' alarms. */
  readonly loadBalancerArnSuffix: string;
  /** The cluster, for the internal workloads' Service Connect metrics. */
  readonly clusterName: string;
}

/** Messages older than this in a worker's queue mean the workers do not keep up (or are down). */
export const QUEUE_AGE_ALARM_SECONDS = 3600;

/**
 * What pages for workloads: a web workload's targets answering 5xx or failing health checks; an
 * internal workload answering its callers 5xx (Service Connect's metrics); a
 * message in a dead-letter queue (a worker gave up on it, or a job's run failed: not started
 * within its retries, or stopped with a non-zero exit code); a worker's queue whose oldest message waits longer than an hour.
 */
export class WorkloadAlarms extends Construct {
  public readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: WorkloadAlarmsProps) {
    super(scope, id);
    for (const w of props.workloads) {
      const snake = w.name.replace(/-/g, "_");
      const common = {
        namespace: "AWS/SQS",
        statistic: "Maximum",
        period: 300,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [props.topicArn],
        okActions: [props.topicArn],
      };
      if (w.kind === "web") {
        this.addWebAlarms(props, w, snake);
        continue;
      }
      if (w.kind === "internal") {
        this.alarms.push(
          new CloudwatchMetricAlarm(this, `${snake}_target_5xx`, {
            alarmName: `${props.namePrefix}-${w.name}-target-5xx`,
            alarmDescription: `The ${w.name} internal workload answered its callers 5xx this many times a minute, 3 minutes running (Service Connect's count). Read its logs (and its proxy's, stream prefix service-connect); roll back its last release if it began then.`,
            namespace: "AWS/ECS",
            metricName: "HTTPCode_Target_5XX_Count",
            dimensions: serviceConnectDimensions(w, props.clusterName),
            statistic: "Sum",
            period: 60,
            evaluationPeriods: 3,
            threshold: 10,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
            alarmActions: [props.topicArn],
            okActions: [props.topicArn],
          }),
        );
        continue;
      }
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `${snake}_dead_letters`, {
          ...common,
          alarmName: `${props.namePrefix}-${w.name}-dead-letters`,
          alarmDescription:
            w.kind === "worker"
              ? `A message of the ${w.name} worker failed every receive and is in its dead-letter queue. Read the worker's logs for the failure, fix it, then redrive (aws sqs start-message-move-task).`
              : `A run of the ${w.name} job failed: it could not be started within its retries, or its task stopped without starting its container or with a non-zero exit code. The message in the dead-letter queue says which (a scheduler error, or the ECS task state change with its stop reason and exit code); read the job's logs.`,
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: w.deadLetterQueueName ?? "" },
          evaluationPeriods: 1,
          threshold: 0,
        }),
      );
      if (w.kind === "worker" && w.queueName !== undefined) {
        this.alarms.push(
          new CloudwatchMetricAlarm(this, `${snake}_queue_age`, {
            ...common,
            alarmName: `${props.namePrefix}-${w.name}-queue-age`,
            alarmDescription: `Messages wait more than ${QUEUE_AGE_ALARM_SECONDS / 60} minutes in the ${w.name} worker's queue: the workers are down, failing or at their maxCount. Check the worker's tasks and logs; raise maxCount if it is busy.`,
            metricName: "ApproximateAgeOfOldestMessage",
            dimensions: { QueueName: w.queueName },
            evaluationPeriods: 3,
            threshold: QUEUE_AGE_ALARM_SECONDS,
          }),
        );
      }
    }
  }

  private addWebAlarms(props: WorkloadAlarmsProps, w: DashboardWorkload, snake: string): void {
    const dimensions = {
      LoadBalancer: props.loadBalancerArnSuffix,
      TargetGroup: w.targetGroupArnSuffix ?? "",
    };
    const common = {
      namespace: "AWS/ApplicationELB",
      period: 60,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
      dimensions,
    };
    this.alarms.push(
      new CloudwatchMetricAlarm(this, `${snake}_target_5xx`, {
        ...common,
        alarmName: `${props.namePrefix}-${w.name}-target-5xx`,
        alarmDescription: `The ${w.name} web workload answered 5xx this many times a minute, 3 minutes running. Read its logs; roll back its last release if it began then.`,
        metricName: "HTTPCode_Target_5XX_Count",
        statistic: "Sum",
        evaluationPeriods: 3,
        threshold: 10,
      }),
      new CloudwatchMetricAlarm(this, `${snake}_unhealthy_hosts`, {
        ...common,
        alarmName: `${props.namePrefix}-${w.name}-unhealthy-hosts`,
        alarmDescription: `Tasks of the ${w.name} web workload fail the load balancer's health check. Read the service's events and the tasks' logs.`,
        metricName: "UnHealthyHostCount",
        statistic: "Maximum",
        evaluationPeriods: 3,
        threshold: 1,
      }),
    );
  }
}
