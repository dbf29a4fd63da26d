import "cdktf/lib/testing/adapters/jest";
import { AlarmSet } from "../constructs/alarm-set";
import type { AlarmSetProps } from "../constructs/alarm-set";
import { ALARMS, ALARM_IDS } from "../constructs/model/alarms";
import { blockOf, synth, testStack } from "./support/synth";
import type { Block } from "./support/synth";
import { validate } from "./support/validate";
import { ALARM_THRESHOLD_GROUP } from "../constructs/model/alarms";

const BASE: AlarmSetProps = {
  namePrefix: "orders-api-prod",
  topicArn: "arn:aws:sns:eu-west-1:123456789012:orders-api-prod-alarms",
  loadBalancerArnSuffix: "app/orders-api-prod/abc",
  targetGroupArnSuffix: "targetgroup/prod-api/def",
  clusterName: "orders-api-prod",
  serviceName: "api",
  region: "eu-west-1",
  webAclName: "orders-api-prod-alb",
  databaseIdentifier: "orders-api-prod-postgres",
  cacheClusterIds: ["orders-api-prod-redis-001", "orders-api-prod-redis-002"],
};

function build(overrides: Partial<AlarmSetProps> = {}) {
  const stack = testStack();
  validate("test/alarms", ALARM_THRESHOLD_GROUP, overrides.thresholds ?? {});
  const set = new AlarmSet(stack, "alarms", { ...BASE, ...overrides });
  const json = synth(stack);
  const alarm = (id: (typeof ALARM_IDS)[number]) => blockOf(json, set.alarms[id] as never);
  return { set, json, alarm };
}

const ALB = { LoadBalancer: BASE.loadBalancerArnSuffix };
const TARGET = { ...ALB, TargetGroup: BASE.targetGroupArnSuffix };
const SERVICE = { ClusterName: BASE.clusterName, ServiceName: BASE.serviceName };

describe("AlarmSet", () => {
  test("creates every alarm of the table, each notifying the topic on alarm and on recovery", () => {
    const { set, alarm } = build();
    expect(Object.keys(set.alarms).sort()).toEqual([...ALARM_IDS].sort());
    for (const id of ALARM_IDS) {
      expect(alarm(id)).toMatchObject({
        alarm_description: ALARMS[id].description,
        actions_enabled: true,
        alarm_actions: [BASE.topicArn],
        ok_actions: [BASE.topicArn],
        treat_missing_data: ALARMS[id].treatMissingData,
        threshold: ALARMS[id].defaults.threshold,
        evaluation_periods: ALARMS[id].defaults.evaluationPeriods,
      });
    }
  });

  test.each<[string, (typeof ALARM_IDS)[number], Block]>([
    [
      "load balancer 5xx",
      "loadBalancer5xx",
      {
        namespace: "AWS/ApplicationELB",
        metric_name: "HTTPCode_ELB_5XX_Count",
        statistic: "Sum",
        dimensions: ALB,
      },
    ],
    [
      "p99 latency",
      "targetResponseTimeP99",
      { metric_name: "TargetResponseTime", extended_statistic: "p99", dimensions: TARGET },
    ],
    [
      "unhealthy hosts",
      "unhealthyHosts",
      { metric_name: "UnHealthyHostCount", statistic: "Maximum", dimensions: TARGET },
    ],
    [
      "rejected connections",
      "rejectedConnections",
      { metric_name: "RejectedConnectionCount", dimensions: ALB },
    ],
    [
      "service CPU",
      "serviceCpu",
      { namespace: "AWS/ECS", metric_name: "CPUUtilization", dimensions: SERVICE },
    ],
    [
      "service memory",
      "serviceMemory",
      { namespace: "AWS/ECS", metric_name: "MemoryUtilization", dimensions: SERVICE },
    ],
    [
      "WAF blocks",
      "wafBlockedRequests",
      {
        namespace: "AWS/WAFV2",
        metric_name: "BlockedRequests",
        dimensions: { WebACL: BASE.webAclName, Region: "eu-west-1", Rule: "ALL" },
      },
    ],
  ])("%s watches its metric on this environment's resources", (_, id, expected) => {
    expect(build().alarm(id)).toMatchObject(expected);
  });

  test("computes the target 5xx rate as a percentage of requests with metric math", () => {
    const queries = build().alarm("target5xxRate").metric_query as Block[];
    expect(queries.map((q) => [q.id, q.metric?.metric_name, q.metric?.dimensions, q.return_data])).toEqual([
      ["errors", "HTTPCode_Target_5XX_Count", TARGET, false],
      ["requests", "RequestCount", TARGET, false],
      ["rate", undefined, undefined, true],
    ]);
    expect(queries[2]?.expression).toBe("IF(requests > 0, 100 * errors / requests, 0)");
  });

  test("counts missing tasks from Container Insights, treating silence as failure", () => {
    const alarm = build().alarm("runningTasksBelowDesired");
    expect((alarm.metric_query as Block[]).map((q) => q.metric?.metric_name ?? q.expression)).toEqual([
      "DesiredTaskCount",
      "RunningTaskCount",
      "desired - running",
    ]);
    expect(alarm.treat_missing_data).toBe("breaching");
  });

  test("takes thresholds, periods and evaluation periods from the settings, into metric math too", () => {
    const { alarm } = build({
      thresholds: {
        serviceCpu: { threshold: 70 },
        target5xxRate: { periodSeconds: 300, evaluationPeriods: 2 },
      },
    });
    expect(alarm("serviceCpu")).toMatchObject({ threshold: 70, period: 300, evaluation_periods: 3 });
    const rate = alarm("target5xxRate");
    expect(rate.evaluation_periods).toBe(2);
    expect((rate.metric_query as Block[]).filter((q) => q.metric).map((q) => q.metric.period)).toEqual([
      300, 300,
    ]);
  });

  test.each<[(typeof ALARM_IDS)[number], string, string]>([
    ["databaseCpu", "CPUUtilization", "GreaterThanOrEqualToThreshold"],
    ["databaseConnections", "DatabaseConnections", "GreaterThanOrEqualToThreshold"],
  ])("%s watches %s of this environment's database", (id, metric, comparison) => {
    expect(build().alarm(id)).toMatchObject({
      namespace: "AWS/RDS",
      metric_name: metric,
      dimensions: { DBInstanceIdentifier: BASE.databaseIdentifier },
      comparison_operator: comparison,
    });
  });

  test.each<[(typeof ALARM_IDS)[number], string, string]>([
    ["databaseFreeStorage", "FreeStorageSpace", `raw / ${1024 ** 3}`],
    ["databaseFreeMemory", "FreeableMemory", `raw / ${1024 ** 2}`],
  ])(
    "%s fires when the database's %s falls to the threshold, in the threshold's unit",
    (id, metric, expression) => {
      const alarm = build().alarm(id);
      expect(alarm.comparison_operator).toBe("LessThanOrEqualToThreshold");
      const [raw, scaled] = alarm.metric_query as Block[];
      expect(raw?.metric).toMatchObject({
        namespace: "AWS/RDS",
        metric_name: metric,
        dimensions: { DBInstanceIdentifier: BASE.databaseIdentifier },
      });
      expect(scaled).toMatchObject({ expression, return_data: true });
    },
  );

  test.each<[(typeof ALARM_IDS)[number], string]>([
    ["cacheCpu", "EngineCPUUtilization"],
    ["cacheMemory", "DatabaseMemoryUsagePercentage"],
    ["cacheEvictions", "Evictions"],
    ["cacheReplicationLag", "ReplicationLag"],
  ])("%s watches %s on every cache node and fires on the worst", (id, metric) => {
    const queries = build().alarm(id).metric_query as Block[];
    expect(queries.filter((q) => q.metric).map((q) => [q.metric.metric_name, q.metric.dimensions])).toEqual(
      (BASE.cacheClusterIds ?? []).map((node) => [metric, { CacheClusterId: node }]),
    );
    expect(queries.at(-1)).toMatchObject({ expression: "MAX([node1, node2])", return_data: true });
  });

  test("has no database or cache alarms without them, and no replication-lag alarm on a single node", () => {
    const none = build({ databaseIdentifier: undefined, cacheClusterIds: undefined }).set.alarms;
    expect(Object.keys(none).filter((id) => /^(database|cache)/.test(id))).toEqual([]);
    const single = build({ cacheClusterIds: ["orders-api-dev-redis-001"] }).set.alarms;
    expect(single.cacheCpu).toBeDefined();
    expect(single.cacheReplicationLag).toBeUndefined();
  });

  test("has no WAF alarm without a web ACL", () => {
    expect(build({ webAclName: undefined }).set.alarms.wafBlockedRequests).toBeUndefined();
  });

  test("refuses a threshold outside its range and a period CloudWatch does not offer", () => {
    expect(() => build({ thresholds: { target5xxRate: { threshold: 150 } } })).toThrow(
      /target5xxRate\.threshold: got 150; allowed: a number from 1 to 100/,
    );
    expect(() => build({ thresholds: { serviceCpu: { periodSeconds: 30 } } })).toThrow(
      /serviceCpu\.periodSeconds: got 30; allowed: one of 60, 300, 900, 3600/,
    );
  });
});
