import { run } from "./stacks/app/run";

process.exitCode = run(process.env, (text) => process.stderr.write(text));
