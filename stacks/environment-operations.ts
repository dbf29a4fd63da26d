/**
 * What tells the team running an environment how it is doing: an encrypted SNS topic with its
 * subscriptions, the alarms that notify it (when alarms.enabled), and a dashboard.
 */
import { AlarmSet } from "../constructs/alarm-set";
import { AlarmTopic } from "../constructs/alarm-topic";
import { KmsKey } from "../constructs/kms-key";
import { ALARM_IDS } from "../constructs/model/alarms";
import { OperationsDashboard } from "../constructs/operations-dashboard";
import { cloudWatchAlarmsKeyStatement } from "../constructs/model/iam";
import type { EnvironmentStack } from "./environment-stack";

export interface EnvironmentOperations {
  readonly notificationsKey?: KmsKey;
  readonly topic?: AlarmTopic;
  readonly alarms?: AlarmSet;
  readonly dashboard: OperationsDashboard;
}

export function addEnvironmentOperations(stack: EnvironmentStack): EnvironmentOperations {
  const { alarms: settings } = stack.settings;
  const watched = {
    loadBalancerArnSuffix: stack.loadBalancer.loadBalancer.arnSuffix,
    targetGroupArnSuffix: stack.loadBalancer.targetGroup.arnSuffix,
    clusterName: stack.service.cluster.name,
    serviceName: stack.service.service.name,
    region: stack.region,
    webAclName: stack.webAcl?.webAcl.name,
    databaseIdentifier: stack.database?.instance.identifier,
    cacheClusterIds: stack.cache?.memberClusterIds,
  };
  if (!settings.enabled) {
    return { dashboard: new OperationsDashboard(stack, "dashboard", { name: stack.namePrefix, ...watched }) };
  }
  const notificationsKey = new KmsKey(stack, "notifications_key", {
    aliasName: `${stack.namePrefix}/notifications`,
    description: `Encrypts the alarm notifications of ${stack.namePrefix}`,
    accountId: stack.accountId,
    partition: stack.partition,
    administratorArns: stack.settings.keyAdministratorArns,
    usageStatements: [cloudWatchAlarmsKeyStatement(stack.accountId)],
  });
  const topic = new AlarmTopic(stack, "alarm_topic", {
    name: `${stack.namePrefix}-alarms`,
    kmsKeyArn: notificationsKey.keyArn,
    accountId: stack.accountId,
    subscriptions: settings.subscriptions,
  });
  const alarms = new AlarmSet(stack, "alarms", {
    namePrefix: stack.namePrefix,
    topicArn: topic.topicArn,
    thresholds: Object.fromEntries(ALARM_IDS.map((id) => [id, settings[id]])),
    ...watched,
  });
  const dashboard = new OperationsDashboard(stack, "dashboard", {
    name: stack.namePrefix,
    ...watched,
    alarmArns: Object.values(alarms.alarms).map((a) => a.arn),
  });
  return { notificationsKey, topic, alarms, dashboard };
}
