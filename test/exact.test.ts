/**
 * Exact answers for small systems (src/theory/exact) against answers known independently of the solver:
 * - one queue: the M/M/1 queue, P(Q >= i) = lambda^i, and its truncation (the queue conditioned on Q <= T);
 * - no sharing: the product form, exactly also at finite T;
 * - SQ(1) with two queues (join the shorter queue): a chain truncated at T = 2 solved by hand, the decay rates of
 *   the compensation approach (Adan, Wessels and Zijm, 1990) and the M/M/2 and M/M/1 bounds;
 * - a brute-force chain (every sampled tuple enumerated, full unsorted state space, dense LU) on tiny truncations,
 *   for every policy kind and every sampling scheme, and the power iteration the simulator tests used before;
 * - work conservation, P(Q >= 1) = lambda (1 + (K - 1) migration fraction), for every policy and scheme;
 * - the exact two-queue threshold of ABOUNCE(C, inf): the mean queue length grows like 1 / (lambda_c - lambda);
 * - the truncation error bound against answers at much larger truncations.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { type PolicySpec, abounce, mbounce, noSharing, sampleCount, shortestOfD } from "../src/model/policy";
import type { SamplingScheme } from "../src/model/sampling";
import type { SystemParams } from "../src/model/system";
import { exactStationary, maxExactTruncation, truncatedStationary } from "../src/theory/index";
import { exactTwoQueueThreshold } from "../src/theory/thresholds/exactTwoQueueThreshold";
import { theorem2LambdaStar } from "../src/theory/thresholds/theorem2LambdaStar";
import { bruteForceChain, denseStationary, lawSummary, powerIterationStationary } from "./support/bruteForceChain";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (|diff| ${Math.abs(actual - expected)}, tol ${tol})`);

const sys = (queues: number, arrivalRate: number, migrationPenalty: number, policy: PolicySpec, sampling?: SamplingScheme): SystemParams =>
  sampling === undefined ? { queues, arrivalRate, migrationPenalty, policy } : { queues, arrivalRate, migrationPenalty, policy, sampling };

test("n = 1: the truncated chain is the M/M/1 queue conditioned on Q <= T (blocking at T = censoring)", () => {
  for (const lambda of [0.3, 0.7, 0.95]) {
    const T = 25;
    const law = truncatedStationary(sys(1, lambda, 1, noSharing()), T);
    const top = Math.pow(lambda, T + 1);
    assert.equal(law.tail.length, T + 1);
    assert.equal(law.tail[0], 1);
    for (let i = 0; i <= T; i++) close(law.tail[i]!, (Math.pow(lambda, i) - top) / (1 - top), 1e-13, `lambda ${lambda} tail[${i}]`);
    for (let x = 0; x <= T; x++) close(law.probability([x]), ((1 - lambda) * Math.pow(lambda, x)) / (1 - top), 1e-13, `pi(${x})`);
    assert.equal(law.probability([T + 1]), 0);
  }
});

test("n = 1: exactStationary matches lambda^i and lambda / (1 - lambda) within its bound, and the bound is tight", () => {
  for (const lambda of [0.3, 0.7, 0.9]) {
    const r = exactStationary(sys(1, lambda, 1, noSharing()));
    const e = r.truncationError;
    for (let i = 0; i <= r.truncation; i++) close(r.tail[i]!, Math.pow(lambda, i), e.bound.tail, `lambda ${lambda} tail[${i}]`);
    close(r.meanQueueLength, lambda / (1 - lambda), e.bound.meanQueueLength, `lambda ${lambda} mean`);
    assert.ok(e.bound.tail <= e.tolerance && e.bound.meanQueueLength <= e.tolerance * r.meanQueueLength);
    // The exact distance in total variation is P(Q > T) = lambda^(T+1); the bound is within a factor 2 of it.
    const distance = Math.pow(lambda, r.truncation + 1);
    assert.ok(e.bound.totalVariation >= distance, `bound ${e.bound.totalVariation} < distance ${distance}`);
    assert.ok(e.bound.totalVariation <= 2 * distance + 1e-12, `bound ${e.bound.totalVariation} loose against ${distance}`);
  }
});

test("no sharing, n = 2 and 3: the product form of truncated geometric laws, at finite T and in the limit", () => {
  for (const [n, T] of [[2, 15], [3, 8]] as const) {
    const lambda = 0.6;
    const law = truncatedStationary(sys(n, lambda, 2, noSharing()), T);
    const norm = 1 - Math.pow(lambda, T + 1);
    const each = (x: number): number => ((1 - lambda) * Math.pow(lambda, x)) / norm;
    const state = new Array<number>(n).fill(0);
    for (let s = 0; s < (T + 1) ** n; s++) {
      let rest = s;
      for (let i = 0; i < n; i++) { state[i] = rest % (T + 1); rest = Math.floor(rest / (T + 1)); }
      close(law.probability(state), state.reduce((p, x) => p * each(x), 1), 1e-13, `n = ${n} pi(${state})`);
    }
    assert.equal(law.migrationFraction, 0);
    const r = exactStationary(sys(n, lambda, 2, noSharing()));
    for (let i = 0; i <= r.truncation; i++) close(r.tail[i]!, Math.pow(lambda, i), r.truncationError.bound.tail, `n = ${n} tail[${i}]`);
    close(r.meanQueueLength, lambda / (1 - lambda), r.truncationError.bound.meanQueueLength, `n = ${n} mean`);
  }
});

test("SQ(1), n = 2, K = 1 (join the shorter of two queues) truncated at T = 2: the chain solved by hand", () => {
  // Lumped states (longer, shorter); per event an arrival at a given queue has probability a = lambda / (2(lambda + 1)),
  // a service s = 1 / (2(lambda + 1)), a / s = lambda = r. An arrival at the longer queue migrates (K = 1) to the
  // shorter; ties stay. Balance (divided by s): pi10 = 2 r pi00; pi22 = r pi21; pi21 = r (pi11 + pi20);
  // pi20 = r pi11 / (r + 1); pi11 = 2 r (r + 1) pi10 / (3 r + 2). With pi00 = 1:
  for (const r of [0.4, 0.8]) {
    const p10 = 2 * r;
    const p11 = (4 * r * r * (r + 1)) / (3 * r + 2);
    const p20 = (4 * r ** 3) / (3 * r + 2);
    const p21 = (4 * r ** 3 * (2 * r + 1)) / (3 * r + 2);
    const p22 = (4 * r ** 4 * (2 * r + 1)) / (3 * r + 2);
    const Z = 1 + p10 + p11 + p20 + p21 + p22;
    const tail1 = (p10 / 2 + p11 + p20 / 2 + p21 + p22) / Z;
    const tail2 = (p20 / 2 + p21 / 2 + p22) / Z;
    const migration = (p10 + p20 + p21) / 2 / Z; // in (1,0), (2,0), (2,1) the arrival at the longer queue moves
    // The hand solution conserves work: busy fraction = accepted arrivals (only (2,2) blocks arrivals).
    close(tail1, r * (1 - p22 / Z), 1e-15, "hand solution conserves work");
    const law = truncatedStationary(sys(2, r, 1, shortestOfD(1)), 2);
    // Tolerance: the solver stops at ||pi P - pi||_1 <= 1e-13.
    close(law.tail[1]!, tail1, 1e-12, `lambda ${r} P(Q >= 1)`);
    close(law.tail[2]!, tail2, 1e-12, `lambda ${r} P(Q >= 2)`);
    close(law.migrationFraction, migration, 1e-12, `lambda ${r} migration fraction`);
    close(law.probability([2, 1]), p21 / Z / 2, 1e-12, "pi(2, 1)");
    close(law.probability([1, 1]), p11 / Z, 1e-12, "pi(1, 1)");
  }
});

test("SQ(1), n = 2, K = 1: decay rates of the compensation approach, work conservation, M/M/2 and M/M/1 bounds", () => {
  // Adan, Wessels and Zijm (1990): with m = the shorter queue and k = the difference, pi(m, k) is a series of
  // product forms c_i alpha_i^m beta_i^k (k >= 1) whose leading term has alpha_0 = rho^2 and beta_0 = rho^2 / (2 + rho)
  // (beta_0 solves the interior kernel (2 rho + 2) alpha beta = 2 rho beta^2 + alpha beta^2 + alpha^2 at alpha_0);
  // the other terms fade geometrically in m. Here rho = lambda (total rate 2 lambda, two unit-rate servers).
  const lambda = 0.5;
  const r = exactStationary(sys(2, lambda, 1, shortestOfD(1)), { truncation: 60 });
  const alpha0 = lambda * lambda;
  const beta0 = alpha0 / (2 + lambda);
  const pi = (m: number, k: number): number => r.probability([m + k, m]);
  let previous = Infinity;
  for (const m of [3, 6, 10]) {
    let worst = 0;
    for (const k of [1, 2, 3]) {
      worst = Math.max(worst, Math.abs(pi(m, k + 1) / pi(m, k) / beta0 - 1), Math.abs(pi(m + 1, k) / pi(m, k) / alpha0 - 1));
    }
    assert.ok(worst < previous, `m = ${m}: relative gap ${worst} did not shrink (was ${previous})`);
    previous = worst;
  }
  assert.ok(previous < 1e-6, `at m = 10 the ratios are within ${previous} of alpha_0, beta_0`);
  // K = 1 creates no work: P(Q >= 1) = lambda; JSQ lies between pooled M/M/2 and separate M/M/1 queues.
  close(r.tail[1]!, lambda, r.truncationError.bound.tail, "busy fraction");
  assert.ok(r.meanQueueLength > lambda / (1 - lambda * lambda) && r.meanQueueLength < lambda / (1 - lambda));
});

const tinyPolicies: Array<[string, PolicySpec, number]> = [
  ["ABOUNCE(2,1)", abounce(2, 1), 2],
  ["ABOUNCE(2,2)", abounce(2, 2), 2],
  ["ABOUNCE(2,inf)", abounce(2, Infinity), 2],
  ["MBOUNCE(1.5,2)", mbounce(1.5, 2), 3],
  ["SQ(2)", shortestOfD(2), 1],
  ["SQ(1)", shortestOfD(1), 1],
  ["custom own > target + 1, d = 2", { kind: "custom", samples: 2, shouldMigrate: (own, target) => own > target + 1 }, 2],
];

test("every policy and sampling scheme, n = 2 and 3: the law equals a brute-force chain of enumerated samples (dense LU)", () => {
  for (const scheme of ["others", "all", "others-without-replacement"] as const) {
    for (const [n, T] of [[2, 11], [3, 6]] as const) {
      for (const [label, policy, K] of tinyPolicies) {
        const d = sampleCount(policy);
        if (scheme === "others-without-replacement" && d !== Infinity && d > n - 1) continue; // refused by the model
        const params = sys(n, 0.7, K, policy, scheme);
        const brute = bruteForceChain(params, T);
        const pi = denseStationary(brute);
        const reference = lawSummary(brute, pi, T);
        const law = truncatedStationary(params, T);
        const what = `${scheme} n = ${n} ${label}`;
        for (let s = 0; s < brute.size; s++) close(law.probability(brute.decode(s)), pi[s]!, 1e-12, `${what} pi(${brute.decode(s)})`);
        for (let i = 0; i <= T; i++) close(law.tail[i]!, reference.tail[i]!, 1e-11, `${what} tail[${i}]`);
        close(law.meanQueueLength, reference.mean, 1e-10, `${what} mean`);
        close(law.migrationFraction, reference.migrationFraction, 1e-11, `${what} migration fraction`);
      }
    }
  }
});

test("the configurations of the former simulator reference: equal to its power iteration on the same truncation", () => {
  const cases: Array<[SystemParams, number]> = [
    [sys(2, 0.6, 2, abounce(2, 1)), 60],
    [sys(2, 0.5, 3, mbounce(1.5, Infinity)), 60],
    [sys(3, 0.45, 2, abounce(2, 2)), 24],
    [sys(3, 0.45, 2, abounce(2, Infinity)), 24],
    [sys(3, 0.06, 2, { kind: "custom", samples: 2, shouldMigrate: (own, target) => own > target }), 16],
  ];
  for (const [params, T] of cases) {
    const brute = bruteForceChain(params, T);
    const reference = lawSummary(brute, powerIterationStationary(brute), T);
    const law = truncatedStationary(params, T);
    const what = `${params.queues} queues ${JSON.stringify(params.policy)}`;
    for (let i = 0; i <= T; i++) close(law.tail[i]!, reference.tail[i]!, 1e-10, `${what} tail[${i}]`);
    close(law.migrationFraction, reference.migrationFraction, 1e-10, `${what} migration fraction`);
    close(law.meanQueueLength, reference.mean, 1e-9, `${what} mean`);
  }
});

test("work conservation, P(Q >= 1) = lambda (1 + (K - 1) p_mig), for every policy and scheme, within the bounds", () => {
  for (const scheme of ["others", "all", "others-without-replacement"] as const) {
    for (const [n, params] of [
      [3, sys(3, 0.7, 2, abounce(2, 2), scheme)],
      [3, sys(3, 0.7, 3, mbounce(2, 2), scheme)],
      [2, sys(2, 0.9, 1, shortestOfD(1), scheme)],
      [3, sys(3, 0.7, 2, { kind: "custom", samples: Infinity, shouldMigrate: (own, target) => own >= 2 * target + 3 }, scheme)],
    ] as const) {
      const r = exactStationary(params);
      const K = params.migrationPenalty;
      const lambda = params.arrivalRate;
      const e = r.truncationError.bound;
      close(r.tail[1]!, lambda * (1 + (K - 1) * r.migrationFraction), e.tail + lambda * (K - 1) * e.migrationFraction,
        `${scheme} n = ${n} ${JSON.stringify(params.policy)}`);
    }
  }
});

test("the truncation bound holds against answers at much larger truncations (sharing policies, every scheme)", () => {
  const cases: Array<[SystemParams, number]> = [
    [sys(3, 0.75, 2, abounce(2, 2)), 14],
    [sys(3, 0.75, 2, abounce(2, 2), "all"), 20],
    [sys(2, 0.8, 3, mbounce(1.5, Infinity)), 24],
    [sys(3, 0.9, 1, shortestOfD(2), "others-without-replacement"), 20],
    [sys(2, 0.85, 2, abounce(3, 1)), 40],
  ];
  for (const [params, T] of cases) {
    const small = exactStationary(params, { truncation: T, tolerance: 0.5 });
    const large = exactStationary(params, { tolerance: 1e-8 });
    assert.ok(large.truncation >= 2 * T, `reference truncation ${large.truncation}`);
    const e = small.truncationError.bound;
    const eRef = large.truncationError.bound;
    const what = `${JSON.stringify(params.policy)} ${params.sampling ?? "others"} T = ${T}`;
    for (let i = 0; i <= T; i++) close(small.tail[i]!, large.tail[i]!, e.tail + eRef.tail, `${what} tail[${i}]`);
    close(small.migrationFraction, large.migrationFraction, e.migrationFraction + eRef.migrationFraction, `${what} migration`);
    close(small.meanQueueLength, large.meanQueueLength, e.meanQueueLength + eRef.meanQueueLength, `${what} mean`);
    // The bound is informative: not more than 100 times the distance it bounds (or tiny).
    const distance = Math.abs(small.meanQueueLength - large.meanQueueLength);
    assert.ok(e.meanQueueLength <= 100 * distance + 1e-9, `${what}: bound ${e.meanQueueLength} vs actual ${distance}`);
  }
});

test("two queues, ABOUNCE(2, inf), K = 2: the mean queue length grows like 1 / (lambda_c - lambda) at the exact threshold", () => {
  // A consistent trend, not a proof: below lambda_c the total work is a random walk with drift proportional to
  // lambda_c - lambda (src/theory/thresholds/exactTwoQueueThreshold.ts), so E[Q] (lambda_c - lambda) should settle
  // to a constant, and 1 / E[Q] should vanish at lambda_c = 0.8941, not at Theorem 2's lambda* = 0.8866.
  const lambdaC = exactTwoQueueThreshold(2, 2).criticalArrivalRate;
  const lambdaStar = theorem2LambdaStar(2, 2);
  const rates = [0.8, 0.84, 0.86, 0.87];
  const results = rates.map((lambda) => exactStationary(sys(2, lambda, 2, abounce(2, Infinity)), { tolerance: 1e-4 }));
  const means = results.map((r) => r.meanQueueLength);
  for (let k = 1; k < means.length; k++) assert.ok(means[k]! > means[k - 1]!, `mean not increasing: ${means}`);
  for (let k = 1; k < results.length; k++) assert.ok(results[k]!.truncationError.decayRatio > results[k - 1]!.truncationError.decayRatio);
  const products = rates.map((lambda, k) => (lambdaC - lambda) * means[k]!);
  const average = products.reduce((a, b) => a + b, 0) / products.length;
  for (const p of products) assert.ok(Math.abs(p / average - 1) < 0.1, `(lambda_c - lambda) E[Q] = ${products}`);
  // The pole: 1 / E[Q] is about linear in lambda near it; the line through the last two points meets 0 at
  // lambda_p, which must lie much closer to lambda_c than Theorem 2's lambda* does.
  const [l1, l2] = [rates[rates.length - 2]!, rates[rates.length - 1]!];
  const [y1, y2] = [1 / means[means.length - 2]!, 1 / means[means.length - 1]!];
  const pole = l2 + (y2 * (l2 - l1)) / (y1 - y2);
  assert.ok(Math.abs(pole - lambdaC) < (lambdaC - lambdaStar) / 4, `extrapolated pole ${pole}, lambda_c ${lambdaC}, lambda* ${lambdaStar}`);
  // Above lambda_c there is no stationary law: the bound cannot be met and the answer is refused.
  assert.throws(() => exactStationary(sys(2, 0.9, 2, abounce(2, Infinity)), { truncation: 300 }),
    (e: unknown) => e instanceof ParameterError && e.parameter === "truncation (T)" && /decay ratio/.test(e.message));
});

test("bad input: n > 3, lambda >= 1, truncation and tolerance out of range are refused naming the limit", () => {
  const is = (parameter: string, pattern: RegExp) => (e: unknown): boolean =>
    e instanceof ParameterError && e.parameter === parameter && pattern.test(e.message);
  assert.throws(() => exactStationary(sys(4, 0.5, 2, abounce(2, 2))), is("queues (n)", /\[1, 3\]/));
  assert.throws(() => truncatedStationary(sys(10_000, 0.5, 2, abounce(2, 2)), 10), is("queues (n)", /\[1, 3\]/));
  assert.throws(() => exactStationary(sys(2, 1, 2, abounce(2, 2))), is("arrivalRate (lambda)", /lambda < 1/));
  assert.throws(() => exactStationary(sys(3, 0.5, 2, abounce(2, 2)), { truncation: 1000 }), is("truncation (T)", /112.*250000 states/));
  assert.throws(() => truncatedStationary(sys(2, 0.5, 2, abounce(2, 2)), 706), is("truncation (T)", /705/));
  assert.throws(() => exactStationary(sys(3, 0.5, 2, abounce(2, 2)), { truncation: 6 }), is("truncation (T)", /\[7, 112\]/));
  assert.throws(() => exactStationary(sys(3, 0.5, 2, abounce(2, 2)), { truncation: 10.5 }), is("truncation (T)", /integer/));
  assert.throws(() => exactStationary(sys(3, 0.5, 2, abounce(2, 2)), { tolerance: 0 }), is("tolerance", /1e-9/));
  assert.throws(() => exactStationary(sys(3, 0.5, 2, abounce(2, 2)), { tolerance: 1 }), is("tolerance", /0\.5/));
  assert.throws(() => exactStationary(sys(3, 0.5, 2, abounce(2, 2), "some" as SamplingScheme)), is("sampling", /"all"/));
  // A truncation too small for the tolerance, and a tolerance out of reach within the memory limit.
  assert.throws(() => exactStationary(sys(3, 0.75, 2, abounce(2, 2)), { truncation: 20 }), is("truncation (T)", /tolerance 0.000001/));
  assert.throws(() => exactStationary(sys(2, 0.95, 1, noSharing()), { tolerance: 1e-9, maxStates: 1000 }), is("tolerance", /T <= 43.*1000 lumped states/));
  assert.throws(() => exactStationary(sys(2, 0.95, 1, noSharing()), { truncation: 50, maxStates: 1000 }), is("truncation (T)", /\[5, 43\].*maxStates = 1000/));
  assert.throws(() => exactStationary(sys(2, 0.5, 1, noSharing()), { maxStates: 1 }), is("maxStates", /\[2, 250000\]/));
  assert.equal(maxExactTruncation(3), 112);
  assert.equal(maxExactTruncation(2), 705);
  assert.ok(Number.isNaN(maxExactTruncation(4)));
  // probability() validates its state.
  const law = truncatedStationary(sys(2, 0.5, 2, abounce(2, 2)), 5);
  assert.throws(() => law.probability([1, 2, 3]), is("state", /length n = 2/));
});
