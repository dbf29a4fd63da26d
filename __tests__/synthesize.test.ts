import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../stacks/config/load";
import type { ProcessEnv } from "../stacks/config/load";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import { AWS_PROVIDER_VERSIONS, TERRAFORM_VERSIONS } from "../stacks/config/settings";
import type { ProjectSettings } from "../stacks/config/settings";
import { synthesizeProject } from "../stacks/app/synthesize";
import { findCycle, referenceGraph } from "./support/reference-graph";
import { PROJECT_IS_EXAMPLE, copyOfExample, exampleOutput, withHcl } from "./support/example-output";
import { shared } from "./support/shared-synth";
import type { TerraformJson } from "./support/synth";

const settings = loadSettings(PROJECT, {});
// The built-in example's output (npm run synth's in this jest run when project.ts is the
// example), copied because a test below writes into it.
const outdir = copyOfExample("synth");
/** The example with these settings variables, synthesized in process, its warnings collected. */
function synthesizedWith(env: ProcessEnv): { outdir: string; warnings: string[] } {
  const result = {
    outdir: join(mkdtempSync(join(tmpdir(), "synth-test-")), "cdktf.out"),
    warnings: [] as string[],
  };
  synthesizeProject(loadSettings(PROJECT, env), result.outdir, {
    warn: (text) => result.warnings.push(text),
  });
  return result;
}
const withBucket = synthesizedWith({ TF_STATE_BUCKET: "acme-state" });
function overrideFileWith(content: object): string {
  const path = join(mkdtempSync(join(tmpdir(), "synth-overrides-")), "overrides.json");
  writeFileSync(path, JSON.stringify(content));
  return path;
}
const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
const stackJson = (name: string): TerraformJson =>
  JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as TerraformJson;

describe("synthesizeProject", () => {
  const warning =
    "warning: prod (prod preset) keeps its Terraform state in a local file; set TF_STATE_BUCKET or prod.state.bucket for shared, locked state";

  test("warns when environments that may share an account overlap their VPCs in a region", () => {
    const { warnings } = synthesizedWith({
      STACK_CONFIG_FILE: overrideFileWith({ staging: { network: { vpcCidr: "10.30.128.0/17" } } }),
      TF_STATE_BUCKET: "acme-state",
    });
    expect(warnings).toContain(
      "warning: staging (10.30.128.0/17) and prod (10.30.0.0/16) overlap in eu-west-1; if they share an account they can never be peered: pin accountId or give one another network.vpcCidr\n",
    );
  });

  test("warns when prod keeps its state in a local file, and not once it has a bucket", () => {
    expect(synthesizedWith({ STACK_ENVIRONMENTS: "prod" }).warnings).toEqual([`${warning}\n`]);
    expect(withBucket.warnings).not.toContain(`${warning}\n`);
  });

  test("warns when prod shares its state bucket or its account with another environment, and not when it has its own", () => {
    expect(withBucket.warnings).toEqual([
      "warning: prod keeps its state in the bucket acme-state with dev, staging: limit each pipeline to its own state key (help/security.md, State), or give prod its own state.bucket and state.kmsKeyArn\n",
    ]);
    const own = synthesizedWith({
      TF_STATE_BUCKET: "acme-state",
      STACK_CONFIG_FILE: overrideFileWith({ prod: { state: { bucket: "acme-prod-state" } } }),
    });
    expect(own.warnings).toEqual([]);
    const shared = synthesizedWith({
      STACK_CONFIG_FILE: overrideFileWith({
        dev: { accountId: "123456789012" },
        prod: { state: { bucket: "acme-prod-state" } },
      }),
    });
    expect(shared.warnings).toEqual([
      "warning: prod shares account 123456789012 with dev: every key policy lets the account's IAM decide, so a role there with broad IAM or KMS permissions can decrypt prod's secrets and data; give prod an account of its own (help/security.md, Shared accounts)\n",
    ]);
  });

  // Every environment of the example, through npm run synth (which synthesizes project.ts).
  (PROJECT_IS_EXAMPLE ? test : test.skip)("npm run synth prints prod's warning and no other", () => {
    const printed = shared("synth")
      .stderr.split("\n")
      .filter((line) => line.startsWith("warning:"));
    expect(printed).toEqual([warning]);
  });

  test("writes the registry and every environment, environments depending on the registry", () => {
    expect(Object.keys(manifest.stacks).sort()).toEqual(["dev", "prod", "registry", "staging"]);
    for (const env of ["dev", "staging", "prod"]) {
      expect(manifest.stacks[env].dependencies).toEqual(["registry"]);
    }
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["dev", "prod", "registry", "staging"]);
  });

  test("declares the Terraform versions every stack needs beside its configuration, and the provider range in it", () => {
    for (const name of Object.keys(manifest.stacks)) {
      const versions = JSON.parse(readFileSync(join(outdir, "stacks", name, "versions.tf.json"), "utf8"));
      expect(versions).toEqual({ terraform: { required_version: TERRAFORM_VERSIONS } });
      expect(stackJson(name).terraform.required_providers.aws).toEqual({
        source: "hashicorp/aws",
        version: AWS_PROVIDER_VERSIONS,
      });
    }
  });

  test("gives every stack its own state location", () => {
    const backends = Object.keys(manifest.stacks).map((name) =>
      JSON.stringify(stackJson(name).terraform.backend),
    );
    expect(new Set(backends).size).toBe(4);
    const keys = ["registry", "dev", "staging", "prod"].map(
      (name) =>
        (
          JSON.parse(
            readFileSync(join(withBucket.outdir, "stacks", name, "cdk.tf.json"), "utf8"),
          ) as TerraformJson
        ).terraform.backend.s3.key,
    );
    expect(keys).toEqual([
      "orders-api/registry.tfstate",
      "orders-api/dev.tfstate",
      "orders-api/staging.tfstate",
      "orders-api/prod.tfstate",
    ]);
  });

  test("every stack's reference graph (references and depends_on) has no cycle", () => {
    for (const name of Object.keys(manifest.stacks)) {
      const graph = referenceGraph(stackJson(name));
      expect(graph.size).toBeGreaterThan(5);
      expect([name, findCycle(graph)]).toEqual([name, undefined]);
    }
  });

  test("no synthesized file contains a path of the machine that made it", () => {
    // Not tmpdir(): "/tmp" is also the container's scratch mount path.
    const machinePaths = [process.cwd(), exampleOutput("synth"), outdir, homedir()];
    const files = [
      join(outdir, "manifest.json"),
      ...Object.keys(manifest.stacks).map((s) => join(outdir, "stacks", s, "cdk.tf.json")),
    ];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const path of machinePaths) expect([file, text.includes(path)]).toEqual([file, false]);
    }
  });

  test("a failure while building leaves the previous output untouched", () => {
    const before = readFileSync(join(outdir, "stacks", "prod", "cdk.tf.json"), "utf8");
    // Every stack builds but the last, a second "prod": the construct tree refuses its name.
    const prod = settings.environments.find(
      (e) => e.name === "prod",
    ) as ProjectSettings["environments"][number];
    const broken: ProjectSettings = { ...settings, environments: [...settings.environments, prod] };
    expect(() => synthesizeProject(broken, outdir)).toThrow(/There is already a Construct with name 'prod'/);
    expect(readFileSync(join(outdir, "stacks", "prod", "cdk.tf.json"), "utf8")).toBe(before);
    expect(readdirSync(join(outdir, "..")).filter((n) => n.includes("staging"))).toEqual([]);
  });

  test("never leaves a file of the other format beside the new one", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "synth-format-")), "out");
    const one = { ...settings, environments: settings.environments.filter((e) => e.name === "dev") };
    synthesizeProject(one, dir);
    writeFileSync(join(dir, "stacks", "dev", "notes.txt"), "kept");
    withHcl(true, () => synthesizeProject(one, dir));
    expect(existsSync(join(dir, "stacks", "dev", "cdk.tf"))).toBe(true);
    expect(existsSync(join(dir, "stacks", "dev", "cdk.tf.json"))).toBe(false);
    withHcl(false, () => synthesizeProject(one, dir));
    expect(existsSync(join(dir, "stacks", "dev", "cdk.tf.json"))).toBe(true);
    expect(existsSync(join(dir, "stacks", "dev", "cdk.tf"))).toBe(false);
    expect(existsSync(join(dir, "stacks", "dev", "metadata.json"))).toBe(false);
    expect(readFileSync(join(dir, "stacks", "dev", "notes.txt"), "utf8")).toBe("kept");
  });

  test("removes the directories of stacks no longer synthesized, like the cdktf CLI", () => {
    const dir = copyOfExample("synth"); // every stack of the example
    expect(readdirSync(join(dir, "stacks"))).toHaveLength(4);
    synthesizeProject(
      { ...settings, environments: settings.environments.filter((e) => e.name === "dev") },
      dir,
    );
    expect(readdirSync(join(dir, "stacks")).sort()).toEqual(["dev", "registry"]);
  });

  test("writes a WAF's rule statements as HCL blocks, which the bindings leave untyped", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "synth-waf-")), "out");
    const waf = {
      ...settings,
      environments: settings.environments
        .filter((e) => e.name === "prod")
        .map((e) => ({ ...e, edge: { ...e.edge, waf: true } })),
    };
    withHcl(true, () => synthesizeProject(waf, dir));
    const hcl = readFileSync(join(dir, "stacks", "prod", "cdk.tf"), "utf8");
    expect(hcl).toMatch(/\n\s+statement \{\n\s+managed_rule_group_statement \{\n/);
    expect(hcl).toMatch(
      /\n\s+rule_action_override \{\n\s+name\s+= "HostingProviderIPList"\n\s+action_to_use \{/,
    );
    expect(hcl).not.toMatch(/\b(statement|managed_rule_group_statement|rule_action_override) = /);
    expect(existsSync(join(dir, "stacks", "prod", "cdk.tf.json"))).toBe(false);
  });

  test("writes lifecycle conditions as blocks and depends_on/ignore_changes as bare references in HCL", () => {
    const hcl = readFileSync(join(exampleOutput("synth:hcl"), "stacks", "dev", "cdk.tf"), "utf8");
    expect(hcl).toMatch(/\n\s+postcondition \{\n\s+condition\s+= /);
    expect(hcl).not.toMatch(/(postcondition|precondition) = /);
    expect(hcl).toMatch(/\n\s+depends_on = \[aws_[a-z_]+\.[A-Za-z0-9_]+/);
    expect(hcl).toMatch(/\n\s+ignore_changes = \[desired_count\]/);
    expect(hcl).not.toMatch(/(depends_on|ignore_changes) = \[\s*"/);
  });
});
