/**
 * Web workloads share the environment's one load balancer: their routes may not shadow each other
 * or take the service's domain, their rules come first by a priority from their name, and each
 * has its own target group, service, scaling and alarms.
 */
import { decodeJsonencode } from "../.ci/policy/hcl-expression";
import {
  SERVICE_RULE_PRIORITY_AFTER_WEB,
  pathsOverlap,
  webRulePriority,
} from "../constructs/model/web-routing";
import { build } from "./support/environment-stack";
import { expectedProblems, overrideFile, problemsOf } from "./support/settings";
import { blockOf, ref, resources } from "./support/synth";
import type { Block } from "./support/synth";

describe("web workloads", () => {
  const web = (extra: object) => ({ kind: "web", ...extra });

  test.each<[string, Record<string, unknown>, object, string, string]>([
    [
      "no route at all",
      { admin: web({}) },
      {},
      "workloads.admin.paths",
      "at least one path pattern (or a host in hosts)",
    ],
    [
      "a host the certificate does not serve",
      { admin: web({ hosts: ["admin.other.com"] }) },
      {},
      "workloads.admin.hosts",
      "a name the certificate serves: api.dev.example.com",
    ],
    [
      "every request of the service's own domain",
      { admin: web({ hosts: ["api.dev.example.com"] }) },
      {},
      "workloads.admin.paths",
      "the service's own domain",
    ],
    [
      "routes that shadow another web workload's",
      { admin: web({ paths: ["/admin/*"] }), users: web({ paths: ["/admin/users/*"] }) },
      {},
      "workloads.users.paths",
      'admin (hosts [], paths ["/admin/*"]) matches some of the same requests',
    ],
    [
      "more than five hosts and paths",
      { admin: web({ paths: ["/a", "/b", "/c", "/d", "/e", "/f"] }) },
      {},
      "workloads.admin.paths",
      "a list of 0 to 5",
    ],
    [
      "a malformed path pattern",
      { admin: web({ paths: ["admin/*"] }) },
      {},
      "workloads.admin.paths[0]",
      'starting with "/"',
    ],
  ])("refuses %s", (_, workloads, extra, field, allowed) => {
    expect(problemsOf(overrideFile({ dev: { workloads, ...extra } }))).toEqual(
      expectedProblems("dev", field, allowed),
    );
  });

  test.each([
    ["/admin/*", "/admin/users/*", true],
    ["/admin/*", "/api/*", false],
    ["/admin", "/admin/*", false],
    ["/admin/x", "/admin/*", true],
    ["/a/b", "/a/b", true],
    ["/x*", "/y*", false],
    ["/v?/items", "/v1/items", true],
  ])("path patterns %s and %s overlap: %s", (a, b, overlap) => {
    expect(pathsOverlap(a, b)).toBe(overlap);
    expect(pathsOverlap(b, a)).toBe(overlap);
  });

  test("listener-rule priorities come from the name alone, ahead of the service's rules", () => {
    expect(webRulePriority("admin")).toBe(webRulePriority("admin"));
    const priorities = ["admin", "docs", "internal-api", "a1", "b2"].map((n) => webRulePriority(n));
    for (const p of priorities) expect(p).toBeGreaterThanOrEqual(100);
    for (const p of priorities) expect(p).toBeLessThan(SERVICE_RULE_PRIORITY_AFTER_WEB);
    expect(new Set(priorities).size).toBe(priorities.length);
  });

  describe("in an environment", () => {
    const { stack, json } = build(
      "dev",
      {},
      {
        alarms: { enabled: true },
        workloads: {
          admin: {
            kind: "web",
            hosts: ["api.dev.example.com"],
            paths: ["/admin/*"],
            containerPort: 8080,
            requestsPerTarget: 200,
          },
        },
      },
    );
    const admin = stack.workloadTier.webs.admin;
    if (!admin) throw new Error("no web workload");
    const groups = stack.networkTier.securityGroups.groups;

    test("adds a target group and a listener rule on the one HTTPS listener, with its priority", () => {
      const rule = blockOf(json, admin.rule);
      expect(rule.listener_arn).toBe(ref(stack.edgeTier.loadBalancer.httpsListener, "arn"));
      expect(rule.priority).toBe(webRulePriority("admin"));
      expect(rule.condition).toEqual([
        { host_header: { values: ["api.dev.example.com"] } },
        { path_pattern: { values: ["/admin/*"] } },
      ]);
      expect(blockOf(json, admin.targetGroup)).toMatchObject({
        port: 8080,
        target_type: "ip",
        protocol: "HTTP",
      });
      expect(Object.keys(resources(json, "aws_lb"))).toHaveLength(1);
    });

    test("moves the service's Host rule after the web workloads' rules", () => {
      const [hostRule] = stack.edgeTier.loadBalancer.hostRules;
      expect(blockOf(json, hostRule as never).priority).toBe(SERVICE_RULE_PRIORITY_AFTER_WEB);
      const plain = build("dev");
      expect(blockOf(plain.json, plain.stack.edgeTier.loadBalancer.hostRules[0] as never).priority).toBe(1);
    });

    test("registers its service in its target group, behind the load balancer only", () => {
      const service = blockOf(json, admin.service);
      expect(service.load_balancer).toEqual([
        { target_group_arn: ref(admin.targetGroup, "arn"), container_name: "app", container_port: 8080 },
      ]);
      const ingress = Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).filter(
        (r) => r.security_group_id === ref(groups["workload:admin"] as never),
      );
      expect(ingress.map((r) => [r.referenced_security_group_id, r.from_port])).toEqual([
        [ref(groups.alb as never), 8080],
      ]);
      const container = containerOf(admin.task.taskDefinition);
      expect(container.portMappings).toEqual([{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }]);
      expect((container.healthCheck as Block).command).toEqual(
        expect.arrayContaining([expect.stringContaining("8080/health")]),
      );
    });

    test("scales on CPU and requests per target, and pages on its 5xx and unhealthy hosts", () => {
      const names = Object.values(resources(json, "aws_appautoscaling_policy")).map((p) => p.name);
      expect(names).toEqual(
        expect.arrayContaining([
          "orders-api-dev-admin-cpu-target-tracking",
          "orders-api-dev-admin-requests-target-tracking",
        ]),
      );
      const alarms = Object.values(resources(json, "aws_cloudwatch_metric_alarm")).map((a) => a.alarm_name);
      expect(alarms).toEqual(
        expect.arrayContaining(["orders-api-dev-admin-target-5xx", "orders-api-dev-admin-unhealthy-hosts"]),
      );
    });

    function containerOf(definition: object): Block {
      return (
        decodeJsonencode(blockOf(json, definition as never).container_definitions as string) as Block[]
      )[0] as Block;
    }
  });
});
