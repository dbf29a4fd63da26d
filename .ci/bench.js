// npm run bench: how fast synthesis and the tests are, against reference costs and two peers
// (AWS CDK, and a cdktf app written the template way), in one run. Prints tables and writes
// .bench/results.json. Peak RSS comes from GNU time (/usr/bin/time), the largest process of a tree.
// The peers are installed into .bench/peers from .ci/bench-peers (not project dependencies).
const { spawnSync } = require("node:child_process");
const {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} = require("node:fs");
const { cpus, tmpdir } = require("node:os");
const { join } = require("node:path");

process.chdir(join(__dirname, ".."));
const RUNS = Number(process.env.BENCH_RUNS || 5);
const SLOW_RUNS = Number(process.env.BENCH_CLI_RUNS || 3);
const GROWTH = [1, 4, 16, 64];
/** Workers and jobs in one environment: synth time per extra workload. */
const WORKLOAD_GROWTH = [1, 4, 16];
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null", CI: "1" };
for (const name of ["STACK_CONFIG_FILE", "STACK_ENVIRONMENTS", "TF_STATE_BUCKET"]) delete env[name];

/** Runs a shell command once: wall seconds, peak RSS in MB and CPU seconds (user + system). */
function measure(command, extraEnv = {}) {
  const rssFile = join(mkdtempSync(join(tmpdir(), "bench-rss-")), "rss");
  const argv = gnuTime
    ? [gnuTime, "-f", "%M %U %S", "-o", rssFile, "sh", "-c", command]
    : ["sh", "-c", command];
  const started = process.hrtime.bigint();
  // A line at least once a minute on stderr (fd 3 of the shell) while a long command runs.
  const heartbeat = `( while sleep 60; do echo "    ... still running: ${command.replace(/["`$\\]/g, "").slice(0, 60)}" >&3; done ) >/dev/null 2>&1 & hb=$!; `;
  const wrapped = [...argv.slice(0, -1), `${heartbeat}${argv[argv.length - 1]}; rc=$?; kill $hb; exit $rc`];
  const result = spawnSync(wrapped[0], wrapped.slice(1), {
    env: { ...env, ...extraEnv },
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "pipe", process.stderr],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`"${command}" failed:\n${result.stderr}\n${result.stdout}`);
  const [rssKb, user, system] = gnuTime
    ? readFileSync(rssFile, "utf8").trim().split("\n").pop().split(" ").map(Number)
    : [];
  rmSync(join(rssFile, ".."), { recursive: true, force: true });
  return { seconds, rssMb: gnuTime ? rssKb / 1024 : null, cpuSeconds: gnuTime ? user + system : null };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Runs a command `runs` times, each with a fresh output directory ({outdir}, CDKTF_OUTDIR). */
function series(label, command, runs, before = () => undefined) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    before();
    const outdir = join(mkdtempSync(join(tmpdir(), "bench-out-")), "cdktf.out");
    samples.push(measure(command.replace(/\{outdir\}/g, outdir), { CDKTF_OUTDIR: outdir }));
    rmSync(join(outdir, ".."), { recursive: true, force: true });
  }
  const seconds = samples.map((s) => s.seconds);
  const rss = samples.map((s) => s.rssMb).filter((r) => r !== null);
  const row = {
    label,
    runs,
    minSeconds: Math.min(...seconds),
    medianSeconds: median(seconds),
    peakRssMb: rss.length ? median(rss) : null,
  };
  process.stderr.write(`  ${label}: median ${row.medianSeconds.toFixed(2)} s\n`);
  return row;
}

function installPeers() {
  const dir = join(".bench", "peers");
  const lock = join(".ci", "bench-peers", "package-lock.json");
  const installed = join(dir, "package-lock.json");
  if (existsSync(installed) && readFileSync(installed, "utf8") === readFileSync(lock, "utf8")) return dir;
  process.stderr.write("  installing the peers (.ci/bench-peers) into .bench/peers\n");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(".ci", "bench-peers", "package.json"), join(dir, "package.json"));
  cpSync(lock, installed);
  measure(`cd ${dir} && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error`);
  return dir;
}

process.stderr.write("npm run bench (about five minutes)\n");
const reference = {
  requireCdktf: series("node -e \"require('cdktf')\"", `node -e "require('cdktf')"`, RUNS),
  rootImport: series(
    "node -e \"require('@cdktf/provider-aws')\" (root import)",
    `node -e "require('@cdktf/provider-aws')"`,
    RUNS,
  ),
};
measure("node stacks/app/launch.js --build-only");
const synth = {
  npmSynth: series("npm run synth (the README's main command)", "npm run --silent synth", RUNS),
  npmSynthHcl: series("npm run synth:hcl", "npm run --silent synth:hcl", RUNS),
  app: series("app alone (node stacks/app/launch.js, cdktf.json)", "node stacks/app/launch.js", RUNS),
  rebuilt: series(
    "npm run synth after a source change (bundle rebuilt)",
    "npm run --silent synth",
    SLOW_RUNS,
    () => rmSync(join("dist", "main.inputs.json"), { force: true }),
  ),
  cli: series("cdktf synth (CLI included)", "node_modules/.bin/cdktf synth --output {outdir}", SLOW_RUNS),
  cliHcl: series(
    "cdktf synth --hcl (CLI included)",
    "node_modules/.bin/cdktf synth --hcl --output {outdir}",
    SLOW_RUNS,
  ),
};
require("esbuild").buildSync({
  ...require("../stacks/app/launch.js").BUNDLE_OPTIONS,
  entryPoints: [".ci/bench-growth.ts"],
  outfile: join("dist", "bench-growth.js"),
});
const growth = GROWTH.map((n) => ({
  environments: n,
  stacks: n + 1,
  ...series(`${n} environment stack(s) + registry`, `node dist/bench-growth.js ${n}`, SLOW_RUNS),
}));
const workloadGrowth = WORKLOAD_GROWTH.map((n) => ({
  workloads: n,
  ...series(`dev with ${n} workload(s) + registry`, `node dist/bench-growth.js ${n} --workloads`, SLOW_RUNS),
}));

const peersDir = installPeers();
const peers = {
  awsCdk: series(
    "peer: AWS CDK 2.276.0, same shape (registry + 3 environments)",
    `NODE_PATH=${peersDir}/node_modules node .ci/bench-peers/aws-cdk-app.js`,
    SLOW_RUNS,
  ),
  template: series(
    "peer: this app the cdktf template way (ts-node, root import)",
    `node ${peersDir}/node_modules/ts-node/dist/bin.js --project tsconfig.json .ci/bench-peers/template-main.ts`,
    1,
  ),
};

/** npm test; cold removes the tsc, ESLint and Prettier caches first. Jest reports per-file times. */
function npmTest(label, cold) {
  if (cold)
    for (const tool of ["tsc", "eslint", "prettier"])
      rmSync(join("node_modules", ".cache", tool), { recursive: true, force: true });
  const dir = mkdtempSync(join(tmpdir(), "bench-test-"));
  const log = join(dir, "npm-test.log");
  const report = join(dir, "jest.json");
  const result = measure(
    `npm test --silent -- --json --outputFile=${report} > ${log} 2>&1 || { tail -40 ${log}; exit 1; }`,
  );
  const jest = JSON.parse(readFileSync(report, "utf8"));
  const files = jest.testResults
    .map((t) => ({
      file: t.name.slice(process.cwd().length + 1),
      seconds: (t.endTime - t.startTime) / 1000,
      tests: t.assertionResults.length,
    }))
    .sort((a, b) => b.seconds - a.seconds);
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`  ${label}: ${result.seconds.toFixed(1)} s\n`);
  return {
    label,
    runs: 1,
    minSeconds: result.seconds,
    medianSeconds: result.seconds,
    peakRssMb: result.rssMb,
    cpuSeconds: result.cpuSeconds,
    files,
  };
}
const tests = {
  cold: npmTest("npm test, cold (no tsc/ESLint/Prettier cache)", true),
  warm: npmTest("npm test, warm (caches as left by the cold run)", false),
};

const root = reference.rootImport.medianSeconds;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const mb = (r) => (r.peakRssMb === null ? "n/a" : r.peakRssMb.toFixed(0));
function table(rows) {
  console.log(
    `\n${pad("measurement", 66)}${lpad("runs", 5)}${lpad("min s", 8)}${lpad("median s", 10)}${lpad("peak MB", 9)}${lpad("× root import", 15)}`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.label, 66)}${lpad(r.runs, 5)}${lpad(r.minSeconds.toFixed(2), 8)}${lpad(r.medianSeconds.toFixed(2), 10)}${lpad(mb(r), 9)}${lpad((r.medianSeconds / root).toFixed(2), 15)}`,
    );
  }
}
table([
  reference.requireCdktf,
  reference.rootImport,
  ...Object.values(synth),
  ...growth,
  ...workloadGrowth,
  tests.cold,
  tests.warm,
]);

const ours = synth.npmSynth;
console.log("\nPeers, against npm run synth (time ×, peak RSS ×; higher is slower/larger):");
for (const peer of Object.values(peers)) {
  console.log(
    `  ${pad(peer.label, 64)} ${peer.medianSeconds.toFixed(2)} s  ${(peer.medianSeconds / ours.medianSeconds).toFixed(1)}×   ${mb(peer)} MB  ${(peer.peakRssMb / ours.peakRssMb).toFixed(1)}×`,
  );
}

const perStack = (growth[3].medianSeconds - growth[2].medianSeconds) / (growth[3].stacks - growth[2].stacks);
console.log(
  `\nGrowth: ${(perStack * 1000).toFixed(0)} ms per extra environment stack between 16 and 64 (start-up ${(growth[0].medianSeconds - perStack * growth[0].stacks).toFixed(2)} s).`,
);
const [fewest, , most] = workloadGrowth;
const perWorkload = (most.medianSeconds - fewest.medianSeconds) / (most.workloads - fewest.workloads);
console.log(
  `Workloads: ${(perWorkload * 1000).toFixed(0)} ms per extra worker or job in one environment between ${fewest.workloads} and ${most.workloads} (${workloadGrowth.map((w) => `${w.workloads}: ${w.medianSeconds.toFixed(2)} s`).join(", ")}).`,
);
console.log("\nSlowest test files (warm npm test, seconds as jest reports them, 2 workers):");
for (const f of tests.warm.files.slice(0, 12))
  console.log(`  ${lpad(f.seconds.toFixed(1), 5)}  ${pad(f.file, 48)} ${f.tests} tests`);
const total = tests.warm.files.reduce((sum, f) => sum + f.seconds, 0);
console.log(`  ${lpad(total.toFixed(1), 5)}  all ${tests.warm.files.length} files together`);
const cpu = (run) => (run.cpuSeconds === null ? "n/a" : `${run.cpuSeconds.toFixed(0)} s`);
console.log(
  `\nnpm test CPU time (user + system, every process): cold ${cpu(tests.cold)}, warm ${cpu(tests.warm)}, on ${cpus().length} cores.`,
);

const targets = [
  ["npm run synth ≤ 1.0 s", ours.medianSeconds <= 1.0, `${ours.medianSeconds.toFixed(2)} s`],
  [
    "in-process synth ≤ 0.20× one root import",
    synth.app.medianSeconds <= 0.2 * root,
    `${(synth.app.medianSeconds / root).toFixed(2)}×`,
  ],
  ["64 environment stacks ≤ 5 s", growth[3].medianSeconds <= 5, `${growth[3].medianSeconds.toFixed(2)} s`],
  ["npm test ≤ 20 s (warm)", tests.warm.medianSeconds <= 20, `${tests.warm.medianSeconds.toFixed(1)} s`],
];
console.log("\nTargets:");
for (const [name, met, value] of targets) console.log(`  ${met ? "met    " : "MISSED "} ${name}: ${value}`);

mkdirSync(".bench", { recursive: true });
const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  reference,
  synth,
  growth,
  workloadGrowth,
  peers,
  tests,
  targets: targets.map(([name, met, value]) => ({ name, met, value })),
};
writeFileSync(".bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
console.log("\nWritten to .bench/results.json");
