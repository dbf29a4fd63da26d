import { run } from "./stacks/run";

process.exitCode = run(process.env, (text) => process.stderr.write(text));
