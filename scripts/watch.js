#!/usr/bin/env node
// npm run watch [-- extra tsc options]: `tsc -p tsconfig.json --watch --preserveWatchOutput` (src/ -> dist/)
// that stops with the command that started it. Stop it with Ctrl-C. `npm run` starts scripts through
// `sh -c`, and when npm itself is stopped (`kill <npm's pid>`) the shell dies without passing the signal
// on, so a plain `tsc --watch` kept running. Here package.json execs this script in place of the shell;
// it runs tsc as its child, passes SIGINT, SIGTERM and SIGHUP on to it, stops it when its own parent
// goes away (npm killed with SIGKILL: the script is then re-parented, which it checks every second), and
// exits with tsc's status.
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc", { paths: [process.cwd(), root] });
} catch (error) {
  process.stderr.write(`TypeScript is not installed (${error.message}). Run: npm ci\n`);
  process.exit(2);
}
const child = spawn(process.execPath, [tsc, "-p", "tsconfig.json", "--watch", "--preserveWatchOutput", ...process.argv.slice(2)], {
  stdio: "inherit",
});

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
  // tsc ends at once on these signals; make sure of it.
  setTimeout(() => child.kill("SIGKILL"), 5000).unref();
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(signal));

const parent = process.ppid;
const parentCheck = setInterval(() => {
  if (process.ppid !== parent) stop("SIGTERM");
}, 1000);
parentCheck.unref();

child.on("exit", (code, signal) => {
  clearInterval(parentCheck);
  process.exitCode = code ?? 128 + (require("node:os").constants.signals[signal] ?? 15);
});
child.on("error", (error) => {
  process.stderr.write(`Could not start tsc: ${error.message}\n`);
  process.exitCode = 2;
});
