// Applies stacks/security-exceptions.json to a checkov JSON report of cdktf.out and prints the
// result per stack. Exit 1 on a failed check that is not excepted, or on an exception that no
// longer occurs. Usage: node .ci/scan-report.js <checkov.json> <cdktf.out> <exceptions.json>
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const [reportPath, outdir, exceptionsPath] = process.argv.slice(2);
const raw = JSON.parse(readFileSync(reportPath, "utf8"));
const reports = Array.isArray(raw) ? raw : [raw];
const { exceptions } = JSON.parse(readFileSync(exceptionsPath, "utf8"));
const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));

/** Construct path (inside the stack) of each resource and data source name, per stack. */
const paths = {};
for (const [stack, entry] of Object.entries(manifest.stacks)) {
  const json = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8"));
  paths[stack] = {};
  for (const section of ["resource", "data"]) {
    for (const blocks of Object.values(json[section] || {})) {
      for (const [name, block] of Object.entries(blocks)) {
        const full = block["//"] && block["//"].metadata && block["//"].metadata.path;
        paths[stack][name] = full ? full.slice(full.indexOf("/") + 1) : name;
      }
    }
  }
}

const key = (rule, stack, resource) => `${rule} | ${stack} | ${resource}`;
const allowed = new Map();
for (const e of exceptions) {
  for (const rule of e.rules.filter((r) => r.startsWith("CKV"))) {
    for (const stack of e.stacks)
      for (const resource of e.resources) allowed.set(key(rule, stack, resource), e.why);
  }
}

const counts = {};
const unexpected = [];
const seen = new Set();
for (const report of reports) {
  for (const [kind, list] of [
    ["passed", report.results.passed_checks],
    ["failed", report.results.failed_checks],
    ["skipped", report.results.skipped_checks],
  ]) {
    for (const check of list || []) {
      const stack = check.file_path.split("/").filter(Boolean)[0];
      const name = check.resource.split(".").pop();
      const resource = (paths[stack] && paths[stack][name]) || check.resource;
      counts[stack] = counts[stack] || { passed: 0, failed: 0, excepted: 0 };
      if (kind === "passed") counts[stack].passed++;
      else if (kind === "skipped") counts[stack].excepted++;
      else if (allowed.has(key(check.check_id, stack, resource))) {
        counts[stack].excepted++;
        seen.add(key(check.check_id, stack, resource));
      } else {
        counts[stack].failed++;
        unexpected.push(`${key(check.check_id, stack, resource)}: ${check.check_name}`);
      }
    }
  }
}
const stale = [...allowed.keys()].filter((k) => !seen.has(k));

console.log("\nstack       passed  failed  excepted");
for (const stack of Object.keys(counts).sort()) {
  const c = counts[stack];
  console.log(
    `${stack.padEnd(10)} ${String(c.passed).padStart(7)} ${String(c.failed).padStart(7)} ${String(c.excepted).padStart(9)}`,
  );
}
if (unexpected.length > 0) {
  console.error(`\n${unexpected.length} failed check(s) not in ${exceptionsPath}:`);
  unexpected.forEach((line) => console.error(`  ${line}`));
}
if (stale.length > 0) {
  console.error(`\n${stale.length} exception(s) that no longer occur (remove them from ${exceptionsPath}):`);
  stale.forEach((line) => console.error(`  ${line}`));
}
if (unexpected.length > 0 || stale.length > 0) process.exit(1);
console.log("\ncheckov: no failed check outside the reviewed exceptions");
