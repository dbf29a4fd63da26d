/**
 * Every project path that the README, help or a source comment names exists, so a move cannot
 * leave a reader looking for a file that is gone.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const PROJECT_PATH = /(?<![\w./-])(?:constructs|stacks|__tests__|\.ci)\/[\w./-]*[\w]/g;
/** Paths written as examples or created at run time, not files of the repository. */
const NOT_IN_THE_TREE = [/(^|\/)lint-probe\.ts$/, /^\.ci\/\.venv/];

const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: ROOT,
  encoding: "utf8",
})
  .split("\n")
  .filter((file) => /\.(ts|js|mjs|py|md)$/.test(file) || file === ".ci/run" || file === ".ci/scan");

test("the README, the help pages and every source file name only paths that exist", () => {
  const missing = tracked.flatMap((file) =>
    [...new Set(readFileSync(join(ROOT, file), "utf8").match(PROJECT_PATH) ?? [])]
      .filter((path) => !NOT_IN_THE_TREE.some((pattern) => pattern.test(path)))
      .filter((path) => !existsSync(join(ROOT, path)))
      .map((path) => `${file}: ${path}`),
  );
  expect(missing).toEqual([]);
});
