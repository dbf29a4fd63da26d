/** Helpers for settings tests: override files in a temp directory and the problems a load reports. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SETTINGS_ENV_VARS, loadSettings } from "../../stacks/config/load";
import type { ProcessEnv } from "../../stacks/config/load";
import { SettingsError } from "../../stacks/config/problems";
import type { SettingsProblem } from "../../stacks/config/problems";
import { EXAMPLE_PROJECT as PROJECT } from "../../stacks/config/example-project";
import type { ProjectDefinition } from "../../stacks/config/settings";

export const SETTINGS_TEST_DIR = mkdtempSync(join(tmpdir(), "settings-test-"));
let files = 0;

/** Writes an override file (JSON unless given as text) and returns the environment naming it. */
export function overrideFile(content: unknown): ProcessEnv {
  const path = join(SETTINGS_TEST_DIR, `override-${files++}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return { STACK_CONFIG_FILE: path };
}

/** The problems of a load ([] when it succeeds); any other exception fails the test. */
export function problemsOf(
  env: ProcessEnv,
  definition: ProjectDefinition = PROJECT,
): readonly SettingsProblem[] {
  try {
    loadSettings(definition, env);
    return [];
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
}

export const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123";
export const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234";

/** [case, override file, scope, field(s), what the allowed text must contain] */
export type SchemaCase = [string, Record<string, unknown>, string, string | string[], string];

/** Exactly these problems: one per field, in this scope, each allowing what `allowed` says. */
export const expectedProblems = (scope: string, field: string | string[], allowed: string) =>
  (Array.isArray(field) ? field : [field]).map((f) =>
    expect.objectContaining({ scope, field: f, allowed: expect.stringContaining(allowed) }),
  );

/** Variables that choose the configuration npm run synth builds (STACK_CONFIG_FILE, TF_STATE_BUCKET...). */
const CONFIGURATION_VARIABLES: readonly string[] = Object.values(SETTINGS_ENV_VARS);

/** Those variables as this process has them: the configuration in use. */
export function inUseEnv(): ProcessEnv {
  return Object.fromEntries(
    CONFIGURATION_VARIABLES.filter((n) => process.env[n]).map((n) => [n, process.env[n]]),
  );
}

/**
 * The process environment without them, for tests that run the CLI on the built-in example (CI
 * also runs the suite with an adopter's STACK_CONFIG_FILE).
 */
export function exampleProcessEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of CONFIGURATION_VARIABLES) delete env[name];
  return env;
}
