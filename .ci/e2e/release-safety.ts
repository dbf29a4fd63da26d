/**
 * Release safety, shown on deployed environments: the images a run deploys exist in the
 * emulator's repository (pushed as stand-ins, then promoted to a release tag by the docs'
 * block), and a plan refuses, within seconds and naming the value, a tag that does not exist, a
 * secret that does not exist, and (in prod) a tag that is not a release tag.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deepMerge } from "../../constructs/model/merge";
import type { Context, Emulator, StackReport } from "./context";
import { ACCOUNT, blockOf } from "./context";
import { emulatorTool } from "./emulator";
import type { StepResult } from "./process";
import { CheckFailed, bash, mustSucceed, runStep } from "./process";

/** The image tag the emulator's ECS rolls back, as the deployment circuit breaker would (moto_launcher.py). */
export const ROLLED_BACK_TAG = "e2e-rolled-back";
/** Image tags of the release check: a migration that succeeds, and one the emulator fails (moto_launcher.py). */
export const RELEASED_TAG = "e2e-released";
export const FAILED_MIGRATION_TAG = "e2e-failed-migration";

/**
 * The tag a release is promoted to: the first of registry.protectedTagPatterns with its wildcard
 * filled in (`v*` → `v0.0.0-e2e.<build>`), or the build tag when nothing is protected.
 */
export function releaseTag(protectedTagPatterns: readonly string[], buildTag: string): string {
  const pattern = protectedTagPatterns[0];
  if (pattern === undefined) return buildTag;
  return pattern.replace("*", `0.0.0-e2e.${buildTag}`).replace(/\*/g, "");
}

/**
 * What `docker push` and the promote-image block leave in the repository: the build,
 * the dev-only fault tags, and the release tag on the build's image.
 */
export async function pushAndPromote(
  ctx: Context,
  emulator: Emulator,
  cwd: string,
  env: NodeJS.ProcessEnv,
  log: string,
): Promise<void> {
  const { region, repositoryName } = ctx.settings.registry;
  const tags = [ctx.buildTag, RELEASED_TAG, ROLLED_BACK_TAG, FAILED_MIGRATION_TAG];
  emulatorTool(ctx, emulator, [
    "push-images",
    "--region",
    region,
    "--repository",
    repositoryName,
    ...tags.flatMap((t) => ["--tag", t]),
  ]);
  if (ctx.imageTag === ctx.buildTag) return;
  await mustSucceed("docs block promote-image", bash(blockOf(ctx, "promote-image")), {
    cwd,
    env: { ...env, BUILD_TAG: ctx.buildTag, IMAGE_TAG: ctx.imageTag },
    log,
  });
}

/** The repository emptied, as a user must before the registry's destroy (registry.forceDelete is off). */
export function deleteImages(ctx: Context, emulator: Emulator): void {
  const { region, repositoryName } = ctx.settings.registry;
  emulatorTool(ctx, emulator, ["delete-images", "--region", region, "--repository", repositoryName]);
}

interface Refusal {
  readonly what: string;
  /** Name of the step's log. */
  readonly name: string;
  readonly run: () => Promise<StepResult>;
  readonly names: RegExp;
}

/** Each refusal must fail the plan, name the value, and take well under a minute. */
async function expectRefusals(report: StackReport, refusals: readonly Refusal[], log: (n: string) => string) {
  for (const refusal of refusals) {
    const result = await refusal.run();
    if (result.code === 0 || !refusal.names.test(result.output)) {
      throw new CheckFailed(
        `${report.stack}: a plan with ${refusal.what} was not refused naming it`,
        log(refusal.name),
      );
    }
    report.notes.push(`plan refused ${refusal.what}, naming it, in ${result.seconds.toFixed(0)} s`);
  }
}

export interface GuardedPlans {
  readonly ctx: Context;
  /** The project copy of the pipeline path. */
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stackDir: (stack: string) => string;
  readonly report: (stack: string) => StackReport;
  readonly log: (name: string) => string;
}

/**
 * On deployed stacks: dev refuses a tag that is not in the repository and a secret that does not
 * exist; prod refuses a tag that is not a release tag. The secret case synthesizes an override
 * with one more secret, plans, and synthesizes the run's own configuration back.
 */
export async function refusedReleases(p: GuardedPlans, dev: string, prod: string | undefined): Promise<void> {
  const plan = (stack: string, name: string, tag: string) =>
    runStep([p.ctx.terraform, "plan", "-input=false", "-no-color", "-lock=false"], {
      cwd: p.stackDir(stack),
      env: { ...p.env, TF_VAR_image_tag: tag },
      log: p.log(name),
    });
  const missingTag = "e2e-never-pushed";
  await expectRefusals(
    p.report(dev),
    [
      {
        what: `image tag ${missingTag} (not in the repository)`,
        name: `${dev}-missing-image`,
        run: () => plan(dev, `${dev}-missing-image`, missingTag),
        names: new RegExp(`image_to_deploy\\["${missingTag}"\\]`),
      },
    ],
    p.log,
  );
  const devSettings = p.ctx.settings.environments.find((e) => e.name === dev);
  const secret = `arn:aws:secretsmanager:${devSettings?.region ?? ""}:${ACCOUNT}:secret:${p.ctx.settings.project}-${dev}/never-created-AbCdEf`;
  const withSecret = join(p.ctx.work, "pipeline-missing-secret.json");
  const current = JSON.parse(readFileSync(p.ctx.overrideFile, "utf8")) as Record<string, unknown>;
  writeFileSync(
    withSecret,
    JSON.stringify(deepMerge(current, { [dev]: { service: { secrets: { E2E_API_KEY: secret } } } })),
  );
  const synth = (file: string, name: string) =>
    mustSucceed(`docs block pipeline-synth (${name})`, bash(blockOf(p.ctx, "pipeline-synth")), {
      cwd: p.dir,
      env: { ...p.env, STACK_CONFIG_FILE: file },
      log: p.log(name),
    });
  await synth(withSecret, "synth-missing-secret");
  try {
    await expectRefusals(
      p.report(dev),
      [
        {
          what: "secret E2E_API_KEY (never created)",
          name: `${dev}-missing-secret`,
          run: () => plan(dev, `${dev}-missing-secret`, p.ctx.imageTag),
          names: /secret_to_read_[a-z0-9_]+\["E2E_API_KEY"\]/,
        },
      ],
      p.log,
    );
  } finally {
    await synth(p.ctx.overrideFile, "synth-restored");
  }
  if (prod === undefined || p.ctx.imageTag === p.ctx.buildTag) return;
  await expectRefusals(
    p.report(prod),
    [
      {
        what: `build tag ${p.ctx.buildTag} (not a release tag)`,
        name: `${prod}-build-tag`,
        run: () => plan(prod, `${prod}-build-tag`, p.ctx.buildTag),
        names: /image_tag must be a release tag/,
      },
    ],
    p.log,
  );
}
