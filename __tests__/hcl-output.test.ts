/**
 * `npm run synth:hcl` writes HCL equivalent to the JSON synth, terraform-fmt-clean, with no stale
 * cdk.tf.json beside it. Both outputs are read back (hcl2json for the HCL) and compared.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { parseHclExpression } from "../.ci/policy/hcl-expression";
import { shared } from "./support/shared-synth";

const STACKS = ["registry", "dev", "staging", "prod"];
const terraformOnPath = spawnSync("terraform", ["version"]).status === 0;
if (!terraformOnPath) {
  console.warn(
    "terraform is not on the PATH: the HCL output is not terraform-fmt-normalized or fmt-checked in this run",
  );
}

const REFERENCE_LISTS = ["depends_on", "ignore_changes", "replace_triggered_by"];

/** Drops whitespace outside string literals: insignificant in HCL expressions. */
function squeeze(expression: string): string {
  let out = "";
  let quoted = false;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i] as string;
    if (quoted && c === "\\") {
      out += c + (expression[++i] ?? "");
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (quoted || !/\s/.test(c)) out += c;
  }
  return out;
}

/**
 * One shape for both readings: no cdktf "//" metadata, one-element lists of blocks unwrapped
 * (hcl2json reads every block as a list), jsonencode expressions decoded, other expressions
 * without insignificant whitespace.
 */
function normalize(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) {
    // Lists of references: JSON writes "aws_x.y", hcl2json reads a bare reference as "${aws_x.y}".
    if (REFERENCE_LISTS.includes(key)) return value.map((v) => String(v).replace(/^\$\{(.*)\}$/, "$1"));
    const items = value.map((v) => normalize(v));
    return items.length === 1 && items[0] !== null && typeof items[0] === "object" && !Array.isArray(items[0])
      ? items[0]
      : items;
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "//")
        .map(([k, v]) => [k, normalize(v, k)]),
    );
  }
  if (typeof value === "string") {
    // hcl2json reads a type constraint (type = string) as the expression "${string}".
    if (key === "type" && /^\$\{[a-z()]+\}$/.test(value)) return value.slice(2, -1);
    const jsonencode = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(value);
    if (jsonencode) return { jsonencode: parseHclExpression(jsonencode[1] as string) };
    return value.startsWith("${") ? squeeze(value) : value;
  }
  return value;
}

describe("HCL output", () => {
  // What users run: npm run synth:hcl, compared with npm run synth (both run once per jest run).
  const cli = shared("synth:hcl");
  const hclDir = cli.outdir;
  const jsonDir = shared("synth").outdir;

  test("npm run synth:hcl succeeds and writes cdk.tf without a stale cdk.tf.json", () => {
    expect(cli.status).toBe(0);
    for (const stack of STACKS) {
      expect(existsSync(join(hclDir, "stacks", stack, "cdk.tf"))).toBe(true);
      expect(existsSync(join(hclDir, "stacks", stack, "cdk.tf.json"))).toBe(false);
    }
  });

  test.each(STACKS)("the %s stack's HCL reads back to the same configuration as its JSON", async (stack) => {
    const hcl = await parse("cdk.tf", readFileSync(join(hclDir, "stacks", stack, "cdk.tf"), "utf8"));
    const json: unknown = JSON.parse(readFileSync(join(jsonDir, "stacks", stack, "cdk.tf.json"), "utf8"));
    expect(normalize(hcl)).toEqual(normalize(json));
  });

  (terraformOnPath ? test : test.skip)("is terraform fmt clean", () => {
    const check = spawnSync("terraform", ["fmt", "-check", "-recursive", "-list=true", hclDir], {
      encoding: "utf8",
    });
    expect([check.status, check.stdout]).toEqual([0, ""]);
  });
});
