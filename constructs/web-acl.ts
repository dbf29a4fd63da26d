import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { WAF_REDACTED_HEADERS, WEB_ACL_RULES } from "./model/load-balancer";
import type { WebAclOptions } from "./model/load-balancer";
import { withGroupDefaults } from "./model/props";
import { renderUntypedAsBlocks } from "./support/hcl-rendering";
import { acceptLogRetention } from "./support/accepted-findings";

/**
 * AWS managed rule groups, in evaluation order, with the rules that only count instead of
 * blocking: a public API's clients often call from cloud hosts, and send bodies over 8 KB.
 * KnownBadInputs and AnonymousIpList together satisfy CKV2_AWS_76 (Log4Shell).
 */
export const MANAGED_RULE_GROUPS: ReadonlyArray<{
  readonly name: string;
  readonly countOnly: readonly string[];
}> = [
  { name: "AWSManagedRulesAmazonIpReputationList", countOnly: [] },
  { name: "AWSManagedRulesAnonymousIpList", countOnly: ["HostingProviderIPList"] },
  { name: "AWSManagedRulesCommonRuleSet", countOnly: ["SizeRestrictions_BODY"] },
  { name: "AWSManagedRulesKnownBadInputsRuleSet", countOnly: [] },
  { name: "AWSManagedRulesSQLiRuleSet", countOnly: [] },
];

/** Name of the rate-based rule, the web ACL's first. */
export const RATE_LIMIT_RULE_NAME = "RateLimitPerClientIp";

/** WAF requires log groups whose name starts with this. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";

export interface WebAclProps extends WebAclOptions {
  readonly namePrefix: string;
  /** ARN of the load balancer to protect. */
  readonly resourceArn: string;
  /** Requests one client IP may send in 5 minutes before it is blocked. @default 2000 */
  readonly rateLimitPerIp?: number;
  /** @default - CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
}

/**
 * Regional WAF web ACL in front of the load balancer: a per-IP rate limit, then AWS managed rule
 * groups (IP reputation, anonymous IPs, common rule set, known bad inputs, SQL injection), with
 * metrics, and logs to an encrypted log group that never holds credentials or cookies.
 */
export class WebAcl extends Construct {
  public readonly webAcl: Wafv2WebAcl;
  public readonly logGroup: CloudwatchLogGroup;
  private readonly props: Required<Pick<WebAclProps, "rateLimitPerIp">> & WebAclProps;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    this.props = withGroupDefaults({ rules: WEB_ACL_RULES }, props) as WebAcl["props"];
    this.webAcl = this.addWebAcl();
    this.associateWithLoadBalancer();
    this.logGroup = this.addLogGroup();
    this.addLogging();
  }

  private metric(name: string) {
    return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: name };
  }

  private addWebAcl(): Wafv2WebAcl {
    const { namePrefix, rateLimitPerIp } = this.props;
    const acl = new Wafv2WebAcl(this, "web_acl", {
      name: `${namePrefix}-alb`,
      description: `Protects the load balancer of ${namePrefix}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: this.metric(`${namePrefix}-alb`),
      rule: [
        {
          name: RATE_LIMIT_RULE_NAME,
          priority: 0,
          action: { block: {} },
          // `statement` is untyped in the bindings, so it is written with Terraform's snake_case names.
          statement: { rate_based_statement: { limit: rateLimitPerIp, aggregate_key_type: "IP" } },
          visibilityConfig: this.metric(`${namePrefix}-${RATE_LIMIT_RULE_NAME}`),
        },
        ...MANAGED_RULE_GROUPS.map((group, i) => ({
          name: group.name,
          priority: i + 1,
          overrideAction: { none: {} },
          statement: {
            managed_rule_group_statement: {
              name: group.name,
              vendor_name: "AWS",
              ...(group.countOnly.length > 0
                ? {
                    rule_action_override: group.countOnly.map((rule) => ({
                      name: rule,
                      action_to_use: { count: {} },
                    })),
                  }
                : {}),
            },
          },
          visibilityConfig: this.metric(`${namePrefix}-${group.name}`),
        })),
      ],
    });
    renderUntypedAsBlocks(acl, ["rule", "statement"]);
    return acl;
  }

  private associateWithLoadBalancer(): void {
    new Wafv2WebAclAssociation(this, "association", {
      resourceArn: this.props.resourceArn,
      webAclArn: this.webAcl.arn,
    });
  }

  private addLogGroup(): CloudwatchLogGroup {
    return acceptLogRetention(
      new CloudwatchLogGroup(this, "log_group", {
        name: `${WAF_LOG_GROUP_PREFIX}${this.props.namePrefix}`,
        retentionInDays: this.props.logRetentionDays,
        kmsKeyId: this.props.logKmsKeyArn,
      }),
    );
  }

  private addLogging(): void {
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: [
        ...WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
        // Tokens sent as ?token=... or ?api_key=... stay out of the logs too.
        { queryString: {} },
      ],
    });
  }
}
