/**
 * The app's entry point, in process and through the real `npm run synth` (the cdktf CLI):
 * a bad configuration exits non-zero, says why on stderr, and leaves cdktf.out as it was.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../stacks/app/run";
import { cliEnv, copyOf, shared, snapshotTree } from "./support/shared-synth";
import type { SharedCommand } from "./support/shared-synth";

/** An earlier synth's cdktf.out, which a failed synth must leave as it was. */
const preparedOutdir = () => copyOf("synth");

function badConfig(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "run-config-")), "overrides.json");
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe("run", () => {
  test("synthesizes the selected environments and returns 0", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "run-ok-")), "out");
    const stderr: string[] = [];
    expect(run({ CDKTF_OUTDIR: outdir, STACK_ENVIRONMENTS: "staging" }, (t) => stderr.push(t))).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["registry", "staging"]);
    expect(stderr).toEqual([]);
  });

  test("returns 1 with every problem on stderr and writes nothing", () => {
    const outdir = preparedOutdir();
    const before = snapshotTree(outdir);
    const stderr: string[] = [];
    const config = badConfig({
      dev: { service: { cpu: 512, memory: 512 } },
      prod: { edge: { deletionProtection: false } },
    });
    expect(run({ CDKTF_OUTDIR: outdir, STACK_CONFIG_FILE: config }, (t) => stderr.push(t))).toBe(1);
    expect(stderr.join("")).toContain("[dev] service.memory: got 512 (from overrides.json:1)");
    expect(stderr.join("")).toContain(
      "[prod] edge.deletionProtection: got false (from overrides.json:1); allowed: true in prod",
    );
    expect(snapshotTree(outdir)).toEqual(before);
  });
});

describe("npm run synth with a bad STACK_CONFIG_FILE", () => {
  // The CLI hands its --output directory to the app as CDKTF_OUTDIR.
  const synth = (outdir: string, env: Record<string, string>) =>
    spawnSync("npm", ["run", "--silent", "synth", "--", "--output", outdir], {
      encoding: "utf8",
      env: cliEnv(env),
      timeout: 60_000,
    });

  test.each<[string, unknown, string[]]>([
    [
      "invalid values in two environments",
      {
        dev: { network: { vpcCidr: "10.0.0.0/33" } },
        prod: { service: { desiredCount: 1, autoscaling: { minCount: 1 } } },
      },
      [
        "[dev] network.vpcCidr: got '10.0.0.0/33'",
        "[prod] service.desiredCount: got 1 (from overrides.json:1); allowed: at least 2 in prod",
        "[prod] service.autoscaling.minCount: got 1 (from overrides.json:1); allowed: at least 2 in prod",
      ],
    ],
    [
      "an unknown environment and a misspelt setting",
      { qa: {}, staging: { edge: { domainname: "x" } } },
      [
        "[config-file] qa: got {}",
        "[staging] edge.domainname: got 'x' (from overrides.json:1); allowed: did you mean \"domainName\"? A known setting",
      ],
    ],
  ])("fails on %s: non-zero exit, the problems on stderr, cdktf.out untouched", (_, config, messages) => {
    const outdir = preparedOutdir();
    const before = snapshotTree(outdir);
    const result = synth(outdir, { STACK_CONFIG_FILE: badConfig(config) });
    expect(result.status).not.toBe(0);
    for (const message of messages) expect(result.stderr).toContain(message);
    // Each problem once, and nothing else: no build command, no stack trace.
    const output = `${result.stdout}${result.stderr}`;
    for (const message of messages) expect(output.split(message)).toHaveLength(2);
    expect(output).not.toMatch(/esbuild|at .*\.js:\d+/);
    expect(result.stderr).toContain("nothing was synthesized");
    expect(snapshotTree(outdir)).toEqual(before);
  });
});

describe("npm run synth, which runs the app directly, and the cdktf CLI", () => {
  test.each<[SharedCommand, SharedCommand]>([
    ["synth", "cdktf synth"],
    ["synth:hcl", "cdktf synth --hcl"],
  ])("npm run %s writes what %s writes, byte for byte", (direct, viaCli) => {
    const [directRun, cliRun] = [shared(direct), shared(viaCli)];
    expect([directRun.status, cliRun.status]).toEqual([0, 0]);
    const tree = snapshotTree(directRun.outdir);
    expect(Object.keys(tree).length).toBeGreaterThanOrEqual(5);
    expect(snapshotTree(cliRun.outdir)).toEqual(tree);
  });
});

describe("npm run synth after an earlier synth of more stacks", () => {
  test.each(["synth", "synth:hcl"])(
    "npm run %s with STACK_ENVIRONMENTS=prod keeps registry and prod and drops the others",
    (script) => {
      const outdir = copyOf(script === "synth" ? "synth" : "synth:hcl");
      expect(readdirSync(join(outdir, "stacks"))).toHaveLength(4);
      const result = spawnSync("npm", ["run", "--silent", script, "--", "--output", outdir], {
        encoding: "utf8",
        env: cliEnv({ STACK_ENVIRONMENTS: "prod" }),
        timeout: 60_000,
      });
      expect([result.status, result.stderr]).toEqual([0, expect.not.stringContaining("ENOENT")]);
      expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["prod", "registry"]);
      const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
        stacks: Record<string, unknown>;
      };
      expect(Object.keys(manifest.stacks).sort()).toEqual(["prod", "registry"]);
    },
  );

  test("the app run on its own (not by the CLI) prunes the stale stack directories itself", () => {
    const outdir = copyOf("synth");
    expect(run({ CDKTF_OUTDIR: outdir, STACK_ENVIRONMENTS: "prod" }, () => undefined)).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["prod", "registry"]);
  });
});
