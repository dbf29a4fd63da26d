/**
 * The override file's "project" section: the project's identity and its list of environments,
 * so an adopter can describe their own service without editing stacks/config/project.ts.
 *
 *   "project": { "name": "payments", "repository": "github.com/acme/payments",
 *                "environments": { "dev": "dev", "qa": "staging", "prod": "prod" } }
 *
 * When it lists environments, the file owns them: stacks/config/project.ts's environments and
 * their settings are not used, and each listed environment starts from its preset.
 */
import { isPlainObject } from "../../constructs/model/checks";
import type { OverrideFile } from "./override-file";
import type { SettingsProblem } from "./problems";
import { SHORT_NAME, environmentName } from "./schema/fields";
import { PRESETS, VERSION_CONSTRAINT } from "./settings";
import type { Preset, ProjectDefinition } from "./settings";

/** Top-level keys of the override file that are not stacks. */
export const PROJECT_SECTION = "project";
export const SCHEMA_KEY = "$schema";

export const PROJECT_SECTION_FIELDS = {
  name: {
    description:
      "Short project name: the prefix of every resource name and state key, and the repository's default name.",
    check: SHORT_NAME,
  },
  repository: {
    description: "Source repository, recorded in the Repository tag of every resource.",
  },
  awsProviderVersion: {
    description:
      'Versions of the hashicorp/aws provider the stacks accept (a Terraform version constraint), e.g. "~> 6.25" to pin a pipeline to 6.x. Default: the tested range, ">= 5.100.0, < 7.0.0".',
    check: VERSION_CONSTRAINT,
  },
  environments: {
    description:
      'Environments in deploy order, each with its preset ("dev", "staging" or "prod"); replaces the environments of stacks/config/project.ts.',
  },
} as const;

/** The definition with the file's project section applied; problems are added to `problems`. */
export function withProjectSection(
  definition: ProjectDefinition,
  file: OverrideFile,
  problems: SettingsProblem[],
): ProjectDefinition {
  const section = file.value[PROJECT_SECTION];
  if (section === undefined) return definition;
  const add = (field: string, value: unknown, allowed: string) =>
    problems.push({
      scope: "config-file",
      field: field === "" ? PROJECT_SECTION : `${PROJECT_SECTION}.${field}`,
      value,
      allowed,
      source: file.sourceOf(field === "" ? PROJECT_SECTION : `${PROJECT_SECTION}.${field}`),
    });
  if (!isPlainObject(section)) {
    add("", section, "an object with name, repository and environments");
    return definition;
  }
  for (const key of Object.keys(section)) {
    if (!(key in PROJECT_SECTION_FIELDS)) {
      add(key, section[key], `one of ${Object.keys(PROJECT_SECTION_FIELDS).join(", ")}`);
    }
  }
  const { name, repository, awsProviderVersion, environments } = section;
  const versionOk = typeof awsProviderVersion === "string" && VERSION_CONSTRAINT.test(awsProviderVersion);
  if (awsProviderVersion !== undefined && !versionOk) {
    add("awsProviderVersion", awsProviderVersion, VERSION_CONSTRAINT.allowed);
  }
  if (name !== undefined && !SHORT_NAME.test(name)) add("name", name, SHORT_NAME.allowed);
  if (repository !== undefined && (typeof repository !== "string" || repository.trim() === "")) {
    add("repository", repository, "a non-empty string");
  }
  let list = definition.environments;
  if (environments !== undefined) {
    if (!isPlainObject(environments) || Object.keys(environments).length === 0) {
      add(
        "environments",
        environments,
        'an object of at least one environment name → preset, e.g. {"dev": "dev"}',
      );
    } else {
      for (const [env, preset] of Object.entries(environments)) {
        if (!environmentName.test(env)) add(`environments.${env}`, env, environmentName.allowed);
        if (!(PRESETS as readonly unknown[]).includes(preset)) {
          add(`environments.${env}`, preset, `one of ${PRESETS.join(", ")}`);
        }
      }
      list = Object.entries(environments).map(([env, preset]) => ({ name: env, preset: preset as Preset }));
    }
  }
  return {
    ...definition,
    project: typeof name === "string" && SHORT_NAME.test(name) ? name : definition.project,
    repository:
      typeof repository === "string" && repository.trim() !== "" ? repository : definition.repository,
    awsProviderVersion: versionOk ? awsProviderVersion : definition.awsProviderVersion,
    environments: list,
  };
}
