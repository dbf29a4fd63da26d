// The same app run the way the cdktf project template runs one, for npm run bench: ts-node
// (type-checking every file as it loads) and the provider's root import.
import * as aws from "@cdktf/provider-aws";
import { run } from "../../stacks/app/run";

if (aws.provider.AwsProvider === undefined) throw new Error("the root import did not load");
process.exitCode = run(process.env, (text) => process.stderr.write(text), process.argv.slice(2));
