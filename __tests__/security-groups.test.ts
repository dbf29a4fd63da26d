import "cdktf/lib/testing/adapters/jest";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { tierFlows } from "../constructs/model/security-groups";
import type { TierFlow, TierFlowOptions } from "../constructs/model/security-groups";
import { SecurityGroups } from "../constructs/security-groups";
import { blockOf, ref, resources, synth, testStack } from "./support/synth";
import type { Block, TerraformJson } from "./support/synth";

const ALL_ON: TierFlowOptions = {
  containerPort: 8000,
  internetEgress: ["0.0.0.0/0"],
  interfaceEndpoints: true,
  database: true,
  cache: true,
  httpRedirect: true,
};
const PREFIX_LIST = "pl-6da54004";

function build(
  options: Partial<TierFlowOptions> = {},
  flows?: TierFlow[],
): { groups: SecurityGroups; json: TerraformJson } {
  const stack = testStack();
  const groups = new SecurityGroups(stack, "security_groups", {
    namePrefix: "api-test",
    vpcId: "vpc-123",
    s3PrefixListId: PREFIX_LIST,
    flows: flows ?? tierFlows({ ...ALL_ON, ...options }),
  });
  return { groups, json: synth(stack) };
}

const ingress = (json: TerraformJson) =>
  Object.values(resources(json, "aws_vpc_security_group_ingress_rule"));
const egress = (json: TerraformJson) => Object.values(resources(json, "aws_vpc_security_group_egress_rule"));

describe("tierFlows", () => {
  test("declares the service's tier graph with the container port", () => {
    const flows = tierFlows({ ...ALL_ON, containerPort: 9000 });
    expect(flows.map((f) => `${f.from}->${f.to}:${f.port}`)).toEqual([
      "internet->alb:443",
      "internet->alb:80",
      "alb->app:9000",
      "app->data:5432",
      "app->cache:6379",
      "app->endpoints:443",
      "app->s3:443",
      "app->internet:443",
    ]);
  });

  test("leaves out the optional flows when their feature is off", () => {
    const flows = tierFlows({
      ...ALL_ON,
      internetEgress: [],
      interfaceEndpoints: false,
      cache: false,
      httpRedirect: false,
    });
    expect(flows.map((f) => f.id)).toEqual([
      "internet_to_alb_https",
      "alb_to_app",
      "app_to_data",
      "app_to_s3",
    ]);
  });
});

describe("SecurityGroups", () => {
  test("produces, for every flow, the ingress rule on the receiver and the egress rule on the sender", () => {
    const { groups, json } = build();
    for (const flow of groups.flows) {
      const port = {
        ip_protocol: "tcp",
        from_port: flow.port,
        to_port: flow.port,
        description: flow.description,
      };
      if (flow.to !== "internet" && flow.to !== "s3") {
        const source =
          flow.from === "internet"
            ? { cidr_ipv4: "0.0.0.0/0" }
            : { referenced_security_group_id: ref(groups.groups[flow.from] as SecurityGroup) };
        expect(ingress(json)).toContainEqual(
          expect.objectContaining({
            ...port,
            ...source,
            security_group_id: ref(groups.groups[flow.to] as SecurityGroup),
          }),
        );
      }
      if (flow.from !== "internet") {
        const destination =
          flow.to === "internet"
            ? { cidr_ipv4: "0.0.0.0/0" }
            : flow.to === "s3"
              ? { prefix_list_id: PREFIX_LIST }
              : { referenced_security_group_id: ref(groups.groups[flow.to] as SecurityGroup) };
        expect(egress(json)).toContainEqual(
          expect.objectContaining({
            ...port,
            ...destination,
            security_group_id: ref(groups.groups[flow.from] as SecurityGroup),
          }),
        );
      }
    }
    // 8 flows: 2 from the internet (ingress only), 2 to internet/s3 (egress only), 4 between groups (both).
    expect(ingress(json)).toHaveLength(6);
    expect(egress(json)).toHaveLength(6);
  });

  test("references groups, never CIDRs, between tiers", () => {
    const { json } = build();
    for (const rule of [...ingress(json), ...egress(json)]) {
      const peers = ["cidr_ipv4", "cidr_ipv6", "referenced_security_group_id", "prefix_list_id"].filter(
        (key) => rule[key] !== undefined,
      );
      expect(peers).toHaveLength(1);
      if (rule.cidr_ipv4 !== undefined) expect(rule.cidr_ipv4).toBe("0.0.0.0/0");
      expect(rule.cidr_ipv6).toBeUndefined();
    }
  });

  test("allows 0.0.0.0/0 ingress only to the ALB, on 443 and 80", () => {
    const { groups, json } = build();
    const open = ingress(json).filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    const alb = ref(groups.groups.alb as SecurityGroup);
    expect(open.map((r) => [r.security_group_id, r.from_port, r.to_port]).sort()).toEqual([
      [alb, 443, 443],
      [alb, 80, 80],
    ]);
  });

  test("drops port 80 when the redirect is off", () => {
    const { json } = build({ httpRedirect: false });
    expect(
      ingress(json)
        .filter((r) => r.cidr_ipv4 === "0.0.0.0/0")
        .map((r) => r.from_port),
    ).toEqual([443]);
  });

  test("lets the app reach the internet on tcp/443 only, and not at all without destinations", () => {
    const withNat = egress(build().json).filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(withNat).toEqual([expect.objectContaining({ ip_protocol: "tcp", from_port: 443, to_port: 443 })]);
    expect(egress(build({ internetEgress: [] }).json).filter((r) => r.cidr_ipv4 !== undefined)).toEqual([]);
  });

  test("narrows internet egress to the listed CIDRs and prefix lists, one rule each", () => {
    const { json } = build({ internetEgress: ["203.0.113.0/24", "pl-0123456789abcdef0"] });
    const internet = Object.entries(resources(json, "aws_vpc_security_group_egress_rule")).filter(([name]) =>
      name.startsWith("security_groups_app_to_internet"),
    );
    expect(internet.map(([, r]) => [r.cidr_ipv4, r.prefix_list_id, r.from_port])).toEqual([
      ["203.0.113.0/24", undefined, 443],
      [undefined, "pl-0123456789abcdef0", 443],
    ]);
    expect(internet.map(([name]) => name.replace(/_[0-9A-F]{8}$/, ""))).toEqual([
      "security_groups_app_to_internet_https_203_0_113_0_24_egress",
      "security_groups_app_to_internet_https_pl_0123456789abcdef0_egress",
    ]);
  });

  test("refuses an internet destination that is not an IPv4 CIDR or a prefix list", () => {
    expect(() => build({ internetEgress: ["::/0"] })).toThrow(
      /flows\[\d+\] \(app_to_internet_https_0\)\.destination: got '::\/0'; allowed: an IPv4 network CIDR/,
    );
  });

  test("no rule allows every protocol or a port range", () => {
    const { json } = build();
    for (const rule of [...ingress(json), ...egress(json)]) {
      expect(rule.ip_protocol).toBe("tcp");
      expect(rule.from_port).toBe(rule.to_port);
    }
  });

  test("creates groups without inline rules, each with a description and a replaceable name", () => {
    const { json } = build();
    const all = Object.values(resources(json, "aws_security_group"));
    expect(all).toHaveLength(5);
    for (const group of all) {
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
      expect(group.description).toEqual(expect.stringMatching(/\S/));
      expect(group.name_prefix).toMatch(/^api-test-[a-z]+-$/);
      expect(group.lifecycle).toEqual({ create_before_destroy: true });
    }
    [...ingress(json), ...egress(json)].forEach((r: Block) =>
      expect(r.description).toEqual(expect.stringMatching(/\S/)),
    );
  });

  test("creates the cache and endpoint groups only when their flows exist", () => {
    const { groups } = build({ cache: false, interfaceEndpoints: false });
    expect(Object.keys(groups.groups).sort()).toEqual(["alb", "app", "data"]);
    expect(() => groups.groupId("cache")).toThrow(/no security group for tier "cache"/);
  });

  test("places each group in the given VPC", () => {
    const { groups, json } = build();
    expect(blockOf(json, groups.groups.app as SecurityGroup).vpc_id).toBe("vpc-123");
  });

  describe("fails on an invalid flow list", () => {
    const flow = (f: Partial<TierFlow>): TierFlow => ({
      id: "alb_to_app",
      from: "alb",
      to: "app",
      port: 8000,
      description: "x",
      ...f,
    });
    test.each<[string, TierFlow[], RegExp]>([
      [
        "a duplicate id",
        [flow({}), flow({ port: 8001 })],
        /flows\[1\] \(alb_to_app\)\.id: got 'alb_to_app'; allowed: a flow id used once/,
      ],
      [
        "a port out of range",
        [flow({ port: 70000 })],
        /\.port: got 70000; allowed: a TCP port from 1 to 65535/,
      ],
      ["internet to internet", [flow({ id: "x", from: "internet", to: "internet" })], /\.to: got 'internet'/],
      ["a flow to itself", [flow({ to: "alb" })], /\.to: got 'alb'; allowed: a tier other than the sender/],
      ["an empty description", [flow({ description: " " })], /\.description: got ' '/],
    ])("%s", (_, flows, message) => {
      expect(() => build({}, flows)).toThrow(message);
    });

    test("s3 without a prefix list", () => {
      const stack = testStack();
      expect(
        () =>
          new SecurityGroups(stack, "sg", {
            namePrefix: "x",
            vpcId: "vpc-1",
            flows: [{ id: "app_to_s3", from: "app", to: "s3", port: 443, description: "s3" }],
          }),
      ).toThrow(/\.to: got 's3'; allowed: s3 only when s3PrefixListId is given/);
    });
  });
});
