/**
 * The change-safety run: on environments the pipeline path has deployed, the catalogue's routine
 * edits, one at a time and on top of each other, the way a user makes them: the override file,
 * the pipeline-synth block (help/pipelines-and-releases.md), `terraform plan` against the real state, and apply; the next
 * edit's plan, and after the last a plan that reads everything back, must show nothing else. Every resource action of every plan is classified; a plan whose
 * classes differ from the entry's, or that breaks a day-two invariant, fails the run once the
 * table is printed. Each environment's edits run in a copy of the project of its own (same S3
 * state), beside the other environment's.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deepMerge } from "../../constructs/model/merge";
import { loadSettings } from "../../stacks/config/load";
import { PROJECT } from "../../stacks/config/project";
import type { EnvironmentSettings } from "../../stacks/config/settings";
import { CHANGE_CATALOGUE } from "./change-catalogue";
import type { CatalogueEdit, NotRoutine } from "./change-catalogue";
import type { Context, Emulator } from "./context";
import { blockOf, copyProject, namePrefix } from "./context";
import { emulatorTool } from "./emulator";
import { invariantViolations, missingChanges, planClasses, summary, unexpectedChanges } from "./plan-classes";
import type { Expected, PlanJson } from "./plan-classes";
import { CheckFailed, bash, mustSucceed, plain, runStep, say } from "./process";
import type { StepResult } from "./process";

/** The last row of each environment: a plan that reads every resource back after all the edits. */
export const FINAL_ROW = "every edit above, read back from the API";

export interface ChangeRow {
  readonly environment: string;
  readonly edit: string;
  readonly expected: string;
  readonly seen: string;
  /** "as expected", "skipped: ...", or what differed. */
  readonly verdict: string;
  readonly seconds: number;
}

const describe = (expected: Readonly<Record<string, Expected>>) =>
  Object.keys(expected).length === 0
    ? "no change"
    : Object.entries(expected)
        .map(([type, c]) => `${type.replace(/^aws_/, "")} ${typeof c === "string" ? c : c.join("/")}`)
        .join(", ");

const describeNotRoutine = (n: NotRoutine) =>
  n.kind === "needs a window" ? `needs a window: ${describe(n.includes)}` : n.kind;

class Chain {
  private readonly dir: string;
  private readonly file: string;
  private overrides: Record<string, unknown>;
  private imageTag: string;
  private readonly rows: ChangeRow[] = [];

  constructor(
    private readonly ctx: Context,
    private readonly emulator: Emulator,
    private readonly env: NodeJS.ProcessEnv,
    private readonly stack: string,
  ) {
    this.dir = copyProject(ctx, `changes-${stack}`);
    this.file = join(ctx.work, `changes-${stack}.json`);
    this.overrides = JSON.parse(readFileSync(ctx.overrideFile, "utf8")) as Record<string, unknown>;
    this.imageTag = ctx.imageTag;
  }

  public async run(): Promise<ChangeRow[]> {
    const made = { secretArn: this.createSecret() };
    await this.synth("as deployed", "00-synth");
    await this.terraform(["init", "-input=false"], "init", true);
    for (const [index, edit] of CHANGE_CATALOGUE.entries()) {
      const before = this.settings();
      if (edit.when !== undefined && !edit.when(before)) {
        this.rows.push(this.row(edit, before, "-", "skipped: does not apply here", 0));
        continue;
      }
      const notRoutine = edit.notRoutine?.(before);
      if (notRoutine !== undefined) {
        await this.planOnly(index, edit, before, made, notRoutine);
        continue;
      }
      const ok = await this.apply(index, edit, before, made);
      if (!ok) return this.rows;
    }
    await this.finalPlan();
    this.deleteSecret(made.secretArn);
    return this.rows;
  }

  /**
   * The plans between edits compare the configuration with the state each apply wrote
   * (-refresh=false, a few seconds); once all are applied, a plan that reads every resource back
   * from the API must find nothing either (what the provider reads equals what it wrote).
   */
  private async finalPlan(): Promise<void> {
    const started = Date.now();
    await this.synth("every routine edit", "final-synth");
    const plan = await this.terraform(
      ["plan", "-input=false", "-no-color", "-detailed-exitcode"],
      "final-plan",
    );
    this.rows.push({
      environment: this.stack,
      edit: FINAL_ROW,
      expected: "no change",
      seen: plan.code === 0 ? "no change" : `exit ${String(plan.code)}`,
      verdict:
        plan.code === 0 ? "as expected" : `the refreshed plan is not empty (${this.log("final-plan")})`,
      seconds: (Date.now() - started) / 1000,
    });
  }

  /**
   * One edit: synth, plan against the state, classify, apply. False when the chain cannot go on.
   * Each plan is also the second plan of the edit before: whatever an apply left unconverged shows
   * there as a change the edit does not declare, and a refreshed plan follows the last edit.
   */
  private async apply(
    index: number,
    edit: CatalogueEdit,
    before: EnvironmentSettings,
    made: { secretArn: string },
  ): Promise<boolean> {
    const started = Date.now();
    const step = `${String(index + 1).padStart(2, "0")}`;
    const { overrides, newImage } = edit.change(before, made);
    if (newImage) this.imageTag = this.pushRelease(index);
    if (overrides !== undefined) this.overrides = deepMerge(this.overrides, { [this.stack]: overrides });
    const byAws = edit.byAws?.(before, namePrefix(this.ctx, this.stack));
    if (byAws !== undefined) {
      say(`${this.stack}: by AWS: ${emulatorTool(this.ctx, this.emulator, byAws).trim()}`);
    }
    await this.synth(edit.name, `${step}-synth`);
    const refresh = byAws === undefined ? ["-refresh=false"] : [];
    const plan = await this.terraform(
      ["plan", "-input=false", "-no-color", ...refresh, "-out=edit.tfplan"],
      `${step}-plan`,
    );
    if (plan.code !== 0) {
      this.rows.push(
        this.row(edit, before, "plan failed", `plan failed (${this.log(`${step}-plan`)})`, started),
      );
      return false;
    }
    const shown = await this.terraform(["show", "-json", "edit.tfplan"], `${step}-show`, true);
    const classes = planClasses(JSON.parse(shown.output) as PlanJson);
    const problems = [...invariantViolations(classes), ...unexpectedChanges(classes, edit.expect(before))];
    const applied = await this.terraform(
      ["apply", "-input=false", "-no-color", "edit.tfplan"],
      `${step}-apply`,
    );
    if (applied.code !== 0) {
      this.rows.push(
        this.row(edit, before, summary(classes), `apply failed (${this.log(`${step}-apply`)})`, started),
      );
      return false;
    }
    this.rows.push(
      this.row(
        edit,
        before,
        summary(classes),
        problems.length === 0 ? "as expected" : problems.join("; "),
        started,
      ),
    );
    return true;
  }

  /**
   * An edit that is not routine: synth and plan against the real state, never applied; the
   * override file goes back to what is deployed. It must be refused (at synth or at plan, with the
   * reason) or its plan must show what makes it need a window.
   */
  private async planOnly(
    index: number,
    edit: CatalogueEdit,
    before: EnvironmentSettings,
    made: { secretArn: string },
    notRoutine: NotRoutine,
  ): Promise<void> {
    const started = Date.now();
    const step = `${String(index + 1).padStart(2, "0")}`;
    const deployed = this.overrides;
    const { overrides } = edit.change(before, made);
    if (overrides !== undefined) this.overrides = deepMerge(this.overrides, { [this.stack]: overrides });
    const verdict = (seen: string, problem: string | undefined) =>
      this.rows.push({
        environment: this.stack,
        edit: edit.name,
        expected: describeNotRoutine(notRoutine),
        seen,
        verdict: problem ?? "as expected",
        seconds: (Date.now() - started) / 1000,
      });
    /** The verdict of a stage the edit must be refused at, or must pass; true once given. */
    const judged = (stage: "synth" | "plan", result: StepResult): boolean => {
      const log = this.log(`${step}-${stage}`);
      if (
        (notRoutine.kind === "refused at synth" && stage === "synth") ||
        (notRoutine.kind === "refused at plan" && stage === "plan")
      ) {
        const refused = result.code !== 0 && notRoutine.message.test(plain(result.output));
        const seen = result.code !== 0 ? notRoutine.kind : stage === "synth" ? "synthesized" : "planned";
        verdict(seen, refused ? undefined : `not refused as expected (${log})`);
        return true;
      }
      if (result.code === 0) return false;
      verdict(stage === "synth" ? "refused at synth" : "plan failed", `${stage} failed (${log})`);
      return true;
    };
    try {
      if (judged("synth", await this.synthResult(`${step}-synth`))) return;
      const plan = await this.terraform(
        ["plan", "-input=false", "-no-color", "-refresh=false", "-out=window.tfplan"],
        `${step}-plan`,
      );
      if (judged("plan", plan) || notRoutine.kind !== "needs a window") return;
      const shown = await this.terraform(["show", "-json", "window.tfplan"], `${step}-show`, true);
      const classes = planClasses(JSON.parse(shown.output) as PlanJson);
      const missing = missingChanges(classes, notRoutine.includes);
      const unsafe = invariantViolations(classes);
      verdict(
        `${summary(classes)}${unsafe.length > 0 ? ` (unsafe: ${unsafe.length})` : ""}; not applied`,
        missing.length === 0 ? undefined : missing.join("; "),
      );
    } finally {
      this.overrides = deployed;
    }
  }

  /** The docs' pipeline-synth block with the chain's override file as it stands. */
  private async synth(what: string, name: string): Promise<void> {
    const result = await this.synthResult(name);
    if (result.code !== 0) {
      throw new CheckFailed(`${this.stack}: docs block pipeline-synth (${what}) failed: ${this.log(name)}`);
    }
  }

  private synthResult(name: string) {
    writeFileSync(this.file, JSON.stringify(this.overrides, null, 2));
    return runStep(bash(blockOf(this.ctx, "pipeline-synth")), {
      cwd: this.dir,
      env: { ...this.env, STACK_CONFIG_FILE: this.file },
      log: this.log(name),
    });
  }

  private row(
    edit: CatalogueEdit,
    before: EnvironmentSettings,
    seen: string,
    verdict: string,
    started: number,
  ): ChangeRow {
    const applies = edit.when === undefined || edit.when(before);
    return {
      environment: this.stack,
      edit: edit.name,
      expected: applies ? describe(edit.expect(before)) : "-",
      seen,
      verdict,
      seconds: started === 0 ? 0 : (Date.now() - started) / 1000,
    };
  }

  private settings(): EnvironmentSettings {
    writeFileSync(this.file, JSON.stringify(this.overrides, null, 2));
    const found = loadSettings(PROJECT, { STACK_CONFIG_FILE: this.file }).environments.find(
      (e) => e.name === this.stack,
    );
    if (found === undefined) throw new CheckFailed(`change-safety: no environment ${this.stack}`);
    return found;
  }

  private terraform(args: readonly string[], name: string, mustPass = false) {
    const options = {
      cwd: join(this.dir, "cdktf.out", "stacks", this.stack),
      env: { ...this.env, TF_VAR_image_tag: this.imageTag },
      log: this.log(name),
    };
    const argv = [this.ctx.terraform, ...args];
    return mustPass
      ? mustSucceed(`${this.stack}: terraform ${args[0] ?? ""}`, argv, options)
      : runStep(argv, options);
  }

  /** A new build pushed and promoted, as a release would: a release tag of its own. */
  private pushRelease(index: number): string {
    const tag = `${this.ctx.imageTag}.${this.stack}${index}`;
    const { region, repositoryName } = this.ctx.settings.registry;
    emulatorTool(this.ctx, this.emulator, [
      "push-images",
      "--region",
      region,
      "--repository",
      repositoryName,
      "--tag",
      tag,
    ]);
    return tag;
  }

  /** The secret the run created, deleted once no edit needs it (the stacks never managed it). */
  private deleteSecret(arn: string): void {
    const env = this.ctx.settings.environments.find((e) => e.name === this.stack);
    emulatorTool(this.ctx, this.emulator, [
      "delete-secret",
      "--region",
      env?.region ?? "",
      "--secret-id",
      arn,
    ]);
  }

  /** A secret the "a secret" edit adds, created beforehand as a user would. */
  private createSecret(): string {
    const env = this.ctx.settings.environments.find((e) => e.name === this.stack);
    return emulatorTool(this.ctx, this.emulator, [
      "create-secret",
      "--region",
      env?.region ?? "",
      "--name",
      `${namePrefix(this.ctx, this.stack)}/e2e-api-key`,
    ]).trim();
  }

  private log(name: string): string {
    return join(this.ctx.work, "logs", `changes-${this.stack}-${name}.log`);
  }
}

/** Runs the catalogue on each environment (side by side), prints the table, and fails on any surprise. */
export async function changeSafety(
  ctx: Context,
  emulator: Emulator,
  env: NodeJS.ProcessEnv,
  stacks: readonly string[],
): Promise<ChangeRow[]> {
  const rows = (await Promise.all(stacks.map((stack) => new Chain(ctx, emulator, env, stack).run()))).flat();
  say(changeTable(rows));
  const failed = rows.filter((r) => r.verdict !== "as expected" && !r.verdict.startsWith("skipped"));
  if (failed.length > 0) {
    throw new CheckFailed(
      `change safety: ${failed.length} edit(s) did not behave as the catalogue says:\n${failed.map((r) => `  ${r.environment} / ${r.edit}: ${r.verdict}`).join("\n")}`,
    );
  }
  return rows;
}

/** The table the run prints (and the docs show): edit, expected, seen, verdict, seconds. */
export function changeTable(rows: readonly ChangeRow[]): string {
  const lines = rows.map(
    (r) =>
      `| ${r.environment} | ${r.edit} | ${r.expected} | ${r.seen} | ${r.verdict} | ${r.seconds.toFixed(0)} |`,
  );
  return [
    "",
    "| env | edit | expected | seen | verdict | s |",
    "| --- | --- | --- | --- | --- | --- |",
    ...lines,
  ].join("\n");
}
