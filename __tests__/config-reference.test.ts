import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  REFERENCE_END,
  REFERENCE_PATH,
  REFERENCE_START,
  configurationReference,
  withConfigurationReference,
} from "../stacks/config/reference";
import { loadSettings } from "../stacks/config/load";
import { PROJECT } from "../stacks/config/project";
import { groupFields } from "../constructs/model/props";
import type { RuleGroup } from "../constructs/model/props";
import { ENVIRONMENT_GROUP, REGISTRY_GROUP } from "../stacks/config/schema/fields";
import { PROD_INVARIANTS } from "../stacks/config/schema/prod-invariants";

const ENVIRONMENT_FIELDS = groupFields(ENVIRONMENT_GROUP as RuleGroup<unknown>);
const REGISTRY_FIELDS = groupFields(REGISTRY_GROUP as RuleGroup<unknown>);

const project = loadSettings(PROJECT, {});
const reference = configurationReference(project);

describe("configuration reference", () => {
  test("lists every setting: what a new environment of each preset starts with, each environment's value, what is allowed", () => {
    for (const spec of [...ENVIRONMENT_FIELDS, ...REGISTRY_FIELDS]) {
      expect(reference).toContain(`| \`${spec.path}\` |`);
    }
    expect(reference).toContain(
      "| `network.natStrategy` | `single` | `single` | `per-az` | `single` | `single` | `per-az` | one of 'per-az', 'single', 'none' |",
    );
    expect(reference).toContain(
      "| `service.cpu` | `256` | `256` | `512` | `256` | `256` | `512` | one of 256, 512, 1024",
    );
    // A new environment has no data tier and no egress; the example turns both on.
    expect(reference).toContain(
      "| `database.enabled` | `false` | `false` | `false` | `true` | `true` | `true` |",
    );
    expect(reference).toContain(
      '| `network.appInternetEgress` | `[]` | `[]` | `[]` | `["0.0.0.0/0"]` | `["0.0.0.0/0"]` | `["0.0.0.0/0"]` |',
    );
    for (const invariant of PROD_INVARIANTS) expect(reference).toContain(invariant.description);
  });

  test(`is what ${REFERENCE_PATH} holds (run npm run docs after changing settings)`, () => {
    const readme = readFileSync(join(__dirname, "..", REFERENCE_PATH), "utf8");
    expect(readme).toContain(REFERENCE_START);
    expect(withConfigurationReference(readme, project)).toBe(readme);
  });

  test("refuses a page without the markers", () => {
    expect(() => withConfigurationReference("# no markers", project)).toThrow(
      /lacks the configuration-reference markers/,
    );
    expect(withConfigurationReference(`a\n${REFERENCE_START}\nold\n${REFERENCE_END}\nb`, project)).toBe(
      `a\n${reference}\nb`,
    );
  });
});
