/**
 * Properties every valid configuration must have, checked on the configuration in use:
 * stacks/config/project.ts with STACK_CONFIG_FILE and STACK_ENVIRONMENTS as npm run synth reads
 * them. CI runs the suite once on the built-in example and once on an adopter's override file
 * (.ci/adopter/overrides.json: another name, regions, domains and CIDRs).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeProject } from "../stacks/app/synthesize";
import { loadSettings } from "../stacks/config/load";
import { PROJECT } from "../stacks/config/project";
import { REGISTRY_STACK_NAME } from "../stacks/config/settings";
import { inUseEnv } from "./support/settings";
import type { TerraformJson } from "./support/synth";

const project = loadSettings(PROJECT, inUseEnv());
const outdir = join(mkdtempSync(join(tmpdir(), "in-use-")), "out");
synthesizeProject(project, outdir, { warn: () => undefined });
const stack = (name: string) =>
  JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as TerraformJson;
const configured = project.environments.map((e) => [e.name, e] as const);

/** Every resource's Name tag, by address. */
function nameTags(json: TerraformJson): Array<[string, string]> {
  return Object.entries(json.resource ?? {}).flatMap(([type, blocks]) =>
    Object.entries(blocks as Record<string, { tags?: Record<string, unknown> }>)
      .filter(([, block]) => typeof block.tags?.Name === "string")
      .map(([name, block]) => [`${type}.${name}`, block.tags?.Name as string] as [string, string]),
  );
}

describe(`the configuration in use (project ${project.project})`, () => {
  test("synthesizes the registry and every selected environment, nothing else", () => {
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
      stacks: Record<string, unknown>;
    };
    expect(Object.keys(manifest.stacks).sort()).toEqual(
      [REGISTRY_STACK_NAME, ...project.environments.map((e) => e.name)].sort(),
    );
  });

  test.each(configured)(
    "%s: deploys to its region (and account), tagged with the project's identity",
    (name, env) => {
      const [provider] = stack(name).provider.aws as Array<Record<string, any>>;
      expect(provider?.region).toBe(env.region);
      expect(provider?.allowed_account_ids).toEqual(
        env.accountId === undefined ? undefined : [env.accountId],
      );
      expect(provider?.default_tags?.[0]?.tags).toMatchObject({
        Project: project.project,
        Environment: name,
        Repository: project.repository,
      });
    },
  );

  test.each(configured)(
    "%s: names every tagged resource after the project and the environment",
    (name, env) => {
      const names = nameTags(stack(name));
      expect(names.length).toBeGreaterThan(20);
      // The certificate is named after the domain it serves.
      const misnamed = names.filter(
        ([address, tag]) =>
          !tag.startsWith(env.namePrefix) &&
          !(address.startsWith("aws_acm_certificate.") && tag === env.edge.domainName),
      );
      expect(misnamed).toEqual([]);
    },
  );

  test.each(configured)("%s: builds the VPC, domain and service the settings describe", (name, env) => {
    const json = stack(name);
    const vpcs = Object.values(json.resource?.aws_vpc ?? {}) as Array<Record<string, unknown>>;
    expect(vpcs.map((v) => v.cidr_block)).toEqual([env.network.vpcCidr]);
    const subnets = Object.values(json.resource?.aws_subnet ?? {}) as Array<Record<string, unknown>>;
    expect(new Set(subnets.map((s) => s.availability_zone))).toEqual(new Set(env.network.availabilityZones));
    const services = Object.values(json.resource?.aws_ecs_service ?? {}) as Array<Record<string, unknown>>;
    const workers = Object.entries(env.workloads).filter(([, w]) => w.kind === "worker");
    expect(services.map((s) => s.name).sort()).toEqual([env.service.name, ...workers.map(([n]) => n)].sort());
    if (env.edge.domainName !== undefined) {
      expect(json.output?.service_url?.value).toBe(`https://${env.edge.domainName}`);
    }
  });

  test.each([REGISTRY_STACK_NAME, ...project.environments.map((e) => e.name)])(
    "%s: describes every output",
    (name) => {
      const outputs = Object.entries(stack(name).output ?? {});
      expect(outputs.length).toBeGreaterThan(0);
      expect(outputs.filter(([, o]) => typeof o.description !== "string" || o.description === "")).toEqual(
        [],
      );
    },
  );
});
