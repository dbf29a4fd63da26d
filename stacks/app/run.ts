import { loadSettings } from "../config/load";
import type { ProcessEnv } from "../config/load";
import { SettingsError } from "../config/problems";
import { PROJECT } from "../config/project";
import { DEFAULT_OUTDIR, synthesizeProject } from "./synthesize";

/**
 * The app's entry point: resolve and validate the settings, then synthesize. Returns the exit
 * code; configuration problems go to stderr and nothing is written.
 */
export function run(env: ProcessEnv, stderr: (text: string) => void): number {
  try {
    const settings = loadSettings(PROJECT, env);
    // The cdktf CLI hands the app its context; it prunes stale stack directories itself.
    const underCdktfCli = env.CDKTF_CONTEXT_JSON !== undefined;
    synthesizeProject(settings, env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR, { pruneStaleStacks: !underCdktfCli });
    return 0;
  } catch (error) {
    if (error instanceof SettingsError) {
      stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
