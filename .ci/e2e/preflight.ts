/**
 * What npm run e2e needs before it starts anything: Terraform, the AWS provider, free ports,
 * Python and moto. Each missing piece is a SetupError that says what is missing and how to fix it.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";

export class SetupError extends Error {
  constructor(
    public readonly what: string,
    public readonly fix: string,
  ) {
    super(`${what}\n  fix: ${fix}`);
    this.name = "SetupError";
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Terraform's version, from `terraform version -json`; throws unless it is 1.10 or newer. */
export function checkTerraform(env: Env): { command: string; version: string } {
  const command = env.E2E_TERRAFORM ?? "terraform";
  const fix = "install Terraform 1.10 or newer and put it on the PATH, or set E2E_TERRAFORM to its path";
  const result = spawnSync(command, ["version", "-json"], {
    encoding: "utf8",
    env: { ...env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" },
  });
  if (result.error !== undefined || result.status !== 0) {
    throw new SetupError(`Terraform not found: could not run "${command} version"`, fix);
  }
  const version = (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major < 1 || (major === 1 && minor < 10)) {
    throw new SetupError(
      `Terraform ${version} is too old (S3 state locking with use_lockfile needs 1.10)`,
      fix,
    );
  }
  return { command, version };
}

/** jq, which the release block (help/pipelines-and-releases.md) uses to read Terraform's JSON output. */
export function checkJq(env: Env): void {
  const result = spawnSync("jq", ["--version"], { encoding: "utf8", env });
  if (result.error !== undefined || result.status !== 0) {
    throw new SetupError(
      'jq not found: could not run "jq --version"',
      "install jq (apt-get install jq) and put it on the PATH",
    );
  }
}

/** Python 3.9+ for moto. */
export function checkPython(env: Env): string {
  const command = env.E2E_PYTHON ?? "python3";
  const result = spawnSync(command, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
    encoding: "utf8",
  });
  const [major = 0, minor = 0] = (result.stdout ?? "").trim().split(".").map(Number);
  if (result.error !== undefined || result.status !== 0 || major < 3 || (major === 3 && minor < 9)) {
    throw new SetupError(
      `Python 3.9 or newer not found (ran "${command}")`,
      "install Python 3.9+ as python3 on the PATH, or set E2E_PYTHON to its path",
    );
  }
  return command;
}

/**
 * Ports for the emulators: E2E_MOTO_PORT and the next ones when set (each must be free), otherwise
 * 0 (the emulator picks a free port itself).
 */
export async function emulatorPorts(env: Env, count: number): Promise<number[]> {
  const base = env.E2E_MOTO_PORT;
  if (base === undefined || base === "") return Array.from({ length: count }, () => 0);
  const first = Number(base);
  if (!Number.isInteger(first) || first < 1024 || first + count - 1 > 65535) {
    throw new SetupError(
      `E2E_MOTO_PORT=${base} is not a port from 1024 to ${65535 - count + 1}`,
      "set E2E_MOTO_PORT to a free port number, or unset it to let the emulators pick free ports",
    );
  }
  const ports = Array.from({ length: count }, (_, i) => first + i);
  for (const port of ports) {
    if (!(await portIsFree(port))) {
      throw new SetupError(
        `port ${port} on 127.0.0.1 is in use (the emulators need ${ports.join(" and ")})`,
        "stop what listens there, choose other ports with E2E_MOTO_PORT, or unset it to let the emulators pick free ports",
      );
    }
  }
  return ports;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

/**
 * A virtualenv with the pinned moto, reused while requirements.txt is unchanged (like the scan's
 * checkov). E2E_VENV chooses its directory.
 */
export function ensureMoto(
  env: Env,
  python: string,
  projectDir: string,
  say: (line: string) => void,
): string {
  const venv = resolve(projectDir, env.E2E_VENV ?? join(".venv", "e2e"));
  const requirements = join(projectDir, ".ci", "e2e", "requirements.txt");
  const want = createHash("sha256").update(readFileSync(requirements)).digest("hex");
  const stamp = join(venv, ".requirements.sha256");
  const venvPython = join(venv, "bin", "python");
  if (existsSync(venvPython) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want) {
    return venvPython;
  }
  say(`installing moto into ${venv} (pinned in .ci/e2e/requirements.txt)`);
  const fix =
    "check access to PyPI (or set PIP_INDEX_URL to a mirror), then run npm run e2e again; delete the folder to start over";
  const created = spawnSync(python, ["-m", "venv", venv], { encoding: "utf8" });
  if (created.status !== 0) {
    throw new SetupError(`could not create a virtualenv in ${venv}: ${lastLines(created.stderr)}`, fix);
  }
  const installed = spawnSync(
    venvPython,
    ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input", "-r", requirements],
    { encoding: "utf8", env: { ...process.env, ...env } },
  );
  if (installed.status !== 0) {
    throw new SetupError(`could not install moto into ${venv}: ${lastLines(installed.stderr)}`, fix);
  }
  writeFileSync(stamp, `${want}\n`);
  return venvPython;
}

const lastLines = (text: string | null): string =>
  (text ?? "").trim().split("\n").slice(-3).join(" / ") || "(no output)";

/** How Terraform gets the provider in this run. */
export interface ProviderSource {
  /** A filesystem mirror holding an accepted version, or undefined for the registry. */
  readonly mirror?: string;
  /** Where it came from, for the run's report. */
  readonly description: string;
}

const PROVIDER_PATH = join("registry.terraform.io", "hashicorp", "aws");
const PLATFORM = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

/** Filesystem-mirror roots Terraform knows of on this machine, plus common install places. */
export function mirrorCandidates(env: Env): string[] {
  const home = env.HOME ?? homedir();
  const fromConfig = [env.TF_CLI_CONFIG_FILE, join(home, ".terraformrc")].flatMap((file) => {
    if (file === undefined || !existsSync(file)) return [];
    return [...readFileSync(file, "utf8").matchAll(/filesystem_mirror\s*\{[^}]*path\s*=\s*"([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
  });
  return [
    ...fromConfig,
    join(home, ".terraform.d", "plugins"),
    join(env.XDG_DATA_HOME ?? join(home, ".local", "share"), "terraform", "plugins"),
    ...(env.XDG_DATA_DIRS ?? "/usr/local/share:/usr/share")
      .split(delimiter)
      .map((dir) => join(dir, "terraform", "plugins")),
    "/opt/tf-plugins",
    "/opt/terraform/plugins",
  ];
}

/** Provider versions (with their binary) in a mirror root, for this platform. */
function versionsIn(root: string): Array<{ version: string; binary: string }> {
  const dir = join(root, PROVIDER_PATH);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((version) => {
    const platformDir = join(dir, version, PLATFORM);
    if (!existsSync(platformDir)) return [];
    const binary = readdirSync(platformDir).find((f) => f.startsWith("terraform-provider-aws"));
    return binary === undefined ? [] : [{ version, binary: join(platformDir, binary) }];
  });
}

const byVersion = (a: string, b: string) => {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

/** Whether a version such as "5.100.0" meets a Terraform constraint such as ">= 5.100.0, < 7.0.0" or "~> 6.25". */
export function satisfies(version: string, constraint: string): boolean {
  return constraint.split(",").every((term) => {
    const match = /^\s*(=|!=|>=|<=|>|<|~>)?\s*([\d.]+)\s*$/.exec(term);
    if (match === null) return false;
    const [, op = "=", bound = ""] = match;
    const d = byVersion(version, bound);
    switch (op) {
      case "=":
        return d === 0;
      case "!=":
        return d !== 0;
      case ">=":
        return d >= 0;
      case "<=":
        return d <= 0;
      case ">":
        return d > 0;
      case "<":
        return d < 0;
      default: {
        // ~> 6.25 allows 6.x from 6.25; ~> 6.25.1 allows 6.25.x from 6.25.1.
        const parts = bound.split(".");
        const prefix = parts.slice(0, Math.max(1, parts.length - 1)).join(".");
        return d >= 0 && `${version}.`.startsWith(`${prefix}.`);
      }
    }
  });
}

/**
 * Finds the provider: E2E_AWS_PROVIDER (a binary or a mirror directory), else a filesystem mirror
 * in the places Terraform looks, else the registry (checked by the caller's `terraform init`).
 * The newest version there that the stacks accept is used.
 */
export function locateProvider(env: Env, constraint: string, workDir: string): ProviderSource {
  const explicit = env.E2E_AWS_PROVIDER;
  let found: Array<{ version: string; binary: string; root?: string }> = [];
  if (explicit !== undefined && explicit !== "") {
    if (!existsSync(explicit)) {
      throw new SetupError(
        `E2E_AWS_PROVIDER=${explicit} does not exist`,
        "point E2E_AWS_PROVIDER at a terraform-provider-aws binary or at a filesystem mirror directory (layout registry.terraform.io/hashicorp/aws/<version>/<os_arch>/)",
      );
    }
    if (statSync(explicit).isDirectory()) {
      found = versionsIn(explicit).map((v) => ({ ...v, root: explicit }));
    } else {
      const version = /_v(\d+\.\d+\.\d+)/.exec(explicit)?.[1] ?? "unknown";
      found = [{ version, binary: explicit }];
    }
  } else {
    for (const root of mirrorCandidates(env)) {
      found = versionsIn(root).map((v) => ({ ...v, root }));
      if (found.length > 0) break;
    }
  }
  const best = found
    .filter((f) => satisfies(f.version, constraint))
    .sort((a, b) => byVersion(b.version, a.version))[0];
  if (best === undefined) {
    const seen = found.length === 0 ? "" : ` (found ${found.map((f) => f.version).join(", ")}, outside it)`;
    return { description: `${constraint} from registry.terraform.io${seen}` };
  }
  if (best.root !== undefined) {
    return {
      mirror: best.root,
      description: `${best.version} from the mirror ${best.root} (the stacks accept ${constraint})`,
    };
  }
  const mirror = join(workDir, "provider-mirror");
  const platformDir = join(mirror, PROVIDER_PATH, best.version, PLATFORM);
  mkdirSync(platformDir, { recursive: true });
  symlinkSync(best.binary, join(platformDir, `terraform-provider-aws_v${best.version}_x5`));
  return { mirror, description: `${best.version} (${best.binary}; the stacks accept ${constraint})` };
}

/** A Terraform CLI configuration that installs the AWS provider from the mirror (or the registry). */
export function terraformCliConfig(source: ProviderSource, file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    source.mirror === undefined
      ? "provider_installation {\n  direct {}\n}\n"
      : `provider_installation {\n  filesystem_mirror {\n    path    = "${source.mirror}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return file;
}

/** Runs `terraform init` on a configuration that needs only the provider; throws when it cannot be installed. */
export function checkProviderInstall(
  terraform: string,
  constraint: string,
  env: Env,
  dir: string,
  source: ProviderSource,
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "main.tf.json"),
    JSON.stringify({
      terraform: { required_providers: { aws: { source: "hashicorp/aws", version: constraint } } },
    }),
  );
  const init = spawnSync(terraform, ["init", "-input=false", "-no-color", "-backend=false"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...env },
    timeout: 120_000,
  });
  if (init.status !== 0) {
    throw new SetupError(
      `the AWS provider (${constraint}) could not be installed (${source.description}): ${lastLines(init.stderr || init.stdout)}`,
      "set E2E_AWS_PROVIDER to a terraform-provider-aws binary or a filesystem mirror directory (layout registry.terraform.io/hashicorp/aws/<version>/<os_arch>/), or allow access to registry.terraform.io",
    );
  }
}
