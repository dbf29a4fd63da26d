/**
 * An environment in a VPC another team owns: synth refuses what it can know is wrong, the plan
 * checks the rest against AWS, and nothing of that network is created or changed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ExistingNetwork } from "../constructs/existing-network";
import { build } from "./support/environment-stack";
import { expectedProblems, overrideFile, problemsOf } from "./support/settings";
import { blockOf, dataSources, resources } from "./support/synth";
import type { Block } from "./support/synth";

const EXISTING = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  publicSubnets: { "eu-west-1a": "subnet-0000000000000000a", "eu-west-1b": "subnet-0000000000000000b" },
  privateSubnets: { "eu-west-1a": "subnet-0000000000000001a", "eu-west-1b": "subnet-0000000000000001b" },
  isolatedSubnets: { "eu-west-1a": "subnet-0000000000000002a", "eu-west-1b": "subnet-0000000000000002b" },
};

describe("network.existingVpc settings", () => {
  test.each<[string, object, string, string]>([
    ["a malformed VPC id", { ...EXISTING, vpcId: "vpc-123" }, "network.existingVpc.vpcId", "a VPC id"],
    [
      "one AZ in a tier",
      { ...EXISTING, publicSubnets: { "eu-west-1a": "subnet-0000000000000000a" } },
      "network.existingVpc.publicSubnets",
      "subnets in at least two availability zones",
    ],
    [
      "an AZ of another region",
      {
        ...EXISTING,
        privateSubnets: { ...EXISTING.privateSubnets, "us-east-1a": "subnet-0000000000000001c" },
      },
      'network.existingVpc.privateSubnets["us-east-1a"]',
      "an availability zone of eu-west-1",
    ],
    [
      "a malformed subnet id",
      { ...EXISTING, isolatedSubnets: { ...EXISTING.isolatedSubnets, "eu-west-1b": "sn-1" } },
      'network.existingVpc.isolatedSubnets["eu-west-1b"]',
      "a subnet id",
    ],
    [
      "a subnet in two tiers",
      {
        ...EXISTING,
        isolatedSubnets: { ...EXISTING.isolatedSubnets, "eu-west-1a": "subnet-0000000000000001a" },
      },
      'network.existingVpc.isolatedSubnets["eu-west-1a"]',
      "a subnet no other tier uses",
    ],
    [
      "subnets without a VPC",
      { privateSubnets: EXISTING.privateSubnets },
      "network.existingVpc.privateSubnets",
      "none without existingVpc.vpcId",
    ],
  ])("refuses %s, naming the field", (_, existingVpc, field, allowed) => {
    expect(problemsOf(overrideFile({ dev: { network: { existingVpc } } }))).toEqual(
      expectedProblems("dev", field, allowed),
    );
  });

  test("accepts a VPC with two AZs in each tier", () => {
    expect(problemsOf(overrideFile({ dev: { network: { existingVpc: EXISTING } } }))).toEqual([]);
  });
});

describe("an environment in an existing VPC", () => {
  const { stack, json } = build("dev", {}, { network: { existingVpc: EXISTING } });
  const network = stack.networkTier.network;
  if (!(network instanceof ExistingNetwork)) throw new Error("not an existing network");

  test("creates no VPC, subnet, gateway, route, route table, endpoint of its own or flow log", () => {
    for (const type of [
      "aws_vpc",
      "aws_subnet",
      "aws_internet_gateway",
      "aws_nat_gateway",
      "aws_eip",
      "aws_route",
      "aws_route_table",
      "aws_route_table_association",
      "aws_default_security_group",
      "aws_flow_log",
      "aws_vpc_endpoint",
    ]) {
      expect([type, Object.keys(json.resource[type] ?? {})]).toEqual([type, []]);
    }
    expect(json.output?.flow_log_group_name).toBeUndefined();
  });

  test("looks every subnet up and fails the plan unless it is in the VPC and the AZ given", () => {
    const subnets = Object.values(dataSources(json, "aws_subnet"));
    expect(subnets.map((s) => s.id).sort()).toEqual(
      [EXISTING.publicSubnets, EXISTING.privateSubnets, EXISTING.isolatedSubnets]
        .flatMap((t) => Object.values(t))
        .sort(),
    );
    for (const subnet of subnets) {
      const conditions = ((subnet.lifecycle as Block).postcondition as Block[]).map((c) => c.condition);
      expect(conditions).toContain(`\${self.vpc_id == "${EXISTING.vpcId}"}`);
      expect(conditions.some((c) => /self\.availability_zone == "eu-west-1[ab]"/.test(String(c)))).toBe(true);
    }
  });

  test("fails the plan unless each private subnet routes out, since the tasks reach AWS through NAT", () => {
    const tables = dataSources(json, "aws_route_tables");
    const checked = Object.values(tables).filter((t) => (t.lifecycle as Block | undefined)?.postcondition);
    expect(checked).toHaveLength(2);
    for (const table of checked) {
      const [condition] = (table.lifecycle as Block).postcondition as Block[];
      expect(String(condition?.condition)).toMatch(
        /length\(self\.ids\) > 0 \|\| \(length\(data\.aws_route_tables\..*\.ids\) == 0 && length\(data\.aws_route_tables\..*main_route_table_out.*\.ids\) > 0\)/,
      );
      expect(String(condition?.error_message)).toContain("has no route to 0.0.0.0/0");
    }
  });

  test("skips the route check when the tasks do not go out through NAT", () => {
    const lean = build(
      "dev",
      {},
      {
        network: {
          existingVpc: EXISTING,
          appInternetEgress: [],
          natStrategy: "none",
          interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs"],
        },
      },
    ).json;
    expect(lean.data?.aws_route_tables).toBeUndefined();
    const [vpc] = Object.values<Block>(lean.data?.aws_vpc ?? {});
    expect(JSON.stringify((vpc?.lifecycle as Block).postcondition)).toContain(
      "self.enable_dns_support && self.enable_dns_hostnames",
    );
    expect(Object.keys(resources(lean, "aws_vpc_endpoint"))).toHaveLength(5);
  });

  test("puts the load balancer, tasks, database and security groups in the subnets and VPC given", () => {
    const lookedUp = (tier: string) =>
      [0, 1].map((i) =>
        expect.stringMatching(
          new RegExp(`^\\$\\{data\\.aws_subnet\\.network_${tier}_${i}_subnet_[0-9A-F]+\\.id\\}$`),
        ),
      );
    expect(blockOf(json, stack.edgeTier.loadBalancer.loadBalancer).subnets).toEqual(lookedUp("public"));
    const service = blockOf(json, stack.serviceTier.service.service);
    expect((service.network_configuration as Block).subnets).toEqual(lookedUp("private"));
    expect(blockOf(json, network.dbSubnetGroup).subnet_ids).toEqual(lookedUp("isolated"));
    for (const group of Object.values(resources(json, "aws_security_group"))) {
      expect(group.vpc_id).toMatch(/^\$\{data\.aws_vpc\.network_vpc_[0-9A-F]+\.id\}$/);
    }
  });
});

describe("help/what-it-builds.md, In an existing VPC", () => {
  test("its configuration is valid as written", () => {
    const page = readFileSync(join(__dirname, "..", "help", "what-it-builds.md"), "utf8");
    const section = page.slice(page.indexOf("### In an existing VPC"));
    const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toContain("existingVpc");
    expect(problemsOf(overrideFile(block as string))).toEqual([]);
  });
});
