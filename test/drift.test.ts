import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { ParameterError } from "../src/model/parameterError";
import { type PolicySpec, abounce, mbounce, migrationRule, noSharing, sampleCount, shortestOfD } from "../src/model/policy";
import type { SystemParams } from "../src/model/system";
import {
  type LyapunovFunction, embeddedChainStepper, embeddedChainTransitions, exactDrift, lyapunovFromFunction,
  monteCarloDrift, theorem2LyapunovFunction, theorem3DriftSurvey, theorem3LyapunovFunction,
} from "../src/theory/index";
import { driftReport } from "../src/cli/commands/drift";
import { forEachTransition, transitionsOfValidated } from "../src/theory/lyapunov/embeddedChainTransitions";
import { runCli } from "../src/cli/main";
import { captureOutput } from "./support/captureOutput";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);
const namesParameter = (name: string) => (e: unknown): boolean => e instanceof ParameterError && e.parameter === name;

/** A V that is not permutation invariant, so the identity of i* among tied queues matters. */
const asymmetric = lyapunovFromFunction(
  (q) => q.reduce((acc, x, i) => acc + (i + 1) * (i + 1) * x, 0) + (q[0] as number) * (q[q.length - 1] as number) + 0.3 * (q[1] as number) ** 2,
  { label: "asymmetric test V" },
);

/**
 * E[V(q(1))] - V(q) by brute force: every event, and for an arrival every d-tuple of sampled queues (each of
 * the (n-1)^d tuples equally likely), i* = the first sampled queue of minimal length (the stepper's rule); for
 * d = infinity, i* uniform among the shortest others. Independent of shortestSampleLaw and of the transitions code.
 */
function bruteForceDrift(V: (q: readonly number[]) => number, q: readonly number[], params: SystemParams): number {
  const n = params.queues;
  const lambda = params.arrivalRate;
  const K = params.migrationPenalty;
  const rule = migrationRule(params.policy, K);
  const d = sampleCount(params.policy);
  const v0 = V(q);
  let expected = 0;
  const moved = (i: number, delta: number): number => {
    const r = q.slice();
    r[i] = (r[i] as number) + delta;
    return V(r);
  };
  for (let i = 0; i < n; i++) {
    const others = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);
    const own = q[i] as number;
    let arrival = 0;
    if (d === 0) arrival = moved(i, 1);
    else if (d === Infinity) {
      const min = Math.min(...others.map((j) => q[j] as number));
      const ties = others.filter((j) => q[j] === min);
      for (const j of ties) arrival += (rule(own, min) ? moved(j, K) : moved(i, 1)) / ties.length;
    } else {
      const tuples = others.length ** d;
      for (let t = 0; t < tuples; t++) {
        let x = t;
        let target = -1;
        for (let k = 0; k < d; k++) {
          const j = others[x % others.length] as number;
          x = Math.floor(x / others.length);
          if (target < 0 || (q[j] as number) < (q[target] as number)) target = j;
        }
        arrival += (rule(own, q[target] as number) ? moved(target, K) : moved(i, 1)) / tuples;
      }
    }
    expected += (lambda / (n * (lambda + 1))) * arrival;
    expected += (1 / (n * (lambda + 1))) * ((q[i] as number) > 0 ? moved(i, -1) : v0);
  }
  return expected - v0;
}

test("exact drift equals brute-force enumeration of events and sampled d-tuples (asymmetric V, ties included)", () => {
  const states = [[9, 2, 2, 5], [0, 0, 7, 3], [4, 4, 4, 4], [12, 1, 1, 0], [6, 3, 3, 3]];
  const policies: [PolicySpec, number][] = [
    [abounce(2, 1), 2], [abounce(3, 2), 3], [abounce(2, 3), 2], [abounce(2, Infinity), 2],
    [mbounce(1.5, 2), 2], [mbounce(2, Infinity), 3], [shortestOfD(2), 1], [noSharing(), 2],
  ];
  for (const q of states) {
    for (const [policy, K] of policies) {
      const params: SystemParams = { queues: 4, arrivalRate: 0.8, migrationPenalty: K, policy };
      const what = `${JSON.stringify(q)} ${JSON.stringify(policy)}`;
      close(exactDrift(asymmetric, q, params), bruteForceDrift(asymmetric.value, q, params), 1e-10, what);
      // A symmetric V may use one representative per tied length: the same value.
      const V3 = theorem3LyapunovFunction(2);
      const V3each = lyapunovFromFunction(V3.value);
      close(exactDrift(V3, q, params), exactDrift(V3each, q, params), 1e-9, `representative ${what}`);
    }
  }
});

test("transition probabilities sum to one and migrations obey the rule (property)", () => {
  const policyArb = fc.oneof(
    fc.record({ C: fc.integer({ min: 2, max: 6 }), d: fc.constantFrom(1, 2, 3, Infinity) }).map(({ C, d }) => [abounce(C, d), 2] as const),
    fc.record({ a: fc.double({ min: 1.1, max: 4, noNaN: true }), d: fc.constantFrom(1, 2, Infinity) }).map(({ a, d }) => [mbounce(a, d), 3] as const),
    fc.constantFrom([shortestOfD(2), 1] as const, [noSharing(), 2] as const),
  );
  fc.assert(
    fc.property(fc.array(fc.nat(15), { minLength: 2, maxLength: 7 }), policyArb, fc.double({ min: 0.05, max: 3, noNaN: true }), (q, [policy, K], lambda) => {
      const params: SystemParams = { queues: q.length, arrivalRate: lambda, migrationPenalty: K, policy };
      const moves = embeddedChainTransitions(q, params);
      const total = moves.reduce((s, m) => s + m.probability, 0);
      if (Math.abs(total - 1) > 1e-12) return false;
      const rule = migrationRule(policy, K);
      for (const m of moves) {
        if (!(m.probability > 0)) return false;
        if (m.event === "migration" && (!rule(q[m.origin] as number, q[m.index] as number) || m.delta !== K || m.index === m.origin)) return false;
        if (m.event === "departure" && (q[m.index] as number) < 1) return false;
      }
      return true;
    }),
    { seed: 17, numRuns: 300 },
  );
});

/*
 * Theorem 3's V on a balanced state q_i = m > 0 under MBOUNCE (no arrival migrates: m > max(alpha m, m + K) is
 * false). V1: an arrival at i adds 2m + 1, a service removes 2m - 1, so E[Delta V1] =
 * (lambda (2m+1) + (1 - 2m)) / (lambda + 1) = 2m(lambda - 1)/(lambda + 1) + 1. V2: any +-1 change of one queue
 * changes each of its n - 1 pairs by 1, so Delta V2 = (n - 1)/(alpha - 1) at every event (all queues busy).
 * Total: 2m(lambda - 1)/(lambda + 1) + 1 + (n - 1)/(alpha - 1).
 */
test("Theorem 3's V: exact drift on balanced states equals the hand derivation", () => {
  for (const [n, m, lambda, alpha] of [[2, 10, 0.9, 2], [3, 50, 0.99, 1.5], [5, 7, 0.5, 3], [10, 1000, 0.95, 2]] as const) {
    const params: SystemParams = { queues: n, arrivalRate: lambda, migrationPenalty: 2, policy: mbounce(alpha, Infinity) };
    const expected = (2 * m * (lambda - 1)) / (lambda + 1) + 1 + (n - 1) / (alpha - 1);
    close(exactDrift(theorem3LyapunovFunction(alpha), new Array<number>(n).fill(m), params), expected, 1e-9 * Math.max(1, Math.abs(expected)), `n=${n}`);
  }
});

test("Monte Carlo 95% intervals cover the exact drift at the stated rate (200 states)", () => {
  // 200 random (state, policy, V) cases, 3000 paths each, seeds 1000..1199. Coverage X ~ Binomial(200, 0.95) if
  // the intervals are right: P(X <= 179) = 0.0012 and P(X = 200) = 3.5e-5 (exact binomial tail), so the test
  // accepts 180 <= X <= 199. A biased sampler (for example a wrong tie rule with the asymmetric V) or intervals
  // that are too wide would fail it.
  const rng = xoroshiro128plus(99);
  const policies: [PolicySpec, number][] = [[abounce(2, 1), 2], [abounce(3, Infinity), 3], [mbounce(2, 2), 2], [mbounce(1.5, Infinity), 4], [shortestOfD(1), 1]];
  let covered = 0;
  for (let c = 0; c < 200; c++) {
    const n = uniformInt(rng, 2, 5);
    const q = Array.from({ length: n }, () => uniformInt(rng, 0, 12));
    const [policy, K] = policies[c % policies.length] as [PolicySpec, number];
    const params: SystemParams = { queues: n, arrivalRate: 0.3 + 0.1 * (c % 7), migrationPenalty: K, policy };
    const V: LyapunovFunction = c % 2 === 0 ? theorem3LyapunovFunction(2) : asymmetric;
    const exact = exactDrift(V, q, params);
    const [lo, hi] = monteCarloDrift(V, q, params, { samples: 3000, seed: 1000 + c }).ci95;
    if (lo <= exact && exact <= hi) covered += 1;
  }
  assert.ok(covered >= 180 && covered <= 199, `coverage ${covered}/200`);
});

test("the h-step Monte Carlo drift matches the exact two-step drift (enumerated twice)", () => {
  // Exact E[V(q(2))] - V(q) = sum over first moves of p * (exact drift at q' + V(q') - V(q)). 99.99% (4 standard errors).
  for (const [q, params] of [
    [[6, 1, 3], { queues: 3, arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, 2) }],
    [[9, 2], { queues: 2, arrivalRate: 0.7, migrationPenalty: 2, policy: abounce(2, Infinity) }],
  ] as [number[], SystemParams][]) {
    const V = asymmetric;
    let twoStep = 0;
    for (const m of embeddedChainTransitions(q, params)) {
      const next = q.slice();
      if (m.index >= 0) next[m.index] = (next[m.index] as number) + m.delta;
      twoStep += m.probability * (exactDrift(V, next, params) + V.value(next) - V.value(q));
    }
    const est = monteCarloDrift(V, q, params, { samples: 40000, steps: 2, seed: 5 });
    const se = est.standardDeviation / Math.sqrt(est.count);
    assert.ok(Math.abs(est.mean - twoStep) < 4 * se, `${est.mean} vs ${twoStep} (se ${se})`);
    assert.equal(est.steps, 2);
  }
});

test("the chain stepper: same seed same path, queues never negative, work changes by +1, +K, -1 or 0", () => {
  const params: SystemParams = { queues: 5, arrivalRate: 0.9, migrationPenalty: 3, policy: abounce(3, 2) };
  const run = (seed: number): number[] => {
    const step = embeddedChainStepper(params);
    const g = xoroshiro128plus(seed);
    const q = [4, 0, 9, 1, 2];
    for (let t = 0; t < 5000; t++) {
      const before = q.reduce((a, b) => a + b, 0);
      const move = step(q, g);
      const after = q.reduce((a, b) => a + b, 0);
      assert.ok([1, 3, -1, 0].includes(after - before) && after - before === move.delta);
      assert.ok(q.every((x) => x >= 0));
    }
    return q;
  };
  assert.deepEqual(run(3), run(3));
  assert.notDeepEqual(run(3), run(4));
});

test("Theorem 3 survey: MBOUNCE's drift turns below -epsilon past S* ~ n(1+lambda)(1 + (n-1)/(alpha-1)) / (2(1-lambda)); ABOUNCE's does not", () => {
  const lambda = 0.95, alpha = 2, K = 2;
  for (const n of [2, 3, 5, 10]) {
    // Where the balanced closed form crosses 0.
    const critical = (n * (1 + lambda) * (1 + (n - 1) / (alpha - 1))) / (2 * (1 - lambda));
    const totals = [Math.floor(critical / 3), Math.ceil(critical * 3), Math.ceil(critical * 30)];
    const survey = theorem3DriftSurvey({ queues: n, arrivalRate: lambda, migrationPenalty: K, ratio: alpha, totals, randomStates: 10, restarts: 1 });
    const [small, mid, large] = survey.bySize;
    assert.ok(small !== undefined && mid !== undefined && large !== undefined);
    assert.ok(small.worstDrift > 0, `n=${n} small ${small.worstDrift}`);
    assert.ok(mid.worstDrift < -0.5 && large.worstDrift < -10, `n=${n} ${mid.worstDrift} ${large.worstDrift}`);
    assert.equal(survey.notBelowAtLargestTotal, false);
    // The drift never exceeds the balanced closed form by more than a constant: at the large size it is at most
    // the closed form (no state found with migrations that pay off).
    for (const r of survey.records) if (r.targetTotal === totals[2]) assert.ok(r.excessOverBalancedFormula <= 1e-6, JSON.stringify(r));
    const contrast = theorem3DriftSurvey({ queues: n, arrivalRate: lambda, migrationPenalty: K, ratio: alpha, policy: abounce(2, Infinity), totals: [100_000], randomStates: 5, restarts: 0 });
    // ABOUNCE: just over the additive threshold every long queue's arrivals migrate, and Delta V grows like
    // +2(K-1) q per migrating queue: positive and of the order of the total.
    assert.ok(contrast.bySize[0]!.worstDrift > 1000, `ABOUNCE n=${n}: ${contrast.bySize[0]!.worstDrift}`);
  }
});

test("bad input names the parameter: state length, non-integers, lambda, C < K, thm2 with n != 2", () => {
  const params: SystemParams = { queues: 3, arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, 2) };
  const V = theorem3LyapunovFunction(2);
  assert.throws(() => exactDrift(V, [1, 2], params), namesParameter("state"));
  assert.throws(() => exactDrift(V, [1, 2.5, 3], params), namesParameter("state"));
  assert.throws(() => exactDrift(V, [1, -1, 3], params), namesParameter("state"));
  assert.throws(() => exactDrift(V, [1, 2, 3], { ...params, arrivalRate: 0 }), namesParameter("arrivalRate (lambda)"));
  assert.throws(() => exactDrift(V, [1, 2, 3], { ...params, policy: abounce(1, 2) }), namesParameter("threshold (C)"));
  assert.throws(() => exactDrift(theorem2LyapunovFunction(0.5, 2), [1, 2, 3], params), namesParameter("queues (n)"));
  assert.throws(() => theorem3LyapunovFunction(1), namesParameter("ratio (alpha)"));
  assert.throws(() => monteCarloDrift(V, [1, 2, 3], params, { samples: 1 }), namesParameter("samples"));
  assert.throws(() => monteCarloDrift(V, [1, 2, 3], params, { seed: 1.5 }), namesParameter("seed"));
  const base = { lyapunov: "thm2" as const, state: [5, 3], policy: abounce(2, Infinity), arrivalRate: 0.9, migrationPenalty: 2 };
  assert.throws(() => driftReport({ ...base, arrivalRate: 1.5 }), namesParameter("--lambda"));
  assert.throws(() => driftReport({ ...base, policy: abounce(1, Infinity) }), namesParameter("--C"));
  assert.throws(() => driftReport({ ...base, lyapunovThreshold: 1.5 }), namesParameter("--lyapunov-C"));
  assert.throws(() => driftReport({ ...base, state: [5, 3, 1] }), namesParameter("--state"));
  assert.throws(() => driftReport({ ...base, state: [5, 3.5] }), namesParameter("--state"));
  assert.throws(() => driftReport({ ...base, lyapunov: "thm3", policy: mbounce(0.5, Infinity) }), namesParameter("--alpha"));
  assert.throws(() => driftReport({ ...base, lyapunov: "thm3", policy: mbounce(2, Infinity), lyapunovRatio: 1 }), namesParameter("--lyapunov-alpha"));
  assert.throws(() => driftReport({ ...base, policy: noSharing() }), namesParameter("--lyapunov-C"));
});

test("the drift command reports the exact drift and an interval covering it; bad flags return 2", async () => {
  const report = driftReport({ lyapunov: "thm2", state: [10, 7], policy: abounce(2, Infinity), arrivalRate: 0.9, migrationPenalty: 2, monteCarloSamples: 50000, seed: 3 });
  // Hand value (test/theory.test.ts, set A with x = C + 1): a(3 - 7 beta) - 2s at lambda = 0.9.
  const a = 0.9 / 3.8, s = 1 / 3.8, beta = 0.1 / 1.9;
  close(report.exact ?? NaN, a * (3 - 7 * beta) - 2 * s, 1e-12, "exact");
  assert.ok(report.estimate.ci95[0] <= report.exact! && report.exact! <= report.estimate.ci95[1]);
  const out = await captureOutput(() => runCli("drift --lyapunov thm3 --state 10,10 --policy mbounce --lambda 0.9 --K 2 --alpha 2 --json".split(" ")));
  assert.equal(out.code, 0);
  close(JSON.parse(out.stdout).exact, 2 * 10 * (0.9 - 1) / 1.9 + 1 + 1, 1e-12, "cli exact");
  const bad = await captureOutput(() => runCli("drift --lyapunov thm2 --state 5,3 --policy abounce --lambda 2 --K 2 --C 2".split(" ")));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^migration-penalties drift: --lambda = 2 is out of range/);
  const missing = await captureOutput(() => runCli("drift --lyapunov thm3 --state 5,3 --policy none --lambda 0.5".split(" ")));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^migration-penalties drift: --lyapunov-alpha is required/);
});

test("forEachTransition hands over transitionsOfValidated's moves in order, also to a visitor that calls it again", () => {
  const params: SystemParams = { queues: 4, arrivalRate: 0.8, migrationPenalty: 2, policy: abounce(2, 2), sampling: "all" };
  const q = [5, 0, 5, 2];
  const listed = transitionsOfValidated(q, params, "each");
  const visited: unknown[] = [];
  forEachTransition(q, params, "each", (probability, index, delta, event, origin) => {
    // A nested enumeration of another state must not disturb the outer one (its work arrays are its own).
    assert.equal(transitionsOfValidated([1, 1, 0, 3], params, "each").length > 0, true);
    visited.push({ probability, index, delta, event, origin });
  });
  assert.deepEqual(visited, listed);
  assert.deepEqual(transitionsOfValidated([1, 1, 0, 3], params, "each"), embeddedChainTransitions([1, 1, 0, 3], params, "each"));
});
