import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { EnvironmentStack } from "../stacks/environment-stack";
import { loadSettings } from "../stacks/load-settings";
import type { ProcessEnv } from "../stacks/load-settings";
import { PROJECT } from "../stacks/project";
import type { EnvironmentOverrides, ProjectDefinition } from "../stacks/settings";
import { ref, resources, synth } from "./support/synth";
import type { Block, TerraformJson } from "./support/synth";

function build(name: string, env: ProcessEnv = {}, overrides?: EnvironmentOverrides) {
  const definition: ProjectDefinition = overrides
    ? {
        ...PROJECT,
        environments: PROJECT.environments.map((e) =>
          e.name === name ? { ...e, overrides: { ...e.overrides, ...overrides } } : e,
        ),
      }
    : PROJECT;
  const project = loadSettings(definition, env);
  const settings = project.environments.find((e) => e.name === name);
  if (!settings) throw new Error(`no environment ${name}`);
  const stack = new EnvironmentStack(Testing.app(), { project, settings });
  return { stack, json: synth(stack) };
}

/** Every block of every resource and data source in the stack, with its address. */
function allBlocks(json: TerraformJson): Array<[string, Block]> {
  return [json.resource, json.data ?? {}].flatMap((section) =>
    Object.entries(section).flatMap(([type, blocks]) =>
      Object.entries(blocks).map(([name, block]) => [`${type}.${name}`, block] as [string, Block]),
    ),
  );
}

describe("EnvironmentStack", () => {
  const dev = build("dev");
  const prod = build("prod");

  test("uses the fully qualified AWS provider in the environment's region with default tags", () => {
    expect(dev.json.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: "6.25.0" });
    expect(dev.json.provider.aws).toEqual([
      {
        region: "eu-west-1",
        default_tags: [
          {
            tags: {
              Project: "orders-api",
              Environment: "dev",
              ManagedBy: "cdktf",
              Repository: "github.com/example/orders-api",
            },
          },
        ],
      },
    ]);
  });

  test("pins the account when one is configured", () => {
    const { json } = build("prod", {}, { accountId: "123456789012" });
    expect(json.provider.aws[0].allowed_account_ids).toEqual(["123456789012"]);
    expect(json.data?.aws_caller_identity).toBeUndefined();
  });

  test("keeps local state in a relative path outside cdktf.out when no bucket is configured", () => {
    expect(dev.json.terraform.backend).toEqual({ local: { path: "../../../terraform.dev.tfstate" } });
  });

  test("uses an encrypted S3 backend with native locking and a per-stack key when a bucket is configured", () => {
    const { json } = build("prod", { TF_STATE_BUCKET: "acme-tf-state" });
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: "acme-tf-state",
        key: "orders-api/prod.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  test("dev shares one NAT gateway; prod has one per AZ", () => {
    expect(Object.keys(resources(dev.json, "aws_nat_gateway"))).toHaveLength(1);
    expect(Object.keys(resources(prod.json, "aws_nat_gateway"))).toHaveLength(2);
  });

  test("has no inline security-group rules anywhere", () => {
    for (const { json } of [dev, prod]) {
      for (const [address, block] of allBlocks(json)) {
        if (address.startsWith("aws_security_group.") || address.startsWith("aws_default_security_group.")) {
          expect([address, block.ingress, block.egress]).toEqual([address, undefined, undefined]);
        }
      }
      expect(resources(json, "aws_security_group_rule")).toEqual({});
    }
  });

  test("opens 0.0.0.0/0 ingress only on the ALB's 443 and 80", () => {
    const albGroup = ref(prod.stack.securityGroups.groups.alb as never);
    const open = Object.values(resources(prod.json, "aws_vpc_security_group_ingress_rule")).filter(
      (r) => r.cidr_ipv4 === "0.0.0.0/0" || r.cidr_ipv6 === "::/0",
    );
    expect(open.map((r) => `${r.security_group_id}:${r.from_port}`).sort()).toEqual([
      `${albGroup}:443`,
      `${albGroup}:80`,
    ]);
  });

  test("encrypts the flow-log group with the environment's logs key", () => {
    const [logGroup] = Object.values(resources(dev.json, "aws_cloudwatch_log_group"));
    expect(logGroup?.kms_key_id).toBe(ref(dev.stack.logsKey.key, "arn"));
  });

  test("adds interface endpoints behind their own group, reachable from the app tier on 443", () => {
    const { stack, json } = build(
      "prod",
      {},
      {
        network: { natStrategy: "none", interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"] },
      },
    );
    const endpointGroup = ref(stack.securityGroups.groups.endpoints as never);
    const endpoints = Object.values(resources(json, "aws_vpc_endpoint")).filter(
      (e) => e.vpc_endpoint_type === "Interface",
    );
    expect(endpoints).toHaveLength(3);
    endpoints.forEach((e) => expect(e.security_group_ids).toEqual([endpointGroup]));
    expect(Object.values(resources(json, "aws_vpc_security_group_ingress_rule"))).toContainEqual(
      expect.objectContaining({
        security_group_id: endpointGroup,
        referenced_security_group_id: ref(stack.securityGroups.groups.app as never),
        from_port: 443,
        to_port: 443,
      }),
    );
    expect(resources(json, "aws_nat_gateway")).toEqual({});
    expect(
      Object.values(resources(json, "aws_vpc_security_group_egress_rule")).filter(
        (r) => r.cidr_ipv4 === "0.0.0.0/0",
      ),
    ).toEqual([]);
  });

  test("describes every output", () => {
    const outputs = Object.entries(dev.json.output ?? {});
    expect(outputs.map(([name]) => name)).toEqual(
      expect.arrayContaining(["vpc_id", "public_subnet_ids", "private_subnet_ids", "isolated_subnet_ids"]),
    );
    outputs.forEach(([name, output]) =>
      expect([name, output.description]).toEqual([name, expect.stringMatching(/\S/)]),
    );
  });
});
