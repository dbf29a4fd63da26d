/**
 * Destroy safety, shown on a deployed environment: a destroy of an environment with
 * destroyProtection must fail at plan time with every resource still in the state; the docs'
 * break-glass block (destroyBreakGlass in the override file, apply, release the keys, destroy)
 * must then tear it down and leave exactly the keys and the final snapshot behind.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deepMerge } from "../../constructs/model/merge";
import type { EnvironmentSettings } from "../../stacks/config/settings";
import type { Context, StackReport } from "./context";
import { REGISTRY, blockOf, stateCount } from "./context";
import type { StepResult } from "./process";
import { CheckFailed, bash, mustSucceed } from "./process";

/** The environment's settings in the run, or undefined for the registry. */
export function environmentOf(ctx: Context, stack: string): EnvironmentSettings | undefined {
  return ctx.settings.environments.find((e) => e.name === stack);
}

export const isDestroyProtected = (ctx: Context, stack: string): boolean =>
  stack === REGISTRY
    ? ctx.settings.registry.destroyProtection
    : environmentOf(ctx, stack)?.destroyProtection === true;

/** The run's override file with destroyBreakGlass on for these stacks (the registry too), as a user would write it. */
export function breakGlassOverrideFile(ctx: Context, stacks: readonly string[], name: string): string {
  const current = JSON.parse(readFileSync(ctx.overrideFile, "utf8")) as Record<string, unknown>;
  const glass = Object.fromEntries(stacks.map((stack) => [stack, { destroyBreakGlass: true }]));
  const file = join(ctx.work, `${name}-break-glass.json`);
  writeFileSync(file, JSON.stringify(deepMerge(current, glass), null, 2));
  return file;
}

/**
 * A destroy without break glass: it must fail, the state must hold as many resources as before
 * (nothing deleted), and the reason must be prevent_destroy. `cdktf destroy` prints only "Invoking
 * Terraform CLI failed"; then `explain` (a `terraform plan -destroy`, as a user would run) must.
 */
export async function expectRefusedDestroy(
  ctx: Context,
  env: NodeJS.ProcessEnv,
  stackDir: string,
  report: StackReport,
  destroy: () => Promise<StepResult>,
  log: string,
  explain?: () => Promise<StepResult>,
): Promise<void> {
  const before = stateCount(ctx, env, stackDir);
  const result = await destroy();
  const after = stateCount(ctx, env, stackDir);
  const reason = explain === undefined ? result : await explain();
  if (result.code === 0 || reason.code === 0 || !/prevent_destroy/.test(reason.output) || after !== before) {
    throw new CheckFailed(
      `${report.stack}: a destroy without destroyBreakGlass was not refused at plan time with everything kept (exit ${String(result.code)}, ${before} resources in state before, ${after} after)`,
      log,
    );
  }
  report.notes.push(
    `destroy without break glass refused at plan (prevent_destroy), all ${after} resources still in state (${result.seconds.toFixed(0)} s)`,
  );
}

/**
 * Protected stacks torn down the pipeline way: the pipeline-synth block (help/pipelines-and-releases.md) with
 * destroyBreakGlass on for them, then its pipeline-break-glass block for each, side by side.
 */
export async function pipelineBreakGlass(
  ctx: Context,
  env: NodeJS.ProcessEnv,
  dir: string,
  stacks: readonly string[],
  log: (name: string) => string,
  report: (stack: string) => StackReport,
): Promise<void> {
  if (stacks.length === 0) return;
  const name = `pipeline-${stacks.join("-")}`;
  await mustSucceed("docs block pipeline-synth (break glass)", bash(blockOf(ctx, "pipeline-synth")), {
    cwd: dir,
    env: { ...env, STACK_CONFIG_FILE: breakGlassOverrideFile(ctx, stacks, name) },
    log: log(`synth-break-glass-${stacks.join("-")}`),
  });
  await Promise.all(
    stacks.map(async (stack) => {
      const glass = await mustSucceed(
        `docs block pipeline-break-glass for ${stack}`,
        bash(blockOf(ctx, "pipeline-break-glass")),
        { cwd: dir, env: { ...env, STACK: stack }, log: log(`break-glass-${stack}`) },
      );
      report(stack).seconds.destroy = glass.seconds;
      report(stack).notes.push(
        `torn down by docs block pipeline-break-glass (${glass.seconds.toFixed(0)} s)`,
      );
    }),
  );
}
