/**
 * MFLOOR(alpha, C, d), a policy declared in one file (src/model/policies/mfloor.ts): the registry, the simulator,
 * the exact drift, the mean field and every command line accept it with no other change. Independent reference:
 * with C = K it is MBOUNCE(alpha, d) decision for decision, so from one seed the simulator gives the same
 * trajectory; with a larger floor it migrates less.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { makePolicy, mbounce, migrationRule, policyLabel, validatePolicy } from "../src/model/policy";
import { runSimulation } from "../src/simulate/runSimulation";
import { derivedMeanFieldSystem } from "../src/theory/meanfield/derivedMeanFieldSystem";
import { meanFieldFixedPoint } from "../src/theory/meanfield/meanFieldFixedPoint";
import { runCli } from "../src/cli/main";
import { captureOutput } from "./support/captureOutput";

const floor = (alpha: number, C: number, d: number) => makePolicy("mfloor", { ratio: alpha, threshold: C }, d);

test("MFLOOR(alpha, K, d) decides as MBOUNCE(alpha, d) at every pair of lengths", () => {
  for (const [alpha, K] of [[2, 2], [1.5, 3], [4, 1]] as const) {
    const a = migrationRule(mbounce(alpha, 10), K);
    const b = migrationRule(floor(alpha, K, 10), K);
    for (let own = 0; own < 100; own++) for (let t = 0; t < 100; t++) assert.equal(b(own, t), a(own, t), `alpha=${alpha} K=${K} own=${own} t=${t}`);
  }
  assert.equal(policyLabel(floor(2, 4, Infinity)), "MFLOOR(2,4,inf)");
});

test("from one seed, MFLOOR(2,2,10) and MBOUNCE(2,10) give the same trajectory; a floor of 5 migrates less", async () => {
  const system = { queues: 30, arrivalRate: 0.85, migrationPenalty: 2 };
  const options = { events: 200_000, replications: 2, seed: 8 };
  const m = await runSimulation({ ...system, policy: mbounce(2, 10) }, options);
  const f = await runSimulation({ ...system, policy: floor(2, 2, 10) }, options);
  assert.deepEqual(f.tail, m.tail);
  assert.deepEqual(f.path.totalQueueLength, m.path.totalQueueLength);
  // Migration fractions with 8 replications each (7 degrees of freedom): about 0.18 against 0.10.
  const eight = { ...options, replications: 8 };
  const base = await runSimulation({ ...system, policy: mbounce(2, 10) }, eight);
  const higher = await runSimulation({ ...system, policy: floor(2, 5, 10) }, eight);
  assert.ok(higher.migrationFraction.ci95[1] < base.migrationFraction.ci95[0],
    `a higher floor migrates less: ${higher.migrationFraction.ci95} against ${base.migrationFraction.ci95}`);
});

test("the mean field of MFLOOR(alpha, K) is MBOUNCE's", () => {
  const a = meanFieldFixedPoint(derivedMeanFieldSystem({ arrivalRate: 0.8, migrationPenalty: 2, policy: mbounce(2, 10) }));
  const b = meanFieldFixedPoint(derivedMeanFieldSystem({ arrivalRate: 0.8, migrationPenalty: 2, policy: floor(2, 2, 10) }));
  assert.deepEqual(Array.from(b.occupancy), Array.from(a.occupancy));
});

test("bad parameters are refused, naming the parameter", () => {
  assert.throws(() => validatePolicy(floor(1, 2, 10), 2), (e: unknown) => e instanceof ParameterError && e.parameter === "ratio (alpha)");
  assert.throws(() => validatePolicy(floor(2, 1, 10), 2), (e: unknown) => e instanceof ParameterError && e.parameter === "threshold (C)");
});

test("every command line takes it by name with its declared flags", async () => {
  const run = (argv: string[]) => captureOutput(() => runCli(argv));
  const sim = await run(["simulate", "--policy", "mfloor", "--alpha", "2", "--C", "3", "--n", "10", "--lambda", "0.7", "--K", "2",
    "--d", "2", "--events", "20000", "--json"]);
  assert.equal(sim.code, 0, sim.stderr);
  assert.equal((JSON.parse(sim.stdout) as { params: { policy: string } }).params.policy, "MFLOOR(2,3,2)");
  for (const argv of [
    ["drift", "--policy", "mfloor", "--alpha", "2", "--C", "3", "--K", "2", "--lambda", "0.9", "--state", "9,1", "--lyapunov", "thm3", "--json"],
    ["meanfield", "--policy", "mfloor", "--alpha", "2", "--C", "3", "--K", "2", "--lambda", "0.75", "--d", "10", "--json"],
    ["exact", "--policy", "mfloor", "--alpha", "2", "--C", "3", "--K", "2", "--n", "2", "--lambda", "0.6", "--d", "1", "--json"],
  ]) {
    const out = await run(argv);
    assert.equal(out.code, 0, `${argv[0]}: ${out.stderr}`);
  }
  const wrong = await run(["simulate", "--policy", "mfloor", "--migrate-from", "3", "--lambda", "0.5"]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--migrate-from applies only to --policy switching/);
});
