import "cdktf/lib/testing/adapters/jest";
import { OperationsDashboard } from "../constructs/operations-dashboard";
import { decodeJsonencode } from "../.ci/policy/hcl-expression";
import { blockOf, synth, testStack } from "./support/synth";
import type { Block } from "./support/synth";

function widgets(webAclName?: string, alarmArns?: string[]): Block[] {
  const stack = testStack();
  const board = new OperationsDashboard(stack, "dashboard", {
    name: "orders-api-prod",
    region: "eu-west-1",
    loadBalancerArnSuffix: "app/x/1",
    targetGroupArnSuffix: "targetgroup/y/2",
    clusterName: "orders-api-prod",
    serviceName: "api",
    webAclName,
    alarmArns,
  });
  const body = blockOf(synth(stack), board.dashboard).dashboard_body as string;
  return (decodeJsonencode(body) as { widgets: Block[] }).widgets;
}

describe("OperationsDashboard", () => {
  test("shows traffic, latency, errors, tasks, CPU and memory, and targets for this service", () => {
    const all = widgets();
    expect(all.map((w) => w.properties.title)).toEqual([
      "Requests",
      "Latency (seconds)",
      "Errors",
      "Tasks",
      "CPU and memory (%)",
      "Targets",
    ]);
    const latency = all[1]?.properties.metrics as unknown[][];
    expect(latency.map((m) => (m[m.length - 1] as Block).stat)).toEqual(["p50", "p90", "p99"]);
    expect(JSON.stringify(all)).toContain('"ClusterName","orders-api-prod","ServiceName","api"');
    expect(JSON.stringify(all)).toContain('"LoadBalancer","app/x/1","TargetGroup","targetgroup/y/2"');
  });

  test("adds the WAF and the alarms' states when there are some", () => {
    const all = widgets("orders-api-prod-alb", ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"]);
    expect(all.map((w) => w.properties.title).slice(-2)).toEqual(["WAF", "Alarms"]);
    expect(all[all.length - 1]).toMatchObject({
      type: "alarm",
      properties: { alarms: ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"] },
    });
  });
});
