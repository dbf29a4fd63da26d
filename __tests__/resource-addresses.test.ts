/**
 * Resource addresses are a public contract: Terraform finds a deployed resource in the state by
 * its address, so a refactor that renames one destroys and recreates that resource in every
 * environment built before it. The reviewed baselines in __tests__/resource-addresses/ hold every
 * address of the built-in example, the all-features file and the adopter file, with its class.
 *
 * - A stateful or serving address that disappears fails unless a `moved` block carries it to an
 *   address that exists (see the README, Upgrading this project).
 * - Any other difference fails until the baseline is updated, which is a reviewed diff:
 *   `npm run test:addresses` rewrites the baselines, but keeps every stateful or serving address
 *   that vanished without a `moved` block, so the update alone cannot make this test pass; only
 *   deleting such an entry by hand (with its one-time migration documented) can.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  movedBlocks,
  resourceAddresses,
  resourceClass,
  typeOfAddress,
} from "../constructs/model/resource-classes";
import type { ResourceClass } from "../constructs/model/resource-classes";
import { synthesizeProject } from "../stacks/app/synthesize";
import { EXAMPLE_PROJECT } from "../stacks/config/example-project";
import { loadSettings } from "../stacks/config/load";
import { exampleOutput } from "./support/example-output";

const ROOT = join(__dirname, "..");
const BASELINES = join(__dirname, "resource-addresses");
const UPDATE = process.env.UPDATE_ADDRESS_BASELINE === "1";

type Baseline = Record<string, Record<string, ResourceClass>>;

interface Stack {
  readonly addresses: string[];
  readonly moved: Map<string, string>;
}

function readOutput(outdir: string): Record<string, Stack> {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.keys(manifest.stacks).map((name) => {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
      return [name, { addresses: resourceAddresses(json), moved: movedBlocks(json) }];
    }),
  );
}

function synthesizedWith(overrideFile: string): string {
  const outdir = join(mkdtempSync(join(tmpdir(), "addresses-")), "cdktf.out");
  const settings = loadSettings(EXAMPLE_PROJECT, { STACK_CONFIG_FILE: join(ROOT, overrideFile) });
  synthesizeProject(settings, outdir, { warn: () => undefined });
  return outdir;
}

const CONFIGURATIONS: Record<string, () => string> = {
  example: () => exampleOutput("synth"),
  "all-features": () => synthesizedWith("stacks/config/examples/all-features.json"),
  adopter: () => synthesizedWith(".ci/adopter/overrides.json"),
};

/** What breaks the contract between a baseline and the output, one sentence each. */
function differences(baseline: Baseline, output: Record<string, Stack>): string[] {
  const problems: string[] = [];
  for (const [stack, entries] of Object.entries(baseline)) {
    const current = output[stack];
    if (current === undefined) {
      problems.push(`stack ${stack} is no longer synthesized`);
      continue;
    }
    const present = new Set(current.addresses);
    for (const [address, kind] of Object.entries(entries)) {
      if (present.has(address)) continue;
      const target = current.moved.get(address);
      if (target !== undefined && present.has(target)) continue;
      problems.push(
        kind === "other"
          ? `${stack}: ${address} is gone (no moved block); if that is intended, npm run test:addresses and review the diff`
          : `${stack}: ${address} (${kind}) is gone with no moved block to an existing address: every deployed ${stack} would ${kind === "stateful" ? "lose it (destroy and create empty)" : "destroy and recreate it"}; add a moved block, or document the one-time migration and delete the entry by hand`,
      );
    }
  }
  for (const [stack, current] of Object.entries(output)) {
    const known = baseline[stack] ?? {};
    for (const address of current.addresses) {
      if (!(address in known)) {
        problems.push(`${stack}: ${address} is new; npm run test:addresses and review the diff`);
      }
    }
  }
  return problems;
}

/** The current addresses, plus each stateful or serving one that vanished without a moved block. */
function updated(baseline: Baseline, output: Record<string, Stack>): Baseline {
  const next: Baseline = {};
  for (const [stack, current] of Object.entries(output)) {
    const entries: Record<string, ResourceClass> = {};
    const present = new Set(current.addresses);
    for (const [address, kind] of Object.entries(baseline[stack] ?? {})) {
      const target = current.moved.get(address);
      const carried = target !== undefined && present.has(target);
      if (kind !== "other" && !present.has(address) && !carried) entries[address] = kind;
    }
    for (const address of current.addresses) entries[address] = resourceClass(typeOfAddress(address));
    next[stack] = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
  }
  return next;
}

describe.each(Object.entries(CONFIGURATIONS))("resource addresses of %s", (name, outdir) => {
  const file = join(BASELINES, `${name}.json`);
  const output = readOutput(outdir());
  const baseline: Baseline = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Baseline) : {};

  if (UPDATE) writeFileSync(file, `${JSON.stringify(updated(baseline, output), null, 2)}\n`);
  const reviewed: Baseline = UPDATE ? (JSON.parse(readFileSync(file, "utf8")) as Baseline) : baseline;

  it("keeps every reviewed address, or carries it with a moved block", () => {
    expect(differences(reviewed, output)).toEqual([]);
  });

  it("classifies every address as the shared resource classes do", () => {
    for (const entries of Object.values(reviewed)) {
      for (const [address, kind] of Object.entries(entries)) {
        expect([address, kind]).toEqual([address, resourceClass(typeOfAddress(address))]);
      }
    }
  });
});

describe("the address contract check", () => {
  const stack = (addresses: string[], moved: Array<[string, string]> = []): Stack => ({
    addresses,
    moved: new Map(moved),
  });
  const baseline: Baseline = {
    prod: { "aws_db_instance.database_instance": "stateful", "aws_iam_role.task_role": "other" },
  };

  it("fails a renamed database without a moved block, naming what every deployment would lose", () => {
    const problems = differences(baseline, {
      prod: stack(["aws_db_instance.data_database_instance", "aws_iam_role.task_role"]),
    });
    expect(problems).toEqual([
      expect.stringContaining("aws_db_instance.database_instance (stateful) is gone with no moved block"),
      expect.stringContaining("aws_db_instance.data_database_instance is new"),
    ]);
  });

  it("accepts the rename once a moved block carries it (the new address still needs a reviewed baseline)", () => {
    const output = {
      prod: stack(
        ["aws_db_instance.data_database_instance", "aws_iam_role.task_role"],
        [["aws_db_instance.database_instance", "aws_db_instance.data_database_instance"]],
      ),
    };
    expect(differences(baseline, output)).toEqual([
      expect.stringContaining("aws_db_instance.data_database_instance is new"),
    ]);
    expect(differences(updated(baseline, output), output)).toEqual([]);
  });

  it("an update keeps a stateful address that vanished without a moved block, so the check still fails", () => {
    const output = { prod: stack(["aws_iam_role.task_role"]) };
    const next = updated(baseline, output);
    expect(next.prod).toEqual(baseline.prod);
    expect(differences(next, output)).toEqual([expect.stringContaining("(stateful) is gone")]);
  });

  it("an update drops other addresses that vanished (a reviewed diff)", () => {
    const output = { prod: stack(["aws_db_instance.database_instance"]) };
    expect(updated(baseline, output).prod).toEqual({ "aws_db_instance.database_instance": "stateful" });
  });
});
