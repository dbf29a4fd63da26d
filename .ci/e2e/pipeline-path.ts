/** The pipeline path: the documented pipeline blocks, S3 state in the emulator, and three faults. */
import { checkWorkloads } from "./workload-checks";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Context, Emulator, StackReport } from "./context";
import {
  ENVIRONMENTS,
  REGISTRY,
  STACKS,
  blockOf,
  copyProject,
  namePrefix,
  secondPlan,
  stateCount,
} from "./context";
import { changeSafety } from "./change-safety";
import { expectRefusedDestroy, isDestroyProtected, pipelineBreakGlass } from "./destroy-safety";
import {
  FAILED_MIGRATION_TAG,
  RELEASED_TAG,
  ROLLED_BACK_TAG,
  deleteImages,
  pushAndPromote,
  refusedReleases,
} from "./release-safety";
import {
  bucketKeys,
  checkNothingLeft,
  emulatorTool,
  holdCalls,
  midCreateKeys,
  releaseCalls,
  stillCreating,
  strays,
} from "./emulator";
import type { StepOptions, StepResult } from "./process";
import {
  CheckFailed,
  TERRAFORM_MARKS,
  bash,
  mustSucceed,
  processNamed,
  processesGone,
  runStep,
} from "./process";

/** Resources created before the dev apply may be interrupted. */
const INTERRUPT_AFTER = 20;
/** What the emulator's ECS runs: the service's image and secrets, and each task RunTask started. */
interface EcsImages {
  service: string;
  serviceSecrets: string[];
  tasks: Array<{ startedBy: string; image: string; exitCode: number | null }>;
}

/** docs blocks pipeline-synth and pipeline-stack, S3 state, with the two faults. */
export function pipelinePath(ctx: Context, emulator: Emulator, bucket: string): Promise<StackReport[]> {
  return new PipelinePath(ctx, emulator, bucket).run();
}

class PipelinePath {
  private readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly reports: StackReport[];

  constructor(
    private readonly ctx: Context,
    private readonly emulator: Emulator,
    private readonly bucket: string,
  ) {
    this.dir = copyProject(ctx, "pipeline");
    // The release block calls the AWS CLI, installed with moto.
    const path = `${dirname(ctx.venvPython)}:${emulator.env.PATH ?? ""}`;
    this.env = { ...emulator.env, PATH: path, IMAGE_TAG: ctx.imageTag };
    this.reports = STACKS.map((stack) => ({ path: "pipeline", stack, seconds: {}, notes: [] }));
  }

  public async run(): Promise<StackReport[]> {
    await mustSucceed("docs block pipeline-synth", bash(blockOf(this.ctx, "pipeline-synth")), {
      cwd: this.dir,
      env: this.env,
      log: this.log("synth"),
    });
    const registry = await this.runStack(REGISTRY, "registry");
    if (registry.code !== 0) {
      throw new CheckFailed("docs block pipeline-stack for registry failed", this.log("registry"));
    }
    this.recordPhases(REGISTRY, registry);
    await pushAndPromote(this.ctx, this.emulator, this.dir, this.env, this.log("promote-image"));
    await Promise.all([this.interruptedDev(), this.lockedProd()]);
    await Promise.all(
      STACKS.map(async (stack) => {
        this.report(stack).resources = stateCount(this.ctx, this.env, this.stackDir(stack));
        await secondPlan(this.ctx, this.env, this.stackDir(stack), this.report(stack));
      }),
    );
    for (const stack of ENVIRONMENTS) {
      checkWorkloads(this.ctx, this.emulator, this.env, stack, this.stackDir(stack), this.report(stack));
    }
    await refusedReleases(
      {
        ctx: this.ctx,
        dir: this.dir,
        env: this.env,
        stackDir: (stack) => this.stackDir(stack),
        report: (stack) => this.report(stack),
        log: (name) => this.log(name),
      },
      "dev",
      ENVIRONMENTS.find((e) => e === "prod"),
    );
    await this.release("dev");
    await this.rolledBackDeployment("dev");
    await this.rotation("prod");
    if (this.ctx.changeSafety) {
      await changeSafety(this.ctx, this.emulator, this.env, ENVIRONMENTS);
    }
    await this.tearDown();
    checkNothingLeft(this.ctx, this.emulator, STACKS, this.reports);
    return this.reports;
  }

  /**
   * Fault (a): dev is interrupted (SIGTERM, as a cancelled CI job) midway, then applied again.
   * Terraform cancels provider calls in flight when it stops, and a create cancelled after AWS
   * acted is lost to the state (Terraform's own hazard, not the stacks'). So the emulator first
   * holds new calls until none is in progress, and the signal goes then.
   */
  private async interruptedDev(): Promise<void> {
    let createdAtSignal: number | undefined;
    let creatingAtSignal: string[] = [];
    let interruption: Promise<void> | undefined;
    let created = 0;
    const first = await this.runStack("dev", "dev-interrupted", {
      watch: (output, child) => {
        created = (output.match(/Creation complete after/g) ?? []).length;
        if (interruption !== undefined || child.pid === undefined || created < INTERRUPT_AFTER) return;
        const pid = child.pid;
        interruption = holdCalls(this.emulator).then(() => {
          const terraform = processNamed(pid, "terraform");
          if (terraform === undefined) return;
          createdAtSignal = created;
          creatingAtSignal = stillCreating(output);
          process.kill(terraform, "SIGTERM");
        });
      },
    });
    if (interruption !== undefined) await interruption;
    // Held calls are answered 503 on release, and a provider plugin still alive would retry them.
    if (!(await processesGone(this.stackDir("dev"), "terraform-provi"))) {
      throw new CheckFailed(
        "dev: the AWS provider was still running 30 s after the interrupted Terraform exited",
      );
    }
    await releaseCalls(this.emulator);
    if (createdAtSignal === undefined || first.code === 0) {
      throw new CheckFailed(
        "dev: the apply finished before it could be interrupted",
        this.log("dev-interrupted"),
      );
    }
    this.recordPhases("dev", first);
    const kept = stateCount(this.ctx, this.env, this.stackDir("dev"));
    if (this.lockHeld("dev")) {
      throw new CheckFailed(
        "dev: the interrupted apply left its state lock behind",
        this.log("dev-interrupted"),
      );
    }
    const strayed = strays(this.ctx, this.emulator, this.env, "dev", this.stackDir("dev"));
    const { forgiven, lost } = midCreateKeys(this.ctx, this.emulator, strayed, creatingAtSignal);
    if (lost.length > 0) {
      throw new CheckFailed(
        `dev: the interrupted apply lost resources to the state:\n  ${lost.join("\n  ")}`,
      );
    }
    this.report("dev").notes.push(
      `SIGTERM after ${createdAtSignal} resources created (between two API calls); it stopped with ${kept} in state, ${forgiven.length === 0 ? "none lost" : `${forgiven.length} KMS key(s) mid-create lost (Terraform's hazard) and scheduled for deletion`}, the lock released; applied again`,
    );
    const second = await this.runStack("dev", "dev-resumed");
    if (second.code !== 0) {
      throw new CheckFailed("dev: the apply after the interruption failed", this.log("dev-resumed"));
    }
    this.recordPhases("dev", second);
    const outside = strays(this.ctx, this.emulator, this.env, "dev", this.stackDir("dev"));
    if (outside.length > 0) {
      throw new CheckFailed(
        `dev: resources in the emulator that the state does not hold:\n  ${outside.join("\n  ")}`,
      );
    }
    this.report("dev").notes.push("converged: no resource outside the state");
  }

  /** Fault (b): a second prod run (in a copy, as another CI job would) starts while the first holds the lock. */
  private async lockedProd(): Promise<void> {
    let second: Promise<StepResult> | undefined;
    const otherJob = join(this.ctx.work, "pipeline-second-job");
    mkdirSync(this.stackDir("prod", otherJob), { recursive: true });
    cpSync(join(this.stackDir("prod"), "cdk.tf.json"), join(this.stackDir("prod", otherJob), "cdk.tf.json"));
    const first = await this.runStack("prod", "prod", {
      watch: (output) => {
        if (second === undefined && /Creating\.\.\./.test(output)) {
          second = this.runStack("prod", "prod-second-job", {}, otherJob);
        }
      },
    });
    if (first.code !== 0) {
      throw new CheckFailed("docs block pipeline-stack for prod failed", this.log("prod"));
    }
    this.recordPhases("prod", first);
    const refused = await (second ?? Promise.reject(new CheckFailed("prod: the apply never started")));
    if (refused.code === 0 || !/Error acquiring the state lock/.test(refused.output)) {
      throw new CheckFailed(
        "prod: a second run was not refused while the first held the state lock",
        this.log("prod-second-job"),
      );
    }
    if (this.lockHeld("prod")) {
      throw new CheckFailed("prod: the state lock is still held after the apply finished");
    }
    this.report("prod").notes.push("a second run during the apply was refused (state lock); state intact");
  }

  /**
   * Fault (c): a deployment the circuit breaker rolls back. The docs' block deploys an image tag
   * the emulator's ECS rolls back; the apply must fail (the service's postcondition) instead of
   * reporting success while the previous version keeps running.
   */
  private async rolledBackDeployment(stack: string): Promise<void> {
    const result = await runStep(bash(blockOf(this.ctx, "pipeline-stack")), {
      cwd: this.dir,
      env: { ...this.env, STACK: stack, IMAGE_TAG: ROLLED_BACK_TAG },
      log: this.log(`${stack}-rolled-back`),
    });
    if (result.code === 0 || !/circuit breaker rolled it back/.test(result.output)) {
      throw new CheckFailed(
        `${stack}: an apply whose deployment was rolled back did not fail with the service's postcondition`,
        this.log(`${stack}-rolled-back`),
      );
    }
    if (this.lockHeld(stack)) throw new CheckFailed(`${stack}: the failed apply left its state lock behind`);
    this.report(stack).notes.push(
      `a deployment rolled back by the circuit breaker failed the apply (postcondition), after ${result.seconds.toFixed(0)} s`,
    );
  }

  /**
   * The documented release order: block pipeline-release (migrate at the new tag, wait, check its exit
   * code), then pipeline-stack. Once with a migration that succeeds: it must run at the new tag
   * while the service still runs the old one, and the deploy then moves the service. Once with a
   * migration that exits 1: the block must fail, and the service keep the tag it had.
   */
  private async release(stack: string): Promise<void> {
    const runRelease = (tag: string, name: string) =>
      runStep(bash(blockOf(this.ctx, "pipeline-release")), {
        cwd: this.dir,
        env: { ...this.env, STACK: stack, IMAGE_TAG: tag },
        log: this.log(name),
      });
    const migrated = await runRelease(RELEASED_TAG, `${stack}-release`);
    if (migrated.code !== 0) {
      throw new CheckFailed(`${stack}: docs block pipeline-release failed`, this.log(`${stack}-release`));
    }
    const before = this.ecsImages(stack);
    const runs = before.tasks.filter(
      (t) => t.startedBy === "migrate" && t.image.endsWith(`:${RELEASED_TAG}`),
    );
    if (runs.length !== 1 || runs[0]?.exitCode !== 0 || before.service.endsWith(`:${RELEASED_TAG}`)) {
      throw new CheckFailed(
        `${stack}: the release block did not run migrate once at ${RELEASED_TAG} before the service moved: ${JSON.stringify(before)}`,
      );
    }
    const deployed = await this.runStack(stack, `${stack}-release-deploy`, {
      env: { ...this.env, STACK: stack, IMAGE_TAG: RELEASED_TAG },
    });
    if (deployed.code !== 0 || !this.ecsImages(stack).service.endsWith(`:${RELEASED_TAG}`)) {
      throw new CheckFailed(
        `${stack}: the deploy after the migration failed`,
        this.log(`${stack}-release-deploy`),
      );
    }
    const failed = await runRelease(FAILED_MIGRATION_TAG, `${stack}-failed-migration`);
    const after = this.ecsImages(stack);
    if (
      failed.code === 0 ||
      !/migrate exited 1: not deploying/.test(failed.output) ||
      !after.service.endsWith(`:${RELEASED_TAG}`)
    ) {
      throw new CheckFailed(
        `${stack}: a failed migration did not stop the release with the service on ${RELEASED_TAG}`,
        this.log(`${stack}-failed-migration`),
      );
    }
    this.report(stack).notes.push(
      `release: migrate ran at the new tag (exit 0) while the service kept the old one, then the deploy moved it; a migration that exited 1 stopped the next release, the service unchanged (${(migrated.seconds + deployed.seconds + failed.seconds).toFixed(0)} s)`,
    );
  }

  /**
   * The master password rotates (RDS does it every 7 days): nothing deployed may hold it. The
   * emulator rotates the secret as RDS does; the service must reference no secret of it (it logs in
   * with IAM tokens), and a plan must find nothing to change or restart.
   */
  private async rotation(stack: string): Promise<void> {
    const env = this.ctx.settings.environments.find((e) => e.name === stack);
    if (env === undefined || !env.database.enabled) return;
    const output = spawnSync(this.ctx.terraform, ["output", "-raw", "database_secret_arn"], {
      cwd: this.stackDir(stack),
      env: this.env,
      encoding: "utf8",
    });
    const secretArn = output.stdout.trim();
    if (output.status !== 0 || secretArn === "") {
      throw new CheckFailed(`${stack}: terraform output database_secret_arn failed: ${output.stderr}`);
    }
    const rotated = JSON.parse(
      emulatorTool(this.ctx, this.emulator, [
        "rotate-secret",
        "--region",
        env.region,
        "--secret-id",
        secretArn,
      ]),
    ) as { before: string; after: string; passwordChanged: boolean };
    if (!rotated.passwordChanged) throw new CheckFailed(`${stack}: the master secret did not rotate`);
    const held = this.ecsImages(stack).serviceSecrets.filter((s) => s.startsWith(secretArn));
    if (held.length > 0) {
      throw new CheckFailed(
        `${stack}: the service reads the master secret, which rotation makes stale: ${held.join(", ")}`,
      );
    }
    const report: StackReport = {
      path: "pipeline",
      stack: `${stack}-after-rotation`,
      seconds: {},
      notes: [],
    };
    await secondPlan(this.ctx, this.env, this.stackDir(stack), report);
    this.report(stack).notes.push(
      `master secret rotated (version ${rotated.before.slice(0, 8)} -> ${rotated.after.slice(0, 8)}): the service references no secret of it, and a plan finds nothing to change (${(report.seconds.plan2 ?? 0).toFixed(0)} s)`,
    );
  }

  private ecsImages(stack: string): EcsImages {
    const env = this.ctx.settings.environments.find((e) => e.name === stack);
    const found = JSON.parse(
      emulatorTool(this.ctx, this.emulator, [
        "ecs-images",
        "--region",
        env?.region ?? "",
        "--cluster",
        namePrefix(this.ctx, stack),
      ]),
    ) as {
      services: Record<string, string>;
      serviceSecrets: Record<string, string[]>;
      tasks: EcsImages["tasks"];
    };
    const name = env?.service.name ?? "";
    return {
      service: found.services[name] ?? "",
      serviceSecrets: found.serviceSecrets[name] ?? [],
      tasks: found.tasks,
    };
  }

  /** Every stack destroyed, the registry last, once its images are gone. */
  private async tearDown(): Promise<void> {
    await this.tearDownStacks(ENVIRONMENTS);
    deleteImages(this.ctx, this.emulator);
    await this.tearDownStacks([REGISTRY]);
  }

  /** A protected stack must first refuse a plain destroy at plan time, then takes the break-glass blocks. */
  /** Every stack destroyed, the registry last, once its images are gone. */
  private async tearDownStacks(stacks: readonly string[]): Promise<void> {
    const guarded = stacks.filter((stack) => isDestroyProtected(this.ctx, stack));
    await Promise.all(
      guarded.map((stack) =>
        expectRefusedDestroy(
          this.ctx,
          this.env,
          this.stackDir(stack),
          this.report(stack),
          () => this.destroy(stack, `destroy-${stack}-refused`),
          this.log(`destroy-${stack}-refused`),
        ),
      ),
    );
    await Promise.all([
      ...stacks.filter((stack) => !guarded.includes(stack)).map((stack) => this.mustDestroy(stack)),
      pipelineBreakGlass(this.ctx, this.env, this.dir, guarded, this.log.bind(this), this.report.bind(this)),
    ]);
  }

  private destroy(stack: string, name: string): Promise<StepResult> {
    return runStep([this.ctx.terraform, "destroy", "-auto-approve", "-input=false", "-no-color"], {
      cwd: this.stackDir(stack),
      env: { ...this.env, TF_VAR_image_tag: this.ctx.imageTag },
      log: this.log(name),
    });
  }

  private async mustDestroy(stack: string): Promise<void> {
    const result = await this.destroy(stack, `destroy-${stack}`);
    if (result.code !== 0) {
      throw new CheckFailed(`${stack}: terraform destroy failed`, this.log(`destroy-${stack}`));
    }
    this.report(stack).seconds.destroy = result.seconds;
  }

  private runStack(stack: string, name: string, extra: Partial<StepOptions> = {}, root = this.dir) {
    return runStep(bash(blockOf(this.ctx, "pipeline-stack")), {
      cwd: root,
      env: { ...this.env, STACK: stack },
      log: this.log(name),
      marks: TERRAFORM_MARKS,
      ...extra,
    });
  }

  /** Adds the init, plan and apply times of one docs block run to the stack's report. */
  private recordPhases(stack: string, result: StepResult): void {
    const { init = 0, plan = init, apply = result.seconds } = result.marks;
    const seconds = this.report(stack).seconds;
    seconds.init = (seconds.init ?? 0) + init;
    seconds.plan = (seconds.plan ?? 0) + (plan - init);
    seconds.apply = (seconds.apply ?? 0) + (apply - plan);
  }

  private lockHeld(stack: string): boolean {
    return bucketKeys(this.ctx, this.emulator, this.bucket).includes(
      `${this.ctx.settings.project}/${stack}.tfstate.tflock`,
    );
  }

  private report(stack: string): StackReport {
    return this.reports.find((r) => r.stack === stack) as StackReport;
  }

  private log(name: string): string {
    return join(this.ctx.work, "logs", `pipeline-${name}.log`);
  }

  private stackDir(stack: string, root = this.dir): string {
    return join(root, "cdktf.out", "stacks", stack);
  }
}
