import { run } from "./stacks/app/run";
// Under the cdktf CLI, problems and warnings go to stdout, which the CLI shows as it comes without
// a log prefix (stderr would show as a red "[ERROR]"); on a failure the CLI repeats the app's
// output in its own error summary either way.
const underCdktfCli = process.env.CDKTF_CONTEXT_JSON !== undefined;
const report = underCdktfCli ? process.stdout : process.stderr;
process.exitCode = run(process.env, (text) => report.write(text), process.argv.slice(2));
