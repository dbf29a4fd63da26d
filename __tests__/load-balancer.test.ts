import "cdktf/lib/testing/adapters/jest";
import { LOAD_BALANCER_PROPS_RULES, LoadBalancer } from "../constructs/load-balancer";
import type { LoadBalancerProps } from "../constructs/load-balancer";
import { DEFAULT_HEALTH_CHECK } from "../constructs/model/health-check";
import { loadBalancerNameFor, targetGroupNamePrefixFor } from "../constructs/model/load-balancer";
import { blockOf, ref, synth, testStack } from "./support/synth";
import { validate } from "./support/validate";
import { HEALTH_CHECK_GROUP } from "../constructs/model/health-check";

const BASE: LoadBalancerProps = {
  namePrefix: "orders-api-prod",
  loadBalancerName: "orders-api-prod",
  targetGroupNamePrefix: "prod-",
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b"],
  securityGroupIds: ["sg-alb"],
  certificateArn: "${aws_acm_certificate_validation.v.certificate_arn}",
  targetPort: 8000,
  healthCheck: DEFAULT_HEALTH_CHECK,
};

function build(overrides: Partial<LoadBalancerProps> = {}) {
  const stack = testStack();
  const lb = new LoadBalancer(
    stack,
    "load_balancer",
    validate(
      "test/load_balancer",
      { rules: LOAD_BALANCER_PROPS_RULES, nested: { healthCheck: { group: HEALTH_CHECK_GROUP } } },
      { ...BASE, ...overrides },
    ),
  );
  return { lb, json: synth(stack) };
}

describe("LoadBalancer", () => {
  test("is an internet-facing ALB in the given subnets that drops invalid headers", () => {
    const { lb, json } = build({ deletionProtection: true, idleTimeoutSeconds: 120 });
    expect(blockOf(json, lb.loadBalancer)).toMatchObject({
      name: "orders-api-prod",
      internal: false,
      load_balancer_type: "application",
      ip_address_type: "ipv4",
      subnets: ["subnet-a", "subnet-b"],
      security_groups: ["sg-alb"],
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      idle_timeout: 120,
    });
  });

  test("is dualstack when IPv6 is on", () => {
    const { lb, json } = build({ ipv6: true });
    expect(blockOf(json, lb.loadBalancer).ip_address_type).toBe("dualstack");
  });

  test("registers ip targets on the container port with the health check, a short drain and a replaceable name", () => {
    const { lb, json } = build();
    expect(blockOf(json, lb.targetGroup)).toMatchObject({
      target_type: "ip",
      port: 8000,
      protocol: "HTTP",
      vpc_id: "vpc-1",
      name_prefix: "prod-",
      deregistration_delay: "30",
      health_check: {
        enabled: true,
        path: "/health",
        matcher: "200",
        interval: 15,
        timeout: 5,
        healthy_threshold: 2,
        unhealthy_threshold: 3,
        port: "traffic-port",
        protocol: "HTTP",
      },
      lifecycle: { create_before_destroy: true },
    });
    expect(blockOf(json, lb.targetGroup).name).toBeUndefined();
  });

  test("serves HTTPS on 443 with the explicit TLS 1.3 policy and the given certificate, forwarding to the target group", () => {
    const { lb, json } = build();
    expect(blockOf(json, lb.httpsListener)).toMatchObject({
      load_balancer_arn: ref(lb.loadBalancer, "arn"),
      port: 443,
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      certificate_arn: BASE.certificateArn,
      default_action: [{ type: "forward", target_group_arn: ref(lb.targetGroup, "arn") }],
    });
  });

  test("with host names: unknown Hosts get a fixed 404, the names (5 per rule) forward to the target group", () => {
    const hosts = ["api.example.com", ...["a", "b", "c", "d", "e", "f"].map((h) => `${h}.example.com`)];
    const { lb, json } = build({ hostNames: hosts });
    expect(blockOf(json, lb.httpsListener).default_action).toEqual([
      {
        type: "fixed-response",
        fixed_response: { content_type: "text/plain", message_body: "Not Found", status_code: "404" },
      },
    ]);
    expect(lb.hostRules.map((rule) => blockOf(json, rule))).toEqual([
      expect.objectContaining({
        listener_arn: ref(lb.httpsListener, "arn"),
        priority: 1,
        condition: [{ host_header: { values: hosts.slice(0, 5) } }],
        action: [{ type: "forward", target_group_arn: ref(lb.targetGroup, "arn") }],
      }),
      expect.objectContaining({ priority: 2, condition: [{ host_header: { values: hosts.slice(5) } }] }),
    ]);
    expect(lb.forwarding).toEqual([lb.httpsListener, ...lb.hostRules]);
    expect(() => build({ hostNames: ["*.example.com"] })).toThrow(/hostNames\[0\]: got '\*\.example\.com'/);
  });

  test("adds Strict-Transport-Security for a year to every HTTPS response, another max-age, or none with 0", () => {
    const header = (json: ReturnType<typeof build>["json"], lb: LoadBalancer) =>
      blockOf(json, lb.httpsListener).routing_http_response_strict_transport_security_header_value;
    const byDefault = build();
    expect(header(byDefault.json, byDefault.lb)).toBe("max-age=31536000");
    const shorter = build({ hstsMaxAgeSeconds: 300 });
    expect(header(shorter.json, shorter.lb)).toBe("max-age=300");
    const none = build({ hstsMaxAgeSeconds: 0 });
    expect(header(none.json, none.lb)).toBeUndefined();
    expect(() => build({ hstsMaxAgeSeconds: 63072001 })).toThrow(
      /hstsMaxAgeSeconds: got 63072001; allowed: an integer from 0 to 63072000 seconds/,
    );
  });

  test("answers HTTP on 80 only with a 301 to HTTPS", () => {
    const { lb, json } = build();
    const http = blockOf(json, lb.httpListener as never);
    expect(http).toMatchObject({
      port: 80,
      protocol: "HTTP",
      default_action: [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
      ],
    });
    expect(http.default_action[0].target_group_arn).toBeUndefined();
  });

  test("has no port-80 listener when the redirect is off", () => {
    expect(build({ httpRedirect: false }).lb.httpListener).toBeUndefined();
  });

  test.each<[string, Partial<LoadBalancerProps>, RegExp]>([
    [
      "a name over 32 characters",
      { loadBalancerName: "a".repeat(33) },
      /loadBalancerName: got 'a{33}'; allowed: at most 32/,
    ],
    [
      "a target-group prefix over 6 characters",
      { targetGroupNamePrefix: "staging-" },
      /targetGroupNamePrefix: got 'staging-'; allowed: 1-6/,
    ],
    [
      "one subnet",
      { subnetIds: ["subnet-a"] },
      /subnetIds: got \[ 'subnet-a' \]; allowed: subnets in at least 2 AZs/,
    ],
    [
      "a TLS 1.0 policy",
      { sslPolicy: "ELBSecurityPolicy-2016-08" },
      /sslPolicy: got 'ELBSecurityPolicy-2016-08'; allowed: one of/,
    ],
    [
      "a timeout not below the interval",
      { healthCheck: { ...DEFAULT_HEALTH_CHECK, timeoutSeconds: 15 } },
      /healthCheck\.timeoutSeconds: got 15; allowed: less than healthCheck\.intervalSeconds \(15\)/,
    ],
    [
      "no certificate",
      { certificateArn: undefined },
      /certificateArn: got undefined; allowed: an ACM certificate ARN/,
    ],
  ])("fails on %s", (_, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});

describe("names limited to 32 characters", () => {
  test("keep a name that fits and shorten a long one deterministically with a hash", () => {
    expect(loadBalancerNameFor("orders-api-prod")).toBe("orders-api-prod");
    expect(loadBalancerNameFor("a".repeat(32))).toBe("a".repeat(32));
    const long = loadBalancerNameFor("customer-billing-api-production-eu");
    expect(long).toHaveLength(32);
    expect(long).toMatch(/^customer-billing-api-produc-[0-9a-f]{4}$/);
    expect(loadBalancerNameFor("customer-billing-api-production-eu")).toBe(long);
    expect(loadBalancerNameFor("customer-billing-api-production-us")).not.toBe(long);
  });

  test("derive a target-group prefix of at most 6 characters", () => {
    expect(targetGroupNamePrefixFor("prod")).toBe("prod-");
    expect(targetGroupNamePrefixFor("staging")).toBe("stagi-");
    expect(targetGroupNamePrefixFor("qa-eu-1")).toBe("qa-eu-");
  });
});
