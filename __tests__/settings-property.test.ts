/**
 * Validation is total: whatever the override file, the environment variables or the values at any
 * settings path, the loader either returns settings that synthesize (every stack, validations on)
 * or throws a SettingsError listing problems. Any other exception (a TypeError from a cross-field
 * rule reading a field of the wrong type, a construct refusing what the schema let through) fails.
 * Bounded and seeded: the same cases run every time, in a few seconds.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import fc from "fast-check";
import { getPath } from "../constructs/model/checks";
import { groupFields } from "../constructs/model/props";
import type { RuleGroup } from "../constructs/model/props";
import { buildStacks } from "../stacks/app/synthesize";
import { loadSettings } from "../stacks/config/load";
import type { ProcessEnv } from "../stacks/config/load";
import { SettingsError } from "../stacks/config/problems";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import { ENVIRONMENT_GROUP, REGISTRY_GROUP } from "../stacks/config/schema/fields";
import { REGISTRY_STACK_NAME } from "../stacks/config/settings";

/** PROPERTY_SEED and PROPERTY_RUNS (a multiplier) widen the search by hand; npm test uses the defaults. */
const SEED = Number(process.env.PROPERTY_SEED ?? 20261123);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1);
const dir = mkdtempSync(join(tmpdir(), "settings-property-"));
let fileCount = 0;

const ENVIRONMENT_PATHS = groupFields(ENVIRONMENT_GROUP as RuleGroup<unknown>).map((f) => f.path);
const REGISTRY_PATHS = groupFields(REGISTRY_GROUP as RuleGroup<unknown>).map((f) => f.path);
const BUILT_IN = loadSettings(PROJECT, {});
const ENVIRONMENT_NAMES = BUILT_IN.environments.map((e) => e.name);

/** Every valid value of the built-in configuration, to try at other paths too. */
const VALID_VALUES: unknown[] = [
  ...BUILT_IN.environments.flatMap((env) => ENVIRONMENT_PATHS.map((path) => getPath(env, path))),
  ...REGISTRY_PATHS.map((path) => getPath(BUILT_IN.registry, path)),
].filter((v) => v !== undefined);

/** Keys JavaScript treats specially, and keys with dots, inside map-valued settings. */
const AWKWARD_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "a.b",
  "",
  " ",
  "aws:x",
  "AWS:Name",
];
const AWKWARD_STRINGS = [
  "",
  " ",
  "null",
  "${var.x}",
  "$(reboot)",
  "a\nb",
  "ü",
  "x".repeat(300),
  "arn:aws-cn:kms:eu-west-1:123456789012:key/1",
  "10.0.0.0/8",
  "172.17.0.0/16",
  "eu-west-1z",
];

function mutationsOf(value: unknown): fc.Arbitrary<unknown> {
  if (typeof value === "number") {
    return fc.oneof(
      fc.integer({ min: -2, max: 2 }).map((d) => value + d),
      fc.constantFrom(0, -1, 0.5, value * 1000, Number.MAX_SAFE_INTEGER, 1e308),
    );
  }
  if (typeof value === "string") {
    return fc.oneof(
      fc.constantFrom(...AWKWARD_STRINGS),
      fc.string({ maxLength: 8 }).map((s) => value + s),
    );
  }
  if (Array.isArray(value)) {
    return fc.oneof(
      fc.subarray(value),
      fc.constant([...value, ...value]),
      fc.array(fc.oneof(fc.constantFrom(...value, ...AWKWARD_STRINGS), fc.jsonValue({ maxDepth: 1 })), {
        maxLength: 4,
      }),
    );
  }
  if (typeof value === "object" && value !== null) {
    return fc.dictionary(
      fc.oneof(fc.constantFrom(...AWKWARD_KEYS), fc.string({ maxLength: 6 })),
      fc.oneof(fc.constantFrom(...AWKWARD_STRINGS), fc.jsonValue({ maxDepth: 1 })),
      { maxKeys: 3 },
    );
  }
  return fc.boolean();
}

/** A value for a path: its valid value, a near miss, a valid value of another field, or anything. */
function valueFor(valid: unknown): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.constant(valid), weight: 2 },
    { arbitrary: mutationsOf(valid), weight: 4 },
    { arbitrary: fc.constantFrom(...VALID_VALUES), weight: 2 },
    { arbitrary: fc.constantFrom(null, true, 0, "", [], {}), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  );
}

const settingsPath = (paths: readonly string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...paths), weight: 9 },
    // Random paths: unknown keys, scalars where groups are, keys with dots.
    {
      arbitrary: fc
        .array(
          fc.oneof(fc.constantFrom(...paths.flatMap((p) => p.split("."))), fc.string({ maxLength: 5 })),
          {
            minLength: 1,
            maxLength: 3,
          },
        )
        .map((parts) => parts.join(".")),
      weight: 1,
    },
  );

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = root;
  for (const part of parts.slice(0, -1)) {
    const child = Object.prototype.hasOwnProperty.call(node, part) ? node[part] : undefined;
    if (typeof child !== "object" || child === null || Array.isArray(child)) {
      Object.defineProperty(node, part, { value: {}, enumerable: true, writable: true, configurable: true });
    }
    node = node[part] as Record<string, unknown>;
  }
  Object.defineProperty(node, parts[parts.length - 1] as string, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Overrides for one environment (or the registry): 1 to 4 paths, each with a value. */
const overrideFile = fc.constantFrom(...ENVIRONMENT_NAMES, REGISTRY_STACK_NAME).chain((stack) => {
  const isRegistry = stack === REGISTRY_STACK_NAME;
  const paths = isRegistry ? REGISTRY_PATHS : ENVIRONMENT_PATHS;
  const settings = isRegistry ? BUILT_IN.registry : BUILT_IN.environments.find((e) => e.name === stack);
  const entry = settingsPath(paths).chain((path) =>
    valueFor(getPath(settings, path)).map((value) => [path, value] as const),
  );
  return fc.array(entry, { minLength: 1, maxLength: 4 }).map((entries) => {
    const overrides: Record<string, unknown> = {};
    for (const [path, value] of entries) setPath(overrides, path, value);
    return { stack, overrides };
  });
});

function writeConfig(text: string): string {
  const path = join(dir, `overrides-${fileCount++}.json`);
  writeFileSync(path, text);
  return path;
}

/**
 * Settings already synthesized in this file, written out with undefined, -0 and non-finite
 * numbers kept apart. Synthesis depends on nothing but the settings, so a repeat (most often
 * the built-in configuration, when a random override is refused or changes nothing) is not
 * synthesized again.
 */
const synthesizedSettings = new Set<string>();
function settingsKey(settings: unknown): string {
  return JSON.stringify(settings, (_, value: unknown) => {
    if (value === undefined) return "\u0000undefined";
    if (typeof value !== "number" || (Number.isFinite(value) && !Object.is(value, -0))) return value;
    return `\u0000${Object.is(value, -0) ? "-0" : String(value)}`;
  });
}

/** Loads; on success synthesizes every stack with validations. Returns what happened. */
function loadAndSynthesize(env: ProcessEnv): "synthesized" | "refused" {
  let project;
  try {
    project = loadSettings(PROJECT, env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(typeof problem.field).toBe("string");
      expect(typeof problem.allowed).toBe("string");
    }
    return "refused";
  }
  const key = settingsKey(project);
  if (synthesizedSettings.has(key)) return "synthesized";
  const { registry, environments } = buildStacks(Testing.app(), project);
  for (const stack of [registry, ...environments]) Testing.synth(stack, true);
  synthesizedSettings.add(key);
  return "synthesized";
}

describe("loading settings never fails with anything but a SettingsError", () => {
  const outcomes = { synthesized: 0, refused: 0 };

  test("for values at every settings path and at random paths", () => {
    fc.assert(
      fc.property(overrideFile, ({ stack, overrides }) => {
        const file = writeConfig(JSON.stringify({ [stack]: overrides }));
        const only = stack === REGISTRY_STACK_NAME ? (ENVIRONMENT_NAMES[0] as string) : stack;
        outcomes[loadAndSynthesize({ STACK_CONFIG_FILE: file, STACK_ENVIRONMENTS: only })]++;
      }),
      { seed: SEED, numRuns: 200 * RUNS },
    );
    // The generator reaches both outcomes, so the property says something about each.
    if (process.env.PROPERTY_RUNS !== undefined) console.log(outcomes);
    expect(outcomes.synthesized).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(100);
  });

  test("for any override file text, JSON or not", () => {
    const nearJson = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      overrideFile.map(({ stack, overrides }) => {
        const text = JSON.stringify({ [stack]: overrides }, null, 1);
        return text;
      }),
      overrideFile.chain(({ stack, overrides }) =>
        fc
          .nat({ max: Math.max(0, JSON.stringify(overrides).length - 1) })
          .map((cut) => `{"${stack}": ${JSON.stringify(overrides).slice(0, cut)}`),
      ),
      fc.constantFrom(
        '{"dev": {}, "dev": {}}',
        '{"dev": {"edge": {"waf": true, "waf": false}}}',
        '{"dev": {"tags": {"__proto__": "x"}}}',
        '{"dev": {"service.cpu": 512}}',
        '{"dev": {"service": {"environment": {"__proto__": {"a": 1}}}}}',
        "// comment\n{}",
        "{,}",
        "\uFEFF{}",
      ),
    );
    fc.assert(
      fc.property(nearJson, (text) => {
        loadAndSynthesize({ STACK_CONFIG_FILE: writeConfig(text), STACK_ENVIRONMENTS: "dev" });
      }),
      { seed: SEED, numRuns: 100 * RUNS },
    );
  });

  test("for any environment variables", () => {
    const variable = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 12 }),
      fc.constantFrom(...AWKWARD_STRINGS, "dev,dev", "prod,", ",", "registry", "acme-state", "us-east-1"),
    );
    fc.assert(
      fc.property(
        fc.record({
          STACK_ENVIRONMENTS: variable,
          TF_STATE_BUCKET: variable,
          TF_STATE_REGION: variable,
          STACK_CONFIG_FILE: fc.constantFrom(undefined, "", join(dir, "missing.json"), dir),
        }),
        (env) => {
          loadAndSynthesize(env);
        },
      ),
      { seed: SEED, numRuns: 40 * RUNS },
    );
  });
});
