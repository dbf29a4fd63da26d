import "cdktf/lib/testing/adapters/jest";
import { WebAcl } from "../constructs/web-acl";
import { blockOf, only, ref, synth, testStack } from "./support/synth";
import { validate } from "./support/validate";
import { WEB_ACL_RULES } from "../constructs/model/load-balancer";

function build(logRetentionDays = 365, rateLimitPerIp?: number) {
  const stack = testStack();
  const props = validate(
    "test/waf",
    { rules: WEB_ACL_RULES },
    {
      namePrefix: "orders-api-prod",
      resourceArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1",
      logRetentionDays,
      rateLimitPerIp,
      logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/logs",
    },
  );
  const acl = new WebAcl(stack, "waf", props);
  return { acl, json: synth(stack) };
}

describe("WebAcl", () => {
  test("first blocks a client IP over the rate limit (2000 per 5 minutes unless set)", () => {
    for (const [limit, expected] of [
      [undefined, 2000],
      [500, 500],
    ] as const) {
      const { acl, json } = build(365, limit);
      const [first] = blockOf(json, acl.webAcl).rule as Array<Record<string, any>>;
      expect(first).toMatchObject({
        name: "RateLimitPerClientIp",
        priority: 0,
        action: { block: {} },
        statement: { rate_based_statement: { limit: expected, aggregate_key_type: "IP" } },
      });
    }
  });

  test("fails on a rate limit WAF does not accept", () => {
    expect(() => build(365, 50)).toThrow(
      /rateLimitPerIp: got 50; allowed: an integer from 100 to 2000000000/,
    );
  });

  test("then applies the AWS managed rule groups, KnownBadInputs and SQL injection included, with metrics", () => {
    const { acl, json } = build();
    const block = blockOf(json, acl.webAcl);
    expect(block).toMatchObject({ scope: "REGIONAL", default_action: { allow: {} } });
    const rules = (block.rule as Array<Record<string, any>>).slice(1);
    expect(rules.map((r) => [r.priority, r.statement.managed_rule_group_statement.name])).toEqual([
      [1, "AWSManagedRulesAmazonIpReputationList"],
      [2, "AWSManagedRulesAnonymousIpList"],
      [3, "AWSManagedRulesCommonRuleSet"],
      [4, "AWSManagedRulesKnownBadInputsRuleSet"],
      [5, "AWSManagedRulesSQLiRuleSet"],
    ]);
    for (const rule of block.rule as Array<Record<string, any>>) {
      expect(rule.visibility_config).toMatchObject({
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
      });
    }
    for (const rule of rules) expect(rule.override_action).toEqual({ none: {} });
  });

  test("only counts hosting-provider IPs and large bodies, which an API's clients legitimately send", () => {
    const { acl, json } = build();
    const overrides = (blockOf(json, acl.webAcl).rule as Array<Record<string, any>>).flatMap(
      (r) => r.statement.managed_rule_group_statement?.rule_action_override ?? [],
    );
    expect(overrides).toEqual([
      { name: "HostingProviderIPList", action_to_use: { count: {} } },
      { name: "SizeRestrictions_BODY", action_to_use: { count: {} } },
    ]);
  });

  test("protects the given load balancer and logs to an encrypted aws-waf-logs group", () => {
    const { acl, json } = build();
    expect(only(json, "aws_wafv2_web_acl_association")).toMatchObject({
      resource_arn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1",
      web_acl_arn: ref(acl.webAcl, "arn"),
    });
    expect(blockOf(json, acl.logGroup)).toMatchObject({
      name: "aws-waf-logs-orders-api-prod",
      retention_in_days: 365,
      kms_key_id: "arn:aws:kms:eu-west-1:123456789012:key/logs",
    });
    expect(only(json, "aws_wafv2_web_acl_logging_configuration")).toMatchObject({
      resource_arn: ref(acl.webAcl, "arn"),
      log_destination_configs: [ref(acl.logGroup, "arn")],
    });
  });

  test("never logs credentials: the headers that carry them, nor the query string", () => {
    const { json } = build();
    expect(only(json, "aws_wafv2_web_acl_logging_configuration").redacted_fields).toEqual([
      { single_header: { name: "authorization" } },
      { single_header: { name: "cookie" } },
      { single_header: { name: "x-api-key" } },
      { single_header: { name: "proxy-authorization" } },
      { single_header: { name: "x-amz-security-token" } },
      { query_string: {} },
    ]);
  });

  test("fails on a log retention CloudWatch does not offer", () => {
    expect(() => build(100)).toThrow(/logRetentionDays: got 100; allowed: a CloudWatch Logs retention/);
  });
});
