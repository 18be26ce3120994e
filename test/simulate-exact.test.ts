/**
 * The simulator against exact answers for small systems: the stationary law of the uniformized chain of Section II
 * for n = 2 and n = 3 queues, from exactStationary (src/theory/exact), which is validated on its own in
 * test/exact.test.ts (M/M/1, product form, a hand-solved chain, brute-force chains of enumerated samples, the
 * power iteration these tests used before). It shares with the simulator only the decision rule (migrationRule,
 * the single copy of the rule) and the model's one-step law, not the simulator's direct draw of the shortest
 * sample or its sorted structure.
 *
 * Statistical design: 8 independent replications of 4e5 events each (after a warm-up of 2e4), per-event
 * averages; each comparison passes when the mean of the replications lies within 5 standard errors (from their
 * spread) of the exact value, plus the exact value's error bound. With 7 degrees of freedom that is a two-sided
 * level of about 99.8% per comparison (P(|t_7| > 5) = 0.0016).
 *
 * Sampling schemes other than the paper's (all n queues, or the others without replacement) are compared the
 * same way.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { abounce, mbounce, shortestOfD, type PolicySpec } from "../src/model/policy";
import type { SamplingScheme } from "../src/model/sampling";
import type { SystemParams } from "../src/model/system";
import { meanConfidenceInterval } from "../src/statistics/confidenceInterval";
import { simulateReplication } from "../src/simulate/index";
import type { ReplicationResult } from "../src/simulate/replicationResult";
import { exactStationary } from "../src/theory/index";

const REPLICATIONS = 8;
const STANDARD_ERRORS = 5;

function simulate(params: SystemParams): ReplicationResult[] {
  return Array.from({ length: REPLICATIONS }, (_, r) =>
    simulateReplication(params, { events: 400_000, warmup: 20_000, seed: 2024, clock: "events", trackDelays: false }, r));
}

function compare(params: SystemParams, levels: number, runs: ReplicationResult[] = simulate(params)): void {
  const exact = exactStationary(params, { tolerance: 1e-7 });
  const bound = exact.truncationError.bound;
  const what = `n=${params.queues} ${JSON.stringify(params.policy)} ${params.sampling ?? "others"}`;
  for (let l = 1; l <= levels; l++) {
    const est = meanConfidenceInterval(runs.map((r) => r.tail[l] ?? 0));
    const se = est.standardDeviation / Math.sqrt(est.count);
    assert.ok(Math.abs(est.mean - exact.tail[l]!) < STANDARD_ERRORS * se + bound.tail,
      `${what} l=${l}: simulated ${est.mean} (se ${se}) vs exact ${exact.tail[l]}`);
  }
  // Per event, the mean queue length is the sum of the tail: E[Q] = sum_{l >= 1} P(Q >= l).
  const mean = meanConfidenceInterval(runs.map((r) => r.tail.slice(1).reduce((a, b) => a + b, 0)));
  const seMean = mean.standardDeviation / Math.sqrt(mean.count);
  assert.ok(Math.abs(mean.mean - exact.meanQueueLength) < STANDARD_ERRORS * seMean + bound.meanQueueLength,
    `${what} mean queue length: simulated ${mean.mean} (se ${seMean}) vs exact ${exact.meanQueueLength}`);
  const mig = meanConfidenceInterval(runs.map((r) => r.migrations / r.arrivals));
  const se = mig.standardDeviation / Math.sqrt(mig.count);
  assert.ok(Math.abs(mig.mean - exact.migrationFraction) < STANDARD_ERRORS * se + bound.migrationFraction,
    `${what} migration fraction: simulated ${mig.mean} (se ${se}) vs exact ${exact.migrationFraction}`);
}

const sys = (queues: number, arrivalRate: number, migrationPenalty: number, policy: PolicySpec, sampling?: SamplingScheme): SystemParams =>
  sampling === undefined ? { queues, arrivalRate, migrationPenalty, policy } : { queues, arrivalRate, migrationPenalty, policy, sampling };

test("n = 2, ABOUNCE(2, 1), K = 2, lambda = 0.6: tail, mean and migration fraction match the exact chain", () => {
  compare(sys(2, 0.6, 2, abounce(2, 1)), 8);
});

test("n = 2, MBOUNCE(1.5, inf), K = 3, lambda = 0.5: tail, mean and migration fraction match the exact chain", () => {
  compare(sys(2, 0.5, 3, mbounce(1.5, Infinity)), 8);
});

test("n = 3, ABOUNCE(2, 2), K = 2, lambda = 0.45: the shortest of d = 2 samples, with ties, matches the exact chain", () => {
  compare(sys(3, 0.45, 2, abounce(2, 2)), 6);
});

test("n = 3, ABOUNCE(2, inf), K = 2, lambda = 0.45: the shortest other queue matches the exact chain", () => {
  compare(sys(3, 0.45, 2, abounce(2, Infinity)), 6);
});

test("n = 3, a custom rule (own > target), K = 2, lambda = 0.06 (fresh word for the shortest-sample draw): matches the exact chain", () => {
  // Below lambda = 1/15 the simulator draws a fresh word for the shortest sample instead of reusing the
  // event's; a custom rule also disables the shortcut for monotone rules. Both paths are checked here.
  compare(sys(3, 0.06, 2, { kind: "custom", samples: 2, shouldMigrate: (own, target) => own > target }), 3);
});

test('sampling "all", n = 2, SQ(1), K = 1, lambda = 0.7 (JSQ(2) from all n): matches the exact chain', () => {
  compare(sys(2, 0.7, 1, shortestOfD(1), "all"), 6);
});

test('sampling "all", n = 3, ABOUNCE(2, 2), K = 2, lambda = 0.45: matches the exact chain', () => {
  compare(sys(3, 0.45, 2, abounce(2, 2), "all"), 6);
});

test('sampling "others-without-replacement", n = 3, ABOUNCE(2, 2), K = 2, lambda = 0.45: matches the exact chain', () => {
  compare(sys(3, 0.45, 2, abounce(2, 2), "others-without-replacement"), 6);
});

test('sampling "others-without-replacement", n = 3, MBOUNCE(1.5, 2), K = 3, lambda = 0.5: matches the exact chain', () => {
  compare(sys(3, 0.5, 3, mbounce(1.5, 2), "others-without-replacement"), 6);
});
