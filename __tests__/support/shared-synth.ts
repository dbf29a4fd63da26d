/**
 * The README's synth commands, started once per jest run by global-setup on the built-in example
 * (concurrently, while the test files run), so the test files that check their output share one
 * run of each instead of running the commands again; shared() waits for a command to finish.
 * Outputs are read-only by convention: a test that changes one works on a copy (copyOf).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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
  readonly status: number | null;
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
  const outdir = join(dir, "cdktf.out");
  // Its own process group, so global-teardown can stop npm and what npm started together.
  const child = spawn("npm", ["run", "--silent", ...SHARED_COMMANDS[name], outdir], {
    env: cliEnv(),
    detached: true,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
  child.on("close", (status) => {
    const run: SharedRun = {
      outdir,
      status,
      stdout: Buffer.concat(out).toString("utf8"),
      stderr: Buffer.concat(err).toString("utf8"),
    };
    try {
      writeFileSync(join(dir, "run.json.part"), JSON.stringify(run));
      renameSync(join(dir, "run.json.part"), join(dir, "run.json"));
    } catch {
      // global-teardown stopped it and removed the folder: the run ended before anyone waited.
    }
  });
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
  const done = join(folderOf(root, name), "run.json");
  const deadline = Date.now() + 180_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(done)) {
    if (Date.now() > deadline) {
      throw new Error(`${name} (a shared command of this jest run) did not finish in 180 s`);
    }
    Atomics.wait(pause, 0, 0, 50);
  }
  return JSON.parse(readFileSync(join(folderOf(root, name), "run.json"), "utf8")) as SharedRun;
}

/** A private copy of a shared command's output, for a test that changes it. */
export function copyOf(name: SharedCommand): string {
  const copy = join(mkdtempSync(join(tmpdir(), "shared-copy-")), "cdktf.out");
  cpSync(shared(name).outdir, copy, { recursive: true });
  return copy;
}
