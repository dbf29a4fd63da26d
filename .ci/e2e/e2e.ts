/**
 * npm run e2e: the documented workflows, run for real with Terraform and the AWS provider against
 * moto (an AWS API emulator) on 127.0.0.1. No AWS account, no fake Terraform, no stubbed provider.
 *
 * 1. validate: `npm run synth` and `npm run synth:hcl`; `terraform init` + `validate` per stack and format.
 * 2. Two deploy paths, each in its own copy of the project and its own emulator, side by side:
 *    - cdktf: the documented `cdktf deploy` blocks (local state);
 *    - pipeline: the documented pipeline blocks (S3 state in the emulator, use_lockfile), with two
 *      faults: the dev apply is interrupted midway and applied again; a second prod run starts
 *      while the first holds the state lock.
 *    Then, per stack: a second `terraform plan -detailed-exitcode` (must be empty), `destroy`, and
 *    an inventory of the emulator (must hold none of the stack's resources).
 * Setup problems exit 2 with what is missing and how to fix it; failed checks exit 1. Nothing is
 * left behind: no state, override, copy or emulator process (E2E_KEEP=1 keeps the work folder).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deepMerge } from "../../constructs/model/merge";
import { loadSettings } from "../../stacks/config/load";
import { SettingsError } from "../../stacks/config/problems";
import { PROJECT } from "../../stacks/config/project";
import type { ProjectSettings } from "../../stacks/config/settings";
import { cdktfPath } from "./cdktf-path";
import type { Context, StackReport } from "./context";
import { ACCOUNT, ENVIRONMENTS, PROJECT_DIR, STACKS, baseEnvironment } from "./context";
import { emulatorTool, startEmulator } from "./emulator";
import { pipelinePath } from "./pipeline-path";
import {
  SetupError,
  checkProviderInstall,
  checkJq,
  checkPython,
  checkTerraform,
  emulatorPorts,
  ensureMoto,
  locateProvider,
  terraformCliConfig,
} from "./preflight";
import { CheckFailed, elapsed, say, startProgress, stopAll } from "./process";
import { readDocs, readmeBlock } from "./readme-blocks";
import { releaseTag } from "./release-safety";
import { validate } from "./validate";

function printReport(reports: readonly StackReport[]): void {
  const fmt = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(0));
  say(
    "\npath      stack      resources  second plan   destroy        init  plan apply deploy plan2 destroy (s)",
  );
  for (const r of reports) {
    const s = r.seconds;
    say(
      `${r.path.padEnd(9)} ${r.stack.padEnd(10)} ${String(r.resources ?? "-").padStart(9)}  ${(r.secondPlan ?? "-").padEnd(13)} ${(r.destroy ?? "-").padEnd(13)} ${fmt(s.init).padStart(5)} ${fmt(s.plan).padStart(5)} ${fmt(s.apply).padStart(5)} ${fmt(s.deploy).padStart(6)} ${fmt(s.plan2).padStart(5)} ${fmt(s.destroy).padStart(7)}`,
    );
    for (const note of r.notes) say(`${"".padEnd(20)}- ${note}`);
  }
}

function imageTag(): string {
  const sha = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: PROJECT_DIR, encoding: "utf8" });
  return sha.status === 0 ? sha.stdout.trim() : "e2e";
}

/** The override file of the run: the user's STACK_CONFIG_FILE (if any) with every stack pinned to the emulator's account. */
function writeOverrides(work: string): string {
  const userFile = process.env.STACK_CONFIG_FILE;
  let user: unknown = {};
  if (userFile) {
    try {
      user = JSON.parse(readFileSync(userFile, "utf8"));
    } catch (error) {
      throw new SetupError(
        `STACK_CONFIG_FILE=${userFile} cannot be read as JSON (${String(error)})`,
        "fix the file, or unset STACK_CONFIG_FILE to run the built-in configuration",
      );
    }
  }
  const pins = Object.fromEntries(STACKS.map((stack) => [stack, { accountId: ACCOUNT }]));
  const file = join(work, "e2e-overrides.json");
  writeFileSync(file, JSON.stringify(deepMerge(user as Record<string, unknown>, pins), null, 2));
  return file;
}

/** Everything the run needs, checked in the order that fails fastest; throws SetupError. */
async function setUp(work: string): Promise<{ ctx: Context; ports: number[] }> {
  const terraform = checkTerraform(process.env);
  say(`  terraform ${terraform.version}`);
  const ports = await emulatorPorts(process.env, 2);
  const overrideFile = writeOverrides(work);
  let settings: ProjectSettings;
  try {
    settings = loadSettings(PROJECT, { STACK_CONFIG_FILE: overrideFile });
  } catch (error) {
    if (error instanceof SettingsError) {
      throw new SetupError(
        error.message,
        "fix the configuration (STACK_CONFIG_FILE or stacks/config/project.ts)",
      );
    }
    throw error;
  }
  const wanted = settings.awsProviderVersion;
  const provider = locateProvider(process.env, wanted, work);
  const cliConfig = terraformCliConfig(provider, join(work, "terraform.rc"));
  const terraformDir = terraform.command.includes("/") ? join(terraform.command, "..") : undefined;
  const baseEnv = baseEnvironment(work, cliConfig, overrideFile, terraformDir);
  checkProviderInstall(terraform.command, wanted, baseEnv, join(work, "provider-check"), provider);
  say(`  AWS provider ${provider.description}`);
  checkJq(process.env);
  const python = checkPython(process.env);
  const venvPython = ensureMoto(process.env, python, PROJECT_DIR, (line) => say(`  ${line}`));
  const readme = readDocs(PROJECT_DIR);
  const ctx: Context = {
    work,
    terraform: terraform.command,
    venvPython,
    provider,
    baseEnv,
    readme,
    buildTag: imageTag(),
    imageTag: releaseTag(settings.registry.protectedTagPatterns, imageTag()),
    settings,
    overrideFile,
    changeSafety: process.env.E2E_CHANGES !== "0",
  };
  return { ctx, ports };
}

/** Hosted zones (by name) the environments need, created in each emulator first. */
function hostedZones(settings: ProjectSettings): string[] {
  return ENVIRONMENTS.map((name) => {
    const zone = settings.environments.find((e) => e.name === name)?.edge.hostedZoneName;
    if (zone === undefined) {
      throw new SetupError(
        `the ${name} environment's hosted zone is not given by name`,
        "npm run e2e creates hosted zones by name (edge.hostedZoneName) in the emulator",
      );
    }
    return zone;
  });
}

/** Validation, then both deploy paths side by side, each against its own emulator. */
async function runChecks(ctx: Context, ports: readonly number[]): Promise<void> {
  const zones = hostedZones(ctx.settings).flatMap((zone) => ["--zone", zone]);
  const bucket = /TF_STATE_BUCKET=(\S+)/.exec(readmeBlock(ctx.readme, "pipeline-synth"))?.[1];
  if (bucket === undefined) {
    throw new SetupError(
      "the pipeline-synth block (help/pipelines-and-releases.md) sets no TF_STATE_BUCKET",
      "restore the block in help/pipelines-and-releases.md",
    );
  }

  let phase = Date.now();
  say("\n==> validate: synth (JSON and HCL), terraform init + validate per stack");
  for (const line of await validate(ctx)) say(line);
  say(`  ${elapsed(phase).toFixed(0)} s`);

  phase = Date.now();
  const [cdktfEmulator, pipelineEmulator] = await Promise.all([
    startEmulator(ctx, "cdktf", ports[0] ?? 0),
    startEmulator(ctx, "pipeline", ports[1] ?? 0),
  ]);
  const region = ctx.settings.registry.state.region;
  emulatorTool(ctx, cdktfEmulator, ["prepare", "--region", region, ...zones]);
  const probe = emulatorTool(ctx, pipelineEmulator, [
    "prepare",
    "--region",
    region,
    ...zones,
    "--bucket",
    bucket,
  ]);
  say(
    `\n==> deploy, second plan, destroy: cdktf path (${cdktfEmulator.endpoint}) and pipeline path (${pipelineEmulator.endpoint}), side by side`,
  );
  if (probe.trim() !== "") say(`  ${probe.trim()}`);
  const [cdktfReports, pipelineReports] = await Promise.all([
    cdktfPath(ctx, cdktfEmulator),
    pipelinePath(ctx, pipelineEmulator, bucket),
  ]);
  printReport([...cdktfReports, ...pipelineReports]);
  say(`\n  deploy paths ${elapsed(phase).toFixed(0)} s`);
}

// eslint-disable-next-line no-control-regex
const ANSI_ESCAPES = /\x1b\[[0-9;]*m/g;

/** Terraform's "Error:" blocks (up to five, 15 lines each): the tail of a log often shows only outputs. */
function errorBlocks(lines: string[]): string {
  const starts = lines.flatMap((line, index) => (/(^|[│|]\s*)Error:/.test(line) ? [index] : []));
  return starts
    .slice(0, 5)
    .map((start) => lines.slice(start, start + 15).join("\n"))
    .join("\n...\n");
}

function reportFailure(error: unknown, started: number, work: string | undefined, keep: boolean): number {
  if (error instanceof SetupError) {
    process.stderr.write(`\nnpm run e2e cannot run: ${error.what}\n  fix: ${error.fix}\n`);
    return 2;
  }
  if (!(error instanceof CheckFailed)) throw error;
  process.stderr.write(`\nnpm run e2e FAILED: ${error.message}\n`);
  if (error.log !== undefined && existsSync(error.log)) {
    const lines = readFileSync(error.log, "utf8").replace(ANSI_ESCAPES, "").split("\n");
    const errors = errorBlocks(lines);
    if (errors !== "") process.stderr.write(`\n--- errors in ${error.log}\n${errors}\n`);
    process.stderr.write(`\n--- last lines of ${error.log}\n${lines.slice(-25).join("\n")}\n`);
  }
  const kept = keep ? `; work folder kept: ${work ?? ""}` : "; E2E_KEEP=1 keeps the work folder";
  process.stderr.write(`(after ${elapsed(started).toFixed(0)} s${kept})\n`);
  return 1;
}

async function main(): Promise<number> {
  const started = Date.now();
  const keep = process.env.E2E_KEEP === "1";
  let work: string | undefined;
  const finish = () => {
    stopAll();
    if (work !== undefined && !keep) rmSync(work, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      finish();
      process.exit(130);
    });
  }
  // However the process ends (a crash included), no emulator or Terraform outlives it.
  process.on("exit", stopAll);
  try {
    say("npm run e2e: the documented deploy workflows against an AWS API emulator (moto)");
    const stopProgress = startProgress(started);
    process.on("exit", stopProgress);
    work = mkdtempSync(join(tmpdir(), "e2e-"));
    mkdirSync(join(work, "logs"));
    const { ctx, ports } = await setUp(work);
    await runChecks(ctx, ports);
    say(`\nnpm run e2e: all checks passed in ${elapsed(started).toFixed(0)} s (image tag ${ctx.imageTag})`);
    return 0;
  } catch (error) {
    return reportFailure(error, started, work, keep);
  } finally {
    finish();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    stopAll();
    process.stderr.write(
      `npm run e2e crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
