/**
 * What tells the team running an environment how it is doing: an encrypted SNS topic with its
 * subscriptions, the alarms that notify it (when alarms.enabled), and a dashboard.
 */
import type { Construct } from "constructs";
import { AlarmSet } from "../../constructs/alarm-set";
import { AlarmTopic } from "../../constructs/alarm-topic";
import type { KmsKey } from "../../constructs/kms-key";
import type { AlarmSettings } from "../../constructs/model/alarms";
import { ALARM_IDS } from "../../constructs/model/alarms";
import { cloudWatchAlarmsKeyStatement } from "../../constructs/model/iam";
import { OperationsDashboard } from "../../constructs/operations-dashboard";
import type { DataTier } from "./data-tier";
import type { EdgeTier } from "./edge-tier";
import { addEnvironmentKey } from "./environment-context";
import type { EnvironmentContext } from "./environment-context";
import type { ServiceTier } from "./service-tier";
import type { WorkloadTier } from "./workload-tier";
import { WorkloadAlarms } from "../../constructs/workload-alarms";
import { acceptFindings } from "../../constructs/support/accepted-findings";

export interface OperationsTierInput {
  readonly context: EnvironmentContext;
  readonly settings: AlarmSettings;
  readonly edge: EdgeTier;
  readonly service: ServiceTier;
  readonly data: DataTier;
  readonly workloads: WorkloadTier;
}

export class OperationsTier {
  public readonly notificationsKey?: KmsKey;
  public readonly topic?: AlarmTopic;
  public readonly alarms?: AlarmSet;
  /** Dead letters and queue age of the workers and jobs, when there are any. */
  public readonly workloadAlarms?: WorkloadAlarms;
  public readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, input: OperationsTierInput) {
    const { context, settings, edge, service, data } = input;
    const workloads = input.workloads.watched;
    const watched = {
      loadBalancerArnSuffix: edge.loadBalancer.loadBalancer.arnSuffix,
      targetGroupArnSuffix: edge.loadBalancer.targetGroup.arnSuffix,
      clusterName: service.service.cluster.name,
      serviceName: service.service.service.name,
      region: context.region,
      webAclName: edge.webAcl?.webAcl.name,
      databaseIdentifier: data.database?.instance.identifier,
      cacheClusterIds: data.cache?.memberClusterIds,
    };
    if (!settings.enabled) {
      for (const ecsService of [service.service.service, ...input.workloads.services]) {
        acceptFindings(ecsService, "noAlarms");
      }
    }
    if (settings.enabled) {
      this.notificationsKey = addEnvironmentKey(scope, context, "notifications_key", {
        alias: "notifications",
        description: `Encrypts the alarm notifications of ${context.namePrefix}`,
        usage: cloudWatchAlarmsKeyStatement(context.accountId),
      });
      this.topic = new AlarmTopic(scope, "alarm_topic", {
        name: `${context.namePrefix}-alarms`,
        kmsKeyArn: this.notificationsKey.keyArn,
        accountId: context.accountId,
        subscriptions: settings.subscriptions,
      });
      this.alarms = new AlarmSet(scope, "alarms", {
        namePrefix: context.namePrefix,
        topicArn: this.topic.topicArn,
        thresholds: Object.fromEntries(ALARM_IDS.map((id) => [id, settings[id]])),
        ...watched,
      });
      if (workloads.length > 0) {
        this.workloadAlarms = new WorkloadAlarms(scope, "workload_alarms", {
          namePrefix: context.namePrefix,
          topicArn: this.topic.topicArn,
          workloads,
          loadBalancerArnSuffix: watched.loadBalancerArnSuffix,
          clusterName: watched.clusterName,
        });
      }
    }
    this.dashboard = new OperationsDashboard(scope, "dashboard", {
      name: context.namePrefix,
      ...watched,
      workloads,
      alarmArns: this.alarms && [
        ...Object.values(this.alarms.alarms).map((a) => a.arn),
        ...(this.workloadAlarms?.alarms ?? []).map((a) => a.arn),
      ],
    });
  }
}
