/**
 * Internal workloads: reachable only by the callers they name, through ECS Service Connect in the
 * environment's Cloud Map namespace; no load balancer. The callers are declared once (calledBy):
 * the security groups and the callers' Service Connect clients follow from it.
 */
import { decodeJsonencode } from "../.ci/policy/hcl-expression";
import { build } from "./support/environment-stack";
import { expectedProblems, overrideFile, problemsOf } from "./support/settings";
import { blockOf, ref, resources } from "./support/synth";
import type { Block } from "./support/synth";

describe("internal workloads", () => {
  const internal = (extra: object) => ({ kind: "internal", ...extra });

  test.each<[string, Record<string, unknown>, string, string]>([
    [
      "nobody calls it",
      { pricing: internal({ calledBy: [] }) },
      "workloads.pricing.calledBy",
      "at least one caller",
    ],
    ["no callers named at all", { pricing: internal({}) }, "workloads.pricing.calledBy", "nobody calls"],
    [
      "a caller that does not exist",
      { pricing: internal({ calledBy: ["billing"] }) },
      "workloads.pricing.calledBy[0]",
      'one of "api"',
    ],
    [
      "a job as a caller",
      {
        pricing: internal({ calledBy: ["nightly"] }),
        nightly: { kind: "job", schedule: "rate(1 day)" },
      },
      "workloads.pricing.calledBy[0]",
      "a job's task is started alone by the scheduler and cannot use Service Connect",
    ],
    [
      "itself as a caller",
      { pricing: internal({ calledBy: ["pricing"] }) },
      "workloads.pricing.calledBy[0]",
      "does not call itself",
    ],
    [
      "a setting of another kind",
      { pricing: internal({ calledBy: ["api"], paths: ["/x"] }) },
      "workloads.pricing.paths",
      "a setting of an internal",
    ],
  ])("refuses %s, naming the workload and the field", (_, workloads, field, allowed) => {
    expect(problemsOf(overrideFile({ dev: { workloads } }))).toEqual(expectedProblems("dev", field, allowed));
  });

  test("refuses internal workloads that call each other in a circle, naming each", () => {
    const problems = problemsOf(
      overrideFile({
        dev: {
          workloads: {
            pricing: internal({ calledBy: ["api", "stock"] }),
            stock: internal({ calledBy: ["pricing"] }),
          },
        },
      }),
    );
    expect(problems.map((p) => p.field).sort()).toEqual([
      "workloads.pricing.calledBy",
      "workloads.stock.calledBy",
    ]);
    expect(problems[0]?.allowed).toContain("each caller is deployed after what it calls");
  });

  describe("in an environment", () => {
    const { stack, json } = build(
      "dev",
      {},
      {
        alarms: { enabled: true },
        workloads: {
          pricing: {
            kind: "internal",
            calledBy: ["api", "order-events"],
            containerPort: 9000,
            dataAccess: ["cache"],
          },
          "order-events": { kind: "worker" },
          audit: { kind: "worker" },
        },
      },
    );
    const pricing = stack.workloadTier.internals.pricing;
    const caller = stack.workloadTier.workers["order-events"];
    const bystander = stack.workloadTier.workers.audit;
    if (!pricing || !caller || !bystander) throw new Error("workloads missing");
    const namespace = stack.serviceTier.namespace;
    if (!namespace) throw new Error("no namespace");
    const groups = stack.networkTier.securityGroups.groups;

    test("publishes it in the environment's namespace as http://pricing:9000, with no load balancer", () => {
      expect(blockOf(json, namespace).name).toBe("orders-api-dev");
      const service = blockOf(json, pricing.service);
      expect(service.load_balancer).toBeUndefined();
      expect(service.service_connect_configuration).toMatchObject({
        enabled: true,
        namespace: ref(namespace, "arn"),
        service: [
          { port_name: "http", discovery_name: "pricing", client_alias: { port: 9000, dns_name: "pricing" } },
        ],
        log_configuration: { log_driver: "awslogs" },
      });
      const container = (
        decodeJsonencode(
          blockOf(json, pricing.task.taskDefinition).container_definitions as string,
        ) as Block[]
      )[0] as Block;
      expect(container.portMappings).toEqual([
        { name: "http", appProtocol: "http", containerPort: 9000, hostPort: 9000, protocol: "tcp" },
      ]);
      expect(pricing.endpoint).toBe("http://pricing:9000");
    });

    test("makes the service and the workloads that call it Service Connect clients, and no one else", () => {
      const client = { enabled: true, namespace: ref(namespace, "arn") };
      expect(blockOf(json, stack.serviceTier.service.service).service_connect_configuration).toEqual(client);
      expect(blockOf(json, caller.service).service_connect_configuration).toEqual(client);
      expect(blockOf(json, bystander.service).service_connect_configuration).toBeUndefined();
    });

    test("deploys each caller after it, and replaces a caller's tasks when what it calls changes", () => {
      const pricingService = `aws_ecs_service.${pricing.service.friendlyUniqueId}`;
      for (const service of [stack.serviceTier.service.service, caller.service]) {
        const block = blockOf(json, service);
        expect(block.depends_on).toContain(pricingService);
        expect(block.triggers).toEqual({ service_connect_calls: "pricing:9000" });
        expect(block.force_new_deployment).toBe(true);
      }
      const other = blockOf(json, bystander.service);
      expect(other.depends_on ?? []).not.toContain(pricingService);
      expect(other.triggers).toBeUndefined();
    });

    test("lets only its callers connect, on its port", () => {
      const ingress = Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).filter(
        (r) => r.security_group_id === ref(groups["workload:pricing"] as never),
      );
      expect(ingress.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port]).sort()).toEqual(
        [
          [ref(groups.app as never), 9000, 9000],
          [ref(groups["workload:order-events"] as never), 9000, 9000],
        ].sort(),
      );
      const egress = Object.values(resources(json, "aws_vpc_security_group_egress_rule")).filter(
        (r) => r.referenced_security_group_id === ref(groups["workload:pricing"] as never),
      );
      expect(egress.map((r) => r.security_group_id).sort()).toEqual(
        [ref(groups.app as never), ref(groups["workload:order-events"] as never)].sort(),
      );
    });

    test("scales on CPU, pages on its 5xx to callers, and is in the workloads output", () => {
      const policies = Object.values(resources(json, "aws_appautoscaling_policy")).map((p) => p.name);
      expect(policies).toContain("orders-api-dev-pricing-cpu-target-tracking");
      const alarm = Object.values(resources(json, "aws_cloudwatch_metric_alarm")).find(
        (a) => a.alarm_name === "orders-api-dev-pricing-target-5xx",
      );
      expect(alarm).toMatchObject({
        namespace: "AWS/ECS",
        metric_name: "HTTPCode_Target_5XX_Count",
        dimensions: { DiscoveryName: "pricing", ServiceName: ref(pricing.service, "name") },
      });
      const output = (json.output as Record<string, Block>).workloads?.value as Record<string, Block>;
      expect(output.pricing).toMatchObject({ kind: "internal", endpoint: "http://pricing:9000" });
    });
  });

  test("an environment without internal workloads has no namespace and no Service Connect", () => {
    const { json } = build("dev");
    expect(resources(json, "aws_service_discovery_http_namespace")).toEqual({});
    for (const service of Object.values(resources(json, "aws_ecs_service"))) {
      expect(service.service_connect_configuration).toBeUndefined();
    }
  });
});
