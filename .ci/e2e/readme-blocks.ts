/**
 * The README's commands, as npm run e2e runs them: a fenced bash block that follows a marker
 * `<!-- e2e:<id> -->`. The run executes the block as written, so the documentation cannot drift
 * from what is tested.
 */
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

/** The body of the bash block after `<!-- e2e:<id> -->`; throws when the marker or block is missing. */
export function readmeBlock(readme: string, id: ReadmeBlock): string {
  const marker = `<!-- e2e:${id} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no "${marker}" marker`);
  if (readme.indexOf(marker, at + marker.length) >= 0) throw new Error(`README.md has "${marker}" twice`);
  const block = /^\s*```bash\n([\s\S]*?)\n```/.exec(readme.slice(at + marker.length));
  if (!block) throw new Error(`"${marker}" in README.md is not followed by a \`\`\`bash block`);
  return block[1] as string;
}
