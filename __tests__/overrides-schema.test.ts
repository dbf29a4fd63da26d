import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readDocs } from "../.ci/e2e/readme-blocks";
import Ajv2020 from "ajv/dist/2020";
import {
  OVERRIDES_SCHEMA_PATH,
  overridesJsonSchema,
  overridesJsonSchemaText,
} from "../stacks/config/json-schema";
import { loadSettings } from "../stacks/config/load";
import { PROJECT } from "../stacks/config/project";

const ROOT = join(__dirname, "..");
const project = loadSettings(PROJECT, {});
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(overridesJsonSchema(project));
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8")) as unknown;

describe("the override file's JSON Schema", () => {
  test("is what stacks/config/overrides.schema.json holds (run npm run docs after changing settings)", () => {
    expect(readFileSync(join(ROOT, OVERRIDES_SCHEMA_PATH), "utf8")).toBe(overridesJsonSchemaText(project));
  });

  test.each(["stacks/config/examples/all-features.json", ".ci/adopter/overrides.json"])(
    "accepts the override file %s, which synth accepts too",
    (path) => {
      expect([validate(readJson(path)), validate.errors ?? []]).toEqual([true, []]);
      expect(() => loadSettings(PROJECT, { STACK_CONFIG_FILE: join(ROOT, path) })).not.toThrow();
    },
  );

  test("accepts the override-file examples of the README and help", () => {
    const readme = readDocs(ROOT);
    const examples = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] as string));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) expect([validate(example), validate.errors ?? []]).toEqual([true, []]);
  });

  test("accepts null to put a setting or a map entry back to its default", () => {
    const ok = validate({
      dev: { edge: { domainName: null }, service: { environment: { LOG_LEVEL: null } } },
    });
    expect([ok, validate.errors ?? []]).toEqual([true, []]);
  });

  test.each([
    ["a misspelt setting", { dev: { servce: {} } }, "/dev"],
    ["a misspelt nested setting", { dev: { network: { natStrategie: "none" } } }, "/dev/network"],
    ["a value outside an enum", { dev: { network: { natStrategy: "two" } } }, "/dev/network/natStrategy"],
    ["an integer out of range", { dev: { service: { desiredCount: 0 } } }, "/dev/service/desiredCount"],
    ["a malformed environment name", { Dev: {} }, ""],
    ["an unknown preset", { project: { environments: { qa: "test" } } }, "/project/environments/qa"],
    ["an unknown key in the project section", { project: { title: "x" } }, "/project"],
  ])("refuses %s, as synth does", (_, overrides, path) => {
    expect(validate(overrides)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(path);
  });
});
