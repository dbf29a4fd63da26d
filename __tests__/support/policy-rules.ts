/**
 * The security catalog (../shared/design/security-rules.md) as rules over synthesized stacks.
 * Each rule carries the scanner IDs it stands for and returns the construct paths of the
 * resources that break it. Where checkov has the rule, the semantics follow checkov's, so the
 * same exceptions file serves both; rules scanners cannot see in cdktf JSON (decoded container
 * definitions, IAM documents, trust conditions, inline rules) are covered here only.
 */
import { decodeJsonencode } from "./hcl-expression";
import type { Block, TerraformJson } from "./synth";

export interface Entry {
  readonly type: string;
  readonly name: string;
  /** Construct path inside the stack, e.g. "load_balancer/load_balancer". */
  readonly path: string;
  readonly block: Block;
}

/** One synthesized stack (with cdktf's "//" metadata), and lookups over it. */
export class StackView {
  constructor(
    public readonly stack: string,
    public readonly json: TerraformJson,
  ) {}

  public resources(type: string): Entry[] {
    return this.entries(this.json.resource?.[type] ?? {}, type);
  }

  public data(type: string): Entry[] {
    return this.entries(this.json.data?.[type] ?? {}, type);
  }

  /** The resource or data source a `${type.name.attr}` reference points at. */
  public referenced(reference: unknown): Entry | undefined {
    if (typeof reference !== "string") return undefined;
    const data = /^\$\{data\.([a-z0-9_]+)\.([^.}]+)\./.exec(reference);
    if (data) return this.data(data[1] as string).find((e) => e.name === data[2]);
    const resource = /^\$\{([a-z0-9_]+)\.([^.}]+)\./.exec(reference);
    if (resource) return this.resources(resource[1] as string).find((e) => e.name === resource[2]);
    return undefined;
  }

  /** Statements of the policy document a `policy` attribute references. */
  public statements(reference: unknown): Block[] {
    const document = this.referenced(reference);
    if (!document || document.type !== "aws_iam_policy_document") {
      throw new Error(`${this.stack}: policy is not a policy-document data source: ${String(reference)}`);
    }
    return (document.block.statement as Block[] | undefined) ?? [];
  }

  /** Decoded container definitions of a task definition. */
  public containers(taskDefinition: Entry): Block[] {
    return decodeJsonencode(taskDefinition.block.container_definitions as string) as Block[];
  }

  /** Whether any resource of these types references the given entry. */
  public isReferencedBy(entry: Entry, types: readonly string[]): boolean {
    const needle = `${entry.type}.${entry.name}.`;
    return types.some((type) => this.resources(type).some((r) => JSON.stringify(r.block).includes(needle)));
  }

  private entries(blocks: Record<string, Block>, type: string): Entry[] {
    return Object.entries(blocks).map(([name, block]) => {
      const path = (block["//"]?.metadata?.path as string | undefined) ?? name;
      return { type, name, path: path.slice(path.indexOf("/") + 1), block };
    });
  }
}

export interface PolicyRule {
  /** Scanner rule IDs this rule stands for (checkov CKV_*, trivy AWS-*, cdk-nag AwsSolutions-*). */
  readonly ids: readonly string[];
  readonly title: string;
  /** Construct paths of the resources that break the rule. */
  readonly violations: (stack: StackView) => string[];
}

const paths = (entries: Entry[]) => entries.map((e) => e.path);
const isTrue = (v: unknown) => v === true;
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const WORLD = ["0.0.0.0/0", "::/0"];
const ingressRules = (s: StackView) => s.resources("aws_vpc_security_group_ingress_rule");
const egressRules = (s: StackView) => s.resources("aws_vpc_security_group_egress_rule");
const covers = (rule: Block, port: number) =>
  rule.ip_protocol === "-1" || (Number(rule.from_port) <= port && Number(rule.to_port) >= port);
const roles = (s: StackView) => s.resources("aws_iam_role");
const rolePolicies = (s: StackView) => s.resources("aws_iam_role_policy");
const policyDocuments = (s: StackView) => s.data("aws_iam_policy_document");
const logGroups = (s: StackView) => s.resources("aws_cloudwatch_log_group");
const taskDefinitions = (s: StackView) => s.resources("aws_ecs_task_definition");
const buckets = (s: StackView) => s.resources("aws_s3_bucket");
const bucketConfig = (s: StackView, type: string, bucket: Entry) =>
  s.resources(type).filter((c) => c.block.bucket === `\${aws_s3_bucket.${bucket.name}.id}`);
const containersOf = (s: StackView) => taskDefinitions(s).map((td) => ({ td, containers: s.containers(td) }));
const appLoadBalancers = (s: StackView) =>
  s.resources("aws_lb").filter((lb) => lb.block.load_balancer_type === "application");

/**
 * Actions IAM cannot restrict to a resource (AWS service authorization reference), so
 * `Resource: "*"` is the only possible scope for them.
 */
const UNRESTRICTABLE_ACTIONS = [
  "ecr:GetAuthorizationToken",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

/** Statements allowing restrictable actions on every resource without a condition (cloudsplaining's test). */
function unconstrainedStatements(document: Entry): Block[] {
  return ((document.block.statement as Block[] | undefined) ?? []).filter(
    (st) =>
      (st.effect ?? "Allow") === "Allow" &&
      asList<string>(st.resources).includes("*") &&
      asList(st.condition).length === 0 &&
      asList<string>(st.actions).some((a) => !UNRESTRICTABLE_ACTIONS.includes(a)),
  );
}

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i;
const SECRET_VALUE =
  /(^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@|-----BEGIN [A-Z ]*PRIVATE KEY-----|\b(AKIA|ASIA)[0-9A-Z]{16}\b)/i;

export const POLICY_RULES: readonly PolicyRule[] = [
  // --- network
  {
    ids: ["CKV2_AWS_11", "AWS-0178", "AwsSolutions-VPC7"],
    title: "every VPC sends all its traffic to a flow log with a role",
    violations: (s) =>
      paths(
        s
          .resources("aws_vpc")
          .filter(
            (vpc) =>
              !s
                .resources("aws_flow_log")
                .some(
                  (f) =>
                    f.block.vpc_id === `\${aws_vpc.${vpc.name}.id}` &&
                    f.block.traffic_type === "ALL" &&
                    f.block.log_destination !== undefined &&
                    f.block.iam_role_arn !== undefined,
                ),
          ),
      ),
  },
  {
    ids: ["CKV2_AWS_12", "AWS-0173"],
    title: "every VPC's default security group is adopted without rules",
    violations: (s) =>
      paths(
        s.resources("aws_vpc").filter((vpc) => {
          const adopted = s
            .resources("aws_default_security_group")
            .filter((g) => g.block.vpc_id === `\${aws_vpc.${vpc.name}.id}`);
          return (
            adopted.length !== 1 ||
            adopted.some((g) => g.block.ingress !== undefined || g.block.egress !== undefined)
          );
        }),
      ),
  },
  {
    ids: ["CKV_AWS_130", "AWS-0164"],
    title: "no subnet gives instances public IPs",
    violations: (s) =>
      paths(
        s
          .resources("aws_subnet")
          .filter(
            (sn) =>
              isTrue(sn.block.map_public_ip_on_launch) || isTrue(sn.block.assign_ipv6_address_on_creation),
          ),
      ),
  },
  {
    ids: ["CKV2_AWS_19"],
    title: "every EIP is a VPC address used by a NAT gateway",
    violations: (s) =>
      paths(
        s
          .resources("aws_eip")
          .filter(
            (eip) =>
              eip.block.domain !== "vpc" ||
              !s
                .resources("aws_nat_gateway")
                .some((n) => n.block.allocation_id === `\${aws_eip.${eip.name}.allocation_id}`),
          ),
      ),
  },
  {
    ids: ["CKV2_AWS_35"],
    title: "default routes leave private subnets through NAT gateways, never instances",
    violations: (s) =>
      paths(
        s
          .resources("aws_route")
          .filter((r) => r.block.instance_id !== undefined || r.block.network_interface_id !== undefined),
      ),
  },
  {
    ids: ["CKV_AWS_148", "AWS-0101"],
    title: "the default VPC is not managed or used",
    violations: (s) => paths(s.resources("aws_default_vpc")),
  },
  // --- security groups
  {
    ids: ["PROJECT-SG-NO-INLINE"],
    title:
      "no inline security-group rules and no legacy aws_security_group_rule (scanners read inline rules wrongly)",
    violations: (s) => [
      ...paths(
        [...s.resources("aws_security_group"), ...s.resources("aws_default_security_group")].filter(
          (g) => g.block.ingress !== undefined || g.block.egress !== undefined,
        ),
      ),
      ...paths(s.resources("aws_security_group_rule")),
    ],
  },
  {
    ids: ["CKV_AWS_23", "AWS-0099", "AWS-0124", "AwsSolutions-EC27"],
    title: "every security group and rule has a description",
    violations: (s) =>
      paths(
        [...s.resources("aws_security_group"), ...ingressRules(s), ...egressRules(s)].filter(
          (r) => typeof r.block.description !== "string" || r.block.description.trim() === "",
        ),
      ),
  },
  {
    ids: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277", "AWS-0107"],
    title: "no ingress from the internet to SSH, RDP or all ports",
    violations: (s) =>
      paths(
        ingressRules(s).filter(
          (r) =>
            (WORLD.includes(r.block.cidr_ipv4) || WORLD.includes(r.block.cidr_ipv6)) &&
            (covers(r.block, 22) || covers(r.block, 3389) || r.block.ip_protocol === "-1"),
        ),
      ),
  },
  {
    ids: ["CKV_AWS_260"],
    title: "no ingress from 0.0.0.0/0 to port 80",
    violations: (s) =>
      paths(ingressRules(s).filter((r) => r.block.cidr_ipv4 === "0.0.0.0/0" && covers(r.block, 80))),
  },
  {
    ids: ["AwsSolutions-EC23"],
    title: "no inbound from 0.0.0.0/0 or ::/0 on any port",
    violations: (s) =>
      paths(
        ingressRules(s).filter((r) => WORLD.includes(r.block.cidr_ipv4) || WORLD.includes(r.block.cidr_ipv6)),
      ),
  },
  {
    ids: ["PROJECT-SG-REFERENCES"],
    title:
      "between tiers, rules reference groups (or the S3 prefix list), never CIDRs; only the ALB accepts the internet",
    violations: (s) => {
      const albGroups = appLoadBalancers(s).flatMap((lb) => asList<string>(lb.block.security_groups));
      return paths([
        ...ingressRules(s).filter(
          (r) =>
            (r.block.cidr_ipv4 !== undefined || r.block.cidr_ipv6 !== undefined) &&
            !(
              albGroups.includes(r.block.security_group_id) &&
              (WORLD.includes(r.block.cidr_ipv4) || WORLD.includes(r.block.cidr_ipv6))
            ),
        ),
        ...egressRules(s).filter(
          (r) =>
            (r.block.cidr_ipv4 !== undefined && r.block.cidr_ipv4 !== "0.0.0.0/0") ||
            r.block.cidr_ipv6 !== undefined,
        ),
      ]);
    },
  },
  {
    ids: ["CKV_AWS_382"],
    title: "no egress of every protocol to the internet; internet egress is tcp/443 only",
    violations: (s) =>
      paths(
        egressRules(s).filter(
          (r) =>
            WORLD.includes(r.block.cidr_ipv4) &&
            (r.block.ip_protocol !== "tcp" || r.block.from_port !== 443 || r.block.to_port !== 443),
        ),
      ),
  },
  {
    ids: ["AWS-0104"],
    title: "no egress to 0.0.0.0/0 or ::/0 at all",
    violations: (s) =>
      paths(
        egressRules(s).filter((r) => WORLD.includes(r.block.cidr_ipv4) || WORLD.includes(r.block.cidr_ipv6)),
      ),
  },
  {
    ids: ["CKV2_AWS_5"],
    title: "every security group is attached to a load balancer, service, endpoint or database",
    violations: (s) =>
      paths(
        s
          .resources("aws_security_group")
          .filter(
            (g) =>
              !s.isReferencedBy(g, [
                "aws_lb",
                "aws_ecs_service",
                "aws_vpc_endpoint",
                "aws_db_instance",
                "aws_rds_cluster",
                "aws_elasticache_replication_group",
              ]),
          ),
      ),
  },
  // --- load balancer
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
          const groups = asList<Block>(acl.block.rule).map(
            (r) => r.statement?.managed_rule_group_statement?.name as string,
          );
          return (
            !groups.includes("AWSManagedRulesKnownBadInputsRuleSet") ||
            !groups.includes("AWSManagedRulesAnonymousIpList")
          );
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
    ids: ["CKV_AWS_378"],
    title: "a plain-HTTP target group is only forwarded to by HTTPS listeners",
    violations: (s) =>
      paths(
        s
          .resources("aws_lb_target_group")
          .filter(
            (tg) =>
              tg.block.protocol === "HTTP" &&
              s
                .resources("aws_lb_listener")
                .some(
                  (l) =>
                    l.block.protocol !== "HTTPS" &&
                    asList<Block>(l.block.default_action).some(
                      (a) => a.target_group_arn === `\${aws_lb_target_group.${tg.name}.arn}`,
                    ),
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
  // --- ACM
  {
    ids: ["CKV_AWS_233"],
    title: "certificates are replaced create-before-destroy",
    violations: (s) =>
      paths(
        s.resources("aws_acm_certificate").filter((c) => !isTrue(c.block.lifecycle?.create_before_destroy)),
      ),
  },
  {
    ids: ["CKV_AWS_234"],
    title: "certificate transparency logging is not disabled",
    violations: (s) =>
      paths(
        s
          .resources("aws_acm_certificate")
          .filter((c) => c.block.options?.certificate_transparency_logging_preference === "DISABLED"),
      ),
  },
  {
    ids: ["CKV2_AWS_71"],
    title: "certificates are not wildcard certificates",
    violations: (s) =>
      paths(
        s
          .resources("aws_acm_certificate")
          .filter((c) =>
            [c.block.domain_name, ...asList<string>(c.block.subject_alternative_names)].some((n) =>
              String(n).includes("*"),
            ),
          ),
      ),
  },
  // --- IAM
  {
    ids: ["CKV_AWS_60", "CKV_AWS_61"],
    title: "trust policies name a service, never a wildcard or a whole account",
    violations: (s) =>
      paths(
        roles(s).filter((role) =>
          s
            .statements(role.block.assume_role_policy)
            .some((st) =>
              asList<Block>(st.principals).some(
                (p) => p.type !== "Service" || asList<string>(p.identifiers).includes("*"),
              ),
            ),
        ),
      ),
  },
  {
    ids: ["PROJECT-IAM-CONFUSED-DEPUTY"],
    title: "trust policies carry an aws:SourceAccount condition",
    violations: (s) =>
      paths(
        roles(s).filter((role) =>
          s
            .statements(role.block.assume_role_policy)
            .some(
              (st) =>
                !asList<Block>(st.condition).some(
                  (c) => c.variable === "aws:SourceAccount" && c.test === "StringEquals",
                ),
            ),
        ),
      ),
  },
  {
    ids: ["CKV_AWS_274", "CKV2_AWS_56", "AwsSolutions-IAM4"],
    title: "no AWS-managed policy is attached to a role",
    violations: (s) =>
      paths([
        ...s.resources("aws_iam_role_policy_attachment"),
        ...roles(s).filter((r) => asList(r.block.managed_policy_arns).length > 0),
      ]),
  },
  {
    ids: ["CKV_AWS_62", "CKV_AWS_63", "CKV2_AWS_40", "CKV_AWS_1", "CKV_AWS_49"],
    title: "no policy allows every action or every IAM action",
    violations: (s) =>
      paths(
        policyDocuments(s).filter((d) =>
          asList<Block>(d.block.statement).some(
            (st) =>
              (st.effect ?? "Allow") === "Allow" &&
              asList<string>(st.actions).some((a) => a === "*" || a === "iam:*"),
          ),
        ),
      ),
  },
  {
    // checkov runs these data-source checks on every policy document, key policies included.
    ids: ["CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"],
    title: "no policy document allows restrictable actions on Resource * without a condition",
    violations: (s) => paths(policyDocuments(s).filter((d) => unconstrainedStatements(d).length > 0)),
  },
  {
    ids: ["CKV_AWS_355", "AwsSolutions-IAM5"],
    title: "no role policy allows restrictable actions on Resource * without a condition",
    violations: (s) =>
      paths(
        rolePolicies(s).filter((p) => {
          const document = s.referenced(p.block.policy);
          return document !== undefined && unconstrainedStatements(document).length > 0;
        }),
      ),
  },
  {
    ids: ["CKV_AWS_249"],
    title: "task definitions use distinct execution and task roles",
    violations: (s) =>
      paths(
        taskDefinitions(s).filter(
          (td) => !td.block.task_role_arn || td.block.execution_role_arn === td.block.task_role_arn,
        ),
      ),
  },
  // --- KMS and logs
  {
    ids: ["CKV_AWS_7", "AWS-0065", "AwsSolutions-KMS5"],
    title: "KMS keys rotate",
    violations: (s) => paths(s.resources("aws_kms_key").filter((k) => !isTrue(k.block.enable_key_rotation))),
  },
  {
    ids: ["CKV2_AWS_64"],
    title: "KMS keys have an explicit key policy",
    violations: (s) => paths(s.resources("aws_kms_key").filter((k) => typeof k.block.policy !== "string")),
  },
  {
    ids: ["CKV_AWS_33"],
    title: "key policies name no wildcard principal without a condition",
    violations: (s) =>
      paths(
        s
          .resources("aws_kms_key")
          .filter((k) =>
            s
              .statements(k.block.policy)
              .some(
                (st) =>
                  (st.effect ?? "Allow") === "Allow" &&
                  asList(st.condition).length === 0 &&
                  asList<Block>(st.principals).some((p) => asList<string>(p.identifiers).includes("*")),
              ),
          ),
      ),
  },
  {
    ids: ["CKV_AWS_227"],
    title: "KMS keys are enabled and have a deletion window",
    violations: (s) =>
      paths(
        s
          .resources("aws_kms_key")
          .filter((k) => k.block.is_enabled === false || k.block.deletion_window_in_days === undefined),
      ),
  },
  {
    ids: ["CKV_AWS_158", "AWS-0017"],
    title: "log groups are encrypted with a customer-managed key",
    violations: (s) =>
      paths(logGroups(s).filter((g) => !String(g.block.kms_key_id ?? "").startsWith("${aws_kms_key."))),
  },
  {
    ids: ["CKV_AWS_66"],
    title: "log groups set a retention",
    violations: (s) => paths(logGroups(s).filter((g) => typeof g.block.retention_in_days !== "number")),
  },
  {
    ids: ["CKV_AWS_338"],
    title: "log groups keep logs at least a year",
    violations: (s) => paths(logGroups(s).filter((g) => (g.block.retention_in_days as number) < 365)),
  },
  // --- ECR
  {
    ids: ["CKV_AWS_51", "AWS-0031"],
    title: "repositories have immutable tags",
    violations: (s) =>
      paths(s.resources("aws_ecr_repository").filter((r) => r.block.image_tag_mutability !== "IMMUTABLE")),
  },
  {
    ids: ["CKV_AWS_163", "AWS-0030"],
    title: "repositories scan images on push",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecr_repository")
          .filter((r) => !isTrue(r.block.image_scanning_configuration?.scan_on_push)),
      ),
  },
  {
    ids: ["CKV_AWS_136", "AWS-0033"],
    title: "repositories are encrypted with a customer-managed KMS key",
    violations: (s) =>
      paths(
        s.resources("aws_ecr_repository").filter((r) => {
          const config = asList<Block>(r.block.encryption_configuration)[0];
          return (
            config?.encryption_type !== "KMS" || !String(config.kms_key ?? "").startsWith("${aws_kms_key.")
          );
        }),
      ),
  },
  {
    ids: ["CKV_AWS_32", "AWS-0032", "AwsSolutions-ECR1"],
    title: "no repository policy grants a wildcard principal",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecr_repository_policy")
          .filter((p) =>
            s
              .statements(p.block.policy)
              .some((st) =>
                asList<Block>(st.principals).some((pr) => asList<string>(pr.identifiers).includes("*")),
              ),
          ),
      ),
  },
  {
    ids: ["ECR.3", "CT.ECR.PR.1"],
    title: "every repository has a lifecycle policy that expires untagged images and caps tagged ones",
    violations: (s) =>
      paths(
        s.resources("aws_ecr_repository").filter((repo) => {
          const policy = s
            .resources("aws_ecr_lifecycle_policy")
            .find((p) => p.block.repository === `\${aws_ecr_repository.${repo.name}.name}`);
          const rules = asList<Block>(s.referenced(policy?.block.policy)?.block.rule);
          const selections = rules.flatMap((r) => asList<Block>(r.selection));
          return !(
            selections.some(
              (sel) => sel.tag_status === "untagged" && sel.count_type === "sinceImagePushed",
            ) &&
            selections.some((sel) => sel.tag_status === "tagged" && sel.count_type === "imageCountMoreThan")
          );
        }),
      ),
  },
  // --- ECS
  {
    ids: ["CKV_AWS_65", "AWS-0034", "AwsSolutions-ECS4"],
    title: "clusters have Container Insights",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecs_cluster")
          .filter(
            (c) =>
              !asList<Block>(c.block.setting).some(
                (st) => st.name === "containerInsights" && ["enabled", "enhanced"].includes(st.value),
              ),
          ),
      ),
  },
  {
    ids: ["CKV_AWS_223", "CKV_AWS_224"],
    title: "ECS Exec, when configured, logs encrypted sessions with a customer key",
    violations: (s) =>
      paths(
        s.resources("aws_ecs_cluster").filter((c) => {
          const exec = c.block.configuration?.execute_command_configuration as Block | undefined;
          return (
            exec !== undefined &&
            (exec.logging === "NONE" ||
              !exec.kms_key_id ||
              !isTrue(exec.log_configuration?.cloud_watch_encryption_enabled))
          );
        }),
      ),
  },
  {
    ids: ["CKV_AWS_336", "ECS.5"],
    title:
      "containers have a read-only root filesystem (decoded container definitions; checkov cannot see them)",
    violations: (s) =>
      paths(
        containersOf(s)
          .filter(({ containers }) => containers.some((c) => c.readonlyRootFilesystem !== true))
          .map(({ td }) => td),
      ),
  },
  {
    ids: ["CKV_AWS_334", "CKV_AWS_335", "ECS.4"],
    title: "containers are not privileged and do not share the host PID namespace",
    violations: (s) =>
      paths(
        containersOf(s)
          .filter(
            ({ td, containers }) =>
              td.block.pid_mode === "host" ||
              containers.some((c) => c.privileged === true || c.pidMode === "host"),
          )
          .map(({ td }) => td),
      ),
  },
  {
    ids: ["AWS-0036", "ECS_NO_ENVIRONMENT_SECRETS"],
    title: "no secret-looking name or value in container environment",
    violations: (s) =>
      paths(
        containersOf(s)
          .filter(({ containers }) =>
            containers.some((c) =>
              asList<Block>(c.environment).some(
                (e) => SECRET_NAME.test(String(e.name)) || SECRET_VALUE.test(String(e.value)),
              ),
            ),
          )
          .map(({ td }) => td),
      ),
  },
  {
    ids: ["AwsSolutions-ECS2"],
    title: "containers have no environment key at all",
    violations: (s) =>
      paths(
        containersOf(s)
          .filter(({ containers }) => containers.some((c) => c.environment !== undefined))
          .map(({ td }) => td),
      ),
  },
  {
    ids: ["PROJECT-ECS-SECRETS-FROM-ARNS"],
    title: "container secrets come from Secrets Manager or SSM ARNs",
    violations: (s) =>
      paths(
        containersOf(s)
          .filter(({ containers }) =>
            containers.some((c) =>
              asList<Block>(c.secrets).some(
                (sec) => !/^arn:aws[a-z-]*:(secretsmanager|ssm):/.test(String(sec.valueFrom)),
              ),
            ),
          )
          .map(({ td }) => td),
      ),
  },
  {
    ids: ["AwsSolutions-ECS7"],
    title: "containers log through awslogs to a group, region and stream prefix",
    violations: (s) =>
      paths(
        containersOf(s)
          .filter(({ containers }) =>
            containers.some((c) => {
              const log = c.logConfiguration as Block | undefined;
              return (
                log?.logDriver !== "awslogs" ||
                !log.options?.["awslogs-group"] ||
                !log.options?.["awslogs-region"] ||
                !log.options?.["awslogs-stream-prefix"]
              );
            }),
          )
          .map(({ td }) => td),
      ),
  },
  {
    ids: ["NIST-ECSTaskDefinitionUserForHostMode", "PROJECT-ECS-NON-ROOT"],
    title: "containers run as a non-root user",
    violations: (s) =>
      paths(
        containersOf(s)
          .filter(({ containers }) =>
            containers.some((c) => typeof c.user !== "string" || /^(root|0+)(:|$)/.test(c.user)),
          )
          .map(({ td }) => td),
      ),
  },
  {
    ids: ["PROJECT-ECS-IMAGE-TAG"],
    title: "images are pulled by the image_tag variable, never latest",
    violations: (s) =>
      paths(
        containersOf(s)
          .filter(({ containers }) =>
            containers.some(
              (c) => !String(c.image).endsWith(":${var.image_tag}") || String(c.image).endsWith(":latest"),
            ),
          )
          .map(({ td }) => td),
      ),
  },
  {
    ids: ["CKV_AWS_333", "ECS.2"],
    title: "services give tasks no public IP",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecs_service")
          .filter((svc) => svc.block.network_configuration?.assign_public_ip !== false),
      ),
  },
  {
    ids: ["CKV_AWS_332"],
    title: "services run on the LATEST Fargate platform",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecs_service")
          .filter(
            (svc) => svc.block.platform_version !== undefined && svc.block.platform_version !== "LATEST",
          ),
      ),
  },
  {
    ids: ["PROJECT-ECS-DEPLOYMENT"],
    title:
      "services roll failed deployments back and keep capacity during deploys (100/200) after a grace period",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecs_service")
          .filter(
            (svc) =>
              !isTrue(svc.block.deployment_circuit_breaker?.enable) ||
              !isTrue(svc.block.deployment_circuit_breaker?.rollback) ||
              svc.block.deployment_minimum_healthy_percent !== 100 ||
              svc.block.deployment_maximum_percent !== 200 ||
              typeof svc.block.health_check_grace_period_seconds !== "number",
          ),
      ),
  },
  // --- S3 (ALB access logs)
  {
    ids: ["CKV2_AWS_6"],
    title: "buckets block every kind of public access",
    violations: (s) =>
      paths(
        buckets(s).filter((b) => {
          const block = bucketConfig(s, "aws_s3_bucket_public_access_block", b)[0]?.block;
          return (
            !block ||
            ![
              "block_public_acls",
              "block_public_policy",
              "ignore_public_acls",
              "restrict_public_buckets",
            ].every((k) => isTrue(block[k]))
          );
        }),
      ),
  },
  {
    ids: ["CKV_AWS_21"],
    title: "buckets are versioned",
    violations: (s) =>
      paths(
        buckets(s).filter(
          (b) =>
            bucketConfig(s, "aws_s3_bucket_versioning", b)[0]?.block.versioning_configuration?.status !==
            "Enabled",
        ),
      ),
  },
  {
    ids: ["CKV2_AWS_61", "CKV_AWS_300"],
    title: "buckets expire objects and abort incomplete uploads bucket-wide",
    violations: (s) =>
      paths(
        buckets(s).filter((b) => {
          const rules = asList<Block>(
            bucketConfig(s, "aws_s3_bucket_lifecycle_configuration", b)[0]?.block.rule,
          );
          const expires = rules.some((r) => r.status === "Enabled" && asList<Block>(r.expiration).length > 0);
          const aborts = rules.some(
            (r) =>
              r.status === "Enabled" &&
              asList<Block>(r.abort_incomplete_multipart_upload).length > 0 &&
              asList<Block>(r.filter).every((f) => Object.keys(f).length === 0),
          );
          return !expires || !aborts;
        }),
      ),
  },
  {
    ids: ["CKV_AWS_145"],
    title: "buckets are encrypted with a KMS key",
    violations: (s) =>
      paths(
        buckets(s).filter(
          (b) =>
            !asList<Block>(
              bucketConfig(s, "aws_s3_bucket_server_side_encryption_configuration", b)[0]?.block.rule,
            ).some((r) =>
              String(r.apply_server_side_encryption_by_default?.sse_algorithm).startsWith("aws:kms"),
            ),
        ),
      ),
  },
  {
    ids: ["CKV_AWS_19"],
    title: "buckets are encrypted at rest",
    violations: (s) =>
      paths(
        buckets(s).filter(
          (b) => bucketConfig(s, "aws_s3_bucket_server_side_encryption_configuration", b).length === 0,
        ),
      ),
  },
  {
    ids: ["CKV_AWS_18"],
    title: "buckets log access to another bucket",
    violations: (s) =>
      paths(buckets(s).filter((b) => bucketConfig(s, "aws_s3_bucket_logging", b).length === 0)),
  },
  {
    ids: ["CKV_AWS_144"],
    title: "buckets replicate to another region",
    violations: (s) =>
      paths(
        buckets(s).filter((b) => bucketConfig(s, "aws_s3_bucket_replication_configuration", b).length === 0),
      ),
  },
  {
    ids: ["CKV2_AWS_62"],
    title: "buckets send event notifications",
    violations: (s) =>
      paths(buckets(s).filter((b) => bucketConfig(s, "aws_s3_bucket_notification", b).length === 0)),
  },
  {
    ids: ["PROJECT-S3-TLS-ONLY", "AwsSolutions-S10"],
    title: "bucket policies deny requests without TLS",
    violations: (s) =>
      paths(
        buckets(s).filter((b) => {
          const policy = bucketConfig(s, "aws_s3_bucket_policy", b)[0];
          return (
            !policy ||
            !s
              .statements(policy.block.policy)
              .some(
                (st) =>
                  st.effect === "Deny" &&
                  asList<Block>(st.condition).some((c) => c.variable === "aws:SecureTransport"),
              )
          );
        }),
      ),
  },
];
