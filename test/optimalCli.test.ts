/** The `migration-penalties optimal` command: JSON fields, text output, flags, and one-line errors naming the flag. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../src/cli/main";
import { optimalArguments, optimalReport } from "../src/cli/commands/optimal";
import { captureOutput } from "./support/captureOutput";

const argv = (s: string): string[] => s.split(" ");

test("optimal --json prints meanQueueLength, switchingCurve, comparison and the truncation check", async () => {
  const { code, stdout, stderr } = await captureOutput(() => runCli(argv("optimal --lambda 0.5 --K 2 --truncation 40 --json")));
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout);
  for (const key of ["meanQueueLength", "switchingCurve", "switchingTable", "comparison", "truncationCheck", "bounds", "solver", "curveShape"]) {
    assert.ok(key in report, key);
  }
  assert.equal(report.switchingCurve.length, 41);
  assert.deepEqual(report.switchingCurve[0], { target: 0, migrateFrom: 3, confirmed: true });
  assert.deepEqual(report.switchingTable, [3, 7, 12, 19]);
  assert.equal(report.comparison[0].policy, "optimal");
  assert.equal(report.comparison.length, 17);
  const none = report.comparison.find((c: { policy: string }) => c.policy === "no sharing");
  // ranked by two M/M/1 queues, lambda / (1 - lambda) = 1; on the grid two M/M/1/40 queues (1 - 41 * 0.5^41 / (1 - 0.5^41))
  assert.equal(none.status, "closed form");
  assert.ok(Math.abs(none.meanQueueLength - 1) < 1e-15);
  assert.ok(Math.abs(none.truncatedMeanQueueLength - (1 - 41 * 0.5 ** 41 / (1 - 0.5 ** 41))) < 1e-12);
  for (const c of report.comparison) assert.ok(c.meanQueueLength >= report.meanQueueLength * (1 - 1e-12), c.policy);
  assert.equal(report.truncationCheck.checkTruncation, 30);
  assert.equal(report.optimumIsBest, true);
});

test("optimal prints a readable summary; --check-truncation none skips the check grid", async () => {
  const { code, stdout } = await captureOutput(() => runCli(argv("optimal --lambda 0.5 --K 3 --truncation 24 --check-truncation none")));
  assert.equal(code, 0);
  assert.match(stdout, /optimal mean queue length per queue: 0\.99/);
  assert.match(stdout, /no check grid/);
  assert.match(stdout, /ranking \(exact on the same chain\)/);
  const parsed = optimalArguments(argv("--lambda 0.5 --K 3 --truncation 24 --check-truncation none"));
  assert.equal(parsed.checkTruncation, false);
  assert.deepEqual(optimalReport(parsed).switchingTable, [], "no check grid: nothing is confirmed");
});

test("optimal: bad input exits 2 with one line naming the flag and its limit", async () => {
  const cases: [string, RegExp][] = [
    ["--lambda 1 --K 2", /--lambda = 1 is out of range: a number in \(0, 1\)/],
    ["--lambda 0 --K 2", /--lambda = 0 is out of range/],
    ["--lambda 0.5 --K 0.5", /--K = 0.5 is out of range: an integer >= 1/],
    ["--lambda 0.5 --K 101", /--K = 101 is out of range: an integer in \[1, 100\]/],
    ["--lambda 0.5", /--K is required: an integer >= 1/],
    ["--lambda 0.5 --K 2 --truncation 4", /--truncation = 4 is out of range: an integer in \[8, 400\]/],
    ["--lambda 0.97 --K 2", /--truncation = 100 is out of range: .*edgeTolerance = 0.00001/],
    ["--lambda 0.5 --K 2 --truncation 40 --check-truncation 41", /--check-truncation = 41 is out of range/],
    ["--lambda 0.5 --K 2 --edge-tolerance 2", /--edge-tolerance = 2 is out of range/],
    ["--lambda 0.5 --K 2 --truncation 40 --rule-truncation 30", /--rule-truncation = 30 is out of range: an integer in \[N = 40, 400\]/],
    ["--lambda 0.5 --K 2 --bogus 1", /unknown flag --bogus/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await captureOutput(() => runCli(argv(`optimal ${args}`)));
    assert.equal(code, 2, args);
    assert.match(stderr, /^migration-penalties optimal: /, args);
    assert.match(stderr, message, args);
    assert.equal(stderr.trim().split("\n").length, 1, args);
  }
});

test("optimal --help lists its flags", async () => {
  const { code, stdout } = await captureOutput(() => runCli(argv("optimal --help")));
  assert.equal(code, 0);
  for (const flag of ["--lambda", "--K", "--truncation", "--check-truncation", "--rule-truncation", "--edge-tolerance", "--json"]) assert.ok(stdout.includes(flag), flag);
  const top = await captureOutput(() => runCli(["--help"]));
  assert.match(top.stdout, /\n {2}optimal\s/);
});
