// npm test: type-check, ESLint, Prettier and jest side by side (jest streams its output, the
// others print theirs when they end), then one line per step. Fails when any step fails.
// Arguments go to jest (`npm test -- __tests__/network.test.ts`).
//
// tsc, ESLint and Prettier keep caches in node_modules/.cache, so unchanged files are not
// checked again; a clean checkout (CI) has none and checks everything.
"use strict";
const { spawn } = require("node:child_process");
const { join } = require("node:path");

process.chdir(join(__dirname, ".."));
const bin = (name) => join("node_modules", ".bin", name);
const cache = (name) => join("node_modules", ".cache", name);

const steps = [
  { name: "tsc --noEmit", command: bin("tsc"), args: ["--noEmit"] },
  {
    name: "eslint",
    command: bin("eslint"),
    args: [
      "--max-warnings",
      "0",
      "--cache",
      "--cache-strategy",
      "content",
      "--cache-location",
      `${cache("eslint")}/`,
      ".",
    ],
  },
  {
    name: "prettier --check",
    command: bin("prettier"),
    args: ["--check", "--cache", "--cache-strategy", "content", "--log-level", "warn", "."],
  },
  { name: "jest", command: bin("jest"), args: process.argv.slice(2), streams: true },
];

function run(step) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { stdio: step.streams ? "inherit" : "pipe" });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => (output += `${error.message}\n`));
    child.on("close", (status) => {
      if (output.trim() !== "") process.stderr.write(`\n--- ${step.name}\n${output}`);
      resolve({ name: step.name, status, seconds: (Date.now() - started) / 1000 });
    });
  });
}

Promise.all(steps.map(run)).then((results) => {
  process.stderr.write("\n");
  for (const r of results) {
    process.stderr.write(
      `${r.status === 0 ? "ok    " : "FAILED"} ${r.name.padEnd(18)} ${r.seconds.toFixed(1)} s\n`,
    );
  }
  process.exitCode = results.every((r) => r.status === 0) ? 0 : 1;
});
