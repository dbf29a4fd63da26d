/** The pipeline path: the README's pipeline blocks, S3 state in the emulator, and three faults. */
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Context, Emulator, StackReport } from "./context";
import { ENVIRONMENTS, REGISTRY, STACKS, blockOf, copyProject, secondPlan, stateCount } from "./context";
import { breakGlass, bucketKeys, checkNothingLeft, holdCalls, releaseCalls, strays } from "./emulator";
import type { StepOptions, StepResult } from "./process";
import { CheckFailed, TERRAFORM_MARKS, bash, mustSucceed, processNamed, runStep } from "./process";

/** Resources created before the dev apply may be interrupted. */
const INTERRUPT_AFTER = 20;
/** The image tag the emulator's ECS rolls back, as the deployment circuit breaker would (moto_launcher.py). */
const ROLLED_BACK_TAG = "e2e-rolled-back";

/** README blocks pipeline-synth and pipeline-stack, S3 state, with the two faults. */
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
    this.env = { ...emulator.env, IMAGE_TAG: ctx.imageTag };
    this.reports = STACKS.map((stack) => ({ path: "pipeline", stack, seconds: {}, notes: [] }));
  }

  public async run(): Promise<StackReport[]> {
    await mustSucceed("README block pipeline-synth", bash(blockOf(this.ctx, "pipeline-synth")), {
      cwd: this.dir,
      env: this.env,
      log: this.log("synth"),
    });
    const registry = await this.runStack(REGISTRY, "registry");
    if (registry.code !== 0) {
      throw new CheckFailed("README block pipeline-stack for registry failed", this.log("registry"));
    }
    this.recordPhases(REGISTRY, registry);
    await Promise.all([this.interruptedDev(), this.lockedProd()]);
    await Promise.all(
      STACKS.map(async (stack) => {
        this.report(stack).resources = stateCount(this.ctx, this.env, this.stackDir(stack));
        await secondPlan(this.ctx, this.env, this.stackDir(stack), this.report(stack));
      }),
    );
    await this.rolledBackDeployment("dev");
    await Promise.all(ENVIRONMENTS.map((stack) => this.destroy(stack)));
    await this.destroy(REGISTRY);
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
          process.kill(terraform, "SIGTERM");
        });
      },
    });
    if (interruption !== undefined) await interruption;
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
    const lost = strays(this.ctx, this.emulator, this.env, "dev", this.stackDir("dev"));
    if (lost.length > 0) {
      throw new CheckFailed(
        `dev: the interrupted apply lost resources to the state:\n  ${lost.join("\n  ")}`,
      );
    }
    this.report("dev").notes.push(
      `SIGTERM after ${createdAtSignal} resources created (between two API calls); it stopped with ${kept} in state, none lost, the lock released; applied again`,
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
      throw new CheckFailed("README block pipeline-stack for prod failed", this.log("prod"));
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
   * Fault (c): a deployment the circuit breaker rolls back. The README's block deploys an image tag
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

  /** terraform destroy; a protected environment must refuse until the documented break-glass step. */
  private async destroy(stack: string): Promise<void> {
    const attempt = (name: string) =>
      runStep([this.ctx.terraform, "destroy", "-auto-approve", "-input=false", "-no-color"], {
        cwd: this.stackDir(stack),
        env: { ...this.env, TF_VAR_image_tag: this.ctx.imageTag },
        log: this.log(name),
      });
    let result = await attempt(`destroy-${stack}`);
    let seconds = result.seconds;
    if (this.ctx.settings.environments.find((e) => e.name === stack)?.edge.deletionProtection) {
      if (result.code === 0 || !/deletion protection/i.test(result.output)) {
        throw new CheckFailed(
          `${stack}: destroy was not stopped by the load balancer's deletion protection`,
          this.log(`destroy-${stack}`),
        );
      }
      this.report(stack).notes.push("destroy refused by deletion protection until the break-glass step");
      breakGlass(this.ctx, this.emulator, stack);
      result = await attempt(`destroy-${stack}-after-break-glass`);
      seconds += result.seconds;
    }
    if (result.code !== 0) {
      throw new CheckFailed(`${stack}: terraform destroy failed`, this.log(`destroy-${stack}`));
    }
    this.report(stack).seconds.destroy = seconds;
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

  /** Adds the init, plan and apply times of one README block run to the stack's report. */
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
