/** What every part of the run shares: the configuration, the command environment, project copies, state checks. */
import { spawnSync } from "node:child_process";
import { cpSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { ProjectSettings } from "../../stacks/config/settings";
import type { ProviderSource } from "./preflight";
import { CheckFailed, runStep } from "./process";
import type { ReadmeBlock } from "./readme-blocks";
import { readmeBlock } from "./readme-blocks";

/** moto's default account; every stack is pinned to it (`allowed_account_ids`). */
export const ACCOUNT = "123456789012";
/** The environments the docs' blocks deploy (`cdktf deploy dev prod`). */
export const ENVIRONMENTS = ["dev", "prod"] as const;
export const REGISTRY = "registry";
export const STACKS = [REGISTRY, ...ENVIRONMENTS];
export const PROJECT_DIR = process.cwd();

export interface Emulator {
  readonly name: string;
  readonly endpoint: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface Context {
  readonly work: string;
  readonly terraform: string;
  readonly venvPython: string;
  readonly provider: ProviderSource;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly readme: string;
  /** The tag the stand-in image is pushed with, as a build would (the commit). */
  readonly buildTag: string;
  /** The tag every deploy of the run uses: the build promoted to a release tag. */
  readonly imageTag: string;
  readonly settings: ProjectSettings;
  readonly overrideFile: string;
  /** Whether the pipeline path runs the change-safety catalogue (E2E_CHANGES=0 skips it). */
  readonly changeSafety: boolean;
}

/** The environment every command of the run gets: no machine-local AWS or Terraform settings leak in. */
export function baseEnvironment(
  work: string,
  cliConfig: string,
  overrideFile: string,
  terraformDir?: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AWS_|TF_|CDKTF_|STACK_)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    ...(terraformDir === undefined ? {} : { PATH: `${terraformDir}:${env.PATH ?? ""}` }),
    CI: "1",
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    // Fail on a missing value instead of waiting for an answer no one gives.
    TF_INPUT: "0",
    TF_CLI_CONFIG_FILE: cliConfig,
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true",
    STACK_CONFIG_FILE: overrideFile,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_CONFIG_FILE: join(work, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(work, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** Identifiers (ids, ARNs, names) of the managed resources in a stack's state. */
export function stateIdentifiers(ctx: Context, env: NodeJS.ProcessEnv, stackDir: string): Set<string> {
  const shown = spawnSync(ctx.terraform, ["show", "-json", "-no-color"], {
    cwd: stackDir,
    env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (shown.status !== 0) throw new CheckFailed(`terraform show in ${stackDir} failed: ${shown.stderr}`);
  const ids = new Set<string>();
  const state = JSON.parse(shown.stdout) as {
    values?: { root_module?: { resources?: Array<{ mode: string; values: Record<string, unknown> }> } };
  };
  for (const resource of state.values?.root_module?.resources ?? []) {
    if (resource.mode !== "managed") continue;
    for (const key of ["id", "arn", "name", "resource_id"]) {
      const value = resource.values[key];
      if (typeof value === "string") ids.add(value);
    }
  }
  return ids;
}

/** Managed resources in a stack's state. */
export function stateCount(ctx: Context, env: NodeJS.ProcessEnv, stackDir: string): number {
  const listed = spawnSync(ctx.terraform, ["state", "list"], { cwd: stackDir, env, encoding: "utf8" });
  if (listed.status !== 0) {
    throw new CheckFailed(`terraform state list in ${stackDir} failed: ${listed.stderr}`);
  }
  return listed.stdout.split("\n").filter((l) => l !== "" && !l.startsWith("data.")).length;
}

/** Copies the project (sources, not outputs or state) into the work folder, sharing node_modules. */
export function copyProject(ctx: Context, name: string): string {
  const target = join(ctx.work, name);
  const skip = new Set(["node_modules", "cdktf.out", ".venv", ".git", "dist", ".bench", "coverage"]);
  cpSync(PROJECT_DIR, target, {
    recursive: true,
    filter: (source) => {
      const base = source.slice(PROJECT_DIR.length + 1).split("/")[0] ?? "";
      return !skip.has(base) && !/\.tfstate(\.|$)/.test(source) && !/\/\.terraform(\/|$)/.test(source);
    },
  });
  symlinkSync(join(PROJECT_DIR, "node_modules"), join(target, "node_modules"));
  return target;
}

export interface StackReport {
  path: string;
  stack: string;
  resources?: number;
  secondPlan?: string;
  destroy?: string;
  seconds: Record<string, number>;
  notes: string[];
}

export const blockOf = (ctx: Context, id: ReadmeBlock) => readmeBlock(ctx.readme, id);

/** Second plan: exit 0 of `plan -detailed-exitcode` is "no changes"; anything else fails the run. */
export async function secondPlan(
  ctx: Context,
  env: NodeJS.ProcessEnv,
  stackDir: string,
  report: StackReport,
): Promise<void> {
  const log = join(ctx.work, "logs", `${report.path}-${report.stack}-second-plan.log`);
  const result = await runStep([ctx.terraform, "plan", "-detailed-exitcode", "-input=false", "-no-color"], {
    cwd: stackDir,
    env: { ...env, TF_VAR_image_tag: ctx.imageTag },
    log,
  });
  report.seconds.plan2 = result.seconds;
  if (result.code === 0) {
    report.secondPlan = "no changes";
    return;
  }
  const changes = result.output.split("\n").filter((l) => /^\s+# .* (will|must) be/.test(l));
  report.secondPlan =
    result.code === 2 ? `${changes.length} change(s)` : `error (exit ${String(result.code)})`;
  throw new CheckFailed(
    `${report.path}/${report.stack}: the second plan is not empty:\n${changes.join("\n")}`,
    log,
  );
}

/** Prefix of a stack's resource names, as the stacks write it (e.g. "orders-api-dev"). */
export const namePrefix = (ctx: Context, stack: string): string => `${ctx.settings.project}-${stack}`;
