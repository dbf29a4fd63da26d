/**
 * The documented commands, as npm run e2e runs them: a fenced bash block that follows a marker
 * `<!-- e2e:<id> -->` in the README or a page of help/. The run executes the block as written, so
 * the documentation cannot drift from what is tested.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const README_BLOCKS = [
  "cdktf-registry",
  "promote-image",
  "cdktf-environments",
  "cdktf-diff",
  "pipeline-synth",
  "pipeline-stack",
  "pipeline-release",
  "cdktf-break-glass",
  "pipeline-break-glass",
] as const;
export type ReadmeBlock = (typeof README_BLOCKS)[number];

/** The documentation files, relative to the project: README.md and every page of help/. */
export function docFiles(root: string): string[] {
  const pages = readdirSync(join(root, "help"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join("help", name));
  return ["README.md", ...pages];
}

/** Every documentation file's text, one after the other. */
export function readDocs(root: string): string {
  return docFiles(root)
    .map((file) => readFileSync(join(root, file), "utf8"))
    .join("\n");
}

/** The body of the bash block after `<!-- e2e:<id> -->`; throws when the marker or block is missing. */
export function readmeBlock(docs: string, id: ReadmeBlock): string {
  const marker = `<!-- e2e:${id} -->`;
  const at = docs.indexOf(marker);
  if (at < 0) throw new Error(`no "${marker}" marker in README.md or help/`);
  if (docs.indexOf(marker, at + marker.length) >= 0) throw new Error(`"${marker}" is in the docs twice`);
  const block = /^\s*```bash\n([\s\S]*?)\n```/.exec(docs.slice(at + marker.length));
  if (!block) throw new Error(`"${marker}" is not followed by a \`\`\`bash block`);
  return block[1] as string;
}
