// The app command of `npm run synth`, `npm run synth:hcl` and the cdktf CLI (cdktf.json "app").
//
// One node process, with public APIs only, and these savings over `esbuild ... && node dist/main.js`:
// - main.ts is bundled with everything it imports into dist/main.js, so node reads one file
//   instead of resolving and reading ~500 modules one by one;
// - the bundle is rebuilt only when an input of the last build changed (esbuild's metafile lists
//   them, node_modules included), which keeps esbuild's ~0.5 s out of most runs;
// - where Node has its own compile cache (module.enableCompileCache, Node 22.1 and later), the
//   compiled bundle is cached in dist/.compile-cache; on Node 20 it is compiled on every run.
//
// `node stacks/app/launch.js --build-only` builds (when needed) and stops.
"use strict";
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const { dirname, join, relative } = require("node:path");

const root = join(__dirname, "..", "..");
const bundle = join(root, "dist", "main.js");
const record = join(root, "dist", "main.inputs.json");
const compileCache = join(root, "dist", ".compile-cache");

/** Written aside and renamed into place: parallel runs (test workers) never read half a file. */
function writeAtomically(path, contents) {
  writeFileSync(`${path}.${process.pid}`, contents);
  renameSync(`${path}.${process.pid}`, path);
}

/** True when the last build started after every one of its inputs (and this file) last changed. */
function bundleIsCurrent() {
  try {
    const { startedMs, inputs } = JSON.parse(readFileSync(record, "utf8"));
    statSync(bundle);
    const all = [...inputs, relative(root, __filename)];
    return all.every((input) => statSync(join(root, input)).mtimeMs < startedMs);
  } catch {
    return false;
  }
}

/** How the app is bundled (npm run bench bundles its growth app the same way). */
const BUNDLE_OPTIONS = {
  bundle: true,
  platform: "node",
  target: "node20",
  // jsonc-parser's "main" is a UMD build that requires files at run time; its ES module bundles.
  mainFields: ["module", "main"],
  logLevel: "warning",
};

function build() {
  const startedMs = Date.now();
  const result = require("esbuild").buildSync({
    ...BUNDLE_OPTIONS,
    absWorkingDir: root,
    entryPoints: ["main.ts"],
    outfile: bundle,
    sourcemap: true,
    metafile: true,
    write: false,
  });
  mkdirSync(dirname(bundle), { recursive: true });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  writeAtomically(record, JSON.stringify({ startedMs, inputs: Object.keys(result.metafile.inputs) }));
}

/** Runs the bundle as node's main module would run, with Node's compile cache where it has one. */
function runBundle() {
  if (typeof Module.enableCompileCache === "function") Module.enableCompileCache(compileCache);
  process.argv[1] = bundle;
  require(bundle);
}

if (require.main === module) {
  if (!bundleIsCurrent()) build();
  if (!process.argv.includes("--build-only")) runBundle();
}
module.exports = { BUNDLE_OPTIONS };
