/** Policy rules: load balancer. */
import type { Entry, PolicyRule } from "../stack-view";
import { appLoadBalancers, asList, isTrue, paths } from "../stack-view";
import type { Block } from "../terraform-json";
import { ONE_YEAR_SECONDS } from "../../../constructs/model/load-balancer";

const managedGroups = (acl: Entry) =>
  asList<Block>(acl.block.rule).map((r) => r.statement?.managed_rule_group_statement?.name as string);

export const LOAD_BALANCER_POLICIES: readonly PolicyRule[] = [
  {
    ids: ["CKV_AWS_131", "AWS-0052"],
    title: "the ALB drops invalid header fields",
    violations: (s) =>
      paths(appLoadBalancers(s).filter((lb) => !isTrue(lb.block.drop_invalid_header_fields))),
  },
  {
    ids: ["CKV_AWS_150"],
    title: "the ALB has deletion protection",
    violations: (s) =>
      paths(appLoadBalancers(s).filter((lb) => !isTrue(lb.block.enable_deletion_protection))),
  },
  {
    ids: ["CKV_AWS_91", "AwsSolutions-ELB2"],
    title: "the ALB writes access logs",
    violations: (s) => paths(appLoadBalancers(s).filter((lb) => !isTrue(lb.block.access_logs?.enabled))),
  },
  {
    ids: ["CKV_AWS_328"],
    title: "the ALB's desync mitigation is not monitor-only",
    violations: (s) =>
      paths(appLoadBalancers(s).filter((lb) => lb.block.desync_mitigation_mode === "monitor")),
  },
  {
    ids: ["AWS-0053"],
    title: "the ALB is internal",
    violations: (s) => paths(appLoadBalancers(s).filter((lb) => lb.block.internal !== true)),
  },
  {
    ids: ["CKV2_AWS_28"],
    title: "an internet-facing ALB is protected by a WAF web ACL",
    violations: (s) =>
      paths(
        appLoadBalancers(s).filter(
          (lb) =>
            lb.block.internal !== true &&
            !s
              .resources("aws_wafv2_web_acl_association")
              .some((a) => a.block.resource_arn === `\${aws_lb.${lb.name}.arn}`),
        ),
      ),
  },
  {
    ids: ["CKV2_AWS_76", "CKV_AWS_192"],
    title: "a WAF web ACL includes the Log4Shell managed rules (KnownBadInputs, AnonymousIpList)",
    violations: (s) =>
      paths(
        s.resources("aws_wafv2_web_acl").filter((acl) => {
          const groups = managedGroups(acl);
          return (
            !groups.includes("AWSManagedRulesKnownBadInputsRuleSet") ||
            !groups.includes("AWSManagedRulesAnonymousIpList")
          );
        }),
      ),
  },
  {
    ids: ["PROJECT-WAF-SQLI"],
    title: "a WAF web ACL includes the SQL-injection managed rules",
    violations: (s) =>
      paths(
        s
          .resources("aws_wafv2_web_acl")
          .filter((acl) => !managedGroups(acl).includes("AWSManagedRulesSQLiRuleSet")),
      ),
  },
  {
    ids: ["PROJECT-WAF-RATE-LIMIT"],
    title: "a WAF web ACL blocks a client IP above a request rate, before any other rule",
    violations: (s) =>
      paths(
        s.resources("aws_wafv2_web_acl").filter((acl) => {
          const rules = asList<Block>(acl.block.rule);
          const first = Math.min(...rules.map((r) => Number(r.priority)));
          return !rules.some(
            (r) =>
              Number(r.priority) === first &&
              r.action?.block !== undefined &&
              r.statement?.rate_based_statement?.aggregate_key_type === "IP" &&
              Number(r.statement?.rate_based_statement?.limit) > 0,
          );
        }),
      ),
  },
  {
    ids: ["PROJECT-WAF-LOG-REDACTION"],
    title: "WAF logs redact the authorization and cookie headers",
    violations: (s) =>
      paths(
        s.resources("aws_wafv2_web_acl_logging_configuration").filter((l) => {
          const redacted = asList<Block>(l.block.redacted_fields).map((f) =>
            String(asList<Block>(f.single_header)[0]?.name).toLowerCase(),
          );
          return !["authorization", "cookie"].every((h) => redacted.includes(h));
        }),
      ),
  },
  {
    ids: ["CKV2_AWS_31"],
    title: "a WAF web ACL has a logging configuration",
    violations: (s) =>
      paths(
        s
          .resources("aws_wafv2_web_acl")
          .filter(
            (acl) =>
              !s
                .resources("aws_wafv2_web_acl_logging_configuration")
                .some((l) => l.block.resource_arn === `\${aws_wafv2_web_acl.${acl.name}.arn}`),
          ),
      ),
  },
  {
    ids: ["PROJECT-ALB-SUBNETS"],
    title: "the ALB spans at least two subnets",
    violations: (s) => paths(appLoadBalancers(s).filter((lb) => asList(lb.block.subnets).length < 2)),
  },
  {
    ids: ["CKV_AWS_2", "CKV2_AWS_20", "AWS-0054"],
    title: "listeners are HTTPS, or HTTP that only redirects to HTTPS",
    violations: (s) =>
      paths(
        s.resources("aws_lb_listener").filter((l) => {
          if (l.block.protocol === "HTTPS") return false;
          const actions = asList<Block>(l.block.default_action);
          return !(
            actions.length === 1 &&
            actions[0]?.type === "redirect" &&
            actions[0]?.redirect?.protocol === "HTTPS" &&
            actions[0]?.redirect?.status_code === "HTTP_301"
          );
        }),
      ),
  },
  {
    ids: ["CKV_AWS_103", "CKV2_AWS_74", "AWS-0047"],
    title: "HTTPS listeners set an explicit TLS 1.2+ policy (TLS13-1-2 or newer)",
    violations: (s) =>
      paths(
        s
          .resources("aws_lb_listener")
          .filter(
            (l) =>
              l.block.protocol === "HTTPS" &&
              !/^ELBSecurityPolicy-TLS13-1-[23]-/.test(String(l.block.ssl_policy)),
          ),
      ),
  },
  {
    ids: ["NIST-ELBv2ACMCertificateRequired"],
    title: "HTTPS listeners serve an ACM certificate, taken from its validation when this project issues it",
    violations: (s) =>
      paths(
        s.resources("aws_lb_listener").filter((l) => {
          if (l.block.protocol !== "HTTPS") return false;
          const arn = String(l.block.certificate_arn);
          return !(arn.startsWith("${aws_acm_certificate_validation.") || /^arn:aws[a-z-]*:acm:/.test(arn));
        }),
      ),
  },
  {
    ids: ["CKV_AWS_261"],
    title: "HTTP target groups define a health-check path",
    violations: (s) =>
      paths(
        s
          .resources("aws_lb_target_group")
          .filter(
            (tg) =>
              tg.block.protocol?.startsWith("HTTP") &&
              !String(tg.block.health_check?.path ?? "").startsWith("/"),
          ),
      ),
  },
  {
    ids: ["PROJECT-TG-HTTPS-LISTENERS"],
    title: "a plain-HTTP target group is only forwarded to by HTTPS listeners (default actions and rules)",
    violations: (s) =>
      paths(
        s.resources("aws_lb_target_group").filter(
          (tg) =>
            tg.block.protocol === "HTTP" &&
            s.resources("aws_lb_listener").some(
              (l) =>
                l.block.protocol !== "HTTPS" &&
                [
                  ...asList<Block>(l.block.default_action),
                  ...s
                    .resources("aws_lb_listener_rule")
                    .filter((r) => r.block.listener_arn === `\${aws_lb_listener.${l.name}.arn}`)
                    .flatMap((r) => asList<Block>(r.block.action)),
                ].some((a) => a.target_group_arn === `\${aws_lb_target_group.${tg.name}.arn}`),
            ),
        ),
      ),
  },
  {
    ids: ["PROJECT-TG-IP"],
    title: "target groups register ip targets (awsvpc tasks)",
    violations: (s) =>
      paths(s.resources("aws_lb_target_group").filter((tg) => tg.block.target_type !== "ip")),
  },
  {
    ids: ["PROJECT-ALB-HSTS"],
    title: "HTTPS listeners add Strict-Transport-Security with a max-age of at least a year",
    violations: (s) =>
      paths(
        s
          .resources("aws_lb_listener")
          .filter((l) => l.block.protocol === "HTTPS")
          .filter((l) => {
            const value = String(l.block.routing_http_response_strict_transport_security_header_value ?? "");
            const maxAge = Number(/^max-age=(\d+)/.exec(value)?.[1] ?? 0);
            return maxAge < ONE_YEAR_SECONDS;
          }),
      ),
  },
  {
    ids: ["PROJECT-ALB-HOST-404"],
    title:
      "HTTPS listeners answer unknown Host names with a fixed 404; only rules matching the service's names forward to it",
    violations: (s) =>
      paths(
        s
          .resources("aws_lb_listener")
          .filter((l) => l.block.protocol === "HTTPS")
          .filter((l) => {
            const fallback = asList<Block>(l.block.default_action)[0];
            const rules = s
              .resources("aws_lb_listener_rule")
              .filter((r) => r.block.listener_arn === `\${aws_lb_listener.${l.name}.arn}`);
            return (
              fallback?.type !== "fixed-response" ||
              fallback.fixed_response?.status_code !== "404" ||
              rules.length === 0 ||
              rules.some((r) =>
                asList<Block>(r.block.condition).every(
                  (c) => asList<string>(c.host_header?.values).length === 0,
                ),
              )
            );
          }),
      ),
  },
  {
    ids: ["CKV_AWS_378"],
    title:
      "target groups speak HTTPS, or HTTP only as the default action of a listener that is not HTTP (checkov's reading: rules do not count)",
    violations: (s) =>
      paths(
        s
          .resources("aws_lb_target_group")
          .filter((tg) => tg.block.protocol === "HTTP")
          .filter(
            (tg) =>
              !s
                .resources("aws_lb_listener")
                .some(
                  (l) =>
                    l.block.protocol !== "HTTP" &&
                    JSON.stringify(l.block.default_action ?? []).includes(`aws_lb_target_group.${tg.name}.`),
                ),
          ),
      ),
  },
];
