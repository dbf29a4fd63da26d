/** The cdktf path: the documented `cdktf deploy` blocks, local state. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Context, Emulator, StackReport } from "./context";
import { ENVIRONMENTS, REGISTRY, STACKS, blockOf, copyProject, secondPlan, stateCount } from "./context";
import { breakGlassOverrideFile, expectRefusedDestroy, isDestroyProtected } from "./destroy-safety";
import { checkNothingLeft } from "./emulator";
import { deleteImages, pushAndPromote } from "./release-safety";
import { checkWorkloads } from "./workload-checks";
import { existingVpcRun } from "./existing-vpc";
import { CheckFailed, bash, mustSucceed, runStep } from "./process";

/** The cdktf path: docs blocks cdktf-registry, cdktf-environments and cdktf-diff, local state. */
export async function cdktfPath(ctx: Context, emulator: Emulator): Promise<StackReport[]> {
  const dir = copyProject(ctx, "cdktf");
  const env: NodeJS.ProcessEnv = {
    ...emulator.env,
    // The promote-image block calls the AWS CLI, installed with moto.
    PATH: `${dirname(ctx.venvPython)}:${emulator.env.PATH ?? ""}`,
    IMAGE_TAG: ctx.imageTag,
    ...(ctx.provider.mirror === undefined
      ? {}
      : { TF_CLI_ARGS_providers_lock: `-fs-mirror=${ctx.provider.mirror}` }),
  };
  const reports: StackReport[] = STACKS.map((stack) => ({ path: "cdktf", stack, seconds: {}, notes: [] }));
  const report = (stack: string) => reports.find((r) => r.stack === stack) as StackReport;
  const log = (name: string) => join(ctx.work, "logs", `cdktf-${name}.log`);

  const registry = await mustSucceed("docs block cdktf-registry", bash(blockOf(ctx, "cdktf-registry")), {
    cwd: dir,
    env,
    log: log("deploy-registry"),
  });
  report(REGISTRY).seconds.deploy = registry.seconds;
  await pushAndPromote(ctx, emulator, dir, env, log("promote-image"));
  const environments = await mustSucceed(
    "docs block cdktf-environments",
    bash(blockOf(ctx, "cdktf-environments")),
    {
      cwd: dir,
      env,
      log: log("deploy-environments"),
    },
  );
  for (const stack of ENVIRONMENTS) {
    report(stack).seconds.deploy = environments.seconds;
    report(stack).notes.push("deployed together by one cdktf deploy");
  }

  // cdktf diff right after the deploy: a plan through the CLI, which must find nothing to change.
  const diff = await mustSucceed("docs block cdktf-diff", bash(blockOf(ctx, "cdktf-diff")), {
    cwd: dir,
    env,
    log: log("diff-dev"),
  });
  if (!/No changes/.test(readFileSync(log("diff-dev"), "utf8"))) {
    throw new CheckFailed(
      'docs block cdktf-diff: cdktf diff dev did not report "No changes" after the deploy',
      log("diff-dev"),
    );
  }
  report("dev").notes.push(`cdktf diff after the deploy: no changes (${diff.seconds.toFixed(0)} s)`);

  const stackDir = (stack: string) => join(dir, "cdktf.out", "stacks", stack);
  for (const stack of ENVIRONMENTS) checkWorkloads(ctx, emulator, env, stack, stackDir(stack), report(stack));
  await Promise.all(
    STACKS.map(async (stack) => {
      report(stack).resources = stateCount(ctx, env, stackDir(stack));
      await secondPlan(ctx, env, stackDir(stack), report(stack));
    }),
  );

  await tearDown(ctx, dir, env, ENVIRONMENTS, report, log);
  reports.push(await existingVpcRun(ctx, emulator, dir, env));
  deleteImages(ctx, emulator);
  await tearDown(ctx, dir, env, [REGISTRY], report, log);
  checkNothingLeft(ctx, emulator, STACKS, reports);
  return reports;
}

/**
 * These stacks destroyed: a protected one (prod, the registry) must first refuse `cdktf destroy`
 * at plan time, then go through docs block cdktf-break-glass; the others are destroyed plainly.
 */
async function tearDown(
  ctx: Context,
  dir: string,
  env: NodeJS.ProcessEnv,
  stacks: readonly string[],
  report: (stack: string) => StackReport,
  log: (name: string) => string,
): Promise<void> {
  const stackDir = (stack: string) => join(dir, "cdktf.out", "stacks", stack);
  // Terraform wants every variable without a default even to destroy; any valid tag does.
  const destroyEnv = { ...env, TF_VAR_image_tag: ctx.imageTag };
  const cdktfDestroy = (stacks: readonly string[], name: string) =>
    runStep(["npx", "cdktf", "destroy", ...stacks, "--ignore-missing-stack-dependencies", "--auto-approve"], {
      cwd: dir,
      env: destroyEnv,
      log: log(name),
    });
  const protectedStacks = stacks.filter((stack) => isDestroyProtected(ctx, stack));
  for (const stack of protectedStacks) {
    await expectRefusedDestroy(
      ctx,
      env,
      stackDir(stack),
      report(stack),
      () => cdktfDestroy([stack], `destroy-${stack}-refused`),
      log(`destroy-${stack}-refused`),
      () =>
        runStep([ctx.terraform, "plan", "-destroy", "-input=false", "-no-color"], {
          cwd: stackDir(stack),
          env: destroyEnv,
          log: log(`destroy-${stack}-refused-why`),
        }),
    );
    const glass = await mustSucceed("docs block cdktf-break-glass", bash(blockOf(ctx, "cdktf-break-glass")), {
      cwd: dir,
      env: {
        ...env,
        STACK: stack,
        STACK_CONFIG_FILE: breakGlassOverrideFile(ctx, [stack], `cdktf-${stack}`),
      },
      log: log(`break-glass-${stack}`),
    });
    report(stack).seconds.destroy = glass.seconds;
    report(stack).notes.push(`torn down by docs block cdktf-break-glass (${glass.seconds.toFixed(0)} s)`);
  }
  const others = stacks.filter((stack) => !protectedStacks.includes(stack));
  if (others.length > 0) {
    const destroyed = await mustSucceed(
      `npx cdktf destroy ${others.join(" ")}`,
      ["npx", "cdktf", "destroy", ...others, "--ignore-missing-stack-dependencies", "--auto-approve"],
      { cwd: dir, env: destroyEnv, log: log(`destroy-${others.join("-")}`) },
    );
    for (const stack of others) report(stack).seconds.destroy = destroyed.seconds;
  }
}
