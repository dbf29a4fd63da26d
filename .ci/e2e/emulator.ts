/** The AWS API emulators (moto, started through moto_launcher.py) and what the run asks of them. */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Context, Emulator, StackReport } from "./context";
import { PROJECT_DIR, REGISTRY, namePrefix, stateIdentifiers } from "./context";
import { finalSnapshotIdentifier } from "../../constructs/model/data-tier";
import { isDestroyProtected } from "./destroy-safety";
import { SetupError } from "./preflight";
import { CheckFailed, children } from "./process";

export async function startEmulator(ctx: Context, name: string, port: number): Promise<Emulator> {
  const launcher = join(PROJECT_DIR, ".ci", "e2e", "moto_launcher.py");
  const log = join(ctx.work, "logs", `emulator-${name}.log`);
  // The request log goes straight to a file: through a pipe, it would block the emulator whenever
  // this process is busy in a synchronous call (an emulator tool) and cannot drain it.
  const logFd = openSync(log, "a");
  const child = spawn(ctx.venvPython, [launcher, String(port)], {
    detached: true,
    stdio: ["ignore", "pipe", logFd],
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
  closeSync(logFd);
  children.add(child);
  let output = "";
  const lastLines = () => readFileSync(log, "utf8").trim().split("\n").slice(-3).join(" / ");
  const listening = await new Promise<number>((done, fail) => {
    const timer = setTimeout(
      () => fail(new SetupError(`the ${name} emulator did not start within 60 s`, `see ${log}`)),
      60_000,
    );
    // stdout carries only the launcher's own LISTENING / PORT_IN_USE line.
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /LISTENING (\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        done(Number(ready[1]));
      } else if (/PORT_IN_USE/.test(output)) {
        clearTimeout(timer);
        fail(
          new SetupError(
            `port ${port} on 127.0.0.1 is in use`,
            "stop what listens there, choose other ports with E2E_MOTO_PORT, or unset it to let the emulators pick free ports",
          ),
        );
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(
        new SetupError(
          `the ${name} emulator exited (${String(code)}): ${lastLines()}`,
          "see the message above; delete .venv/e2e to reinstall moto",
        ),
      );
    });
  });
  const endpoint = `http://127.0.0.1:${listening}`;
  return { name, endpoint, env: { ...ctx.baseEnv, AWS_ENDPOINT_URL: endpoint } };
}

/** Runs emulator_tools.py against an emulator; returns its stdout. */
export function emulatorTool(ctx: Context, emulator: Emulator, args: readonly string[]): string {
  const result = spawnSync(ctx.venvPython, [join(PROJECT_DIR, ".ci", "e2e", "emulator_tools.py"), ...args], {
    encoding: "utf8",
    env: emulator.env,
    timeout: 300_000,
  });
  if (result.status !== 0) {
    const why =
      result.error !== undefined
        ? `${result.error.message}${result.signal ? ` (${result.signal})` : ""}`
        : result.signal !== null
          ? `killed by ${result.signal}`
          : `exit ${result.status}`;
    throw new CheckFailed(
      `emulator_tools.py ${args[0] ?? ""} on the ${emulator.name} emulator failed (${why}): ${result.stderr}`,
    );
  }
  return result.stdout;
}

export interface InventoryItem {
  readonly kind: string;
  readonly id: string;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
}

export const regions = (ctx: Context) => [
  ...new Set([ctx.settings.registry.region, ...ctx.settings.environments.map((e) => e.region)]),
];

export function inventory(ctx: Context, emulator: Emulator): InventoryItem[] {
  return JSON.parse(
    emulatorTool(ctx, emulator, ["inventory", ...regions(ctx).flatMap((r) => ["--region", r])]),
  ) as InventoryItem[];
}

/** The stack an emulator resource belongs to, judged by its tags and names. */
export function stackOf(ctx: Context, item: InventoryItem): string | undefined {
  if (item.tags.Environment !== undefined) return item.tags.Environment;
  for (const env of ctx.settings.environments) {
    const prefix = namePrefix(ctx, env.name);
    if (item.name.includes(prefix) || item.id.includes(prefix)) return env.name;
    if (item.kind === "acm:certificate" && item.name === env.edge.domainName) return env.name;
    if (item.kind === "elbv2:target-group" && item.name.startsWith(`${env.name.slice(0, 5)}-`)) {
      return env.name;
    }
  }
  const registry = ctx.settings.registry;
  if (item.kind === "ecr:repository" && item.name === registry.repositoryName) return REGISTRY;
  if (item.id.includes(namePrefix(ctx, REGISTRY)) || item.name.includes(namePrefix(ctx, REGISTRY))) {
    return REGISTRY;
  }
  return undefined;
}

/** Emulator resources of a stack that its state does not hold: duplicates or orphans. */
export function strays(
  ctx: Context,
  emulator: Emulator,
  env: NodeJS.ProcessEnv,
  stack: string,
  stackDir: string,
): string[] {
  const known = stateIdentifiers(ctx, env, stackDir);
  return inventory(ctx, emulator)
    .filter((item) => item.kind !== "route53:record" && stackOf(ctx, item) === stack)
    .filter((item) => !known.has(item.id) && !known.has(item.id.replace(/:\*$/, "")) && !known.has(item.name))
    .map((item) => `${item.kind} ${item.id}`);
}

export function checkNothingLeft(
  ctx: Context,
  emulator: Emulator,
  stacks: readonly string[],
  reports: StackReport[],
): void {
  const found = inventory(ctx, emulator).filter((item) => {
    const stack = stackOf(ctx, item);
    return stack !== undefined && stacks.includes(stack);
  });
  const snapshots = found.filter((item) => isKeptFinalSnapshot(ctx, item));
  const keys = found.filter((item) => isReleasedKey(ctx, item));
  const left = found.filter((item) => !snapshots.includes(item) && !keys.includes(item));
  for (const report of reports) {
    const mine = (items: InventoryItem[]) => items.filter((item) => stackOf(ctx, item) === report.stack);
    report.destroy = mine(left).length === 0 ? "nothing left" : `${mine(left).length} left`;
    for (const snapshot of mine(snapshots)) {
      report.notes.push(
        `destroy kept the database's final snapshot ${snapshot.name}, as database.finalSnapshot asks`,
      );
    }
    if (mine(keys).length > 0) {
      report.notes.push(
        `break glass released ${mine(keys).filter((k) => k.kind === "kms:key").length} KMS keys and their aliases: still in the account, not scheduled for deletion`,
      );
    }
  }
  if (left.length > 0) {
    throw new CheckFailed(
      `the ${emulator.name} emulator still holds resources after destroy:\n${left.map((i) => `  ${i.kind} ${i.id}`).join("\n")}`,
    );
  }
}

/** A key (or its alias) of a destroy-protected stack: break glass releases it from the state, never deletes it. */
function isReleasedKey(ctx: Context, item: InventoryItem): boolean {
  const stack = stackOf(ctx, item);
  return (
    (item.kind === "kms:key" || item.kind === "kms:alias") &&
    stack !== undefined &&
    isDestroyProtected(ctx, stack)
  );
}

/** The snapshot RDS takes on destroy when the environment asks for one: the one thing destroy keeps. */
function isKeptFinalSnapshot(ctx: Context, item: InventoryItem): boolean {
  const env = ctx.settings.environments.find((e) => e.name === stackOf(ctx, item));
  return (
    item.kind === "rds:db-snapshot" &&
    env !== undefined &&
    env.database.enabled &&
    env.database.finalSnapshot &&
    item.name === finalSnapshotIdentifier(namePrefix(ctx, env.name))
  );
}

export function bucketKeys(ctx: Context, emulator: Emulator, bucket: string): string[] {
  return JSON.parse(
    emulatorTool(ctx, emulator, [
      "list-objects",
      "--region",
      ctx.settings.registry.state.region,
      "--bucket",
      bucket,
    ]),
  ) as string[];
}

/**
 * Asks the emulator to hold new calls until released, once none is in progress (see
 * InterruptionGate in moto_launcher.py): the safe instant to interrupt Terraform.
 */
export async function holdCalls(emulator: Emulator): Promise<void> {
  const answer = await fetch(`${emulator.endpoint}/e2e/hold`, { method: "POST" });
  if (!answer.ok) {
    throw new CheckFailed(`the ${emulator.name} emulator refused to hold calls (${answer.status})`);
  }
}

export async function releaseCalls(emulator: Emulator): Promise<void> {
  const answer = await fetch(`${emulator.endpoint}/e2e/release`, { method: "POST" });
  if (!answer.ok) {
    throw new CheckFailed(`the ${emulator.name} emulator refused to release calls (${answer.status})`);
  }
}

/** Resources Terraform reported "Creating..." and not yet "Creation complete" in an apply's output. */
export function stillCreating(output: string): string[] {
  const started = [...output.matchAll(/^(\S+): Creating\.\.\./gm)].map((m) => m[1] as string);
  const done = new Set([...output.matchAll(/^(\S+): Creation complete/gm)].map((m) => m[1] as string));
  return started.filter((address) => !done.has(address));
}

/**
 * Of the resources an interruption left outside the state, the KMS keys that were mid-create at
 * the signal: the provider's create of a key waits for it to propagate after CreateKey, and a
 * cancelled wait loses the key to the state (Terraform's hazard, documented in help/). They are
 * scheduled for deletion, as a user would clean up. Everything else is lost.
 */
export function midCreateKeys(
  ctx: Context,
  emulator: Emulator,
  strayed: readonly string[],
  creatingAtSignal: readonly string[],
): { forgiven: string[]; lost: string[] } {
  const keysMidCreate = creatingAtSignal.filter((a) => a.startsWith("aws_kms_key.")).length;
  const keys = strayed.filter((s) => s.startsWith("kms:key ")).slice(0, keysMidCreate);
  for (const key of keys) {
    const arn = key.slice("kms:key ".length);
    // The key's id, not its ARN: AWS takes either, moto 5.2.5 answers an ARN with a 500.
    emulatorTool(ctx, emulator, [
      "schedule-key-deletion",
      "--region",
      arn.split(":")[3] ?? "",
      "--key-id",
      arn.split("/").pop() ?? arn,
    ]);
  }
  return { forgiven: keys, lost: strayed.filter((s) => !keys.includes(s)) };
}
