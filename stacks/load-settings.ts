/**
 * Resolves and validates the settings of the registry and of every selected environment before
 * any stack is built: preset defaults < code overrides < environment variables < STACK_CONFIG_FILE.
 * Every problem is collected; if there is any, a SettingsError lists them all and nothing is
 * synthesized.
 */
import { readFileSync } from "node:fs";
import { awsRegion, defaultAvailabilityZones } from "../constructs/aws-limits";
import type { Check } from "../constructs/checks";
import { describeValue, isPlainObject } from "../constructs/checks";
import { loadBalancerNameFor } from "../constructs/load-balancer";
import { defaultSubnetPrefixLength, parseIpv4Cidr } from "../constructs/subnet-cidrs";
import { deepMerge } from "./deep-merge";
import { DEFAULT_AZ_COUNT, REGISTRY_DEFAULTS, presetDefaults } from "./presets";
import type {
  EnvironmentDefinition,
  EnvironmentSettings,
  ProjectDefinition,
  ProjectSettings,
  RegistrySettings,
} from "./settings";
import { PRESETS } from "./settings";
import type { CrossFieldRule, FieldProblem, FieldSpec, SettingsProblem } from "./settings-schema";
import {
  ENVIRONMENT_FIELDS,
  ENVIRONMENT_RULES,
  PROD_INVARIANTS,
  PROJECT_NAME,
  REGISTRY_FIELDS,
  S3_BUCKET_NAME,
  environmentName,
} from "./settings-schema";

/** Variables read from the process environment. */
export const SETTINGS_ENV_VARS = {
  configFile: "STACK_CONFIG_FILE",
  environments: "STACK_ENVIRONMENTS",
  stateBucket: "TF_STATE_BUCKET",
  stateRegion: "TF_STATE_REGION",
} as const;

/** Key of the registry's settings in STACK_CONFIG_FILE. */
export const REGISTRY_KEY = "registry";

export type ProcessEnv = Readonly<Record<string, string | undefined>>;

export function formatProblem(p: SettingsProblem): string {
  return `[${p.scope}] ${p.field}: got ${describeValue(p.value)}; allowed: ${p.allowed}`;
}

export class SettingsError extends Error {
  public readonly problems: readonly SettingsProblem[];

  constructor(problems: readonly SettingsProblem[]) {
    const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    super(
      `Invalid configuration (${count}); nothing was synthesized.\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`,
    );
    this.name = "SettingsError";
    this.problems = problems;
  }
}

/** Resolves and validates; throws SettingsError listing every problem. */
export function loadSettings(definition: ProjectDefinition, env: ProcessEnv = {}): ProjectSettings {
  const problems: SettingsProblem[] = [];
  const file = readOverrideFile(env[SETTINGS_ENV_VARS.configFile], problems);
  const outside = readEnvironmentVariables(env, problems);
  problems.push(...projectProblems(definition));
  // Every name derives from the project name; a bad one would be reported again everywhere.
  if (!PROJECT_NAME.test(definition.project)) throw new SettingsError(problems);

  const known = definition.environments.map((e) => e.name);
  for (const key of Object.keys(file)) {
    if (key !== REGISTRY_KEY && !known.includes(key)) {
      problems.push({
        scope: "config-file",
        field: key,
        value: file[key],
        allowed: `an environment name (${known.join(", ")}) or "${REGISTRY_KEY}"`,
      });
    }
  }

  const registryValidation = new ScopeValidation(REGISTRY_KEY, REGISTRY_FIELDS);
  registryValidation.checkOverride(definition.registry);
  registryValidation.checkOverride(file[REGISTRY_KEY]);
  const registry = resolveRegistry(definition, outside, file[REGISTRY_KEY]);
  registryValidation.checkFields(registry);
  problems.push(...registryValidation.problems);

  /** What the cross-environment rules see of the project. */
  const project: ProjectSettings = { ...definition, registry, environments: [] };
  const environments: EnvironmentSettings[] = [];
  const selected = selectEnvironments(definition.environments, env[SETTINGS_ENV_VARS.environments], problems);
  // An environment whose name is already reported (malformed or taken) is not validated further.
  const validNames = new Set(
    definition.environments.map((e) => e.name).filter((n) => environmentName.test(n)),
  );
  for (const def of selected) {
    if (!validNames.delete(def.name)) continue;
    const validation = new ScopeValidation(def.name, ENVIRONMENT_FIELDS);
    validation.checkOverride(def.overrides);
    validation.checkOverride(file[def.name]);
    const settings = resolveEnvironment(definition.project, def, outside, file[def.name]);
    validation.checkFields(settings);
    validation.checkRules(ENVIRONMENT_RULES, settings, project);
    if (def.preset === "prod") validation.checkRules(PROD_INVARIANTS, settings, project);
    problems.push(...validation.problems);
    environments.push(settings);
  }

  if (problems.length > 0) throw new SettingsError(problems);
  return { project: definition.project, repository: definition.repository, registry, environments };
}

/** Collects the problems of one scope (an environment or the registry). */
class ScopeValidation<T> {
  public readonly problems: SettingsProblem[] = [];
  private readonly failed = new Set<string>();
  private readonly knownPaths: readonly string[];

  constructor(
    private readonly scope: string,
    private readonly fields: ReadonlyArray<FieldSpec<T>>,
  ) {
    this.knownPaths = fields.map((f) => f.path);
  }

  public report(p: FieldProblem): void {
    this.problems.push({ scope: this.scope, ...p });
    this.failed.add(p.field);
  }

  /** Reports every key of an override object that is not a setting, and non-objects. */
  public checkOverride(override: unknown, prefix = ""): void {
    if (override === undefined) return;
    if (!isPlainObject(override)) {
      this.report({ field: prefix || "(settings)", value: override, allowed: "an object of settings" });
      return;
    }
    for (const [key, child] of Object.entries(override)) {
      const path = prefix === "" ? key : `${prefix}.${key}`;
      if (this.knownPaths.includes(path)) continue;
      const below = this.knownPaths.filter((p) => p.startsWith(`${path}.`));
      if (below.length === 0) {
        const here = this.knownPaths
          .filter((p) => prefix === "" || p.startsWith(`${prefix}.`))
          .map((p) => (prefix === "" ? p : p.slice(prefix.length + 1)).split(".")[0]);
        this.report({
          field: path,
          value: child,
          allowed: `a known setting; settings here: ${[...new Set(here)].join(", ")}`,
        });
      } else if (!isPlainObject(child) && child !== null) {
        const names = [...new Set(below.map((p) => p.slice(path.length + 1).split(".")[0]))];
        this.report({
          field: path,
          value: child,
          allowed: `an object with the settings ${names.join(", ")}`,
        });
      } else {
        this.checkOverride(child, path);
      }
    }
  }

  public checkFields(settings: T): void {
    for (const spec of this.fields) {
      if (this.isFailed(spec.path) || (spec.after ?? []).some((dep) => this.isFailed(dep))) continue;
      const rule: Check = typeof spec.rule === "function" ? spec.rule(settings) : spec.rule;
      const value = getPath(settings, spec.path);
      if (!rule.test(value)) this.report({ field: spec.path, value, allowed: rule.allowed });
    }
  }

  public checkRules(
    rules: readonly CrossFieldRule[],
    settings: EnvironmentSettings,
    project: ProjectSettings,
  ): void {
    for (const rule of rules) {
      if (rule.reads.some((path) => this.isFailed(path))) continue;
      for (const p of rule.check(settings, project)) this.report(p);
    }
  }

  /** True when the path, a parent or a child of it has failed. */
  private isFailed(path: string): boolean {
    for (const f of this.failed) {
      if (path === f || path.startsWith(`${f}.`) || f.startsWith(`${path}.`)) return true;
    }
    return false;
  }
}

function readOverrideFile(path: string | undefined, problems: SettingsProblem[]): Record<string, unknown> {
  if (path === undefined || path === "") return {};
  const field = SETTINGS_ENV_VARS.configFile;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    problems.push({ scope: "config-file", field, value: path, allowed: `a readable JSON file (${reason})` });
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push({
      scope: "config-file",
      field,
      value: path,
      allowed: `valid JSON (${(error as Error).message})`,
    });
    return {};
  }
  if (!isPlainObject(parsed)) {
    problems.push({
      scope: "config-file",
      field,
      value: parsed,
      allowed: 'a JSON object keyed by environment name, e.g. {"prod": {"region": "eu-west-1"}}',
    });
    return {};
  }
  return parsed;
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

function projectProblems(definition: ProjectDefinition): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const add = (field: string, value: unknown, allowed: string) =>
    problems.push({ scope: "project", field, value, allowed });
  if (!PROJECT_NAME.test(definition.project)) add("project", definition.project, PROJECT_NAME.allowed);
  if (definition.repository.trim() === "") add("repository", definition.repository, "a non-empty string");
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
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0 || names.length === 0) {
    problems.push({
      scope: "environment-variables",
      field: SETTINGS_ENV_VARS.environments,
      value: selection,
      allowed: `a comma-separated list of environment names: ${known.join(", ")}`,
    });
  }
  return all.filter((e) => names.includes(e.name));
}

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  isPlainObject(value) ? value : undefined;

function resolveRegistry(
  definition: ProjectDefinition,
  outside: OutsideSettings,
  fileOverride: unknown,
): RegistrySettings {
  const merged = deepMerge<Record<string, unknown>>(
    REGISTRY_DEFAULTS,
    { repositoryName: definition.project },
    asObject(definition.registry),
    { state: { bucket: outside.stateBucket, region: outside.stateRegion } },
    asObject(fileOverride),
  );
  const state = asObject(merged.state) ?? {};
  return deepMerge<Record<string, unknown>>(
    { state: { region: state.region ?? merged.region } },
    merged,
  ) as unknown as RegistrySettings;
}

/** Preset + code overrides + outside settings + file override, with derived defaults filled in. */
function resolveEnvironment(
  project: string,
  def: EnvironmentDefinition,
  outside: OutsideSettings,
  fileOverride: unknown,
): EnvironmentSettings {
  const merged = deepMerge<Record<string, unknown>>(
    presetDefaults(def.preset),
    asObject(def.overrides),
    { state: { bucket: outside.stateBucket, region: outside.stateRegion } },
    asObject(fileOverride),
  );
  const region = merged.region;
  const network = asObject(merged.network) ?? {};
  const state = asObject(merged.state) ?? {};
  const vpcPrefix = parseIpv4Cidr(network.vpcCidr)?.prefixLength;
  const derived = {
    network: {
      availabilityZones:
        typeof region === "string" ? defaultAvailabilityZones(region, DEFAULT_AZ_COUNT) : undefined,
      subnetPrefixLength: vpcPrefix === undefined ? undefined : defaultSubnetPrefixLength(vpcPrefix),
    },
    edge: { loadBalancerName: loadBalancerNameFor(`${project}-${def.name}`) },
    state: { region: state.region === undefined ? region : undefined },
  };
  return deepMerge<Record<string, unknown>>(derived, merged, {
    name: def.name,
    preset: def.preset,
  }) as unknown as EnvironmentSettings;
}

function getPath(root: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), root);
}
