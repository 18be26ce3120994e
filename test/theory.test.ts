import { test } from "node:test";
import assert from "node:assert/strict";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { ParameterError } from "../src/model/parameterError";
import { abounce } from "../src/model/policy";
import { meanConfidenceInterval } from "../src/statistics/confidenceInterval";
import {
  differenceLawProbability, exactDrift, exactTwoQueueThreshold, theorem1ArrivalRateBound, theorem2ConditionCheck,
  theorem2ConditionOneRates, theorem2LambdaStar, theorem2LyapunovFunction, thresholdComparisonTable,
  twoQueueDifferenceLaw,
} from "../src/theory/index";
import { theoryReport } from "../src/cli/commands/theory";
import { runCli } from "../src/cli/main";
import { captureOutput } from "./support/captureOutput";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

const namesParameter = (name: string) => (e: unknown): boolean =>
  e instanceof ParameterError && e.parameter === name;

test("lambda* matches values computed by hand from the printed formula", () => {
  // K = 2, C = 2: (5 + sqrt(25 + 4*3*4*5)) / (2*3*4) = (5 + sqrt(265)) / 24 (the paper quotes 0.89).
  close(theorem2LambdaStar(2, 2), (5 + Math.sqrt(265)) / 24, 1e-15, "K=2,C=2");
  // K = 3, C = 4: (13 + sqrt(169 + 4*4*6*7)) / (2*4*6) = (13 + sqrt(841)) / 48 = 42/48 = 0.875 exactly.
  close(theorem2LambdaStar(3, 4), 0.875, 1e-15, "K=3,C=4");
  // K = 1: (C+1)^2 + 8(C+2)(C+3) = (3C+7)^2, so lambda* = (C + 1 + 3C + 7) / (4(C + 2)) = 1 for every C.
  for (const C of [1, 2, 7, 50]) close(theorem2LambdaStar(1, C), 1, 1e-15, `K=1,C=${C}`);
  // lambda* is the positive root of (K+1)(C+2) x^2 - (KC+1) x - (C+3) and is < 1 for K >= 2.
  for (const [K, C] of [[2, 2], [2, 9], [3, 3], [5, 40]] as const) {
    const x = theorem2LambdaStar(K, C);
    close((K + 1) * (C + 2) * x * x - (K * C + 1) * x - (C + 3), 0, 1e-12, `quadratic K=${K},C=${C}`);
    assert.ok(x < 1);
  }
  assert.equal(theorem1ArrivalRateBound(2), 0.5);
});

/** The stationary law of the explicit D-chain on [-M, M] (truncated; lazy power iteration). Independent of the closed form. */
function truncatedDifferenceLaw(lambda: number, K: number, C: number, M: number): Float64Array {
  const a = lambda / (2 * (lambda + 1));
  const s = 1 / (2 * (lambda + 1));
  const size = 2 * M + 1;
  const clamp = (j: number): number => Math.min(M, Math.max(-M, j)) + M;
  const rows: [number, number][][] = [];
  for (let j = -M; j <= M; j++) {
    const row: [number, number][] = [];
    if (j > C) row.push([clamp(j - K), a], [clamp(j - 1), a + s], [clamp(j + 1), s]);
    else if (j < -C) row.push([clamp(j + K), a], [clamp(j + 1), a + s], [clamp(j - 1), s]);
    else row.push([clamp(j + 1), 0.5], [clamp(j - 1), 0.5]);
    rows.push(row);
  }
  let pi = new Float64Array(size).fill(1 / size);
  // Lazy chain (I + P)/2: same stationary law, aperiodic (the D-chain has period 2 when K is odd).
  for (let it = 0; it < 200_000; it++) {
    const next = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const w = pi[i] as number;
      next[i] = (next[i] as number) + 0.5 * w;
      for (const [j, p] of rows[i] as [number, number][]) next[j] = (next[j] as number) + 0.5 * w * p;
    }
    let change = 0;
    for (let i = 0; i < size; i++) change += Math.abs((next[i] as number) - (pi[i] as number));
    pi = next;
    if (change < 1e-15) break;
  }
  return pi;
}

test("the D-chain's closed-form law matches power iteration of the explicit truncated matrix", () => {
  // Truncation at M = C + 80: the neglected mass is 2 c sigma^(80) / (1 - sigma) < 1e-30 for these rates
  // (sigma <= 0.57), far below the 1e-11 tolerance, which is set by the power iteration's stopping rule.
  for (const [lambda, K, C] of [[0.9, 2, 2], [0.3, 3, 4], [0.95, 5, 7], [0.6, 1, 1]] as const) {
    const law = twoQueueDifferenceLaw(lambda, K, C);
    const M = C + 80;
    const pi = truncatedDifferenceLaw(lambda, K, C, M);
    let tail = 0;
    for (let j = -M; j <= M; j++) {
      close(differenceLawProbability(law, j), pi[j + M] as number, 1e-11, `pi(${j}) at ${lambda},${K},${C}`);
      if (Math.abs(j) > C) tail += pi[j + M] as number;
    }
    close(law.probabilityDifferenceExceedsThreshold, tail, 1e-10, "P(|D| > C)");
    assert.ok(law.balanceResidual < 1e-14, `balance residual ${law.balanceResidual}`);
  }
});

test("the D-chain's P(|D| > C) matches a brute-force simulation of the D-chain (99.99% interval)", () => {
  // 40 batches of 50000 steps; the batch means of 1{|D| > C} are nearly independent (the chain mixes in tens
  // of steps). Tolerance: 4 standard errors (two-sided 99.99%), fixed seed.
  const lambda = 0.85, K = 2, C = 3;
  const a = lambda / (2 * (lambda + 1));
  const s = 1 / (2 * (lambda + 1));
  const rng = xoroshiro128plus(2024);
  let D = 0;
  const means: number[] = [];
  for (let b = 0; b < 40; b++) {
    let hits = 0;
    for (let t = 0; t < 50_000; t++) {
      const u = uniformFloat64(rng);
      if (D > C) D += u < a ? -K : u < a + (a + s) ? -1 : 1;
      else if (D < -C) D += u < a ? K : u < a + (a + s) ? 1 : -1;
      else D += u < 0.5 ? 1 : -1;
      if (Math.abs(D) > C) hits += 1;
    }
    means.push(hits / 50_000);
  }
  const est = meanConfidenceInterval(means);
  const exact = twoQueueDifferenceLaw(lambda, K, C).probabilityDifferenceExceedsThreshold;
  const standardError = est.standardDeviation / Math.sqrt(est.count);
  assert.ok(Math.abs(est.mean - exact) < 4 * standardError, `simulated ${est.mean} (se ${standardError}), exact ${exact}`);
});

test("the exact two-queue threshold is a root of f, unique on the grid, and 1 for K = 1", () => {
  for (const [K, C] of [[2, 2], [2, 10], [3, 5], [5, 5], [10, 20]] as const) {
    const r = exactTwoQueueThreshold(K, C);
    const law = twoQueueDifferenceLaw(r.criticalArrivalRate, K, C);
    close(law.workInflowRate - 2, 0, 1e-9, `f(lambda_c) K=${K},C=${C}`);
    assert.ok(r.bracketHalfWidth <= 1e-12);
    assert.equal(r.signChangesOnGrid, 1);
    assert.ok(r.smallestIncrementOnGrid > 0, "f increasing on the grid");
  }
  assert.equal(exactTwoQueueThreshold(1, 3).criticalArrivalRate, 1);
  // Regression guard (values from this computation, not an independent source): K = 2, C = 2.
  close(exactTwoQueueThreshold(2, 2).criticalArrivalRate, 0.8941043369681516, 1e-9, "lambda_c(2,2)");
});

test("the exact threshold exceeds lambda* for every K >= 2 on the grid: Theorem 2's claim fails between them", () => {
  const rows = thresholdComparisonTable([1, 2, 3, 5], [1, 2, 3, 5, 10, 30]);
  for (const r of rows) {
    assert.ok(r.theorem1Consistent);
    if (r.migrationPenalty === 1) assert.ok(r.theorem2Consistent);
    else assert.ok(r.exactMinusLambdaStar > 1e-3 && !r.theorem2Consistent, `K=${r.migrationPenalty},C=${r.threshold}`);
  }
});

/*
 * Hand derivation of Theorem 2's drift, set by set (n = 2, ABOUNCE(C, inf), E_0 = {0}).
 * Notation: a = lambda / (2(lambda+1)) (arrival at a given queue), s = 1/(2(lambda+1)) (service at a given queue),
 * beta = (1-lambda)/(1+lambda), x = |q1 - q2|, h(x) = sum_{l=0}^{C} |x - l|, V = q1 + q2 + beta h(x).
 * For x <= C: h(x+1) - h(x) = (x+1) - (C-x) = 2x + 1 - C and h(x-1) - h(x) = C + 1 - 2x; for x >= C the slope is C+1.
 *
 * B_0 (q1 = q2 > 0): all four events move x to 1 (no migration: 0 > C is false). Delta S has mean 2a - 2s =
 *   (lambda - 1)/(lambda + 1); Delta h = h(1) - h(0) = 1 - C with probability 1. So
 *   Delta V = (lambda-1)/(lambda+1) + beta (1 - C) = -C (1 - lambda)/(1 + lambda) < 0 for lambda < 1.
 * B_l, 1 <= l <= C (both > 0): x -> x+1 w.p. a + s (arrival at the longer, service at the shorter), x -> x-1
 *   w.p. a + s; no migration (x <= C). Delta h has mean (1/2)(h(l+1) + h(l-1) - 2h(l)) = (1/2) 2 = 1 (only the
 *   term |x - l| has a kink at l). Delta V = (lambda - 1)/(lambda + 1) + beta = 0.
 * A, deep (x >= C + K + 1, shorter queue > 0): arrival at longer migrates: S += K, x -> x - K (Delta h = -K(C+1));
 *   arrival at shorter: S += 1, x -> x - 1; service at longer: S -= 1, x -> x - 1; service at shorter: S -= 1,
 *   x -> x + 1. Delta V = a(K - beta K (C+1)) + a(1 - beta(C+1)) + s(-1 - beta(C+1)) + s(-1 + beta(C+1))
 *   = a (K+1)(1 - beta (C+1)) - 2s.
 * A, deep on the axis (q2 = 0, q1 >= C + K + 1): the service at queue 2 is a self-loop, so
 *   Delta V = a (K+1)(1 - beta (C+1)) - s (1 + beta (C+1)).
 * A, x = C + 1 with K = C = 2 (for example q = (10, 7)): h(1) = 2, h(2) = 3, h(3) = 6, h(4) = 9;
 *   Delta V = a(2 + beta(2 - 6)) + a(1 + beta(3 - 6)) + s(-1 + beta(3 - 6)) + s(-1 + beta(9 - 6)) = a(3 - 7 beta) - 2s.
 * U (q = (x, 0), 1 <= x <= C: not in the paper's sets): arrival at 1: S+1, Delta h = 2x + 1 - C; arrival at 2:
 *   S+1, Delta h = C + 1 - 2x; service at 1: S-1, Delta h = C + 1 - 2x; service at 2: self-loop.
 *   Delta V = 2a(1 + beta) + s(beta (C + 1 - 2x) - 1).
 */
test("the exact drift of Theorem 2's V equals the hand derivation in every set of the proof", () => {
  for (const [lambda, K, C] of [[0.9, 2, 2], [0.7, 3, 5], [0.95, 2, 10]] as const) {
    const a = lambda / (2 * (lambda + 1));
    const s = 1 / (2 * (lambda + 1));
    const beta = (1 - lambda) / (1 + lambda);
    const V = theorem2LyapunovFunction(lambda, C);
    const sys = { queues: 2, arrivalRate: lambda, migrationPenalty: K, policy: abounce(C, Infinity) };
    const drift = (q: number[]): number => exactDrift(V, q, sys);
    const tag = `lambda=${lambda},K=${K},C=${C}`;
    close(drift([7, 7]), -C * (1 - lambda) / (1 + lambda), 1e-12, `B_0 ${tag}`);
    for (let l = 1; l <= C; l++) {
      close(drift([20 + l, 20]), 0, 1e-12, `B_${l} ${tag}`);
      close(drift([20, 20 + l]), 0, 1e-12, `B_${l} mirrored ${tag}`);
    }
    const deep = a * (K + 1) * (1 - beta * (C + 1));
    close(drift([40 + C + K + 1, 40]), deep - 2 * s, 1e-12, `A deep ${tag}`);
    close(drift([40, 40 + C + K + 5]), deep - 2 * s, 1e-12, `A deep mirrored ${tag}`);
    close(drift([C + K + 1, 0]), deep - s * (1 + beta * (C + 1)), 1e-12, `A axis ${tag}`);
    close(drift([0, C + K + 30]), deep - s * (1 + beta * (C + 1)), 1e-12, `A axis mirrored ${tag}`);
    for (let x = 1; x <= C; x++) close(drift([x, 0]), 2 * a * (1 + beta) + s * (beta * (C + 1 - 2 * x) - 1), 1e-12, `U x=${x} ${tag}`);
  }
  const lambda = 0.9;
  const a = lambda / (2 * (lambda + 1));
  const s = 1 / (2 * (lambda + 1));
  const beta = (1 - lambda) / (1 + lambda);
  const sys = { queues: 2, arrivalRate: lambda, migrationPenalty: 2, policy: abounce(2, Infinity) };
  close(exactDrift(theorem2LyapunovFunction(lambda, 2), [10, 7], sys), a * (3 - 7 * beta) - 2 * s, 1e-12, "A, x = C + 1");
});

test("condition (I) fails on the whole diagonal B_0 for every lambda < 1; the other sets hold above closed-form rates", () => {
  const report = theorem2ConditionCheck({ arrivalRate: 0.95, migrationPenalty: 2, threshold: 2, maxTotal: 40 });
  const b0 = report.bySet.find((x) => x.set === "B_0");
  assert.ok(b0 !== undefined);
  assert.equal(b0.failing, 20); // (1,1) .. (20,20)
  assert.equal(report.conditionI.failingStates, 20);
  assert.ok(report.conditionII.holds && report.conditionIII.holds);
  for (const [K, C] of [[2, 2], [3, 5], [2, 10]] as const) {
    const rates = theorem2ConditionOneRates({ migrationPenalty: K, threshold: C, maxTotal: 30, gridPoints: 49 });
    assert.deepEqual(rates.holdingIntervals, []);
    const set = (name: string) => rates.bySet.find((x) => x.set === name)?.holdingIntervals ?? [];
    assert.deepEqual(set("B_0"), []);
    // A: positive root of (K+1)(C+2) x^2 - ((K+1)C + 2) x - 2 (from Delta V = a(K+1)(1 - beta(C+1)) - 2s >= 0, deep A).
    const p = (K + 1) * (C + 2);
    const b = (K + 1) * C + 2;
    const rootA = (b + Math.sqrt(b * b + 8 * p)) / (2 * p);
    const A = set("A");
    assert.equal(A.length, 1);
    close(A[0]!.from, rootA, 1e-6, `A boundary K=${K},C=${C}`);
    assert.ok(rootA < rates.lambdaStar && rates.lambdaStar < rates.exactThreshold);
    // U: Delta V at (C, 0) vanishes at lambda = C / (C + 2) (hand formula above with x = C).
    close(set("U")[0]!.from, C / (C + 2), 1e-6, `U boundary K=${K},C=${C}`);
  }
});

test("bad input gets an error naming the parameter", () => {
  assert.throws(() => theorem2LambdaStar(2, 1), namesParameter("threshold (C)"));
  assert.throws(() => theorem2LambdaStar(2.5, 3), namesParameter("migrationPenalty (K)"));
  assert.throws(() => twoQueueDifferenceLaw(0, 2, 2), namesParameter("arrivalRate (lambda)"));
  assert.throws(() => exactTwoQueueThreshold(3, 2), namesParameter("threshold (C)"));
  assert.throws(() => theorem2LyapunovFunction(1, 2), namesParameter("arrivalRate (lambda)"));
  assert.throws(() => theorem2LyapunovFunction(-0.1, 2), namesParameter("arrivalRate (lambda)"));
  assert.throws(() => theorem2ConditionCheck({ arrivalRate: 1.2, migrationPenalty: 2, threshold: 2, maxTotal: 10 }), namesParameter("arrivalRate (lambda)"));
  assert.throws(() => theorem2ConditionCheck({ arrivalRate: 0.9, migrationPenalty: 2, threshold: 1, maxTotal: 10 }), namesParameter("threshold (C)"));
  assert.throws(() => theorem2LyapunovFunction(0.5, 2).value([1, 2, 3]), namesParameter("state"));
  assert.throws(() => theoryReport({ migrationPenalty: 2, threshold: 1 }), namesParameter("--C"));
  assert.throws(() => theoryReport({ migrationPenalty: 0, threshold: 1 }), namesParameter("--K"));
});

test("the theory command prints the three numbers and returns 2 with the flag's name on bad input", async () => {
  const report = theoryReport({ migrationPenalty: 2, threshold: 2 });
  close(report.lambdaStar, (5 + Math.sqrt(265)) / 24, 1e-15, "lambdaStar");
  assert.equal(report.theorem1Bound, 0.5);
  close(report.exactTwoQueueThreshold, exactTwoQueueThreshold(2, 2).criticalArrivalRate, 0, "exact");
  const captured = await captureOutput(() => runCli(["theory", "--K", "2", "--C", "2", "--json"]));
  assert.equal(captured.code, 0);
  assert.deepEqual(JSON.parse(captured.stdout), report);
  const bad = await captureOutput(() => runCli(["theory", "--K", "2", "--C", "x"]));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--C = "x"/);
  const unknown = await captureOutput(() => runCli(["theory", "--K", "2", "--lambda", "0.5"]));
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^migration-penalties theory: .*lambda/);
});

