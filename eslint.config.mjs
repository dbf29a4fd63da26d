// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { createNodeResolver, importX } from "eslint-plugin-import-x";

const rootProviderImport = {
  message:
    "The @cdktf/provider-aws barrel costs seconds and hundreds of MB per process; import @cdktf/provider-aws/lib/<resource> instead.",
};

const rootProviderPaths = [
  { name: "@cdktf/provider-aws", ...rootProviderImport },
  { name: "@cdktf/provider-aws/lib", ...rootProviderImport },
  { name: "@cdktf/provider-aws/lib/index", ...rootProviderImport },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "cdktf.out/",
      ".venv/",
      ".bench/",
      ".ci/bench-peers/",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: rootProviderPaths,
        },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      curly: ["error", "multi-line"],
    },
  },
  {
    // Layering: constructs never reach up into the stacks, their configuration, the policy checker
    // or the tooling; the domain model (constructs/model) imports neither constructs nor providers;
    // the policy checker reads synthesized output and settings, never the construct tree.
    files: ["constructs/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: rootProviderPaths,
          patterns: [
            {
              group: ["**/stacks/**", "**/.ci/**", "**/__tests__/**"],
              message: "constructs never import stacks, configuration, policy or tooling",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["constructs/model/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...rootProviderPaths,
            { name: "constructs", message: "the domain model holds no construct" },
          ],
          patterns: [
            { group: ["../*", "**/stacks/**", "**/.ci/**"], message: "the domain model imports only itself" },
            { group: ["@cdktf/provider-aws/**"], message: "the domain model imports no provider binding" },
          ],
        },
      ],
    },
  },
  {
    // A tier takes its settings and the tiers before it, never the stack that builds it.
    files: ["stacks/tiers/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: rootProviderPaths,
          patterns: [{ group: ["**/*-stack"], message: "a tier never imports a stack, not even its type" }],
        },
      ],
    },
  },
  {
    files: [".ci/policy/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...rootProviderPaths,
            { name: "cdktf", message: "the policy checker reads synthesized output, not the construct tree" },
            {
              name: "constructs",
              message: "the policy checker reads synthesized output, not the construct tree",
            },
          ],
          patterns: [
            {
              group: ["@cdktf/**", "**/*-stack", "**/environment-*", "**/app/**"],
              message: "the policy checker reads synthesized output and settings only",
            },
          ],
        },
      ],
    },
  },
  {
    // No import circle anywhere in the project's own code: each file can be read after the ones it imports.
    files: ["main.ts", "constructs/**/*.ts", "stacks/**/*.ts", ".ci/**/*.ts", "__tests__/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".json"] })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Source files stay small enough to read at once, functions small enough to hold in mind.
    files: ["main.ts", "constructs/**/*.ts", "stacks/**/*.ts", ".ci/**/*.ts"],
    rules: {
      "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
      "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Tests too stay one screenful of concerns per file (describe blocks are long functions by nature).
    files: ["__tests__/**/*.ts"],
    rules: { "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ["__tests__/**/*.ts", ".ci/**/*.ts", ".ci/policy/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Synthesized Terraform JSON is untyped data; tests and the policy rules read it as such.
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  {
    // Never on disk: __tests__/lint-rules.test.ts lints it from stdin to prove the import rule
    // works. Type information is off for it; a root-import probe would type-check the whole barrel.
    files: [
      "__tests__/lint-probe.ts",
      "constructs/lint-probe.ts",
      "constructs/model/lint-probe.ts",
      "stacks/tiers/lint-probe.ts",
      ".ci/policy/lint-probe.ts",
    ],
    ...tseslint.configs.disableTypeChecked,
  },
);
