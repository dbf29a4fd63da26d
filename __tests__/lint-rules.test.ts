import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
  readonly line: number;
}

/** Lints code given on stdin as a project file (never on disk), with the project's own ESLint config. */
function lint(code: string, file = "__tests__/lint-probe.ts"): LintMessage[] {
  const result = spawnSync(
    process.execPath,
    ["node_modules/eslint/bin/eslint.js", "--format", "json", "--stdin", "--stdin-filename", file],
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

  test.each<[string, string, string]>([
    [
      "a construct importing the stacks' configuration",
      "constructs/lint-probe.ts",
      "../stacks/config/settings",
    ],
    ["a construct importing the tooling", "constructs/lint-probe.ts", "../.ci/e2e/context"],
    ["the domain model importing a construct", "constructs/model/lint-probe.ts", "../kms-key"],
    ["the domain model importing the construct library", "constructs/model/lint-probe.ts", "constructs"],
    ["the policy checker importing a stack", ".ci/policy/lint-probe.ts", "../environment-stack"],
    ["the policy checker importing cdktf", ".ci/policy/lint-probe.ts", "cdktf"],
  ])("keeps the layers apart: refuses %s", (_, file, from) => {
    const messages = lint(`import { x } from "${from}";\nexport const used = x;\n`, file);
    expect(messages.map((m) => m.ruleId)).toEqual(["no-restricted-imports"]);
  });

  test.each<[string, string]>([
    ["constructs/lint-probe.ts", "./model/iam"],
    ["constructs/model/lint-probe.ts", "./iam"],
    [".ci/policy/lint-probe.ts", "../../stacks/config/settings"],
  ])("lets %s import %s", (file, from) => {
    expect(lint(`import { x } from "${from}";\nexport const used = x;\n`, file)).toEqual([]);
  });
});
