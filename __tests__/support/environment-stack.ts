/** An EnvironmentStack built from the project's settings (with overrides), and lookups over it. */
import { Testing } from "cdktf";
import { deepMerge } from "../../constructs/model/merge";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { loadSettings } from "../../stacks/config/load";
import type { ProcessEnv } from "../../stacks/config/load";
import { EXAMPLE_PROJECT as PROJECT } from "../../stacks/config/example-project";
import type { EnvironmentOverrides, ProjectDefinition } from "../../stacks/config/settings";

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { synth } from "./synth";
import type { Block, TerraformJson } from "./synth";

export function build(name: string, env: ProcessEnv = {}, overrides?: EnvironmentOverrides) {
  const definition: ProjectDefinition = overrides
    ? {
        ...PROJECT,
        environments: PROJECT.environments.map((e) =>
          e.name === name ? { ...e, overrides: deepMerge(e.overrides, overrides) } : e,
        ),
      }
    : PROJECT;
  const project = loadSettings(definition, env);
  const settings = project.environments.find((e) => e.name === name);
  if (!settings) throw new Error(`no environment ${name}`);
  const stack = new EnvironmentStack(Testing.app(), { project, settings });
  return { stack, json: synth(stack) };
}

/** Writes an override file (STACK_CONFIG_FILE) and returns its path. */
export function writeConfig(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "environment-stack-")), "overrides.json");
  writeFileSync(path, JSON.stringify(content));
  return path;
}

/** Every block of every resource and data source in the stack, with its address. */
export function allBlocks(json: TerraformJson): Array<[string, Block]> {
  return [json.resource, json.data ?? {}].flatMap((section) =>
    Object.entries(section).flatMap(([type, blocks]) =>
      Object.entries(blocks).map(([name, block]) => [`${type}.${name}`, block] as [string, Block]),
    ),
  );
}
