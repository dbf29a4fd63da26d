import "cdktf/lib/testing/adapters/jest";
import { ALARM_IDS } from "../constructs/rules/alarms";
import { blockOf, ref, resources } from "./support/synth";
import { build } from "./support/environment-stack";

describe("EnvironmentStack operations", () => {
  const prod = build("prod");
  const dev = build("dev");

  test("prod: an encrypted topic with the on-call subscription, every alarm wired to it, a dashboard", () => {
    const { operations } = prod.stack;
    const topic = blockOf(prod.json, operations.topic?.topic as never);
    expect(topic.kms_master_key_id).toBe(ref(operations.notificationsKey?.key as never, "arn"));
    expect(Object.values(resources(prod.json, "aws_sns_topic_subscription")).map((s) => s.endpoint)).toEqual([
      "oncall@example.com",
    ]);
    const alarms = Object.values(resources(prod.json, "aws_cloudwatch_metric_alarm"));
    expect(alarms).toHaveLength(ALARM_IDS.length);
    const topicArn = ref(operations.topic?.topic as never, "arn");
    for (const alarm of alarms)
      {expect([alarm.alarm_actions, alarm.ok_actions]).toEqual([[topicArn], [topicArn]]);}
    expect(resources(prod.json, "aws_cloudwatch_dashboard")).not.toEqual({});
    expect(prod.json.output?.alarm_topic_arn?.value).toBe(topicArn);
  });

  test("prod: each alarm watches this environment's load balancer, target group, service and web ACL", () => {
    const { stack, json } = prod;
    const alarm = (id: (typeof ALARM_IDS)[number]) =>
      blockOf(json, stack.operations.alarms?.alarms[id] as never);
    const lb = ref(stack.loadBalancer.loadBalancer, "arn_suffix");
    const tg = ref(stack.loadBalancer.targetGroup, "arn_suffix");
    const service = {
      ClusterName: ref(stack.service.cluster, "name"),
      ServiceName: ref(stack.service.service, "name"),
    };
    expect(alarm("loadBalancer5xx").dimensions).toEqual({ LoadBalancer: lb });
    expect(alarm("unhealthyHosts").dimensions).toEqual({ LoadBalancer: lb, TargetGroup: tg });
    expect(alarm("serviceCpu").dimensions).toEqual(service);
    expect(alarm("runningTasksBelowDesired").metric_query[0].metric.dimensions).toEqual(service);
    expect(alarm("wafBlockedRequests").dimensions.WebACL).toBe(ref(stack.webAcl?.webAcl as never, "name"));
  });

  test("dev (alarms off by preset): the dashboard, no topic, no alarm, no notifications key", () => {
    expect(dev.stack.operations.topic).toBeUndefined();
    expect(dev.json.resource?.aws_cloudwatch_metric_alarm).toBeUndefined();
    expect(dev.json.resource?.aws_sns_topic).toBeUndefined();
    expect(resources(dev.json, "aws_cloudwatch_dashboard")).not.toEqual({});
    expect(String(dev.json.output?.dashboard_url?.value)).toContain("#dashboards/dashboard/");
  });
});
