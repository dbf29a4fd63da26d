/**
 * The built-in example's synthesized output, for tests about the example. The shared
 * `npm run synth` of the jest run synthesizes stacks/config/project.ts, which an adopter may have
 * replaced; then the example is synthesized here instead, so those tests hold for any project.
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeProject } from "../../stacks/app/synthesize";
import { EXAMPLE_PROJECT } from "../../stacks/config/example-project";
import { loadSettings } from "../../stacks/config/load";
import { PROJECT } from "../../stacks/config/project";
import { shared } from "./shared-synth";

/** Whether npm run synth's project (stacks/config/project.ts) is the built-in example. */
export const PROJECT_IS_EXAMPLE = PROJECT === EXAMPLE_PROJECT;

const synthesizedHere = new Map<string, string>();

/** Runs fn with SYNTH_HCL_OUTPUT set as the cdktf CLI sets it for `cdktf synth --hcl`. */
export function withHcl<T>(hcl: boolean, fn: () => T): T {
  const before = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(hcl);
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = before;
  }
}

/** The example's cdktf.out as JSON (synth) or HCL (synth:hcl), read-only by convention. */
export function exampleOutput(format: "synth" | "synth:hcl"): string {
  if (PROJECT_IS_EXAMPLE) {
    const run = shared(format);
    if (run.status !== 0) throw new Error(`npm run ${format} failed (exit ${run.status}):\n${run.stderr}`);
    return run.outdir;
  }
  let outdir = synthesizedHere.get(format);
  if (outdir === undefined) {
    const dir = join(mkdtempSync(join(tmpdir(), "example-")), "cdktf.out");
    withHcl(format === "synth:hcl", () =>
      synthesizeProject(loadSettings(EXAMPLE_PROJECT, {}), dir, { warn: () => undefined }),
    );
    synthesizedHere.set(format, dir);
    outdir = dir;
  }
  return outdir;
}

/** A private copy of the example's output, for a test that changes it. */
export function copyOfExample(format: "synth" | "synth:hcl"): string {
  const copy = join(mkdtempSync(join(tmpdir(), "example-copy-")), "cdktf.out");
  cpSync(exampleOutput(format), copy, { recursive: true });
  return copy;
}
