/** Stops shared commands still running, then removes the temporary root (see global-setup). */
import { rmSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { SHARED_CHILDREN } from "./global-setup";

export default function globalTeardown(): void {
  for (const child of (globalThis as Record<symbol, ChildProcess[] | undefined>)[SHARED_CHILDREN] ?? []) {
    if (child.exitCode !== null || child.pid === undefined) continue;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // ended meanwhile
    }
  }
  const root = process.env.JEST_TEMP_ROOT;
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
}
