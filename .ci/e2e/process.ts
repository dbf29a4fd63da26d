/** Child processes of npm run e2e: steps with logs and phase timings, and stopping all of them. */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";

export const say = (line: string) => process.stdout.write(`${line}\n`);
export const elapsed = (since: number) => (Date.now() - since) / 1000;
// eslint-disable-next-line no-control-regex
export const plain = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");

export class CheckFailed extends Error {
  constructor(
    message: string,
    public readonly log?: string,
  ) {
    super(message);
  }
}

/** Every child process group the run starts, so that all of them stop whatever happens. */
export const children = new Set<ChildProcess>();
export function stopAll(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

export interface StepResult {
  readonly code: number | null;
  readonly output: string;
  readonly seconds: number;
  /** Seconds at which each phase marker first appeared in the output. */
  readonly marks: Readonly<Record<string, number>>;
}

export interface StepOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: string;
  readonly timeoutSeconds?: number;
  readonly marks?: Readonly<Record<string, RegExp>>;
  /** Called with the output so far whenever more arrives; may act on the running process. */
  readonly watch?: (output: string, child: ChildProcess) => void;
}

/** Terraform's progress markers, to time init, plan and apply inside one docs block. */
export const TERRAFORM_MARKS = {
  init: /Terraform has been successfully initialized/,
  plan: /Saved the plan to|Plan: \d+ to add|No changes\./,
  apply: /Apply complete!/,
};

/** Steps running now (their log's name) and when each started, for the progress line. */
const running = new Map<string, number>();

/**
 * Prints, once a minute until stopped, which steps are running and for how long, with the last
 * resource line of each step's output (Terraform's "Creating...", "Still destroying..."): a long
 * run is never silent for more than a minute.
 */
export function startProgress(started: number, intervalMs = 60_000): () => void {
  const timer = setInterval(() => {
    const steps = [...running.entries()].map(
      ([name, since]) => `${name} ${elapsed(since).toFixed(0)} s${lastActivity.get(name) ?? ""}`,
    );
    say(`  [${elapsed(started).toFixed(0)} s] running: ${steps.length > 0 ? steps.join("; ") : "checks"}`);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
const lastActivity = new Map<string, string>();
const RESOURCE_PROGRESS =
  /([\w-]+\.[\w\-[\]"]+): (Creating|Modifying|Destroying|Still [a-z]+|Creation complete|Destruction complete|Modifications complete)/g;

export function runStep(argv: readonly string[], options: StepOptions): Promise<StepResult> {
  const started = Date.now();
  const name = options.log.replace(/^.*\//, "").replace(/\.log$/, "");
  running.set(name, started);
  const timeoutSeconds = options.timeoutSeconds ?? 600;
  return new Promise((done) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    let output = "";
    const marks: Record<string, number> = {};
    const timer = setTimeout(() => {
      output += `\n[npm run e2e: stopped after ${timeoutSeconds} s]\n`;
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, timeoutSeconds * 1000);
    const take = (chunk: Buffer) => {
      const text = plain(chunk.toString());
      output += text;
      const progress = [...text.matchAll(RESOURCE_PROGRESS)].pop();
      if (progress) lastActivity.set(name, ` (${progress[1] ?? ""}: ${(progress[2] ?? "").toLowerCase()})`);
      for (const [name, pattern] of Object.entries(options.marks ?? {})) {
        if (marks[name] === undefined && pattern.test(output)) marks[name] = elapsed(started);
      }
      options.watch?.(output, child);
    };
    child.stdout?.on("data", take);
    child.stderr?.on("data", take);
    // A command that cannot start (missing program or folder) is a failed step, not a crash.
    child.on("error", (error) => {
      output += `\n[npm run e2e: could not start ${argv[0] ?? ""} in ${options.cwd}: ${error.message}]\n`;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      running.delete(name);
      lastActivity.delete(name);
      children.delete(child);
      writeFileSync(options.log, output);
      done({ code, output, seconds: elapsed(started), marks });
    });
  });
}

export async function mustSucceed(
  what: string,
  argv: readonly string[],
  options: StepOptions,
): Promise<StepResult> {
  const result = await runStep(argv, options);
  if (result.code !== 0) throw new CheckFailed(`${what} failed (exit ${String(result.code)})`, options.log);
  return result;
}

export const bash = (script: string) => ["bash", "-euo", "pipefail", "-c", script];

/**
 * The process running `name`: `pid` itself (bash execs the last command of a block) or a child of
 * it (Linux /proc).
 */
export function processNamed(pid: number, name: string): number | undefined {
  const commandOf = (p: string) => readFileSync(`/proc/${p}/comm`, "utf8").trim();
  try {
    if (commandOf(String(pid)) === name) return pid;
  } catch {
    return undefined;
  }
  return childrenNamed(pid, name)[0];
}

/**
 * Resolves once no process whose name starts with `prefix` runs in `dir` (Linux /proc), or after
 * `timeoutMs`. Terraform's provider plugins can outlive Terraform by a moment, and a call they
 * retry then still reaches AWS.
 */
export async function processesGone(dir: string, prefix: string, timeoutMs = 30_000): Promise<boolean> {
  const running = () =>
    readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .some((pid) => {
        try {
          return (
            readFileSync(`/proc/${pid}/comm`, "utf8").startsWith(prefix) &&
            readlinkSync(`/proc/${pid}/cwd`) === dir
          );
        } catch {
          return false;
        }
      });
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (!running()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

export function childrenNamed(parent: number, name: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const command = /\(([^)]*)\)/.exec(stat)?.[1];
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return ppid === parent && command === name ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });
}
