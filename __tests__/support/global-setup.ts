/**
 * Every temporary directory of a jest run (cdktf's test outdirs, override files, synthesized
 * copies) goes under one root that global-teardown removes, so runs leave nothing in /tmp.
 * The README's synth commands start here, once for all test files (see shared-synth).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSharedCommands } from "./shared-synth";
import type { ChildProcess } from "node:child_process";

/** Global setup and teardown run in jest's main process: teardown stops what is still running. */
export const SHARED_CHILDREN = Symbol.for("fargate-api-jest.shared-children");

export default function globalSetup(): void {
  const root = mkdtempSync(join(tmpdir(), "fargate-api-jest-"));
  process.env.JEST_TEMP_ROOT = root;
  // Workers and the processes tests start inherit it; os.tmpdir() reads TMPDIR on every call.
  process.env.TMPDIR = root;
  const { dir, children } = startSharedCommands(root);
  process.env.JEST_SHARED_SYNTH = dir;
  (globalThis as Record<symbol, ChildProcess[]>)[SHARED_CHILDREN] = children;
}
