import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
  readonly line: number;
}

/** Lints code given on stdin as a project file, with the project's own ESLint config. */
function lint(code: string): LintMessage[] {
  const result = spawnSync(
    process.execPath,
    [
      "node_modules/eslint/bin/eslint.js",
      "--format",
      "json",
      "--stdin",
      "--stdin-filename",
      "__tests__/lint-probe.ts",
    ],
    { input: code, encoding: "utf8" },
  );
  if (result.status !== 0 && result.status !== 1) throw new Error(`eslint crashed: ${result.stderr}`);
  const [report] = JSON.parse(result.stdout) as Array<{ messages: LintMessage[] }>;
  return report?.messages ?? [];
}

/** The package whose root import is banned: the provider bindings package.json depends on (@cdktf or, after the move, @cdktn). */
const PACKAGE = Object.keys(
  (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { dependencies: object })
    .dependencies,
).find((name) => name.endsWith("/provider-aws")) as string;

describe("ESLint config", () => {
  test("rejects every form of the root provider-aws import and accepts deep imports", () => {
    const messages = lint(
      [
        `import { Vpc } from "${PACKAGE}/lib/vpc";`,
        `import { vpc } from "${PACKAGE}";`,
        `import * as aws from "${PACKAGE}";`,
        `import { subnet } from "${PACKAGE}/lib";`,
        "export const used = [Vpc, vpc, aws, subnet];",
        "",
      ].join("\n"),
    );
    expect(messages.map((m) => [m.line, m.ruleId])).toEqual([
      [2, "no-restricted-imports"],
      [3, "no-restricted-imports"],
      [4, "no-restricted-imports"],
    ]);
    messages.forEach((m) => expect(m.message).toContain("import @cdktf/provider-aws/lib/<resource> instead"));
  });
});
