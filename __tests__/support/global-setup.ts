/**
 * Every temporary directory of a jest run (cdktf's test outdirs, override files, synthesized
 * copies) goes under one root that global-teardown removes, so runs leave nothing in /tmp.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function globalSetup(): void {
  const root = mkdtempSync(join(tmpdir(), "fargate-api-jest-"));
  process.env.JEST_TEMP_ROOT = root;
  // Workers and the processes tests start inherit it; os.tmpdir() reads TMPDIR on every call.
  process.env.TMPDIR = root;
}
