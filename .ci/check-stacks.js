// Fails unless cdktf.out/manifest.json lists every expected stack and each has its cdk.tf.json.
// Usage: node .ci/check-stacks.js <stack>...
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

const outdir = process.env.CDKTF_OUTDIR || "cdktf.out";
const expected = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
const problems = [];
for (const name of expected) {
  const stack = manifest.stacks[name];
  if (!stack) problems.push(`stack "${name}" is missing from ${outdir}/manifest.json`);
  else if (!existsSync(join(outdir, stack.synthesizedStackPath)))
    problems.push(`${stack.synthesizedStackPath} is missing`);
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`all ${expected.length} expected stacks synthesized: ${expected.join(", ")}`);
