/**
 * The README's synth commands, started once per jest run by global-setup on the built-in example
 * (concurrently, while the test files run), so the test files that check their output share one
 * run of each instead of running the commands again; shared() waits for a command to finish.
 * Outputs are read-only by convention: a test that changes one works on a copy (copyOf).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleProcessEnv } from "./settings";

/** Name → the npm command line (after `npm run --silent`), writing to the output given at the end. */
export const SHARED_COMMANDS = {
  synth: ["synth", "--", "--output"],
  "synth:hcl": ["synth:hcl", "--", "--output"],
  "cdktf synth": ["cdktf", "--", "synth", "--output"],
  "cdktf synth --hcl": ["cdktf", "--", "synth", "--hcl", "--output"],
} as const;
export type SharedCommand = keyof typeof SHARED_COMMANDS;

/** What a command printed and how it ended, beside its output directory. */
export interface SharedRun {
  readonly outdir: string;
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of every CLI run in the tests: the built-in example, no telemetry, no ~/.terraformrc. */
export function cliEnv(configuration: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...exampleProcessEnv(),
    TF_CLI_CONFIG_FILE: "/dev/null",
    CHECKPOINT_DISABLE: "1",
    CI: "1",
    ...configuration,
  };
}

const folderOf = (root: string, name: SharedCommand) => join(root, name.replace(/[^a-z]+/g, "-"));

function start(name: SharedCommand, root: string): ChildProcess {
  const dir = folderOf(root, name);
  mkdirSync(dir);
  // The shell records the outcome itself: with one test file jest runs it in its own process,
  // whose event loop is blocked while shared() waits.
  const script = `npm run --silent ${SHARED_COMMANDS[name].join(" ")} "$1/cdktf.out" >"$1/stdout" 2>"$1/stderr"; echo $? >"$1/status.part"; mv "$1/status.part" "$1/status"`;
  // Its own process group, so global-teardown can stop npm and what npm started together.
  const child = spawn("sh", ["-c", script, "sh", dir], { env: cliEnv(), detached: true, stdio: "ignore" });
  child.unref();
  return child;
}

/** Starts every shared command into a new directory under root; returns it and the processes. */
export function startSharedCommands(root: string): { dir: string; children: ChildProcess[] } {
  const dir = mkdtempSync(join(root, "shared-"));
  const children = (Object.keys(SHARED_COMMANDS) as SharedCommand[]).map((name) => start(name, dir));
  return { dir, children };
}

/** The run of a shared command in this jest run. */
export function shared(name: SharedCommand): SharedRun {
  const root = process.env.JEST_SHARED_SYNTH;
  if (root === undefined) {
    throw new Error("JEST_SHARED_SYNTH is not set: run the tests through jest (global-setup)");
  }
  const dir = folderOf(root, name);
  const deadline = Date.now() + 180_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(join(dir, "status"))) {
    if (Date.now() > deadline) {
      throw new Error(`${name} (a shared command of this jest run) did not finish in 180 s`);
    }
    Atomics.wait(pause, 0, 0, 50);
  }
  const read = (file: string) => readFileSync(join(dir, file), "utf8");
  return {
    outdir: join(dir, "cdktf.out"),
    status: Number(read("status")),
    stdout: read("stdout"),
    stderr: read("stderr"),
  };
}

/** A private copy of a shared command's output, for a test that changes it. */
export function copyOf(name: SharedCommand): string {
  const run = shared(name);
  if (run.status !== 0) throw new Error(`npm run ${name} failed (exit ${run.status}):\n${run.stderr}`);
  const copy = join(mkdtempSync(join(tmpdir(), "shared-copy-")), "cdktf.out");
  cpSync(run.outdir, copy, { recursive: true });
  return copy;
}

/** Every file under dir (by its path below dir) with its content, to compare outputs byte for byte. */
export function snapshotTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[path.slice(dir.length)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}
