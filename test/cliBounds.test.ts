/**
 * The command line's side of the package's bounds (test/badInput.test.ts is the API's): each row is a command
 * line, the exit code it must give and what its output must say. Refusals exit 2 with one line on stderr that
 * names the flag and the range, before any work; `--force` lifts the cost limits. Runs through runCli in this
 * process, output captured.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { runCli } from "../src/cli/main";
import { captureOutput } from "./support/captureOutput";

const cores = Math.max(1, availableParallelism());

/**
 * Runs the CLI with output captured. A progress line on stderr means a simulation started: the refusal came too
 * late (or not at all), so the run is stopped there by throwing from the write (the error reaches runCli,
 * which exits 1). Rows that would run for hours add --progress to be stopped this way.
 */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // Let the test reporter flush what it has queued first: captured writes would swallow its lines.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return captureOutput(() => {
    const captured = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      if (/^\rsimulate: /.test(String(chunk))) throw new Error("a simulation started instead of being refused");
      return captured.call(process.stderr, chunk);
    }) as typeof process.stderr.write;
    return runCli(argv).finally(() => {
      process.stderr.write = captured;
    });
  });
}

const none = ["simulate", "--policy", "none"];
const abounce = ["--K", "2", "--C", "2", "--d", "10"];

/** [what, argv, exit code, patterns stdout+stderr must match]. */
const rows: Array<[string, string[], number, RegExp[]]> = [
  ["simulate --lambda 1e308", [...none, "--lambda", "1e308", "--progress"], 2, [/--lambda = 1e\+308 is out of range/, /\[2\^-12 ≈ 2\.4e-4, 2\^12 = 4096\]/]],
  ["simulate --events 1", [...none, "--lambda", "0.5", "--events", "1"], 2, [/--events = 1 is out of range/, /\[40, 2\^50 ≈ 1\.1e15\]/, /2 x 20 batches/]],
  ["simulate --time 1e-300", [...none, "--lambda", "0.5", "--time", "1e-300"], 2, [/--time = 1e-300 is out of range/, /80 \/ \(n \(lambda \+ 1\)\)/]],
  ["simulate --events 1e12 (about 30 h)", [...none, "--lambda", "0.5", "--events", "1e12", "--progress"], 2,
    [/--events = 1000000000000 is out of range: at most 9\.09e9/, /about 30\.6 h/, /--force/]],
  ["simulate --workers above the cores", [...none, "--lambda", "0.5", "--events", "1e4", "--replications", String(cores + 1), "--workers", String(cores + 1)], 2,
    [new RegExp(`--workers = ${cores + 1} is out of range: an integer in \\[1, ${cores}\\]`), /165 MB/, /--force/]],
  ["simulate --workers above the cores with --force", [...none, "--lambda", "0.5", "--events", "1e4", "--replications", String(cores + 1), "--workers", String(cores + 1), "--force", "--json"], 0,
    [new RegExp(`"workers":${cores + 1}`)]],
  ["theory --C 1e308", ["theory", "--K", "2", "--C", "1e308"], 2, [/--C = 1e\+308 is out of range/, /\[2, 3002399751580328\]/]],
  // Were the work limit missing, this row would compute for about 7 s before failing.
  ["theory --C 5e4 (work limit)", ["theory", "--K", "2", "--C", "50000"], 2, [/--C = 50000 is out of range: an integer in \[K, 41488\]/, /about \d+ s/, /--force/]],
  ["theory --force", ["theory", "--K", "2", "--C", "2", "--force"], 0, [/exact two-queue threshold \(stable below\):\s+0\.894104/]],
  ["drift --lambda 1e308", ["drift", "--lyapunov", "thm3", "--state", "10,10", "--policy", "mbounce", "--lambda", "1e308", "--K", "2", "--alpha", "2"], 2,
    [/--lambda = 1e\+308 is out of range/, /\[2\^-33, 2\^33\]/]],
  ["drift --state 9007199254740991,3", ["drift", "--lyapunov", "thm2", "--state", "9007199254740991,3", "--policy", "abounce", "--lambda", "0.9", "--K", "2", "--C", "2", "--d", "inf"], 2,
    [/--state = \[9007199254740991,3\] is out of range: queue lengths <= 3002399751580328/]],
  // Were the work limit missing, this row would compute for about 10 s before failing.
  ["drift --samples 2e7 (work limit)", ["drift", "--lyapunov", "thm3", "--state", "10,10", "--policy", "mbounce", "--lambda", "0.9", "--K", "2", "--alpha", "2", "--samples", "2e7"], 2,
    [/--samples = 20000000 is out of range: at most 19607843/, /--force/]],
  ["drift --state of 1001 queues", ["drift", "--lyapunov", "thm3", "--state", new Array(1001).fill("1").join(","), "--policy", "none", "--lambda", "0.9", "--lyapunov-alpha", "2"], 2,
    [/--state = 1001 is out of range: at most 1000/, /--force/]],
  ["meanfield --force", ["meanfield", "--policy", "none", "--lambda", "0.5", "--force"], 0, [/mean queue length \(units per queue\):\s+1\b/]],
];

for (const [what, argv, code, patterns] of rows) {
  test(`cli bounds: ${what} exits ${code}`, async () => {
    const r = await cli(argv);
    const output = r.stdout + r.stderr;
    assert.equal(r.code, code, output);
    for (const pattern of patterns) assert.match(output, pattern);
    if (code === 2) {
      assert.equal(r.stdout, "", "a refusal prints nothing on stdout");
      assert.equal(r.stderr.trim().split("\n").length, 1, "one line on stderr");
    }
  });
}

test("cli: an unstable run prints its growth first and labels its means 'up to the end of the run, not steady state'", async () => {
  const r = await cli([...none, "--lambda", "1.2", "--n", "20", "--events", "4e5", "--no-delays"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /stability\s+unstable: growth 0\.\d+ \[0\.\d+, 0\.\d+\] per queue per unit time/);
  assert.match(r.stdout, /means UP TO THE END OF THE RUN, NOT STEADY STATE/);
  assert.ok(r.stdout.indexOf("stability") < r.stdout.indexOf("mean queue length"), "the verdict comes before the means");
  const json = await cli([...none, "--lambda", "1.2", "--n", "20", "--events", "4e5", "--no-delays", "--json"]);
  const report = JSON.parse(json.stdout);
  assert.equal(report.steadyState.scope, "up to the end of the run, not steady state");
  assert.equal(report.meanQueueLength.scope, "up to the end of the run, not steady state");
  assert.ok(report.notes.some((n: string) => /up to the end of the run, not steady state/.test(n)));
});

test("cli: a large system run too short to relax is inconclusive, says why, and gives its means no intervals (n = 1e5, 20 events per queue)", async () => {
  // The same system at n = 1e4 with 1000 events per queue is stable at 2.246 (mean field 2.2354); here it is still filling.
  const r = await cli(["simulate", "--policy", "abounce", "--n", "100000", "--lambda", "0.75", ...abounce, "--events", "2e6", "--clock", "events", "--no-delays"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /stability\s+inconclusive: .*\n\s+\(run too short for the system to relax: 20\.0 events per queue/);
  assert.match(r.stdout, /means: TRANSIENT: TOO SHORT TO RELAX \(no intervals\)/);
  assert.match(r.stdout, /mean queue length per queue\s+[\d.]+\s+\(no interval\)/);
  assert.match(r.stdout, /intervals: none: the run is too short for the system to relax/);
});
