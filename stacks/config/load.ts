/**
 * Resolves and validates the settings of the registry and of every selected environment before
 * any stack is built. Each value comes from the last layer that sets it, later winning:
 * stacks/config/project.ts < environment variables < STACK_CONFIG_FILE; whatever is still unset
 * comes from the preset (rule defaults and the preset's changes), then from derived defaults. Every
 * problem is collected with where its value came from; if there is any, a SettingsError lists
 * them all and nothing is synthesized.
 */
import { readFileSync, statSync } from "node:fs";
import { awsRegion } from "../../constructs/model/aws-limits";
import { describeValue, dottedPath, getPath } from "../../constructs/model/checks";
import type { Check } from "../../constructs/model/checks";
import { checkGroup, fillDerivedDefaults, touchesFailed } from "../../constructs/model/props";
import type { CrossCheck, RuleGroup } from "../../constructs/model/props";
import { mergeLayers, sourceOf } from "../../constructs/model/merge";
import { EXAMPLE_PROJECT } from "./example-project";
import type { Layer } from "../../constructs/model/merge";
import type { OverrideFile } from "./override-file";
import { parseOverrideFile } from "./override-file";
import { PROJECT_SECTION, SCHEMA_KEY, withProjectSection } from "./project-section";
import { knownSettings, overrideProblems } from "./overrides";
import { REGISTRY_DEFAULTS, presetDefaults } from "./presets";
import { SettingsError } from "./problems";
import type { SettingsProblem } from "./problems";
import { PROJECT_CHECKS } from "./schema/project-checks";
import {
  ENVIRONMENT_GROUP,
  REGISTRY_GROUP,
  S3_BUCKET_NAME,
  SHORT_NAME,
  environmentName,
} from "./schema/fields";
import { PROD_INVARIANTS } from "./schema/prod-invariants";
import { AWS_PROVIDER_VERSIONS, PRESETS, REGISTRY_STACK_NAME, VERSION_CONSTRAINT } from "./settings";
import type {
  EnvironmentDefinition,
  EnvironmentSettings,
  Preset,
  ProjectDefinition,
  ProjectSettings,
  RegistrySettings,
} from "./settings";

/** Variables read from the process environment. */
export const SETTINGS_ENV_VARS = {
  configFile: "STACK_CONFIG_FILE",
  environments: "STACK_ENVIRONMENTS",
  stateBucket: "TF_STATE_BUCKET",
  stateRegion: "TF_STATE_REGION",
} as const;

/** Where a definition written in code lives, for problem sources. */
export const PROJECT_SOURCE = "stacks/config/project.ts";
export const EXAMPLE_SOURCE = "stacks/config/example-project.ts";

/** The file a definition comes from: the built-in example's own file, or project.ts. */
function codeSource(definition: ProjectDefinition): string {
  return definition === EXAMPLE_PROJECT ? EXAMPLE_SOURCE : PROJECT_SOURCE;
}

export type ProcessEnv = Readonly<Record<string, string | undefined>>;

const ENVIRONMENT_SETTINGS = knownSettings(ENVIRONMENT_GROUP as RuleGroup<unknown>);
const REGISTRY_SETTINGS = knownSettings(REGISTRY_GROUP as RuleGroup<unknown>);

/** The layers and the resolved value of one stack's settings, and where each value came from. */
interface Resolved<T> {
  readonly value: T;
  readonly sources: ReadonlyMap<string, string>;
}

/** Resolves and validates; throws SettingsError listing every problem. */
export function loadSettings(builtIn: ProjectDefinition, env: ProcessEnv = {}): ProjectSettings {
  const problems: SettingsProblem[] = [];
  const file = readOverrideFile(env[SETTINGS_ENV_VARS.configFile], problems);
  const outside = readEnvironmentVariables(env, problems);
  const code = codeSource(builtIn);
  problems.push(...projectProblems(builtIn, code));
  const definition = withProjectSection(builtIn, file, problems);
  // Every name derives from the project name; a bad one would be reported again everywhere.
  if (!SHORT_NAME.test(definition.project)) throw new SettingsError(problems);
  problems.push(...unknownEnvironments(definition, file.value));

  const registry = resolveRegistry(definition, outside, file, code);
  problems.push(
    ...validate(
      REGISTRY_STACK_NAME,
      REGISTRY_GROUP as RuleGroup<unknown>,
      registry,
      shaped(definition.registry, file, REGISTRY_STACK_NAME, code),
      REGISTRY_SETTINGS,
    ),
  );

  const selected = selectEnvironments(definition.environments, env[SETTINGS_ENV_VARS.environments], problems);
  const named = new Set(definition.environments.map((e) => e.name).filter((n) => environmentName.test(n)));
  const environments: Array<{
    resolved: Resolved<EnvironmentSettings>;
    failed: Set<string>;
    selected: boolean;
  }> = [];
  for (const def of definition.environments) {
    // An environment whose name is already reported (malformed or taken) is not validated further.
    if (!named.delete(def.name)) continue;
    const resolved = resolveEnvironment(definition.project, def, outside, file, code);
    const failed = new Set<string>();
    const envProblems = validate(
      def.name,
      ENVIRONMENT_GROUP as RuleGroup<unknown>,
      resolved,
      shaped(def.overrides, file, def.name, code),
      ENVIRONMENT_SETTINGS,
      failed,
    );
    if (def.preset === "prod") {
      envProblems.push(...crossProblems(def.name, PROD_INVARIANTS, resolved, failed));
    }
    const isSelected = selected.includes(def);
    if (isSelected) problems.push(...envProblems);
    environments.push({ resolved, failed, selected: isSelected });
  }

  const project: ProjectSettings = {
    project: definition.project,
    repository: definition.repository,
    awsProviderVersion: definition.awsProviderVersion ?? AWS_PROVIDER_VERSIONS,
    registry: registry.value,
    environments: environments.map((e) => e.resolved.value),
  };
  for (const { resolved, failed, selected: isSelected } of environments) {
    if (!isSelected) continue;
    for (const rule of PROJECT_CHECKS) {
      if (rule.reads.some((read) => touchesFailed(failed, read))) continue;
      const found = rule.check(resolved.value, project).map((p) => ({ ...p, reads: rule.reads }));
      problems.push(...attach(resolved.value.name, found, resolved));
    }
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return { ...project, environments: environments.filter((e) => e.selected).map((e) => e.resolved.value) };
}

/** An override to check the shape of, and where its keys come from. */
interface Shaped {
  readonly override: unknown;
  readonly sourceOf: (field: string) => string;
}

/** Problems of a resolved stack: the shape of its overrides (with their own sources), then its rule tree. */
function validate<T>(
  scope: string,
  group: RuleGroup<unknown>,
  resolved: Resolved<T>,
  overrides: readonly Shaped[],
  known: ReturnType<typeof knownSettings>,
  failed: Set<string> = new Set(),
): SettingsProblem[] {
  const shape = overrides.flatMap(({ override, sourceOf: layerSource }) =>
    overrideProblems(override, known).map((p) => ({ ...p, source: layerSource(p.field) })),
  );
  for (const p of shape) failed.add(p.field);
  return attach(scope, [...shape, ...checkGroup(group, resolved.value, "", failed)], resolved);
}

/** The override layers of a stack as written in code and in the file, for shape checks. */
function shaped(code: unknown, file: OverrideFile, key: string, source: string): Shaped[] {
  return [
    { override: code, sourceOf: () => source },
    {
      override: file.value[key],
      sourceOf: (field) => file.sourceOf(`${key}.${field}`) ?? SETTINGS_ENV_VARS.configFile,
    },
  ];
}

function crossProblems(
  scope: string,
  checks: ReadonlyArray<CrossCheck<EnvironmentSettings>>,
  resolved: Resolved<EnvironmentSettings>,
  failed: Set<string>,
): SettingsProblem[] {
  const found = checks
    .filter((c) => !c.reads.some((read) => touchesFailed(failed, read)))
    .flatMap((c) => c.check(resolved.value, "").map((p) => ({ ...p, reads: c.reads })));
  return attach(scope, found, resolved);
}

const isEmpty = (value: unknown) =>
  value === undefined ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === "object" && value !== null && Object.keys(value).length === 0);

/**
 * Scope and source for each problem (sources are looked up without list indexes). A problem of a
 * check across settings also says what the other settings it read were, and where they came from:
 * the value in error is often fine, and the one to change is inherited.
 */
function attach<T>(
  scope: string,
  problems: ReadonlyArray<Omit<SettingsProblem, "scope">>,
  resolved: Resolved<T>,
): SettingsProblem[] {
  return problems.map(({ reads, ...p }) => {
    const field = dottedPath(p.field);
    const others = (reads ?? []).filter((read) => read !== field && !field.startsWith(`${read}.`));
    const context = others
      .map((read) => [read, getPath(resolved.value, read)] as const)
      .filter(([, value]) => !isEmpty(value))
      .map(([read, value]) => {
        const from = sourceOf(resolved.sources, read);
        return `${read} ${describeValue(value)}${from === undefined ? "" : ` (from ${from})`}`;
      })
      .join(", ");
    return {
      ...p,
      scope,
      source: p.source ?? sourceOf(resolved.sources, field),
      ...(context === "" ? {} : { context }),
    };
  });
}

/** Far above any real override file (a few KiB): a bigger one is refused before it is read. */
export const MAX_OVERRIDE_FILE_BYTES = 1024 * 1024;

function readOverrideFile(path: string | undefined, problems: SettingsProblem[]): OverrideFile {
  const empty: OverrideFile = { value: {}, sourceOf: () => undefined, problems: [] };
  if (path === undefined || path === "") return empty;
  const field = SETTINGS_ENV_VARS.configFile;
  let text: string;
  try {
    const bytes = statSync(path).size;
    if (bytes > MAX_OVERRIDE_FILE_BYTES) {
      problems.push({
        scope: "config-file",
        field,
        value: path,
        allowed: `a file of at most ${MAX_OVERRIDE_FILE_BYTES / 1024} KiB (this one has ${bytes} bytes)`,
      });
      return empty;
    }
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    problems.push({ scope: "config-file", field, value: path, allowed: `a readable JSON file (${reason})` });
    return empty;
  }
  // Node replaces bytes that are not UTF-8 with U+FFFD: the text would be silently altered.
  if (text.includes("\uFFFD") && !readFileSync(path).includes(Buffer.from("\uFFFD"))) {
    const prefix = text.slice(0, text.indexOf("\uFFFD"));
    const line = prefix.split("\n").length;
    problems.push({
      scope: "config-file",
      field,
      value: path,
      allowed: `a UTF-8 text file (the byte at offset ${Buffer.byteLength(prefix)}, line ${line}, is not UTF-8; save the file as UTF-8)`,
    });
    return empty;
  }
  const file = parseOverrideFile(text, path, field);
  problems.push(...file.problems.map((p) => ({ ...p, scope: "config-file" })));
  return file;
}

interface OutsideSettings {
  readonly stateBucket?: string;
  readonly stateRegion?: string;
}

function readEnvironmentVariables(env: ProcessEnv, problems: SettingsProblem[]): OutsideSettings {
  const read = (name: string, rule: Check): string | undefined => {
    const value = env[name] || undefined;
    if (value === undefined || rule.test(value)) return value;
    problems.push({ scope: "environment-variables", field: name, value, allowed: rule.allowed });
    return undefined;
  };
  return {
    stateBucket: read(SETTINGS_ENV_VARS.stateBucket, S3_BUCKET_NAME),
    stateRegion: read(SETTINGS_ENV_VARS.stateRegion, awsRegion),
  };
}

function projectProblems(definition: ProjectDefinition, source: string): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const add = (field: string, value: unknown, allowed: string) =>
    problems.push({ scope: "project", field, value, allowed, source });
  if (!SHORT_NAME.test(definition.project)) add("project", definition.project, SHORT_NAME.allowed);
  if (typeof definition.repository !== "string" || definition.repository.trim() === "") {
    add("repository", definition.repository, "a non-empty string");
  }
  if (
    definition.awsProviderVersion !== undefined &&
    !VERSION_CONSTRAINT.test(definition.awsProviderVersion)
  ) {
    add("awsProviderVersion", definition.awsProviderVersion, VERSION_CONSTRAINT.allowed);
  }
  if (definition.environments.length === 0) add("environments", [], "at least one environment");
  const seen = new Set<string>();
  definition.environments.forEach((e, i) => {
    if (!environmentName.test(e.name)) add(`environments[${i}].name`, e.name, environmentName.allowed);
    if (seen.has(e.name)) add(`environments[${i}].name`, e.name, "a name no other environment uses");
    seen.add(e.name);
    if (!(PRESETS as readonly string[]).includes(e.preset)) {
      add(`environments[${i}].preset`, e.preset, `one of ${PRESETS.join(", ")}`);
    }
  });
  return problems;
}

function unknownEnvironments(
  definition: ProjectDefinition,
  file: Record<string, unknown>,
): SettingsProblem[] {
  const known = definition.environments.map((e) => e.name);
  return Object.keys(file)
    .filter(
      (key) => ![REGISTRY_STACK_NAME, PROJECT_SECTION, SCHEMA_KEY].includes(key) && !known.includes(key),
    )
    .map((key) => ({
      scope: "config-file",
      field: key,
      value: file[key],
      allowed: `an environment name (${known.join(", ")}) or "${REGISTRY_STACK_NAME}"`,
    }));
}

function selectEnvironments(
  all: readonly EnvironmentDefinition[],
  selection: string | undefined,
  problems: SettingsProblem[],
): EnvironmentDefinition[] {
  if (selection === undefined || selection.trim() === "") return [...all];
  const names = selection
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  const known = all.map((e) => e.name);
  if (names.length === 0 || names.some((n) => !known.includes(n))) {
    problems.push({
      scope: "environment-variables",
      field: SETTINGS_ENV_VARS.environments,
      value: selection,
      allowed: `a comma-separated list of environment names: ${known.join(", ")}`,
    });
  }
  return all.filter((e) => names.includes(e.name));
}

/** The layers of a stack above its defaults: project.ts, environment variables, the file. */
function layers(
  code: unknown,
  outside: OutsideSettings,
  file: OverrideFile,
  key: string,
  source: string,
): Layer[] {
  const state = { bucket: outside.stateBucket, region: outside.stateRegion };
  return [
    { source, value: code },
    { source: "TF_STATE_BUCKET/TF_STATE_REGION", value: { state } },
    {
      source: "STACK_CONFIG_FILE",
      value: file.value[key],
      sourceOf: (path) => file.sourceOf(`${key}.${path}`),
    },
  ];
}

/** Merged layers, then defaults where nothing is set, then derived defaults; with every value's source. */
function resolve<T>(
  group: RuleGroup<unknown>,
  merged: { value: unknown; sources: ReadonlyMap<string, string> },
  defaults: object,
  defaultSource: string,
  extra: object,
): Resolved<T> {
  const sources = new Map(merged.sources);
  const overridden =
    typeof merged.value === "object" && merged.value !== null
      ? (merged.value as Record<string, unknown>)
      : {};
  // What was given, over the defaults: a path still credited to the defaults layer was filled from it.
  const given = "";
  const withDefaults = mergeLayers<Record<string, unknown>>([
    { source: defaultSource, value: defaults },
    { source: given, value: overridden },
  ]);
  for (const [path, from] of withDefaults.sources) if (from !== given) sources.set(path, from);
  const value = fillDerivedDefaults(group, { ...withDefaults.value, ...extra }, (path) =>
    sources.set(path, "a default derived from other settings"),
  );
  return { value: value as T, sources };
}

function resolveRegistry(
  definition: ProjectDefinition,
  outside: OutsideSettings,
  file: OverrideFile,
  source: string,
): Resolved<RegistrySettings> {
  const merged = mergeLayers(layers(definition.registry, outside, file, REGISTRY_STACK_NAME, source));
  const defaults = { ...REGISTRY_DEFAULTS, repositoryName: definition.project };
  return resolve(REGISTRY_GROUP as RuleGroup<unknown>, merged, defaults, "the registry defaults", {});
}

/**
 * What an environment declared in the override file's project section starts with: its preset
 * and the schema's defaults, nothing of the built-in example (for the configuration reference;
 * not validated, so a prod environment shows what it must still be given as unset).
 */
export function newEnvironmentSettings(project: string, preset: Preset): EnvironmentSettings {
  const none: OverrideFile = { value: {}, sourceOf: () => undefined, problems: [] };
  return resolveEnvironment(project, { name: preset, preset }, readEnvironmentVariables({}, []), none, "")
    .value;
}

function resolveEnvironment(
  project: string,
  def: EnvironmentDefinition,
  outside: OutsideSettings,
  file: OverrideFile,
  source: string,
): Resolved<EnvironmentSettings> {
  const merged = mergeLayers(layers(def.overrides, outside, file, def.name, source));
  const extra = { name: def.name, preset: def.preset, namePrefix: `${project}-${def.name}` };
  return resolve(
    ENVIRONMENT_GROUP as RuleGroup<unknown>,
    merged,
    presetDefaults(def.preset),
    `the ${def.preset} preset`,
    extra,
  );
}
