import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { forPolicyDocument, serviceTrustStatement } from "./model/iam";
import { jsonencode } from "./model/json-encode";
import type { PolicyStatement } from "./model/iam";
import { acceptFindings } from "./support/accepted-findings";
import { WorkloadTask } from "./workload-task";
import type { WorkloadTaskProps } from "./workload-task";

export interface ScheduledJobProps {
  readonly task: WorkloadTaskProps;
  readonly clusterArn: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Encrypts the dead-letter queue of runs that could not start or failed. */
  readonly queueKmsKeyArn: string;
  /** The task's container, whose exit code says whether a run failed. */
  readonly containerName: string;
  readonly schedule: string;
  readonly timezone: string;
  /** 0: start on time; more: anywhere within this many minutes. */
  readonly flexibleWindowMinutes: number;
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
}

/**
 * A scheduled job: EventBridge Scheduler starts one Fargate task of the job's task definition on
 * its schedule, in the private subnets, with retries. A run that cannot be started within its
 * retries and age, and a run whose task failed to start or whose container exited non-zero (an
 * EventBridge rule on ECS task state changes), land in the job's dead-letter queue (encrypted
 * under the queue key), which the environment's alarm watches. The scheduler's role may start this
 * task and pass its two roles only.
 */
export class ScheduledJob extends Construct {
  public readonly task: WorkloadTask;
  public readonly deadLetterQueue: SqsQueue;
  public readonly schedulerRole: IamRole;
  public readonly schedule: SchedulerSchedule;
  /** Matches the job's runs that failed (ECS task state changes), delivered to the dead-letter queue. */
  public readonly failedRunsRule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const name = `${props.task.namePrefix}-${props.task.name}`;
    this.task = new WorkloadTask(this, "task", props.task);
    this.deadLetterQueue = new SqsQueue(this, "dead_letter_queue", {
      name: `${name}-dlq`,
      kmsMasterKeyId: props.queueKmsKeyArn,
      messageRetentionSeconds: 14 * 86400,
    });
    this.schedulerRole = this.createSchedulerRole(props, name);
    this.schedule = new SchedulerSchedule(this, "schedule", {
      name,
      description: `Runs the ${props.task.name} job of ${props.task.namePrefix}`,
      scheduleExpression: props.schedule,
      scheduleExpressionTimezone: props.timezone,
      state: "ENABLED",
      flexibleTimeWindow:
        props.flexibleWindowMinutes === 0
          ? { mode: "OFF" }
          : { mode: "FLEXIBLE", maximumWindowInMinutes: props.flexibleWindowMinutes },
      target: {
        arn: props.clusterArn,
        roleArn: this.schedulerRole.arn,
        deadLetterConfig: { arn: this.deadLetterQueue.arn },
        retryPolicy: {
          maximumRetryAttempts: props.retryAttempts,
          maximumEventAgeInSeconds: props.maxEventAgeSeconds,
        },
        ecsParameters: {
          taskDefinitionArn: this.task.taskDefinition.arn,
          launchType: "FARGATE",
          platformVersion: "LATEST",
          taskCount: 1,
          networkConfiguration: {
            subnets: [...props.subnetIds],
            securityGroups: [...props.securityGroupIds],
            assignPublicIp: false,
          },
        },
      },
    });
    acceptFindings(this.schedule, "scheduleWithoutPayload");
    this.failedRunsRule = this.recordFailedRuns(props, name);
  }

  /**
   * Stopped tasks of this job's family (`group` is `family:<family>` for tasks the scheduler starts;
   * one-off tasks have families of their own) whose container exited non-zero or that never started.
   */
  private recordFailedRuns(props: ScheduledJobProps, name: string): CloudwatchEventRule {
    const rule = new CloudwatchEventRule(this, "failed_runs_rule", {
      name: `${name}-failed-runs`,
      description: `Runs of the ${props.task.name} job of ${props.task.namePrefix} that failed: recorded in its dead-letter queue`,
      eventPattern: jsonencode({
        source: ["aws.ecs"],
        "detail-type": ["ECS Task State Change"],
        detail: {
          clusterArn: [props.clusterArn],
          group: [`family:${this.task.family}`],
          lastStatus: ["STOPPED"],
          $or: [
            { containers: { name: [props.containerName], exitCode: [{ "anything-but": 0 }] } },
            { stopCode: ["TaskFailedToStart"] },
          ],
        },
      }),
    });
    new CloudwatchEventTarget(this, "failed_runs_target", {
      rule: rule.name,
      targetId: "dead-letter-queue",
      arn: this.deadLetterQueue.arn,
    });
    new SqsQueuePolicy(this, "dead_letter_queue_policy", {
      queueUrl: this.deadLetterQueue.url,
      policy: new DataAwsIamPolicyDocument(this, "dead_letter_queue_policy_document", {
        statement: forPolicyDocument([
          {
            sid: "FailedRunsOfThisJob",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
            actions: ["sqs:SendMessage"],
            resources: [this.deadLetterQueue.arn],
            condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [rule.arn] }],
          },
        ]),
      }).json,
    });
    return rule;
  }

  private createSchedulerRole(props: ScheduledJobProps, name: string): IamRole {
    const { partition, region, accountId } = props.task;
    const role = new IamRole(this, "scheduler_role", {
      name: `${name}-scheduler`,
      description: `Lets EventBridge Scheduler start the ${props.task.name} job of ${props.task.namePrefix}`,
      assumeRolePolicy: new DataAwsIamPolicyDocument(this, "scheduler_role_trust_policy", {
        statement: forPolicyDocument([
          serviceTrustStatement({
            service: "scheduler.amazonaws.com",
            accountId,
            sourceArnLike: `arn:${partition}:scheduler:${region}:${accountId}:schedule/default/${name}`,
          }),
        ]),
      }).json,
    });
    new IamRolePolicy(this, "scheduler_role_policy", {
      name: "start-the-job",
      role: role.id,
      policy: new DataAwsIamPolicyDocument(this, "scheduler_policy", {
        statement: forPolicyDocument(this.schedulerStatements(props)),
      }).json,
    });
    return role;
  }

  private schedulerStatements(props: ScheduledJobProps): PolicyStatement[] {
    return [
      {
        sid: "StartThisJobsTask",
        effect: "Allow",
        actions: ["ecs:RunTask"],
        // The revision the schedule starts: a new image registers a new one and updates both.
        resources: [this.task.taskDefinition.arn],
        condition: [{ test: "ArnEquals", variable: "ecs:cluster", values: [props.clusterArn] }],
      },
      {
        sid: "PassThisJobsRoles",
        effect: "Allow",
        actions: ["iam:PassRole"],
        resources: [this.task.executionRole.arn, this.task.taskRole.arn],
        condition: [
          { test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] },
        ],
      },
      {
        sid: "RecordRunsThatCouldNotStart",
        effect: "Allow",
        actions: ["sqs:SendMessage"],
        resources: [this.deadLetterQueue.arn],
      },
      {
        sid: "EncryptForTheDeadLetterQueue",
        effect: "Allow",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [props.queueKmsKeyArn],
      },
    ];
  }
}
