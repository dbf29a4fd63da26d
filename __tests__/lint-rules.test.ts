import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
  readonly line: number;
}

/** Lints each probe's code as that project file (never on disk), with the project's own ESLint config, in one process. */
function lintAll(probes: ReadonlyArray<{ code: string; file: string }>): LintMessage[][] {
  const script = `
    import { ESLint } from "eslint";
    const probes = JSON.parse(await new Response(process.stdin).text());
    const eslint = new ESLint();
    const out = [];
    for (const { code, file } of probes) out.push((await eslint.lintText(code, { filePath: file }))[0]?.messages ?? []);
    process.stdout.write(JSON.stringify(out));
  `;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    input: JSON.stringify(probes),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`eslint crashed: ${result.stderr}`);
  return JSON.parse(result.stdout) as LintMessage[][];
}

const lint = (code: string, file = "__tests__/lint-probe.ts"): LintMessage[] =>
  lintAll([{ code, file }])[0] ?? [];

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

  const refused: ReadonlyArray<[string, string, string]> = [
    [
      "a construct importing the stacks' configuration",
      "constructs/lint-probe.ts",
      "../stacks/config/settings",
    ],
    ["a construct importing the tooling", "constructs/lint-probe.ts", "../.ci/e2e/context"],
    ["the domain model importing a construct", "constructs/model/lint-probe.ts", "../kms-key"],
    ["the domain model importing the construct library", "constructs/model/lint-probe.ts", "constructs"],
    ["the policy checker importing a stack", ".ci/policy/lint-probe.ts", "../../stacks/environment-stack"],
    ["the policy checker importing cdktf", ".ci/policy/lint-probe.ts", "cdktf"],
    ["a tier importing the stack that builds it", "stacks/tiers/lint-probe.ts", "../environment-stack"],
  ];
  const allowed: ReadonlyArray<[string, string]> = [
    ["constructs/lint-probe.ts", "./model/iam"],
    ["constructs/model/lint-probe.ts", "./iam"],
    [".ci/policy/lint-probe.ts", "../../stacks/config/settings"],
    ["stacks/tiers/lint-probe.ts", "./network-tier"],
  ];
  const probe = (from: string) => `import { x } from "${from}";\nexport const used = x;\n`;
  const results = lintAll([
    ...refused.map(([, file, from]) => ({ code: probe(from), file })),
    ...allowed.map(([file, from]) => ({ code: probe(from), file })),
  ]);

  test("refuses an import circle: the stack's outputs importing a function of the stack's file", () => {
    const file = "stacks/tiers/environment-outputs.ts";
    const code = `${readFileSync(join(__dirname, "..", file), "utf8")}\nexport { EnvironmentStack } from "../environment-stack";\n`;
    const messages = lintAll([{ code, file }])[0] ?? [];
    expect(messages.map((m) => m.ruleId)).toContain("import-x/no-cycle");
  });

  test.each(refused.map((row, i) => [...row, i] as const))(
    "keeps the layers apart: refuses %s",
    (_, __, ___, i) => {
      expect((results[i] ?? []).map((m) => m.ruleId)).toEqual(["no-restricted-imports"]);
    },
  );

  test.each(allowed.map((row, i) => [...row, refused.length + i] as const))(
    "lets %s import %s",
    (_, __, i) => {
      expect(results[i]).toEqual([]);
    },
  );
});
