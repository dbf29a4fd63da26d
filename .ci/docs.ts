// npm run docs: regenerates the configuration reference in README.md from the settings schema.
import { readFileSync, writeFileSync } from "node:fs";
import { withConfigurationReference } from "../stacks/config/reference";
import { loadSettings } from "../stacks/config/load";
import { PROJECT } from "../stacks/config/project";

const readme = readFileSync("README.md", "utf8");
const updated = withConfigurationReference(readme, loadSettings(PROJECT, {}));
writeFileSync("README.md", updated);
console.log(
  updated === readme
    ? "README.md configuration reference is up to date"
    : "README.md configuration reference updated",
);
