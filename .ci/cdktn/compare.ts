/**
 * Compares two synthesized outputs (cdktf's and the cdktn copy's), stack by stack: every JSON path
 * whose value differs is printed, with the explanation of the first EXPLAINED entry that matches
 * it; an unexplained difference, or a stack only one side has, fails (exit 1).
 *   node compare.js <cdktf.out of cdktf> <cdktf.out of cdktn>
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Differences the move is known to make, by JSON path (after the stack name). */
const EXPLAINED: ReadonlyArray<{ readonly path: RegExp; readonly why: string }> = [
  {
    path: /^\/\/\/\/metadata\/version$/,
    why: "the metadata block records the CDK's version (cdktf 0.21.0, cdktn 0.24.0)",
  },
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function differences(a: Json | undefined, b: Json | undefined, path: string, out: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      differences(a[key], b[key], `${path}/${key}`, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => differences(item, b[i], `${path}/${i}`, out));
    return;
  }
  out.push(path);
}

const [cdktfOut, cdktnOut] = process.argv.slice(2) as [string, string];
const stacks = (dir: string) => readdirSync(join(dir, "stacks")).sort();
const read = (dir: string, stack: string) =>
  JSON.parse(readFileSync(join(dir, "stacks", stack, "cdk.tf.json"), "utf8")) as Json;
let unexplained = 0;
const all = [...new Set([...stacks(cdktfOut), ...stacks(cdktnOut)])];
for (const stack of all) {
  if (!stacks(cdktfOut).includes(stack) || !stacks(cdktnOut).includes(stack)) {
    console.log(`  ${stack}: synthesized by one side only`);
    unexplained++;
    continue;
  }
  const found: string[] = [];
  differences(read(cdktfOut, stack), read(cdktnOut, stack), "", found);
  const counted = new Map<string, number>();
  for (const path of found) {
    const why = EXPLAINED.find((e) => e.path.test(path))?.why;
    if (why === undefined) {
      console.log(`  ${stack}: ${path} differs, unexplained`);
      unexplained++;
    } else counted.set(why, (counted.get(why) ?? 0) + 1);
  }
  const explained = [...counted].map(([why, n]) => `${n} × ${why}`).join("; ");
  console.log(
    `  ${stack}: ${found.length === 0 ? "identical" : `${found.length} difference(s)`}${explained ? ` (${explained})` : ""}`,
  );
}
if (unexplained > 0) {
  console.error(`${unexplained} unexplained difference(s) between the cdktf and the cdktn output`);
  process.exit(1);
}
console.log(
  `the cdktn output equals cdktf's in ${all.length} stacks, but for the explained differences above`,
);
