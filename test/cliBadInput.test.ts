/**
 * The command line a person types, as a table: each row is an argv, the exit code it must give, and fragments
 * its output must contain (and must not). A refusal (exit 2) is one line on stderr and nothing on stdout. Rows
 * are grouped by what goes wrong (unknown flags, missing values, numbers that are not numbers, negative values,
 * odd forms, duplicated flags, flags that do not apply, help, plain output, defaults, precision targets,
 * sampling schemes); each group is one test. Runs through runCli in this process, output captured.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../src/cli/main";
import { policyDeclarations } from "../src/model/policy";
import { captureOutput } from "./support/captureOutput";

interface Row {
  readonly argv: string;
  readonly code: number;
  /** Fragments stderr must contain (for a refusal, its one line). */
  readonly stderr?: readonly string[];
  /** Fragments stdout must contain. */
  readonly stdout?: readonly string[];
  /** Fragments neither stream may contain. */
  readonly absent?: readonly string[];
}

const abounce = "--policy abounce --lambda 0.75 --K 2 --C 2";

// The policies a message lists come from the registry (src/model/policies/), so that declaring a policy in its
// own file needs no change here: the command line's policies (those that can be written down, so not a custom
// function) in name order, those with a parameter, those that sample.
const cliPolicies = policyDeclarations().filter((d) => d.transferable);
const kinds = cliPolicies.map((d) => d.kind).sort();
const withParameter = (symbol: string): string[] => cliPolicies.filter((d) => d.parameters.some((p) => p.symbol === symbol)).map((d) => d.kind).sort();
const sampling = cliPolicies.filter((d) => d.sampled).map((d) => d.kind).sort();
const alternatives = (names: readonly string[]): string => (names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`);
const small = "--n 10 --events 1e4";

const groups: ReadonlyArray<readonly [string, readonly Row[]]> = [
  ["unknown flags are named as such, with the closest flag suggested", [
    { argv: "simulate --policy none --lambda 0.5 --evnts 1e5", code: 2, stderr: ["unknown flag --evnts", "did you mean --events?"] },
    { argv: "simulate --policy none --lamda 0.5", code: 2, stderr: ["unknown flag --lamda", "did you mean --lambda?"] },
    { argv: `simulate ${abounce} --k 2`, code: 2, stderr: ["unknown flag --k", "did you mean --K?"] },
    { argv: "drift --lyapunov thm2 --state 5,3 --policy abounce --lambda 0.9 --K 2 --stpes 3", code: 2, stderr: ["unknown flag --stpes", "did you mean --steps?"] },
    { argv: "meanfield --policy none --lambda 0.5 --refnied", code: 2, stderr: ["unknown flag --refnied", "did you mean --refined?"] },
    { argv: "theory --K 2 --C 2 --lambda 0.5", code: 2, stderr: ["unknown flag --lambda", "theory --help"] },
    { argv: "optimal --lambda 0.5 --K 2 --trunaction 40", code: 2, stderr: ["unknown flag --trunaction", "did you mean --truncation?"] },
    { argv: "exact --policy none --n 2 --lambda 0.5 --tolerence 1e-4", code: 2, stderr: ["unknown flag --tolerence", "did you mean --tolerance?"] },
    { argv: "simulate --policy none --lambda 0.5 --zzz 1", code: 2, stderr: ["unknown flag --zzz (see simulate --help)"], absent: ["did you mean"] },
  ]],
  ["a missing value says so, and a missing required flag is required", [
    { argv: "simulate --policy none --lambda 0.5 --events", code: 2, stderr: ["--events: missing value (expected an integer in [40, 2^50 ≈ 1.1e15])"] },
    { argv: "simulate --policy none --lambda 0.5 --events --json", code: 2, stderr: ["--events: missing value"] },
    { argv: "simulate --policy none --lambda 0.5 --events=", code: 2, stderr: ["--events: missing value"] },
    { argv: "simulate --lambda 0.5", code: 2, stderr: [`--policy is required: one of ${kinds.join(", ")}`] },
    { argv: "simulate --policy none", code: 2, stderr: ["--lambda is required"] },
    { argv: "drift --state 5,3 --policy none --lambda 0.5", code: 2, stderr: ["--lyapunov is required: one of thm2, thm3"] },
    { argv: "meanfield --lambda 0.5", code: 2, stderr: ["--policy is required"] },
    { argv: "meanfield --policy sqd --lambda 0.5 --refined", code: 2, stderr: ["--n is required with --refined"] },
    { argv: "exact --policy none --lambda 0.5", code: 2, stderr: ["--n is required"] },
    { argv: "optimal --lambda 0.5", code: 2, stderr: ["--K is required"] },
    { argv: "theory --K 2", code: 2, stderr: ["--C is required"] },
    { argv: "simulate --policy switching --lambda 0.5", code: 2, stderr: ["--migrate-from is required with --policy switching"] },
  ]],
  ["numbers that are not numbers say so, and bounds are written readably", [
    { argv: "simulate --policy none --lambda 0.5 --events abc", code: 2, stderr: ["--events = \"abc\" is not a number", "[40, 2^50 ≈ 1.1e15]"], absent: ["1125899906842624"] },
    { argv: "simulate --policy none --lambda abc", code: 2, stderr: ["--lambda = \"abc\" is not a number"] },
    { argv: "simulate --policy none --lambda 0.5 --seed 1e10", code: 2, stderr: ["--seed = 10000000000 is out of range: an integer in [0, 2^32 - 1 ≈ 4.3e9]"], absent: ["4294967295"] },
    { argv: "drift --lyapunov thm3 --state 5,x --policy none --lambda 0.5 --lyapunov-alpha 2", code: 2, stderr: ["--state = \"5,x\": \"x\" is not a number"] },
    { argv: "exact --policy none --n two --lambda 0.5", code: 2, stderr: ["--n = \"two\" is not a number"] },
    { argv: "optimal --lambda 0x1 --K 2", code: 2, stderr: ["--lambda = \"0x1\" is not a number"] },
    { argv: "theory --K 2 --C 2.5", code: 2, stderr: ["--C = 2.5 is out of range: an integer >= 1"] },
  ]],
  ["a negative value after a space is read as the value and gets the range error with its full hint", [
    { argv: "simulate --policy none --lambda -0.5", code: 2,
      stderr: ["--lambda = -0.5 is out of range: a number in [2^-12 ≈ 2.4e-4, 2^12 = 4096]", "the event type is drawn from a 32-bit word"] },
    { argv: "meanfield --policy none --lambda -0.5", code: 2, stderr: ["--lambda = -0.5 is out of range: a number in (0, 1)"] },
    { argv: "drift --lyapunov thm3 --state 5,3 --policy none --lambda -1 --lyapunov-alpha 2", code: 2, stderr: ["--lambda = -1 is out of range: a finite number > 0"] },
    { argv: "simulate --policy none --lambda 0.5 --seed -1", code: 2, stderr: ["--seed = -1 is out of range"] },
    { argv: "exact --policy switching --migrate-from 3,-1 --n 2 --lambda 0.5", code: 2, stderr: ["--migrate-from[1] = -1 is out of range: an integer >= 0, or Infinity"] },
  ]],
  ["odd forms: a value given to a boolean flag is quoted; inf is read alike on every command", [
    { argv: "simulate --policy none --lambda 0.5 --json=yes", code: 2, stderr: ["--json = \"yes\"", "boolean flag and takes no value"] },
    { argv: "theory --K 2 --C 2 --force=true", code: 2, stderr: ["--force = \"true\"", "takes no value"] },
    { argv: "simulate --policy none --lambda=0.5 --n=10 --events=1e4 --json", code: 0, stdout: ["\"arrivalRate\":0.5"] },
    { argv: "simulate -n 10 --policy none --lambda 0.5", code: 2, stderr: ["unknown flag -n: flags start with two dashes; did you mean --n?"] },
    { argv: "simulate --policy none --lambda 0.5 10", code: 2, stderr: ["unexpected argument \"10\""] },
    { argv: "simulate --policy none --lambda 0.5 --json yes", code: 2, stderr: ["unexpected argument \"yes\"; --json takes no value"] },
    { argv: "drift --lyapunov thm2 --state 5,3 --policy abounce --lambda 0.9 --K 2 --C 2 --d INF", code: 0, stdout: ["ABOUNCE(2,inf)"] },
    { argv: "drift --lyapunov thm2 --state 5,3 --policy abounce --lambda 0.9 --K 2 --C 2 --d Infinity", code: 0, stdout: ["ABOUNCE(2,inf)"] },
    { argv: `simulate ${abounce} ${small} --d INF`, code: 0, stdout: ["ABOUNCE(2,inf)"] },
    { argv: `meanfield ${abounce} --d Infinity`, code: 0, stdout: ["derived ABOUNCE(2,inf)"] },
    { argv: "exact --policy abounce --n 2 --lambda 0.5 --K 2 --d iNf --tolerance 1e-4", code: 0, stdout: ["ABOUNCE(2,inf)"] },
    { argv: "simulate --policy none --lambda 0.5 --clock EVENTS --n 10 --events 1e4 --json", code: 0, stdout: ["\"clock\":\"events\""] },
  ]],
  ["a flag given twice is refused", [
    { argv: "simulate --policy none --lambda 0.5 --lambda 0.9", code: 2, stderr: ["--lambda is given twice (\"0.5\", then \"0.9\"): give each flag once"] },
    { argv: "meanfield --policy none --lambda 0.5 --json --json", code: 2, stderr: ["--json is given twice"] },
    { argv: "theory --K 2 --K 3 --C 3", code: 2, stderr: ["--K is given twice"] },
    { argv: "exact --policy none --n 2 --n 3 --lambda 0.5", code: 2, stderr: ["--n is given twice"] },
  ]],
  ["a flag that does not apply is refused, naming the policy it belongs to", [
    { argv: "simulate --policy none --lambda 0.5 --C 3", code: 2, stderr: [`--C applies only to --policy ${alternatives(withParameter("C"))}, not to --policy none`] },
    { argv: "simulate --policy abounce --lambda 0.5 --alpha 3", code: 2, stderr: [`--alpha applies only to --policy ${alternatives(withParameter("alpha"))}, not to --policy abounce`] },
    { argv: "simulate --policy none --lambda 0.5 --d 3", code: 2, stderr: [`--d applies only to --policy ${alternatives(sampling)} (the policies that sample), not to --policy none`] },
    { argv: "meanfield --policy mbounce --lambda 0.5 --C 3", code: 2, stderr: [`--C applies only to --policy ${alternatives(withParameter("C"))}, not to --policy mbounce`] },
    { argv: "exact --policy sqd --n 2 --lambda 0.5 --migrate-from 3,4", code: 2, stderr: ["--migrate-from applies only to --policy switching, not to --policy sqd"] },
    { argv: "drift --lyapunov thm3 --state 5,3 --policy abounce --lambda 0.5 --K 2 --alpha 2", code: 2, stderr: [`--alpha applies only to --policy ${alternatives(withParameter("alpha"))}`] },
    { argv: "drift --lyapunov thm3 --state 5,3 --policy mbounce --lambda 0.5 --K 2 --lyapunov-C 2", code: 2, stderr: ["--lyapunov-C applies only to --lyapunov thm2, not to --lyapunov thm3"] },
    { argv: "simulate --policy none --lambda 0.5 --max-events 1e6", code: 2, stderr: ["--max-events applies only to --precision"] },
    { argv: "meanfield --policy sqd --lambda 0.5 --n 10", code: 2, stderr: ["--n applies only to --refined"] },
  ]],
  ["every command has full help, generated from its flags", [
    { argv: "theory --help", code: 0, stdout: ["usage: migration-penalties theory --K K --C C [flags]", "--force", "--json", "JSON:", "example"] },
    { argv: "drift --help", code: 0, stdout: ["usage: migration-penalties drift --lyapunov V --state Q1,Q2,... --policy P --lambda L [flags]", "--lyapunov-C", "--lyapunov-alpha", "--migrate-from", "--sampling", "--steps", "thm3"] },
    { argv: "meanfield --help", code: 0, stdout: ["usage: migration-penalties meanfield --policy P --lambda L [flags]", "--refined", "--n N", "--tail-tolerance", "--system"], absent: ["<int>=1>", "<int>=2>"] },
    { argv: "exact --help", code: 0, stdout: ["usage: migration-penalties exact --policy P --n N --lambda L [flags]", "--truncation", "--max-states", "--sampling"] },
    { argv: "optimal --help", code: 0, stdout: ["usage: migration-penalties optimal --lambda L --K K [flags]", "--check-truncation", "--rule-truncation", "--edge-tolerance"] },
    { argv: "simulate --help", code: 0, stdout: ["usage: migration-penalties simulate --policy P --lambda L [flags]", "--precision G", "--precision-of", "--max-events", "--sampling", "--migrate-from"] },
  ]],
  ["plain output prints numbers to meaningful digits", [
    { argv: "theory --K 2 --C 2", code: 0, stdout: ["0.8866175248\n", "0.8941043370 (bracketed to 1e-12)"], absent: ["0.8866175248374878", "0.8941043369681516"] },
    { argv: "drift --lyapunov thm2 --state 5,3 --policy abounce --lambda 0.9 --K 2 --C 2 --d inf", code: 0,
      stdout: ["exact one-step drift:      0 (|computed value| <= ", "the rounding error of the sum)", "0.003 [-0.016, 0.023]"],
      absent: ["1.1102230246251565e-16", "0.0031684210526316", "-0.016497222288245385"] },
    { argv: "drift --lyapunov thm3 --state 10,10 --policy mbounce --lambda 0.9 --K 2 --alpha 2 --d inf", code: 0, stdout: ["exact one-step drift:      0.9473684211\n"], absent: ["0.9473684210526336"] },
    { argv: `meanfield --policy sqd --lambda 0.9 --d 1`, code: 0, stdout: ["arrivals neither kept nor sent (printed systems): 0\n", "mean change 0,"], absent: ["1.110223e-16", "0.00e+0"] },
  ]],
  ["simulate prints its resolved configuration on stderr, in one line, before the run", [
    { argv: `simulate --policy abounce --lambda 0.75 ${small}`, code: 0,
      stderr: ["simulate: ABOUNCE(1,2) (C = 1, d = 2), n = 10, lambda = 0.75, K = 1, sampling others; 1 replication of 10000 events after a warm-up of 1000 events; seed 1, clock time, 1 worker\n"] },
    { argv: `simulate --policy switching --migrate-from 3,4,inf --lambda 0.6 --K 2 --d inf ${small} --replications 2 --seed 7 --clock events --no-delays`, code: 0,
      stderr: ["simulate: SWITCH([3,4,inf],inf) (migrate-from = 3,4,inf, d = inf), n = 10, lambda = 0.6, K = 2, sampling others; 2 replications of 10000 events", "seed 7, clock events, 2 workers, no delays\n"] },
    { argv: `simulate --policy none --lambda 0.5 ${small} --precision 0.1 --max-events 1e6 --precision-of meanQueueLength`, code: 0,
      stderr: ["first round of 10 replications of 10000 events", "precision: 95% half-width <= 10% of meanQueueLength, at most 1e6 events in all\n"] },
  ]],
  ["a precision target outside (0, 1) is refused", [
    { argv: "simulate --policy none --lambda 0.5 --precision 1", code: 2, stderr: ["--precision = 1 is out of range: a number in (0, 1)"] },
    { argv: "simulate --policy none --lambda 0.5 --precision 0", code: 2, stderr: ["--precision = 0 is out of range: a number in (0, 1)"] },
    { argv: "simulate --policy none --lambda 0.5 --precision -0.02", code: 2, stderr: ["--precision = -0.02 is out of range"] },
    { argv: "simulate --policy none --lambda 0.5 --precision 0.02 --precision-of meanWait", code: 2, stderr: ["--precision-of = \"meanWait\" is out of range: one of meanDelay, meanQueueLength"] },
    { argv: "simulate --policy none --lambda 0.5 --precision 0.02 --no-delays", code: 2, stderr: ["--precision-of = \"meanDelay\" is out of range: \"meanQueueLength\" when delays are not tracked"] },
  ]],
  ["an unknown sampling scheme is refused with the list of valid names", [
    { argv: `simulate ${abounce} --sampling al`, code: 2, stderr: ["--sampling = \"al\" is out of range: one of others, all, others-without-replacement; did you mean all?"] },
    { argv: "drift --lyapunov thm2 --state 5,3 --policy abounce --lambda 0.9 --K 2 --sampling any", code: 2, stderr: ["--sampling = \"any\" is out of range: one of others, all, others-without-replacement"] },
    { argv: `meanfield ${abounce} --refined --n 10 --sampling some`, code: 2, stderr: ["--sampling = \"some\" is out of range: one of others, all, others-without-replacement"] },
    { argv: "exact --policy abounce --n 2 --lambda 0.5 --K 2 --sampling others-with-replacement", code: 2, stderr: ["one of others, all, others-without-replacement"] },
    { argv: "drift --lyapunov thm2 --state 5,3 --policy abounce --lambda 0.9 --K 2 --C 2 --sampling all", code: 0, stdout: ["exact one-step drift"] },
  ]],
];

async function run(argv: string): Promise<{ code: number; stdout: string; stderr: string }> {
  // Let the test reporter flush what it has queued first: captured writes would swallow its lines.
  await new Promise((resolve) => setTimeout(resolve, 10));
  return captureOutput(() => runCli(argv.split(" ")));
}

for (const [what, rows] of groups) {
  test(`cli bad input: ${what}`, async () => {
    const failures: string[] = [];
    for (const row of rows) {
      const out = await run(row.argv);
      const problems: string[] = [];
      if (out.code !== row.code) problems.push(`exit ${out.code}, expected ${row.code}`);
      for (const f of row.stderr ?? []) if (!out.stderr.includes(f)) problems.push(`stderr lacks ${JSON.stringify(f)}`);
      for (const f of row.stdout ?? []) if (!out.stdout.includes(f)) problems.push(`stdout lacks ${JSON.stringify(f)}`);
      for (const f of row.absent ?? []) if (out.stdout.includes(f) || out.stderr.includes(f)) problems.push(`output contains ${JSON.stringify(f)}`);
      if (row.code === 2) {
        if (out.stdout !== "") problems.push("a refusal printed on stdout");
        if (out.stderr.trim().split("\n").length !== 1) problems.push("a refusal is not one line on stderr");
        if (!out.stderr.startsWith(`migration-penalties ${row.argv.split(" ")[0]}: `)) problems.push("stderr does not name the command");
      }
      if (problems.length > 0) failures.push(`${row.argv}\n    ${problems.join("\n    ")}\n    stderr: ${out.stderr.trim().slice(0, 400)}`);
    }
    assert.equal(failures.length, 0, `\n${failures.join("\n")}`);
  });
}
