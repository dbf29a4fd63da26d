/** Policy rules: security groups. */
import type { PolicyRule } from "../stack-view";
import { appLoadBalancers, asList, covers, egressRules, ingressRules, paths, WORLD } from "../stack-view";

export const SECURITY_GROUP_RULES: readonly PolicyRule[] = [
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
];
