/** Policy rules: network. */
import type { PolicyRule, StackView } from "../stack-view";
import { asList, isTrue, paths } from "../stack-view";
import type { Block } from "../terraform-json";

/** References (`${aws_route_table.x.id}`) of the route tables of the DB subnet groups' subnets. */
function dataTierRouteTables(s: StackView): string[] {
  const subnets = s.resources("aws_db_subnet_group").flatMap((g) => asList<string>(g.block.subnet_ids));
  return s
    .resources("aws_route_table_association")
    .filter((a) => subnets.includes(String(a.block.subnet_id)))
    .map((a) => String(a.block.route_table_id));
}

export const NETWORK_POLICIES: readonly PolicyRule[] = [
  {
    ids: ["PROJECT-DATA-TIER-NO-EGRESS"],
    title: "the data tier has no route out of the VPC (no default route, no gateway endpoint)",
    violations: (s) => {
      const tables = dataTierRouteTables(s);
      return paths([
        ...s.resources("aws_route").filter((r) => tables.includes(String(r.block.route_table_id))),
        ...s
          .resources("aws_vpc_endpoint")
          .filter((e) => asList<string>(e.block.route_table_ids).some((t) => tables.includes(t))),
      ]);
    },
  },
  {
    ids: ["PROJECT-VPC-ENDPOINT-POLICY"],
    title:
      "VPC endpoints have a policy: interface endpoints admit only this account's principals; the S3 gateway names its buckets",
    violations: (s) =>
      paths(
        s.resources("aws_vpc_endpoint").filter((e) => {
          if (typeof e.block.policy !== "string") return true;
          const allows = s.statements(e.block.policy).filter((st) => (st.effect ?? "Allow") === "Allow");
          if (e.block.vpc_endpoint_type === "Gateway") {
            return allows.some((st) =>
              asList<string>(st.resources).some((r) => r === "*" || /^arn:[^:]+:s3:::\*/.test(r)),
            );
          }
          return allows.some(
            (st) =>
              !asList<Block>(st.condition).some(
                (c) => c.variable === "aws:PrincipalAccount" && c.test === "StringEquals",
              ) || asList<string>(st.actions).some((a) => a.includes("*")),
          );
        }),
      ),
  },
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
];
