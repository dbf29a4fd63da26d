import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CATALOG_SECTIONS, POLICY_RULES, ruleFor } from "../.ci/policy/catalog";
import { CATALOG_DOCUMENT_PATH, catalogDocument } from "../.ci/policy/catalog-document";
import { POLICY_EXCEPTIONS } from "../.ci/policy/exceptions";
import { StackView, readStacks } from "../.ci/policy/stack-view";
import { shared } from "./support/shared-synth";

/** npm run docs writes it from the built-in configuration's stacks, which the shared synth wrote. */
const document = catalogDocument(readStacks(shared("synth").outdir));

describe("security catalog", () => {
  test("is what help/security-catalog.md holds (run npm run docs after changing a rule or exception)", () => {
    expect(readFileSync(join(__dirname, "..", CATALOG_DOCUMENT_PATH), "utf8")).toBe(document);
  });

  test("lists every rule once, under its service, and every exception with its condition and reason", () => {
    for (const rule of POLICY_RULES) expect(document.split(`| ${rule.title} |`)).toHaveLength(2);
    for (const section of CATALOG_SECTIONS) expect(document).toContain(`### ${section.title}\n`);
    POLICY_EXCEPTIONS.forEach((exception, index) => {
      expect(document).toContain(`### E${index + 1}: `);
      expect(document).toContain(`- **When:** ${exception.condition}.`);
      expect(document).toContain(`- **Why:** ${exception.why}`);
    });
  });

  test("links each rule to the exceptions that accept its findings", () => {
    const waf = POLICY_EXCEPTIONS.findIndex((e) => e.rules.includes("CKV2_AWS_28"));
    expect(document).toContain(`| ${ruleFor("CKV2_AWS_28")?.title ?? "?"} | E${waf + 1} |`);
    expect(document).toContain(`| ${ruleFor("CKV_AWS_51")?.title ?? "?"} |  |`);
  });

  test("gives every scanner ID to one rule only", () => {
    const ids = POLICY_RULES.flatMap((rule) => rule.ids);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });
});

describe("Performance Insights rules", () => {
  const withDatabase = (block: object) =>
    new StackView("dev", {
      resource: {
        aws_db_instance: { db: { ...block, "//": { metadata: { path: "dev/database/instance" } } } },
      },
    } as never);
  const violations = (id: string, block: object) => ruleFor(id)?.violations(withDatabase(block)) ?? [];

  test("asks for Performance Insights, and for its customer-managed key only where it is on", () => {
    const key = "${aws_kms_key.data_key.arn}";
    expect(violations("CKV_AWS_353", { performance_insights_enabled: false })).toHaveLength(1);
    expect(violations("CKV_AWS_354", { performance_insights_enabled: false })).toEqual([]);
    expect(violations("CKV_AWS_354", { performance_insights_enabled: true })).toHaveLength(1);
    expect(
      violations("CKV_AWS_354", { performance_insights_enabled: true, performance_insights_kms_key_id: key }),
    ).toEqual([]);
    expect(violations("CKV_AWS_353", { performance_insights_enabled: true })).toEqual([]);
  });
});
