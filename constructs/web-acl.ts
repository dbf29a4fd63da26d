import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { checkField, throwIfProblems } from "./rules/checks";
import { WAF_LOG_RETENTION } from "./rules/load-balancer";
import { renderUntypedAsBlocks } from "./support/hcl-rendering";

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
];

/** WAF requires log groups whose name starts with this. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";

export interface WebAclProps {
  readonly namePrefix: string;
  /** ARN of the load balancer to protect. */
  readonly resourceArn: string;
  readonly logRetentionDays: number;
  /** @default - CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
}

/**
 * Regional WAF web ACL in front of the load balancer: AWS managed rule groups (IP reputation,
 * common rule set, known bad inputs), metrics, and logs to an encrypted log group.
 */
export class WebAcl extends Construct {
  public readonly webAcl: Wafv2WebAcl;
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    throwIfProblems(this.node.path, [
      ...checkField("logRetentionDays", props.logRetentionDays, WAF_LOG_RETENTION),
    ]);
    const metric = (name: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: name,
    });
    this.webAcl = new Wafv2WebAcl(this, "web_acl", {
      name: `${props.namePrefix}-alb`,
      description: `Protects the load balancer of ${props.namePrefix}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: metric(`${props.namePrefix}-alb`),
      rule: MANAGED_RULE_GROUPS.map((group, i) => ({
        name: group.name,
        priority: i + 1,
        overrideAction: { none: {} },
        // `statement` is untyped in the bindings, so it is written with Terraform's snake_case names.
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
        visibilityConfig: metric(`${props.namePrefix}-${group.name}`),
      })),
    });
    renderUntypedAsBlocks(this.webAcl, ["rule", "statement"]);
    new Wafv2WebAclAssociation(this, "association", {
      resourceArn: props.resourceArn,
      webAclArn: this.webAcl.arn,
    });
    this.logGroup = new CloudwatchLogGroup(this, "log_group", {
      name: `${WAF_LOG_GROUP_PREFIX}${props.namePrefix}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
    });
  }
}
