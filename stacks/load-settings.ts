/**
 * Resolves and validates the settings of every selected environment before any stack is built:
 * preset defaults < code overrides < environment variables < STACK_CONFIG_FILE. Every problem is
 * collected; if there is any, a SettingsError lists them all and nothing is synthesized.
 */
import { readFileSync } from "node:fs";
import { defaultAvailabilityZones, awsRegion } from "../constructs/aws-limits";
import { describeValue, isPlainObject } from "../constructs/checks";
import type { Check } from "../constructs/checks";
import { defaultSubnetPrefixLength, parseIpv4Cidr } from "../constructs/subnet-cidrs";
import { deepMerge } from "./deep-merge";
import { DEFAULT_AZ_COUNT, presetDefaults } from "./presets";
import type {
  EnvironmentDefinition,
  EnvironmentSettings,
  ProjectDefinition,
  ProjectSettings,
} from "./settings";
import { PRESETS } from "./settings";
import type { SettingsProblem } from "./settings-schema";
import {
  ENVIRONMENT_FIELDS,
  ENVIRONMENT_RULES,
  PROJECT_NAME,
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

  const known = definition.environments.map((e) => e.name);
  for (const key of Object.keys(file)) {
    if (!known.includes(key)) {
      problems.push({
        scope: "config-file",
        field: key,
        value: file[key],
        allowed: `an environment name: ${known.join(", ")}`,
      });
    }
  }
  const selected = selectEnvironments(definition.environments, env[SETTINGS_ENV_VARS.environments], problems);

  const environments: EnvironmentSettings[] = [];
  for (const def of selected) {
    const fileOverride = file[def.name];
    const envProblems: SettingsProblem[] = [];
    const failed = new Set<string>();
    const report = (p: Omit<SettingsProblem, "scope">) => {
      envProblems.push({ scope: def.name, ...p });
      failed.add(p.field);
    };
    unknownFields(def.overrides, "", report);
    unknownFields(fileOverride, "", report);
    const resolved = resolveEnvironment(def, outside, isPlainObject(fileOverride) ? fileOverride : undefined);
    if (fileOverride !== undefined && !isPlainObject(fileOverride)) {
      report({ field: "(override)", value: fileOverride, allowed: "an object of settings" });
    }
    validateEnvironment(resolved, failed, report, {
      project: definition.project,
      repository: definition.repository,
      environments: [],
    });
    problems.push(...envProblems);
    environments.push(resolved);
  }

  if (problems.length > 0) throw new SettingsError(problems);
  return { project: definition.project, repository: definition.repository, environments };
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
  for (const name of names) {
    if (!known.includes(name)) {
      problems.push({
        scope: "environment-variables",
        field: SETTINGS_ENV_VARS.environments,
        value: selection,
        allowed: `a comma-separated list of environment names: ${known.join(", ")}`,
      });
      break;
    }
  }
  return all.filter((e) => names.includes(e.name));
}

/** Preset + code overrides + outside settings + file override, with derived defaults filled in. */
function resolveEnvironment(
  def: EnvironmentDefinition,
  outside: OutsideSettings,
  fileOverride: Record<string, unknown> | undefined,
): EnvironmentSettings {
  const merged = deepMerge<Record<string, unknown>>(
    presetDefaults(def.preset),
    def.overrides,
    { state: { bucket: outside.stateBucket, region: outside.stateRegion } },
    fileOverride,
  );
  const region = merged.region;
  const network = isPlainObject(merged.network) ? merged.network : {};
  const state = isPlainObject(merged.state) ? merged.state : {};
  const vpcPrefix = parseIpv4Cidr(network.vpcCidr)?.prefixLength;
  const derived = {
    network: {
      availabilityZones:
        typeof region === "string" ? defaultAvailabilityZones(region, DEFAULT_AZ_COUNT) : undefined,
      subnetPrefixLength: vpcPrefix === undefined ? undefined : defaultSubnetPrefixLength(vpcPrefix),
    },
    state: { region: state.region === undefined ? region : undefined },
  };
  return deepMerge<Record<string, unknown>>(derived, merged, {
    name: def.name,
    preset: def.preset,
  }) as unknown as EnvironmentSettings;
}

const KNOWN_PATHS = ENVIRONMENT_FIELDS.map((f) => f.path);

/** Reports every key of an override object that is not a setting. */
function unknownFields(
  value: unknown,
  prefix: string,
  report: (p: Omit<SettingsProblem, "scope">) => void,
): void {
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (KNOWN_PATHS.includes(path)) continue;
    const below = KNOWN_PATHS.filter((p) => p.startsWith(`${path}.`));
    if (below.length === 0) {
      const siblings = KNOWN_PATHS.filter((p) => p.startsWith(prefix === "" ? "" : `${prefix}.`)).map(
        (p) => p.slice(prefix === "" ? 0 : prefix.length + 1).split(".")[0],
      );
      report({
        field: path,
        value: child,
        allowed: `a known setting; settings here: ${[...new Set(siblings)].join(", ")}`,
      });
    } else if (!isPlainObject(child) && child !== null) {
      report({
        field: path,
        value: child,
        allowed: `an object with the settings ${below.map((p) => p.slice(path.length + 1)).join(", ")}`,
      });
    } else {
      unknownFields(child, path, report);
    }
  }
}

function getPath(root: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), root);
}

function isUnder(path: string, failed: ReadonlySet<string>): boolean {
  for (const f of failed) {
    if (path === f || path.startsWith(`${f}.`)) return true;
  }
  return false;
}

function validateEnvironment(
  settings: EnvironmentSettings,
  failed: Set<string>,
  report: (p: Omit<SettingsProblem, "scope">) => void,
  project: ProjectSettings,
): void {
  for (const spec of ENVIRONMENT_FIELDS) {
    if (isUnder(spec.path, failed) || (spec.after ?? []).some((dep) => isUnder(dep, failed))) continue;
    const rule = typeof spec.rule === "function" ? spec.rule(settings) : spec.rule;
    const value = getPath(settings, spec.path);
    if (!rule.test(value)) report({ field: spec.path, value, allowed: rule.allowed });
  }
  for (const rule of ENVIRONMENT_RULES) {
    if (rule.reads.some((path) => isUnder(path, failed))) continue;
    for (const p of rule.check(settings, project)) report(p);
  }
}
