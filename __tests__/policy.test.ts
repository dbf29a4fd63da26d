/**
 * The security catalog over every synthesized stack. For each rule, the findings must be exactly
 * the exceptions listed for its IDs in stacks/security-exceptions.json: a finding not listed
 * fails, and so does a listed exception that no longer occurs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../stacks/config/load";
import type { ProcessEnv } from "../stacks/config/load";
import { PROJECT } from "../stacks/config/project";
import { synthesizeProject } from "../stacks/app/synthesize";
import { POLICY_RULES, StackView } from "./support/policy-rules";
import type { TerraformJson } from "./support/synth";

interface SecurityException {
  readonly rules: readonly string[];
  readonly stacks: readonly string[];
  readonly resources: readonly string[];
  readonly why: string;
}

const EXCEPTIONS = (
  JSON.parse(readFileSync(join(__dirname, "..", "stacks", "security-exceptions.json"), "utf8")) as {
    exceptions: SecurityException[];
  }
).exceptions;

/** Synthesizes the project (with "//" metadata, as cdktf.out holds it) and reads every stack. */
function synthesizedStacks(env: ProcessEnv = {}): StackView[] {
  const outdir = join(mkdtempSync(join(tmpdir(), "policy-")), "out");
  synthesizeProject(loadSettings(PROJECT, env), outdir);
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  return Object.keys(manifest.stacks).map(
    (name) =>
      new StackView(
        name,
        JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as TerraformJson,
      ),
  );
}

const triple = (rule: string, stack: string, resource: string) => `${rule} | ${stack} | ${resource}`;

function findings(
  stacks: readonly StackView[],
  ids: readonly string[],
  violations: (s: StackView) => string[],
): string[] {
  return stacks
    .flatMap((stack) => violations(stack).flatMap((path) => ids.map((id) => triple(id, stack.stack, path))))
    .sort();
}

function excepted(ids: readonly string[]): string[] {
  return EXCEPTIONS.flatMap((e) =>
    e.rules
      .filter((r) => ids.includes(r))
      .flatMap((r) => e.stacks.flatMap((s) => e.resources.map((res) => triple(r, s, res)))),
  ).sort();
}

const STACKS = synthesizedStacks();

describe("security policy over every synthesized stack", () => {
  test("covers the registry and every environment", () => {
    expect(STACKS.map((s) => s.stack).sort()).toEqual(["dev", "prod", "registry", "staging"]);
  });

  test.each(POLICY_RULES.map((rule) => [`${rule.ids.join("/")}: ${rule.title}`, rule] as const))(
    "%s",
    (_, rule) => {
      expect(findings(STACKS, rule.ids, rule.violations)).toEqual(excepted(rule.ids));
    },
  );
});

describe("with the optional hardening switched on", () => {
  const dir = mkdtempSync(join(tmpdir(), "policy-hardened-"));
  const config = join(dir, "hardened.json");
  const hardened = { edge: { waf: true, accessLogs: true } };
  writeFileSync(config, JSON.stringify({ dev: hardened, staging: hardened, prod: hardened }));
  const stacks = synthesizedStacks({ STACK_CONFIG_FILE: config });

  test.each(["CKV2_AWS_28", "CKV2_AWS_76", "CKV2_AWS_31", "CKV_AWS_91"])("%s has no finding", (id) => {
    const rule = POLICY_RULES.find((r) => r.ids.includes(id));
    if (!rule) throw new Error(`no rule ${id}`);
    expect(findings(stacks, [id], rule.violations)).toEqual([]);
  });

  test("the access-log bucket passes its own checks", () => {
    for (const id of [
      "CKV2_AWS_6",
      "CKV_AWS_21",
      "CKV2_AWS_61",
      "CKV_AWS_300",
      "CKV_AWS_19",
      "PROJECT-S3-TLS-ONLY",
    ]) {
      const rule = POLICY_RULES.find((r) => r.ids.includes(id));
      expect([id, rule && findings(stacks, [id], rule.violations)]).toEqual([id, []]);
    }
  });
});

describe("the exceptions file", () => {
  const knownIds = new Set(POLICY_RULES.flatMap((r) => r.ids));
  const stackNames = STACKS.map((s) => s.stack);

  test.each(EXCEPTIONS.map((e) => [e.rules.join(", "), e.stacks.join(", "), e] as const))(
    "%s in %s names known rules and stacks and says why",
    (_rules, _stacks, exception) => {
      exception.rules.forEach((r) => expect([r, knownIds.has(r)]).toEqual([r, true]));
      exception.stacks.forEach((s) => expect(stackNames).toContain(s));
      expect(exception.resources.length).toBeGreaterThan(0);
      expect(exception.why.length).toBeGreaterThan(40);
    },
  );

  test("stays short: every entry is a trade-off of a public API, an optional feature or a cheaper environment", () => {
    expect(EXCEPTIONS.length).toBeLessThanOrEqual(15);
  });
});
