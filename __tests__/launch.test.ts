/**
 * stacks/app/launch.js, the app command: bundles on the first run and whenever an input changed,
 * reuses the bundle otherwise. Run in a scratch project
 * with a one-line main.ts, so the real dist/ is not touched.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const scratch = mkdtempSync(join(tmpdir(), "launch-"));
mkdirSync(join(scratch, "stacks", "app"), { recursive: true });
copyFileSync(
  resolve(__dirname, "..", "stacks", "app", "launch.js"),
  join(scratch, "stacks", "app", "launch.js"),
);
symlinkSync(resolve(__dirname, "..", "node_modules"), join(scratch, "node_modules"));
const bundle = join(scratch, "dist", "main.js");

function writeMain(greeting: string): void {
  writeFileSync(
    join(scratch, "main.ts"),
    `const args: string[] = process.argv.slice(2);\nconsole.log("${greeting}", args.join(" "));\n`,
  );
}

const launch = (...args: string[]) =>
  spawnSync("node", [join(scratch, "stacks", "app", "launch.js"), ...args], { encoding: "utf8" });

describe("launch.js", () => {
  writeMain("hello");

  test("bundles main.ts on the first run and runs it with the arguments given", () => {
    const run = launch("--output", "x");
    expect([run.status, run.stdout, run.stderr]).toEqual([0, "hello --output x\n", ""]);
    expect(readFileSync(bundle, "utf8")).toContain('"hello"');
  });

  test("reuses the bundle while no input changed", () => {
    const built = statSync(bundle).mtimeMs;
    expect(launch().stdout).toBe("hello \n");
    expect(statSync(bundle).mtimeMs).toBe(built);
  });

  test("bundles again once an input changed", () => {
    writeMain("changed");
    expect(launch().stdout).toBe("changed \n");
  });

  test("--build-only builds without running", () => {
    writeMain("built only");
    expect(launch("--build-only").stdout).toBe("");
    expect(readFileSync(bundle, "utf8")).toContain('"built only"');
  });
});
