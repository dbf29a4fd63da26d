import "cdktf/lib/testing/adapters/jest";
import { ALARM_IDS } from "../constructs/model/alarms";
import { blockOf, ref, resources } from "./support/synth";
import { build } from "./support/environment-stack";

describe("EnvironmentStack operations", () => {
  const prod = build("prod", {}, { database: { enabled: true }, cache: { enabled: true } });
  const dev = build("dev");

  test("prod: an encrypted topic with the on-call subscription, every alarm wired to it, a dashboard", () => {
    const operations = prod.stack.operationsTier;
    const topic = blockOf(prod.json, operations.topic?.topic as never);
    expect(topic.kms_master_key_id).toBe(ref(operations.notificationsKey?.key as never, "arn"));
    expect(Object.values(resources(prod.json, "aws_sns_topic_subscription")).map((s) => s.endpoint)).toEqual([
      "oncall@example.com",
    ]);
    const alarms = Object.values(resources(prod.json, "aws_cloudwatch_metric_alarm"));
    const workloadAlarms = prod.stack.operationsTier.workloadAlarms?.alarms ?? [];
    // One per alarm of the table, and per workload: its dead letters, and a worker's queue age.
    expect(workloadAlarms.map((a) => blockOf(prod.json, a).alarm_name)).toEqual([
      "orders-api-prod-order-events-dead-letters",
      "orders-api-prod-order-events-queue-age",
      "orders-api-prod-nightly-report-dead-letters",
    ]);
    expect(alarms).toHaveLength(ALARM_IDS.length + workloadAlarms.length);
    const topicArn = ref(operations.topic?.topic as never, "arn");
    for (const alarm of alarms) {
      expect([alarm.alarm_actions, alarm.ok_actions]).toEqual([[topicArn], [topicArn]]);
    }
    expect(resources(prod.json, "aws_cloudwatch_dashboard")).not.toEqual({});
    expect(prod.json.output?.alarm_topic_arn?.value).toBe(topicArn);
  });

  describe("prod: each alarm watches this environment's resources", () => {
    const { stack, json } = prod;
    const alarm = (id: (typeof ALARM_IDS)[number]) =>
      blockOf(json, stack.operationsTier.alarms?.alarms[id] as never);
    const lb = ref(stack.edgeTier.loadBalancer.loadBalancer, "arn_suffix");
    const tg = ref(stack.edgeTier.loadBalancer.targetGroup, "arn_suffix");
    const service = {
      ClusterName: ref(stack.serviceTier.service.cluster, "name"),
      ServiceName: ref(stack.serviceTier.service.service, "name"),
    };
    const dimensionsOf = (id: (typeof ALARM_IDS)[number]) => {
      const block = alarm(id);
      return block.metric_query === undefined
        ? [block.dimensions]
        : (block.metric_query as Array<{ metric?: { dimensions: unknown } }>)
            .filter((q) => q.metric !== undefined)
            .map((q) => q.metric?.dimensions);
    };
    test.each<[(typeof ALARM_IDS)[number], () => unknown]>([
      ["loadBalancer5xx", () => ({ LoadBalancer: lb })],
      ["target5xxRate", () => ({ LoadBalancer: lb, TargetGroup: tg })],
      ["targetResponseTimeP99", () => ({ LoadBalancer: lb, TargetGroup: tg })],
      ["unhealthyHosts", () => ({ LoadBalancer: lb, TargetGroup: tg })],
      ["rejectedConnections", () => ({ LoadBalancer: lb })],
      ["runningTasksBelowDesired", () => service],
      ["serviceCpu", () => service],
      ["serviceMemory", () => service],
      [
        "wafBlockedRequests",
        () => ({
          WebACL: ref(stack.edgeTier.webAcl?.webAcl as never, "name"),
          Region: "eu-west-1",
          Rule: "ALL",
        }),
      ],
    ])("%s", (id, expected) => {
      const dimensions = dimensionsOf(id);
      expect(dimensions.length).toBeGreaterThan(0);
      for (const d of dimensions) expect(d).toEqual(expected());
    });
  });

  test("dev (alarms off by preset): the dashboard, no topic, no alarm, no notifications key", () => {
    expect(dev.stack.operationsTier.topic).toBeUndefined();
    expect(dev.json.resource?.aws_cloudwatch_metric_alarm).toBeUndefined();
    expect(dev.json.resource?.aws_sns_topic).toBeUndefined();
    expect(resources(dev.json, "aws_cloudwatch_dashboard")).not.toEqual({});
    expect(String(dev.json.output?.dashboard_url?.value)).toContain("#dashboards/dashboard/");
  });
});
