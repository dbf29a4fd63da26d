/**
 * npm run e2e on a machine that lacks something: it says which piece and how to fix it, exits 2,
 * and leaves no work folder or emulator behind. Also the provider lookup on its own.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { locateProvider, satisfies } from "../.ci/e2e/preflight";
import { exampleProcessEnv } from "./support/settings";

const workFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith("e2e-"));
/** Process ids of running emulators (moto_launcher.py). */
const emulators = () =>
  readdirSync("/proc").filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("moto_launcher.py");
    } catch {
      return false; // the process ended meanwhile
    }
  });

function e2e(env: Record<string, string>) {
  const before = { folders: workFolders(), emulators: emulators() };
  const result = spawnSync("npm", ["run", "--silent", "e2e"], {
    encoding: "utf8",
    // E2E_KEEP off whatever the caller's shell says: these runs must leave nothing behind.
    env: { ...exampleProcessEnv(), E2E_KEEP: "0", ...env },
    timeout: 120_000,
  });
  return {
    status: result.status,
    stderr: result.stderr,
    newFolders: workFolders().filter((f) => !before.folders.includes(f)),
    newEmulators: emulators().filter((p) => !before.emulators.includes(p)),
  };
}

describe("npm run e2e in a bad environment", () => {
  test("without Terraform: says so and how to fix it, exit 2, nothing left", () => {
    const run = e2e({ E2E_TERRAFORM: "/nonexistent/terraform" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      'npm run e2e cannot run: Terraform not found: could not run "/nonexistent/terraform version"',
    );
    expect(run.stderr).toContain("fix: install Terraform 1.10 or newer");
    expect([run.newFolders, run.newEmulators]).toEqual([[], []]);
  });

  test("with the emulator port taken: names the port, exit 2, nothing left", async () => {
    // Any probe connection is closed at once, so the server can close when the test ends.
    const server: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    const port = (server.address() as { port: number }).port;
    try {
      const run = e2e({ E2E_MOTO_PORT: String(port) });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(run.stderr).toContain("fix: stop what listens there, choose other ports with E2E_MOTO_PORT");
      expect([run.newFolders, run.newEmulators]).toEqual([[], []]);
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });

  test("with a provider path that does not exist: says what to point it at, exit 2", () => {
    const run = e2e({ E2E_AWS_PROVIDER: "/nonexistent/terraform-provider-aws" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("E2E_AWS_PROVIDER=/nonexistent/terraform-provider-aws does not exist");
    expect(run.stderr).toContain("registry.terraform.io/hashicorp/aws/<version>/<os_arch>/");
    expect(run.newFolders).toEqual([]);
  });

  test("when moto cannot be installed: passes on pip's reason and how to fix it, exit 2, nothing left", () => {
    const scratch = mkdtempSync(join(tmpdir(), "e2e-test-venv-"));
    const venv = join(scratch, "venv");
    // A python whose venvs borrow its own pip instead of installing one (seconds saved); the
    // install then fails in pip itself, with pip's own message.
    const python = join(scratch, "python3");
    writeFileSync(
      python,
      '#!/bin/sh\nif [ "$1 $2" = "-m venv" ]; then exec python3 -m venv --without-pip --system-site-packages "$3"; fi\nexec python3 "$@"\n',
      { mode: 0o755 },
    );
    const run = e2e({
      E2E_PYTHON: python,
      E2E_VENV: venv,
      PIP_INDEX_URL: "http://127.0.0.1:9/simple",
      PIP_RETRIES: "0",
      PIP_TIMEOUT: "1",
    });
    rmSync(scratch, { recursive: true, force: true });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`could not install moto into ${venv}`);
    expect(run.stderr).toContain("fix: check access to PyPI (or set PIP_INDEX_URL to a mirror)");
    expect([run.newFolders, run.newEmulators]).toEqual([[], []]);
  });
});

describe("locateProvider", () => {
  function mirrorWith(version: string): string {
    const root = mkdtempSync(join(tmpdir(), "mirror-"));
    const dir = join(root, "registry.terraform.io", "hashicorp", "aws", version, "linux_amd64");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `terraform-provider-aws_v${version}_x5`), "");
    return root;
  }
  const work = () => mkdtempSync(join(tmpdir(), "locate-"));

  const RANGE = ">= 5.100.0, < 7.0.0";

  test("uses the newest version in a mirror that the stacks accept, as it is", () => {
    const mirror = mirrorWith("5.100.0");
    mkdirSync(join(mirror, "registry.terraform.io", "hashicorp", "aws", "7.1.0", "linux_amd64"), {
      recursive: true,
    });
    writeFileSync(
      join(
        mirror,
        "registry.terraform.io",
        "hashicorp",
        "aws",
        "7.1.0",
        "linux_amd64",
        "terraform-provider-aws_v7.1.0_x5",
      ),
      "",
    );
    expect(locateProvider({ E2E_AWS_PROVIDER: mirror }, RANGE, work())).toEqual({
      mirror,
      description: `5.100.0 from the mirror ${mirror} (the stacks accept ${RANGE})`,
    });
  });

  test("falls back to the registry, naming what it found, when no version there is accepted", () => {
    const mirror = mirrorWith("5.99.0");
    const dir = work();
    expect(locateProvider({ E2E_AWS_PROVIDER: mirror }, RANGE, dir)).toEqual({
      description: `${RANGE} from registry.terraform.io (found 5.99.0, outside it)`,
    });
    expect(existsSync(join(dir, "provider-mirror"))).toBe(false);
  });
});

describe("satisfies (Terraform version constraints)", () => {
  test.each<[string, string, boolean]>([
    ["5.100.0", ">= 5.100.0, < 7.0.0", true],
    ["6.25.0", ">= 5.100.0, < 7.0.0", true],
    ["5.99.9", ">= 5.100.0, < 7.0.0", false],
    ["7.0.0", ">= 5.100.0, < 7.0.0", false],
    ["6.30.1", "~> 6.25", true],
    ["7.0.0", "~> 6.25", false],
    ["6.25.9", "~> 6.25.1", true],
    ["6.26.0", "~> 6.25.1", false],
    ["6.25.0", "6.25.0", true],
    ["6.25.0", "!= 6.25.0", false],
  ])("%s against %s: %s", (version, constraint, expected) => {
    expect(satisfies(version, constraint)).toBe(expected);
  });
});
