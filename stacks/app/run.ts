import { loadSettings } from "../config/load";
import type { ProcessEnv } from "../config/load";
import { SettingsError } from "../config/problems";
import { PROJECT } from "../config/project";
import { DEFAULT_OUTDIR, synthesizeProject } from "./synthesize";

export const USAGE =
  "usage: npm run synth -- [--output <dir>]  (default cdktf.out; npm run synth:hcl for HCL)";

/** `--output <dir>`, `--output=<dir>` or `-o <dir>`; undefined when not given, an Error when malformed. */
export function outputArgument(args: readonly string[]): string | undefined | Error {
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const inline = /^--output=(.+)$/.exec(arg);
    if (inline) output = inline[1];
    else if ((arg === "--output" || arg === "-o") && args[i + 1] !== undefined) output = args[++i];
    else return new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return output;
}

/**
 * The app's entry point: resolve and validate the settings, then synthesize. Run by the cdktf
 * CLI (which passes CDKTF_OUTDIR and its context) or directly by npm run synth (same output).
 * Returns the exit code; configuration problems (nothing is written) and warnings go to `report`.
 */
export function run(env: ProcessEnv, report: (text: string) => void, args: readonly string[] = []): number {
  const output = outputArgument(args);
  if (output instanceof Error) {
    report(`${output.message}\n`);
    return 2;
  }
  try {
    const settings = loadSettings(PROJECT, env);
    // The cdktf CLI hands the app its context; it prunes stale stack directories itself.
    const underCdktfCli = env.CDKTF_CONTEXT_JSON !== undefined;
    synthesizeProject(settings, output ?? env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR, {
      pruneStaleStacks: !underCdktfCli,
      warn: report,
    });
    return 0;
  } catch (error) {
    if (error instanceof SettingsError) {
      report(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
