// npm run bench: how fast synthesis and tests are, against the reference costs, in one run.
// Prints a table and writes .bench/results.json. Peak RSS comes from GNU time (/usr/bin/time).
const { spawnSync } = require("node:child_process");
const { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { cpus, tmpdir } = require("node:os");
const { join } = require("node:path");

process.chdir(join(__dirname, ".."));
const RUNS = Number(process.env.BENCH_RUNS || 5);
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS || 3);
const GROWTH = [1, 4, 16, 64];
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null", CI: "1" };

/** Runs a shell command once: wall seconds and peak RSS in MB (largest process of the tree). */
function measure(command, extraEnv = {}) {
  const rssFile = join(mkdtempSync(join(tmpdir(), "bench-rss-")), "rss");
  const argv = gnuTime ? [gnuTime, "-f", "%M", "-o", rssFile, "sh", "-c", command] : ["sh", "-c", command];
  const started = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), {
    env: { ...env, ...extraEnv },
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`"${command}" failed:\n${result.stderr}\n${result.stdout}`);
  const rssMb = gnuTime ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024 : null;
  return { seconds, rssMb };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Runs a command `runs` times (each in a fresh temporary CDKTF_OUTDIR) and summarizes. */
function series(label, command, runs, extraEnv = () => ({})) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const outdir = join(mkdtempSync(join(tmpdir(), "bench-out-")), "cdktf.out");
    samples.push(
      measure(command.replace(/\{outdir\}/g, outdir), { CDKTF_OUTDIR: outdir, ...extraEnv(outdir) }),
    );
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

const cdktfJson = JSON.parse(readFileSync("cdktf.json", "utf8"));
const appCommand = cdktfJson.app;
process.stderr.write("npm run bench (this takes about two minutes)\n");

const reference = {
  requireCdktf: series("node -e \"require('cdktf')\"", `node -e "require('cdktf')"`, RUNS),
  rootImport: series(
    "node -e \"require('@cdktf/provider-aws')\" (root import)",
    `node -e "require('@cdktf/provider-aws')"`,
    RUNS,
  ),
};
const synth = {
  inProcess: series("all default stacks, in process (cdktf.json app command)", appCommand, RUNS),
  cli: series("cdktf synth (CLI included)", "node_modules/.bin/cdktf synth --output {outdir}", CLI_RUNS),
  cliHcl: series(
    "cdktf synth --hcl (CLI included)",
    "node_modules/.bin/cdktf synth --hcl --output {outdir}",
    CLI_RUNS,
  ),
};
measure(
  "node_modules/.bin/esbuild .ci/bench-growth.ts --bundle --platform=node --packages=external --log-level=warning --outfile=dist/bench-growth.js",
);
const growth = GROWTH.map((n) => ({
  environments: n,
  stacks: n + 1,
  ...series(`${n} environment stack(s) + registry`, `node dist/bench-growth.js ${n}`, 3),
}));
const testLog = join(mkdtempSync(join(tmpdir(), "bench-test-")), "npm-test.log");
const testSuite = measure(`npm test --silent > ${testLog} 2>&1 || { tail -40 ${testLog}; exit 1; }`);

const root = reference.rootImport.medianSeconds;
const rows = [
  reference.requireCdktf,
  reference.rootImport,
  synth.inProcess,
  synth.cli,
  synth.cliHcl,
  ...growth,
  {
    label: "npm test (tsc, ESLint, Prettier, jest)",
    runs: 1,
    minSeconds: testSuite.seconds,
    medianSeconds: testSuite.seconds,
    peakRssMb: testSuite.rssMb,
  },
];
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(
  `\n${pad("measurement", 58)}${lpad("runs", 5)}${lpad("min s", 8)}${lpad("median s", 10)}${lpad("peak MB", 9)}${lpad("× root import", 15)}`,
);
for (const r of rows) {
  console.log(
    `${pad(r.label, 58)}${lpad(r.runs, 5)}${lpad(r.minSeconds.toFixed(2), 8)}${lpad(r.medianSeconds.toFixed(2), 10)}${lpad(r.peakRssMb === null ? "n/a" : r.peakRssMb.toFixed(0), 9)}${lpad((r.medianSeconds / root).toFixed(2), 15)}`,
  );
}
const perStack = (growth[3].medianSeconds - growth[2].medianSeconds) / (growth[3].stacks - growth[2].stacks);
console.log(
  `\nGrowth: ${(perStack * 1000).toFixed(0)} ms per extra environment stack between 16 and 64 (start-up ${(growth[0].medianSeconds - perStack * growth[0].stacks).toFixed(2)} s).`,
);
const targets = [
  [
    "in-process synth ≤ 40% of one root import",
    synth.inProcess.medianSeconds <= 0.4 * root,
    `${((synth.inProcess.medianSeconds / root) * 100).toFixed(0)}%`,
  ],
  [
    "in-process synth under 150 MB peak RSS",
    synth.inProcess.peakRssMb === null || synth.inProcess.peakRssMb < 150,
    `${synth.inProcess.peakRssMb?.toFixed(0)} MB`,
  ],
  [
    "64 environment stacks under 10 s",
    growth[3].medianSeconds < 10,
    `${growth[3].medianSeconds.toFixed(2)} s`,
  ],
  ["npm test under 60 s", testSuite.seconds < 60, `${testSuite.seconds.toFixed(1)} s`],
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
  testSuite,
  targets: targets.map(([name, met, value]) => ({ name, met, value })),
};
writeFileSync(".bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
console.log("\nWritten to .bench/results.json");
