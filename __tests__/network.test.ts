import "cdktf/lib/testing/adapters/jest";
import { Network } from "../constructs/network";
import type { NetworkProps } from "../constructs/network";
import { ValidationError } from "../constructs/model/checks";
import { blockOf, policyDocument, ref, resources, synth, testStack } from "./support/synth";
import type { Block, TerraformJson } from "./support/synth";
import { validate } from "./support/validate";
import { NETWORK_CROSS_CHECKS, NETWORK_RULES } from "../constructs/model/network";

const BASE: NetworkProps = {
  namePrefix: "api-test",
  region: "eu-west-1",
  accountId: "123456789012",
  partition: "aws",
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  vpcCidr: "10.10.0.0/16",
  natStrategy: "per-az",
  flowLogKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
};

function build(overrides: Partial<NetworkProps> = {}): { network: Network; json: TerraformJson } {
  const stack = testStack();
  const network = new Network(
    stack,
    "network",
    validate(
      "test/network",
      { rules: NETWORK_RULES, crossChecks: NETWORK_CROSS_CHECKS },
      { ...BASE, ...overrides },
    ),
  );
  return { network, json: synth(stack) };
}

/** Routes grouped by the route table they belong to. */
function routesOf(json: TerraformJson, tableRef: string): Block[] {
  return Object.values(resources(json, "aws_route")).filter((r) => r.route_table_id === tableRef);
}

describe("Network", () => {
  test("creates a VPC with DNS support and hostnames", () => {
    const { network, json } = build();
    expect(blockOf(json, network.vpc)).toMatchObject({
      cidr_block: "10.10.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  test("creates one subnet per tier and AZ with literal CIDRs", () => {
    const { network, json } = build({ availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] });
    const expected = {
      public: ["10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20"],
      private: ["10.10.64.0/20", "10.10.80.0/20", "10.10.96.0/20"],
      isolated: ["10.10.128.0/20", "10.10.144.0/20", "10.10.160.0/20"],
    };
    const byTier = {
      public: network.publicSubnets,
      private: network.privateSubnets,
      isolated: network.isolatedSubnets,
    };
    for (const [tier, subnets] of Object.entries(byTier)) {
      expect(subnets.map((s) => blockOf(json, s).cidr_block)).toEqual(
        expected[tier as keyof typeof expected],
      );
      expect(subnets.map((s) => blockOf(json, s).availability_zone)).toEqual([
        "eu-west-1a",
        "eu-west-1b",
        "eu-west-1c",
      ]);
      subnets.forEach((s) =>
        expect(blockOf(json, s)).toMatchObject({ vpc_id: ref(network.vpc), tags: { Tier: tier } }),
      );
    }
    expect(Object.keys(resources(json, "aws_subnet"))).toHaveLength(9);
  });

  test("never maps public IPs on launch, not even in public subnets", () => {
    const { json } = build();
    Object.values(resources(json, "aws_subnet")).forEach((s) =>
      expect(s.map_public_ip_on_launch).toBe(false),
    );
  });

  test("only the public route table has a default route, and it goes to the internet gateway", () => {
    const { network, json } = build();
    const igw = Object.keys(resources(json, "aws_internet_gateway"));
    expect(igw).toHaveLength(1);
    expect(routesOf(json, ref(network.publicRouteTable))).toEqual([
      expect.objectContaining({
        destination_cidr_block: "0.0.0.0/0",
        gateway_id: `\${aws_internet_gateway.${igw[0]}.id}`,
      }),
    ]);
    const igwRoutes = Object.values(resources(json, "aws_route")).filter((r) => r.gateway_id !== undefined);
    expect(igwRoutes).toHaveLength(1);
    expect(routesOf(json, ref(network.isolatedRouteTable))).toEqual([]);
  });

  test("associates every subnet with its tier's route table", () => {
    const { network, json } = build();
    const associations = Object.values(resources(json, "aws_route_table_association"));
    const tableOf = (subnetRef: string) =>
      associations.filter((a) => a.subnet_id === subnetRef).map((a) => a.route_table_id);
    network.publicSubnets.forEach((s) => expect(tableOf(ref(s))).toEqual([ref(network.publicRouteTable)]));
    network.privateSubnets.forEach((s, i) =>
      expect(tableOf(ref(s))).toEqual([ref(network.privateRouteTables[i] as never)]),
    );
    network.isolatedSubnets.forEach((s) =>
      expect(tableOf(ref(s))).toEqual([ref(network.isolatedRouteTable)]),
    );
  });

  test("per-az puts one NAT gateway in each AZ's public subnet, used by that AZ's private routes", () => {
    const { network, json } = build({ natStrategy: "per-az" });
    expect(network.natGateways).toHaveLength(2);
    network.natGateways.forEach((nat, i) => {
      expect(blockOf(json, nat).subnet_id).toBe(ref(network.publicSubnets[i] as never));
      expect(routesOf(json, ref(network.privateRouteTables[i] as never))).toEqual([
        expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", nat_gateway_id: ref(nat) }),
      ]);
    });
    const eips = Object.values(resources(json, "aws_eip"));
    expect(eips).toHaveLength(2);
    eips.forEach((eip) => expect(eip.domain).toBe("vpc"));
  });

  test("single puts one NAT gateway in the first public subnet, shared by every private route table", () => {
    const { network, json } = build({
      natStrategy: "single",
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    });
    expect(Object.keys(resources(json, "aws_nat_gateway"))).toHaveLength(1);
    const nat = network.natGateways[0] as never;
    expect(blockOf(json, nat).subnet_id).toBe(ref(network.publicSubnets[0] as never));
    network.privateRouteTables.forEach((table) =>
      expect(routesOf(json, ref(table))).toEqual([expect.objectContaining({ nat_gateway_id: ref(nat) })]),
    );
  });

  test("none creates no NAT gateway or EIP, and private route tables have no default route", () => {
    const { network, json } = build({ natStrategy: "none" });
    expect(resources(json, "aws_nat_gateway")).toEqual({});
    expect(resources(json, "aws_eip")).toEqual({});
    network.privateRouteTables.forEach((table) => expect(routesOf(json, ref(table))).toEqual([]));
    expect(Object.values(resources(json, "aws_route"))).toHaveLength(1);
  });

  test("the S3 gateway endpoint serves the private route tables only: the data tier has no route out", () => {
    const { network, json } = build();
    expect(blockOf(json, network.s3GatewayEndpoint)).toMatchObject({
      service_name: "com.amazonaws.eu-west-1.s3",
      vpc_endpoint_type: "Gateway",
      route_table_ids: network.privateRouteTables.map((t) => ref(t)),
    });
    const isolatedRoutes = Object.values(resources(json, "aws_route")).filter(
      (r) => r.route_table_id === ref(network.isolatedRouteTable),
    );
    expect(isolatedRoutes).toEqual([]);
  });

  test("the S3 gateway endpoint lets through ECR's image layers and the listed buckets only", () => {
    const { network, json } = build({ s3EndpointBuckets: ["orders-api-uploads"] });
    const statements = policyDocument(json, blockOf(json, network.s3GatewayEndpoint).policy).statement;
    expect(statements).toEqual([
      expect.objectContaining({
        actions: ["s3:GetObject"],
        resources: ["arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"],
      }),
      expect.objectContaining({
        resources: ["arn:aws:s3:::orders-api-uploads", "arn:aws:s3:::orders-api-uploads/*"],
        condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: [BASE.accountId] }],
      }),
    ]);
    const withoutBuckets = build();
    expect(
      policyDocument(
        withoutBuckets.json,
        blockOf(withoutBuckets.json, withoutBuckets.network.s3GatewayEndpoint).policy,
      ).statement,
    ).toHaveLength(1);
  });

  test("refuses a bucket name S3 would not accept", () => {
    expect(() => build({ s3EndpointBuckets: ["Not_A_Bucket"] })).toThrow(
      /s3EndpointBuckets\[0\]: got 'Not_A_Bucket'; allowed: an S3 bucket name/,
    );
  });

  test("sends all VPC traffic to an encrypted, retained flow-log group through a scoped role", () => {
    const { network, json } = build({ flowLogRetentionDays: 90 });
    const logGroup = blockOf(json, network.flowLogGroup);
    expect(logGroup).toMatchObject({ retention_in_days: 90, kms_key_id: BASE.flowLogKmsKeyArn });
    const flowLog = blockOf(json, network.flowLog);
    expect(flowLog).toMatchObject({
      vpc_id: ref(network.vpc),
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: ref(network.flowLogGroup, "arn"),
    });
    const role = Object.entries(resources(json, "aws_iam_role")).find(
      ([name]) => flowLog.iam_role_arn === `\${aws_iam_role.${name}.arn}`,
    )?.[1] as Block;
    expect(role).toBeDefined();
    const trust = policyDocument(json, role.assume_role_policy);
    expect(trust.statement).toEqual([
      expect.objectContaining({
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
        condition: expect.arrayContaining([
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
          {
            test: "ArnLike",
            variable: "aws:SourceArn",
            values: ["arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*"],
          },
        ]),
      }),
    ]);
    const [policy] = Object.values(resources(json, "aws_iam_role_policy"));
    const statements = policyDocument(json, (policy as Block).policy).statement as Block[];
    const logGroupArn = ref(network.flowLogGroup, "arn");
    for (const statement of statements) {
      statement.resources.forEach((r: string) => expect([logGroupArn, `${logGroupArn}:*`]).toContain(r));
      statement.actions.forEach((a: string) =>
        expect(a).toMatch(/^logs:(CreateLogStream|PutLogEvents|Describe)/),
      );
    }
  });

  test("adopts the default security group and leaves it without rules", () => {
    const { network, json } = build();
    const defaults = Object.entries(resources(json, "aws_default_security_group"));
    expect(defaults).toHaveLength(1);
    const [name, block] = defaults[0] as [string, Block];
    expect(block.vpc_id).toBe(ref(network.vpc));
    expect(block.ingress).toBeUndefined();
    expect(block.egress).toBeUndefined();
    const text = JSON.stringify(json.resource);
    expect(text).not.toContain(`aws_default_security_group.${name}.id`);
  });

  test("creates a DB subnet group over the isolated subnets", () => {
    const { network, json } = build();
    expect(blockOf(json, network.dbSubnetGroup)).toMatchObject({
      name: "api-test-data",
      subnet_ids: network.isolatedSubnets.map((s) => ref(s)),
    });
  });

  describe("fails on invalid props", () => {
    test.each<[string, Partial<NetworkProps>, RegExp]>([
      [
        "a malformed CIDR",
        { vpcCidr: "10.0.0/16" },
        /vpcCidr: got '10\.0\.0\/16'; allowed: an IPv4 network CIDR/,
      ],
      [
        "a prefix outside /16-/24",
        { vpcCidr: "10.0.0.0/12" },
        /vpcCidr: got '10\.0\.0\.0\/12'.*\/16 to \/24/,
      ],
      ["host bits", { vpcCidr: "10.0.0.1/16" }, /vpcCidr: got '10\.0\.0\.1\/16'.*host bits zero/],
      [
        "one AZ",
        { availabilityZones: ["eu-west-1a"] },
        /availabilityZones: got \[ 'eu-west-1a' \]; allowed: a list of 2 to 3/,
      ],
      [
        "an AZ of another region",
        { availabilityZones: ["eu-west-1a", "us-east-1b"] },
        /availability zone of eu-west-1: eu-west-1a, eu-west-1b, eu-west-1c/,
      ],
      [
        "a NAT strategy that does not exist",
        { natStrategy: "shared" as never },
        /natStrategy: got 'shared'; allowed: one of 'per-az', 'single', 'none'/,
      ],
      [
        "more AZs than the CIDR fits",
        { vpcCidr: "10.0.0.0/22", subnetPrefixLength: 24, availabilityZones: ["eu-west-1a", "eu-west-1b"] },
        /availabilityZones: got \[ 'eu-west-1a', 'eu-west-1b' \]; allowed: at most 1 AZs/,
      ],
      [
        "a subnet size no smaller than the VPC",
        { subnetPrefixLength: 16 },
        /subnetPrefixLength: got 16; allowed: an integer from 17 to 27 \(longer than the VPC prefix \/16, at most \/27: an ALB needs \/27 subnets or larger\)/,
      ],
      [
        "subnets smaller than the /27 an ALB needs",
        { vpcCidr: "10.0.0.0/24", subnetPrefixLength: 28 },
        /subnetPrefixLength: got 28; allowed: an integer from 25 to 27/,
      ],
      [
        "a VPC in a range AWS reserves",
        { vpcCidr: "169.254.0.0/16" },
        /vpcCidr: got '169\.254\.0\.0\/16'; allowed: a range outside 169\.254\.0\.0\/16 \(link-local/,
      ],
      [
        "a VPC overlapping the range AWS asks VPCs to avoid",
        { vpcCidr: "172.17.0.0/16" },
        /vpcCidr: got '172\.17\.0\.0\/16'; allowed: a range outside 172\.17\.0\.0\/16 \(used by AWS services' Docker networks/,
      ],
      [
        "a retention CloudWatch does not offer",
        { flowLogRetentionDays: 10 },
        /flowLogRetentionDays: got 10; allowed: a CloudWatch Logs retention/,
      ],
    ])("%s", (_, overrides, message) => {
      expect(() => build(overrides)).toThrow(message);
    });

    test("reports every problem at once, with the construct path", () => {
      try {
        build({ vpcCidr: "nope", natStrategy: "x" as never, availabilityZones: [] });
        throw new Error("expected a ValidationError");
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).problems).toHaveLength(3);
        expect((error as Error).message).toMatch(/^test\/network: invalid props:/);
      }
    });
  });
});
