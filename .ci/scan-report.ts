// Compares a checkov JSON report of cdktf.out with the findings stacks/policy/exceptions.ts
// accepts for the configuration that was synthesized (STACK_CONFIG_FILE and STACK_ENVIRONMENTS
// are honoured as by npm run synth), and prints the result per stack. Exit 1 on a failed check no
// exception accepts, or on an accepted checkov finding that no longer occurs.
// Usage (bundled by .ci/scan): node dist/scan-report.js <checkov.json> <cdktf.out>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadSettings } from "../stacks/config/load";
import { PROJECT } from "../stacks/config/project";
import { acceptedFindings } from "../stacks/policy/exceptions";
import { compareFindings, findingKey } from "../stacks/policy/findings";

interface CheckovCheck {
  readonly check_id: string;
  readonly check_name: string;
  readonly file_path: string;
  readonly resource: string;
}
interface CheckovReport {
  readonly results: {
    readonly passed_checks?: CheckovCheck[];
    readonly failed_checks?: CheckovCheck[];
    readonly skipped_checks?: CheckovCheck[];
  };
}
interface Manifest {
  readonly stacks: Record<string, { readonly synthesizedStackPath: string }>;
}
type Blocks = Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>;

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

/** Construct path (inside the stack) of each resource and data source name, per stack. */
function constructPaths(outdir: string, manifest: Manifest): Record<string, Record<string, string>> {
  const paths: Record<string, Record<string, string>> = {};
  for (const [stack, entry] of Object.entries(manifest.stacks)) {
    const json = readJson<{ resource?: Blocks; data?: Blocks }>(join(outdir, entry.synthesizedStackPath));
    const names: Record<string, string> = {};
    for (const blocks of [...Object.values(json.resource ?? {}), ...Object.values(json.data ?? {})]) {
      for (const [name, block] of Object.entries(blocks)) {
        const full = block["//"]?.metadata?.path;
        names[name] = full === undefined ? name : full.slice(full.indexOf("/") + 1);
      }
    }
    paths[stack] = names;
  }
  return paths;
}

function main(reportPath: string, outdir: string): number {
  const raw = readJson<CheckovReport | CheckovReport[]>(reportPath);
  const reports = Array.isArray(raw) ? raw : [raw];
  const manifest = readJson<Manifest>(join(outdir, "manifest.json"));
  const paths = constructPaths(outdir, manifest);
  const locate = (check: CheckovCheck) => {
    const stack = check.file_path.split("/").filter(Boolean)[0] ?? "";
    const name = check.resource.split(".").pop() ?? "";
    return { stack, resource: paths[stack]?.[name] ?? check.resource };
  };

  const counts: Record<string, { passed: number; failed: number }> = {};
  const failed: string[] = [];
  const names = new Map<string, string>();
  for (const report of reports) {
    for (const [kind, list] of [
      ["passed", report.results.passed_checks],
      ["failed", [...(report.results.failed_checks ?? []), ...(report.results.skipped_checks ?? [])]],
    ] as const) {
      for (const check of list ?? []) {
        const { stack, resource } = locate(check);
        const count = (counts[stack] ??= { passed: 0, failed: 0 });
        count[kind]++;
        if (kind === "failed") {
          const key = findingKey(check.check_id, stack, resource);
          failed.push(key);
          names.set(key, check.check_name);
        }
      }
    }
  }

  const project = loadSettings(PROJECT, process.env);
  const accepted = acceptedFindings(project, Object.keys(manifest.stacks)).filter((f) => f.startsWith("CKV"));
  const { unexpected, stale } = compareFindings([...new Set(failed)].sort(), accepted);
  const acceptedSet = new Set(accepted);

  console.log("\nstack       passed  failed  excepted");
  for (const stack of Object.keys(counts).sort()) {
    const count = counts[stack] as { passed: number; failed: number };
    const excepted = failed.filter((f) => f.includes(` | ${stack} | `) && acceptedSet.has(f)).length;
    console.log(
      `${stack.padEnd(10)} ${String(count.passed).padStart(7)} ${String(count.failed - excepted).padStart(7)} ${String(excepted).padStart(9)}`,
    );
  }
  if (unexpected.length > 0) {
    console.error(
      `\n${unexpected.length} failed check(s) that no exception in stacks/policy/exceptions.ts accepts:`,
    );
    unexpected.forEach((key) => console.error(`  ${key}: ${names.get(key) ?? ""}`));
  }
  if (stale.length > 0) {
    console.error(
      `\n${stale.length} accepted finding(s) that no longer occur (narrow the exception in stacks/policy/exceptions.ts):`,
    );
    stale.forEach((key) => console.error(`  ${key}`));
  }
  if (unexpected.length > 0 || stale.length > 0) return 1;
  console.log("\ncheckov: no failed check outside the reviewed exceptions");
  return 0;
}

const [reportPath, outdir] = process.argv.slice(2);
if (reportPath === undefined || outdir === undefined) {
  console.error("usage: node dist/scan-report.js <checkov.json> <cdktf.out>");
  process.exit(2);
}
process.exit(main(reportPath, outdir));
