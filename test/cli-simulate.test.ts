/** The `migration-penalties simulate` command, spawned as users run it (through tsx, from the sources). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { ParameterError } from "../src/model/parameterError";
import { simulateArguments } from "../src/cli/commands/simulate";
import { runCli } from "../src/cli/main";
import { captureOutput } from "./support/captureOutput";

const root = resolve(__dirname, "..");
const cli = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test("--help lists the subcommands; simulate --help shows its flags", () => {
  const top = cli("--help");
  assert.equal(top.code, 0);
  assert.match(top.stdout, /simulate\s+simulate the queues/);
  for (const name of ["theory", "drift", "meanfield"]) assert.match(top.stdout, new RegExp(`\\n  ${name}\\s`), name);
  const sub = cli("simulate", "--help");
  assert.equal(sub.code, 0);
  for (const flag of ["--policy", "--n", "--lambda", "--K", "--C", "--alpha", "--d", "--events", "--time", "--warmup", "--replications", "--seed", "--workers", "--json", "--progress"]) {
    assert.ok(sub.stdout.includes(flag), flag);
  }
});

test("simulate --json prints one object with the documented fields; M/M/1 values are right", () => {
  const r = cli("simulate", "--policy", "none", "--n", "2", "--lambda", "0.5", "--events", "400000", "--replications", "2", "--workers", "1", "--seed", "4", "--json");
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  for (const key of ["params", "events", "simulatedTime", "eventsPerSecond", "meanQueueLength", "meanDelay", "tail", "migrationFraction", "effectiveLoad", "stability", "stoppedEarly", "stopReasons"]) {
    assert.ok(key in report, key);
  }
  assert.equal(report.params.policy, "no sharing");
  assert.equal(report.events, 800_000);
  assert.equal(report.meanQueueLength.ci95.length, 2);
  // M/M/1, lambda = 0.5: P(Q >= 1) = 0.5, mean delay 2 (tolerances: several standard errors of this run).
  assert.ok(Math.abs(report.tail[1] - 0.5) < 0.02, `P(Q >= 1) = ${report.tail[1]}`);
  assert.ok(Math.abs(report.meanDelay.mean - 2) < 0.15, `mean delay ${report.meanDelay.mean}`);
  assert.ok(["stable", "inconclusive"].includes(report.stability.verdict));
  assert.equal(typeof report.stability.growthRate, "number");
  assert.equal(report.stoppedEarly, false);
});

test("simulate without --json prints a readable summary; the same seed prints the same numbers", () => {
  const args = ["simulate", "--policy", "abounce", "--n", "20", "--lambda", "0.7", "--K", "2", "--C", "2", "--d", "inf", "--events", "100000", "--seed", "7"];
  const a = cli(...args);
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stdout, /ABOUNCE\(2,inf\), n = 20, lambda = 0.7, K = 2/);
  assert.match(a.stdout, /mean queue length per queue/);
  assert.match(a.stdout, /stability/);
  const b = cli(...args);
  const strip = (s: string): string => s.split("\n").filter((line) => !line.startsWith("speed")).join("\n");
  assert.equal(strip(b.stdout), strip(a.stdout));
});

test("bad flags exit non-zero with one line on stderr naming the flag, and no stack trace", async () => {
  // Spawned: the process-level behaviour (exit code, stderr, empty stdout).
  const spawned: Array<[string[], RegExp]> = [
    [["simulate", "--policy", "none", "--lambda", "abc"], /--lambda = "abc" is not a number/],
    [["simulate", "--policy", "none", "--lambda", "0.5", "--bogus", "1"], /unknown flag --bogus/],
    [["nosuchcommand"], /unknown command "nosuchcommand"/],
  ];
  for (const [args, pattern] of spawned) {
    const r = cli(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, pattern, args.join(" "));
    assert.equal(r.stderr.trim().split("\n").length, 1, "one line");
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.equal(r.stdout, "");
  }
  // In process: every flag is validated by simulateArguments before any work, and the error names it.
  const cases: Array<[string[], RegExp]> = [
    [["--policy", "none"], /--lambda is required: a number in \[2\^-12/],
    [["--policy", "bogus", "--lambda", "0.5"], /--policy = "bogus" is out of range: one of abounce, mbounce, .*none, sqd, switching/],
    [["--policy", "abounce", "--lambda", "0.5", "--d", "0"], /--d = 0 is out of range: an integer >= 1, or inf/],
    [["--policy", "none", "--lambda", "0.5", "--n", "-3"], /--n = -3 is out of range: an integer in \[1, 1e7\]/],
    [["--policy", "none", "--lambda", "0.5", "--K", "0"], /--K = 0 is out of range: an integer in \[1, 1e6\]/],
    [["--policy", "none", "--lambda", "0.5", "--events", "1.5"], /--events = 1.5 is out of range: an integer in \[40, 2\^50/],
    [["--policy", "none", "--lambda", "0.5", "--events", "1000", "--time", "10"], /--time and --events cannot be given together/],
    [["--policy", "none", "--lambda", "0.5", "--time", "-1"], /--time = -1 is out of range: a number in \(0, 1e15\]/],
    [["--policy", "none", "--lambda", "0.5", "--warmup", "x"], /--warmup = "x" is not a number/],
    [["--policy", "none", "--lambda", "0.5", "--clock", "wall"], /--clock = "wall" is out of range: one of time, events/],
    [["--policy", "none", "--lambda", "0.5", "--replications", "0"], /--replications = 0 is out of range/],
    [["--policy", "none", "--lambda", "0.5", "--seed", "-1"], /--seed = -1 is out of range: an integer in \[0, 2\^32 - 1/],
    [["--policy", "none", "--lambda", "0.5", "--workers", "0"], /--workers = 0 is out of range/],
    [["--policy", "none", "--lambda", "0.5", "--max-events", "1e6"], /--max-events applies only to --precision/],
    [["--policy", "none", "--lambda", "0.5", "--precision", "1"], /--precision = 1 is out of range: a number in \(0, 1\)/],
  ];
  for (const [args, pattern] of cases) {
    assert.throws(() => simulateArguments(args), (e: unknown) => e instanceof ParameterError && pattern.test(e.message), args.join(" "));
  }
  // Checked against K and n by the library, before any work, and renamed to the flags.
  const late: Array<[string, RegExp]> = [
    ["--policy abounce --lambda 0.5 --K 2 --C 1", /--C = 1 is out of range: a finite number >= K = 2 .*add --allow-outside-paper/],
    ["--policy mbounce --lambda 0.5 --alpha 1", /--alpha = 1 is out of range: a finite number > 1/],
    ["--policy abounce --lambda 0.5 --n 1", /--n = 1 is out of range: an integer >= 2 when the policy shares/],
    ["--policy sqd --lambda 0.5 --K 2", /--K = 2 is out of range: exactly 1 for the free-migration baseline sqd/],
    ["--policy switching --migrate-from 3,-1 --lambda 0.5", /--migrate-from\[1\] = -1 is out of range: an integer >= 0, or Infinity/],
  ];
  for (const [line, pattern] of late) {
    const out = await captureOutput(() => runCli(["simulate", ...line.split(" ")]));
    assert.equal(out.code, 2, line);
    assert.match(out.stderr, pattern, line);
    assert.equal(out.stderr.trim().split("\n").length, 1, line);
  }
});

test("--progress reports progress on stderr", () => {
  const r = cli("simulate", "--policy", "none", "--lambda", "0.5", "--n", "10", "--events", "5000000", "--clock", "events", "--no-delays", "--progress", "--json");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /simulate: +\d+\.\d%/);
  assert.doesNotThrow(() => JSON.parse(r.stdout));
});
