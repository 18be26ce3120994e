/** The `migration-penalties exact` command: flags, JSON fields, tail[0] = 1, refusals naming the flag. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { exactArguments } from "../src/cli/commands/exact";
import { runCli } from "../src/cli/main";
import { ParameterError } from "../src/model/parameterError";
import { captureOutput } from "./support/captureOutput";

const run = (line: string): Promise<{ code: number; stdout: string; stderr: string }> => captureOutput(() => runCli(line.split(" ")));

test("exact --json: one object with the documented fields; tail[0] = 1; M/M/1 product form for no sharing", async () => {
  const out = await run("exact --policy none --n 2 --lambda 0.5 --json");
  assert.equal(out.code, 0, out.stderr);
  const report = JSON.parse(out.stdout);
  for (const key of ["system", "truncation", "tail", "meanQueueLength", "migrationFraction", "truncationError", "solver"]) assert.ok(key in report, key);
  for (const key of ["boundaryMass", "blockedProbability", "change", "bound", "checkTruncations", "decayRatio", "assumption"]) {
    assert.ok(key in report.truncationError, key);
  }
  assert.equal(report.tail[0], 1);
  assert.equal(report.tail.length, report.truncation + 1);
  // No sharing: each queue is M/M/1, P(Q >= i) = 0.5^i, within the reported bound.
  for (let i = 0; i < report.tail.length; i++) {
    assert.ok(Math.abs(report.tail[i] - 0.5 ** i) <= report.truncationError.bound.tail, `tail[${i}]`);
  }
  assert.ok(Math.abs(report.meanQueueLength - 1) <= report.truncationError.bound.meanQueueLength);
  assert.equal(report.migrationFraction, 0);
  assert.equal(report.system.sampling, "others");
});

test("exact: every flag reaches the system; the readable summary names the policy and the bounds", async () => {
  const { params, options, json } = exactArguments(
    "--policy mbounce --n 3 --lambda 0.7 --K 3 --alpha 1.5 --d 2 --sampling others-without-replacement --truncation 30 --tolerance 1e-3 --max-states 9000 --json".split(" "));
  assert.deepEqual(params.policy, { kind: "mbounce", ratio: 1.5, samples: 2 });
  assert.equal(params.queues, 3);
  assert.equal(params.migrationPenalty, 3);
  assert.equal(params.sampling, "others-without-replacement");
  assert.deepEqual(options, { truncation: 30, tolerance: 1e-3, maxStates: 9000 });
  assert.equal(json, true);
  assert.deepEqual(exactArguments("--policy abounce --n 2 --lambda 0.6 --K 2 --d inf".split(" ")).params.policy, { kind: "abounce", threshold: 2, samples: Infinity });
  const out = await run("exact --policy abounce --n 2 --lambda 0.6 --K 2 --C 3 --d 1 --sampling all --tolerance 1e-4");
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /ABOUNCE\(3,1\), n = 2, lambda = 0.6, K = 2, sampling all/);
  assert.match(out.stdout, /mean queue length per queue .*error <=/);
  assert.match(out.stdout, /assumption: /);
  const help = await run("--help");
  assert.match(help.stdout, /\n  exact\s+exact stationary/);
  const usage = await run("exact --help");
  for (const flag of ["--policy", "--n", "--lambda", "--K", "--C", "--alpha", "--d", "--sampling", "--truncation", "--tolerance", "--max-states", "--json"]) {
    assert.ok(usage.stdout.includes(flag), flag);
  }
});

test("exact: bad input exits 2 with one line naming the flag and the limit, before any work", async () => {
  const cases: Array<[string, RegExp]> = [
    ["exact --policy abounce --n 4 --lambda 0.5 --K 2", /--n = 4 is out of range: an integer in \[1, 3\].*at most 3 queues/],
    ["exact --policy abounce --n 3 --lambda 0.5 --K 2 --truncation 500", /--truncation = 500 .*\[7, 112\].*250000 states/],
    ["exact --policy abounce --n 3 --lambda 1.2 --K 2", /--lambda = 1.2 .*lambda < 1/],
    ["exact --policy abounce --n 3", /--lambda is required: a finite number > 0/],
    ["exact --policy none --n 2 --lambda 0.5 --d 2", /--d applies only to --policy abounce, mbounce, .*sqd or switching .*not to --policy none/],
    ["exact --policy abounce --n 2 --lambda 0.5 --K 2 --sampling some", /--sampling = "some" is out of range: one of others, all, others-without-replacement/],
    ["exact --policy abounce --n 2 --lambda 0.5 --K 2 --C 1", /--C = 1 .*>= K = 2/],
    ["exact --policy mbounce --n 3 --lambda 0.5 --K 2 --d 3 --sampling others-without-replacement", /--d = 3 .*<= n - 1 = 2/],
    ["exact --policy abounce --n 3 --lambda 0.5 --K 2 --tolerance 2", /--tolerance = 2 .*0\.5/],
    ["exact --policy abounce --n 3 --lambda 0.75 --K 2 --truncation 20", /--truncation = 20 .*large enough for the tolerance/],
    ["exact --policy abounce --n 2 --lambda 0.5 --K 2 --frobnicate 3", /unknown flag --frobnicate/],
  ];
  for (const [line, pattern] of cases) {
    const out = await run(line);
    assert.equal(out.code, 2, `${line}: exit ${out.code} ${out.stdout}`);
    assert.equal(out.stdout, "", line);
    assert.match(out.stderr, pattern, line);
    assert.equal(out.stderr.trim().split("\n").length, 1, line);
    assert.ok(!/\n\s+at /.test(out.stderr), `${line}: stack trace`);
  }
  assert.throws(() => exactArguments(["--policy", "abounce", "--n", "2"]), (e: unknown) => e instanceof ParameterError && e.parameter === "--lambda");
});

test("exact: the process exits 2 on a refused grid, and 0 with JSON on stdout (spawned)", () => {
  const root = resolve(__dirname, "..");
  const cli = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, encoding: "utf8" });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const bad = cli("exact", "--policy", "sqd", "--n", "5", "--lambda", "0.5");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--n = 5 is out of range/);
  const good = cli("exact", "--policy", "sqd", "--n", "2", "--lambda", "0.5", "--d", "1", "--json");
  assert.equal(good.code, 0, good.stderr);
  const report = JSON.parse(good.stdout);
  assert.equal(report.tail[0], 1);
  assert.ok(Math.abs(report.tail[1] - 0.5) <= report.truncationError.bound.tail, "K = 1: busy fraction lambda");
});
