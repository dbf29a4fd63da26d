// Compares the scanners' reports of one synthesized configuration with the findings its stacks
// accept (recorded on each resource by the construct that decided; read by .ci/policy/exceptions.ts),
// and prints the result per scanner and stack. Exit 1 on a failed
// check no exception accepts, or on an accepted finding a scanner checks for but no longer reports.
// Usage (bundled by .ci/scan): node dist/scan-report.js <cdktf.out> <report dir>
//   <report dir>/checkov.json       checkov --framework terraform_json over <cdktf.out>/stacks
//   <report dir>/tfsec-<stack>.json tfsec --include-passed over the HCL of that stack
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { acceptedFindings } from "./policy/exceptions";
import { compareFindings, findingKey } from "./policy/findings";
import { readStacks } from "./policy/stack-view";

/** One check result, located by stack and Terraform name (resource or data source). */
interface Result {
  readonly id: string;
  readonly title: string;
  readonly stack: string;
  readonly name: string;
  readonly passed: boolean;
}

interface Scanner {
  readonly name: string;
  /** Whether an accepted finding with this rule ID is one this scanner reports. */
  readonly reports: (id: string) => boolean;
  /**
   * Rules whose accepted findings this scanner does not (or not always) report although the
   * catalog rule finds them, and why. Their findings must still be accepted when reported.
   */
  readonly blind: Readonly<Record<string, string>>;
  readonly results: readonly Result[];
}

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
interface TfsecResult {
  readonly rule_id: string;
  readonly rule_description: string;
  readonly resource: string;
  readonly status?: number;
}
interface Manifest {
  readonly stacks: Record<string, { readonly synthesizedStackPath: string }>;
}
type Blocks = Record<string, Record<string, { "//"?: { metadata?: { path?: string } } }>>;

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
const lastSegment = (address: string) => address.split(".").pop() ?? "";

/** The name in a tfsec address, which may go on into an attribute: "aws_db_instance.x.deletion_protection" → "x". */
function terraformName(address: string): string {
  const parts = address.split(".");
  return (parts[0] === "data" ? parts[2] : parts[1]) ?? "";
}

function checkov(reportDir: string): Scanner {
  const raw = readJson<CheckovReport | CheckovReport[]>(join(reportDir, "checkov.json"));
  const results: Result[] = [];
  for (const report of Array.isArray(raw) ? raw : [raw]) {
    const { passed_checks = [], failed_checks = [], skipped_checks = [] } = report.results;
    for (const [passed, checks] of [
      [true, passed_checks],
      [false, [...failed_checks, ...skipped_checks]],
    ] as const) {
      for (const c of checks) {
        const stack = c.file_path.split("/").filter(Boolean)[0] ?? "";
        results.push({ id: c.check_id, title: c.check_name, stack, name: lastSegment(c.resource), passed });
      }
    }
  }
  return {
    name: "checkov (JSON)",
    reports: (id) => id.startsWith("CKV"),
    blind: {
      CKV_AWS_336:
        "checkov does not decode container definitions written with jsonencode(), so it cannot see readonlyRootFilesystem",
    },
    results,
  };
}

/** tfsec's IDs are AVD-AWS-nnnn; the catalog uses trivy's AWS-nnnn for the same rules. */
function tfsec(reportDir: string): Scanner {
  const results: Result[] = [];
  for (const file of readdirSync(reportDir).filter((f) => /^tfsec-.+\.json$/.test(f))) {
    const stack = file.slice("tfsec-".length, -".json".length);
    const report = readJson<{ results: TfsecResult[] | null }>(join(reportDir, file));
    for (const r of report.results ?? []) {
      results.push({
        id: r.rule_id.replace(/^AVD-/, ""),
        title: r.rule_description,
        stack,
        name: terraformName(r.resource),
        passed: r.status === 1,
      });
    }
  }
  return {
    name: "tfsec (HCL)",
    reports: (id) => /^AWS-\d{4}$/.test(id),
    blind: {
      "AWS-0104":
        "tfsec 1.28 reads egress only from aws_security_group and aws_security_group_rule, not from aws_vpc_security_group_egress_rule",
      "AWS-0057":
        "tfsec 1.28 sees the `<log group ARN>:*` pattern only when it can resolve the log group's ARN, which depends on the stack: it reports some of these policies and not others",
    },
    results,
  };
}

/** Construct path (inside the stack) of each resource and data source name, per stack. */
function constructPaths(outdir: string): Record<string, Record<string, string>> {
  const manifest = readJson<Manifest>(join(outdir, "manifest.json"));
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

function judge(scanner: Scanner, paths: Record<string, Record<string, string>>, accepted: string[]): boolean {
  const titles = new Map<string, string>();
  const counts: Record<string, { passed: number; failed: number; excepted: number }> = {};
  const failed = new Set<string>();
  for (const r of scanner.results) {
    const key = findingKey(r.id, r.stack, paths[r.stack]?.[r.name] ?? r.name);
    const count = (counts[r.stack] ??= { passed: 0, failed: 0, excepted: 0 });
    if (r.passed) count.passed++;
    else {
      failed.add(key);
      titles.set(key, r.title);
    }
  }
  const idOf = (finding: string) => finding.split(" | ")[0] as string;
  const blindTo = (finding: string) => idOf(finding) in scanner.blind;
  const mine = accepted.filter((f) => scanner.reports(idOf(f)));
  const found = [...failed].sort();
  const { unexpected } = compareFindings(found, mine);
  const { stale } = compareFindings(
    found,
    mine.filter((f) => !blindTo(f)),
  );
  const acceptedSet = new Set(mine);
  for (const key of failed) {
    const stack = key.split(" | ")[1] as string;
    const count = counts[stack] as { failed: number; excepted: number };
    if (acceptedSet.has(key)) count.excepted++;
    else count.failed++;
  }

  console.log(`\n${scanner.name}\nstack       passed  failed  excepted`);
  for (const [stack, c] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) {
    console.log(
      `${stack.padEnd(10)} ${String(c.passed).padStart(7)} ${String(c.failed).padStart(7)} ${String(c.excepted).padStart(9)}`,
    );
  }
  const unseen = mine.filter((f) => blindTo(f) && !failed.has(f));
  if (unseen.length > 0) console.log("accepted, found by the catalog rule, not reported by this scanner:");
  for (const key of unseen) console.log(`  ${key}: ${scanner.blind[idOf(key)] ?? ""}`);
  if (unexpected.length > 0) {
    console.error(
      `\n${unexpected.length} failed check(s) that no accepted finding covers (constructs/model/accepted-findings.ts lists them; the construct that decides attaches one):`,
    );
    unexpected.forEach((key) => console.error(`  ${key}: ${titles.get(key) ?? ""}`));
  }
  if (stale.length > 0) {
    console.error(
      `\n${stale.length} accepted finding(s) that no longer occur (narrow where the construct attaches it):`,
    );
    stale.forEach((key) => console.error(`  ${key}`));
  }
  return unexpected.length === 0 && stale.length === 0;
}

function main(outdir: string, reportDir: string): number {
  const paths = constructPaths(outdir);
  const accepted = acceptedFindings(readStacks(outdir));
  const verdicts = [checkov(reportDir), tfsec(reportDir)].map((s) => judge(s, paths, accepted));
  if (verdicts.includes(false)) return 1;
  console.log("\nno failed check outside the reviewed exceptions");
  return 0;
}

const [outdir, reportDir] = process.argv.slice(2);
if (outdir === undefined || reportDir === undefined) {
  console.error("usage: node dist/scan-report.js <cdktf.out> <report dir>");
  process.exit(2);
}
process.exit(main(outdir, reportDir));
