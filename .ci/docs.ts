// npm run docs: regenerates the configuration reference (help/) from the settings schema, and
// the override file's JSON Schema, and the security catalog (help/security-catalog.md) from the
// policy rules and exceptions.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { OVERRIDES_SCHEMA_PATH, overridesJsonSchemaText } from "../stacks/config/json-schema";
import { REFERENCE_PATH, withConfigurationReference } from "../stacks/config/reference";
import { loadSettings } from "../stacks/config/load";
import { PROJECT } from "../stacks/config/project";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeProject } from "../stacks/app/synthesize";
import { CATALOG_DOCUMENT_PATH, catalogDocument } from "./policy/catalog-document";
import { readStacks } from "./policy/stack-view";

const project = loadSettings(PROJECT, {});

function regenerate(path: string, update: (current: string) => string, what: string): void {
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  const updated = update(current);
  writeFileSync(path, updated);
  console.log(`${path} ${what} ${updated === current ? "is up to date" : "updated"}`);
}

regenerate(REFERENCE_PATH, (page) => withConfigurationReference(page, project), "configuration reference");
regenerate(OVERRIDES_SCHEMA_PATH, () => overridesJsonSchemaText(project), "override-file JSON Schema");
// Where each exception applies is read from the built-in configuration's synthesized stacks.
const scratch = mkdtempSync(join(tmpdir(), "docs-"));
synthesizeProject(project, join(scratch, "out"));
const stacks = readStacks(join(scratch, "out"));
rmSync(scratch, { recursive: true, force: true });
regenerate(CATALOG_DOCUMENT_PATH, () => catalogDocument(stacks), "security catalog");
