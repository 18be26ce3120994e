import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ParameterError } from "../src/model/parameterError";
import { type MigrationRule, type PolicySpec, abounce, mbounce, migrationRule, noSharing, shortestOfD } from "../src/model/policy";
import {
  derivedMeanFieldSystem, meanFieldDrift, meanFieldFixedPoint, meanFieldMetrics, printedMeanFieldSystem, supermarketFixedPoint,
} from "../src/theory/index";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

/**
 * A second, independent derivation of the mean-field drift: enumerate every transition (arrival at a j-queue
 * whose shortest sample has m units, then stay or migrate by the rule; departure from an i-queue) and add its
 * rate to the levels it raises or lowers. O(L^2 K), no interval tables, no telescoping.
 */
function bruteForceDrift(s: Float64Array, lambda: number, K: number, d: number, rule: MigrationRule): Float64Array {
  const L = s.length - 1;
  const S = (k: number): number => (k <= 0 ? 1 : k > L ? 0 : (s[k] as number));
  const atLeast = (l: number): number => (l <= 0 ? 1 : l > L ? 0 : d === Infinity ? (S(l) >= 1 ? 1 : 0) : S(l) ** d);
  const out = new Float64Array(L + 1);
  for (let j = 0; j <= L; j++) {
    const w = S(j) - S(j + 1);
    for (let m = 0; m <= L; m++) {
      const rate = lambda * w * (atLeast(m) - atLeast(m + 1));
      if (rate === 0) continue;
      if (rule(j, m)) {
        for (let i = m + 1; i <= Math.min(L, m + K); i++) out[i]! += rate;
      } else if (j + 1 <= L) {
        out[j + 1]! += rate;
      }
    }
  }
  for (let i = 1; i <= L; i++) out[i]! -= S(i) - S(i + 1);
  return out;
}

/** A random non-increasing state s_0 = 1 >= s_1 >= ... >= s_L > 0. */
const stateArbitrary = (L: number): fc.Arbitrary<Float64Array> =>
  fc.array(fc.double({ min: 0.05, max: 0.999, noNaN: true }), { minLength: L, maxLength: L }).map((ratios) => {
    const s = new Float64Array(L + 1);
    s[0] = 1;
    for (let i = 1; i <= L; i++) s[i] = (s[i - 1] as number) * (ratios[i - 1] as number);
    return s;
  });

test("the derived drift equals a transition-by-transition derivation (any rule, d finite or infinite)", () => {
  const nonMonotone = (own: number, target: number): boolean => own - target === 3 || own === 7;
  const cases: Array<{ policy: PolicySpec; K: number; allowOutsidePaper?: boolean }> = [
    { policy: abounce(2, 10), K: 2 },
    { policy: abounce(3, 2), K: 3 },
    { policy: mbounce(2, 10), K: 2 },
    { policy: mbounce(1.5, 3), K: 2 },
    { policy: abounce(1, Infinity), K: 1 },
    { policy: shortestOfD(2), K: 1 },
    { policy: noSharing(), K: 2 },
    { policy: { kind: "custom", samples: 2, shouldMigrate: nonMonotone }, K: 4 },
  ];
  for (const c of cases) {
    const sys = derivedMeanFieldSystem({ arrivalRate: 0.8, migrationPenalty: c.K, policy: c.policy });
    const rule = migrationRule(c.policy, c.K);
    fc.assert(
      fc.property(stateArbitrary(12), (s) => {
        const a = meanFieldDrift(sys, s);
        const b = bruteForceDrift(s, 0.8, c.K, sys.samples, rule);
        for (let i = 1; i < s.length; i++) close(a[i]!, b[i]!, 1e-13, `${sys.label} level ${i}`);
      }),
      { seed: 20240517, numRuns: 40 },
    );
  }
});

test("K = 1: the derived SQ(d) fixed point is the supermarket closed form lambda^(((d+1)^i - 1)/d)", () => {
  for (const d of [1, 2, 5]) {
    for (const lambda of [0.5, 0.75, 0.9]) {
      const fp = meanFieldFixedPoint(derivedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 1, policy: shortestOfD(d) }));
      assert.ok(fp.converged, fp.failure);
      const exact = supermarketFixedPoint(lambda, d, fp.truncationLevel);
      // closed form (Vvedenskaya et al. 1996; Mitzenmacher 1996) with d + 1 choices; tolerance 1e-10 relative
      for (let i = 1; i <= fp.truncationLevel; i++) {
        close(fp.occupancy[i]! / exact[i]!, 1, 1e-10, `SQ(${d}) lambda=${lambda} level ${i}`);
      }
      // the drift of the derived system vanishes at the closed form itself (no solver involved)
      const sys = derivedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 1, policy: shortestOfD(d) });
      const drift = meanFieldDrift(sys, supermarketFixedPoint(lambda, d, 60));
      for (let i = 1; i < 60; i++) close(drift[i]!, 0, 1e-15, `drift at closed form, level ${i}`);
    }
  }
});

test("no sharing: the fixed point is s_i = lambda^i (M/M/1) and both delays are 1/(1 - lambda)", () => {
  for (const lambda of [0.3, 0.75, 0.9]) {
    const fp = meanFieldFixedPoint(derivedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 2, policy: noSharing() }));
    assert.ok(fp.converged, fp.failure);
    for (let i = 1; i <= fp.truncationLevel; i++) close(fp.occupancy[i]!, lambda ** i, 1e-12, `lambda=${lambda} level ${i}`);
    close(fp.metrics.meanQueueLength, lambda / (1 - lambda), 1e-9, "mean M/M/1 queue length");
    close(fp.metrics.meanUnitDelay, 1 / (1 - lambda), 1e-9, "unit delay");
    close(fp.metrics.meanJobDelayFifo, 1 / (1 - lambda), 1e-9, "job delay");
    assert.equal(fp.metrics.migrationProbability, 0);
  }
});

test("ABOUNCE(2, infinity), K = 2: the fixed point solves the three-level balance by hand", () => {
  // With d = infinity and s_1 < 1 every sample minimum is 0; arrivals at j <= 2 stay, at j >= 3 migrate to an
  // empty queue (raising levels 1 and 2). Balances: s_3 = lambda (s_2 - s_3); s_2 - s_3 = lambda (s_1 - s_2) + lambda s_3;
  // s_1 - s_2 = lambda (1 - s_1) + lambda s_3. Solve the 3x3 linear system by Cramer's rule.
  const lambda = 0.75;
  const A = [[0, lambda, -(1 + lambda)], [-lambda, 1 + lambda, -1 - lambda], [1 + lambda, -1, -lambda]];
  const b = [0, 0, lambda];
  const det = (m: number[][]): number =>
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
    m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const D = det(A);
  const solution = [0, 1, 2].map((c) => det(A.map((row, r) => row.map((v, k) => (k === c ? b[r]! : v)))) / D);
  const fp = meanFieldFixedPoint(derivedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 2, policy: abounce(2, Infinity) }));
  assert.ok(fp.converged && fp.exactTruncation, fp.failure);
  assert.equal(fp.truncationLevel, 3);
  for (let i = 1; i <= 3; i++) close(fp.occupancy[i]!, solution[i - 1]!, 1e-12, `level ${i}`);
});

test("conservation at derived fixed points: lambda (1 + (K-1) p_mig) = s_1, and FIFO job delay by enumeration", () => {
  const cases: Array<{ policy: PolicySpec; K: number }> = [
    { policy: abounce(2, 10), K: 2 }, { policy: mbounce(2, 10), K: 2 }, { policy: abounce(3, 2), K: 3 },
    { policy: mbounce(1.5, Infinity), K: 2 }, { policy: shortestOfD(2), K: 1 },
  ];
  for (const c of cases) {
    const lambda = 0.7;
    const sys = derivedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: c.K, policy: c.policy });
    const fp = meanFieldFixedPoint(sys);
    assert.ok(fp.converged, `${sys.label}: ${fp.failure}`);
    const m = fp.metrics;
    close(m.stayProbability + m.migrationProbability, 1, 1e-14, `${sys.label} stay + migrate`);
    close(lambda * (1 + (c.K - 1) * m.migrationProbability), fp.occupancy[1]!, 1e-12, `${sys.label} units in = units out`);
    // FIFO delay by direct enumeration of (own length j, shortest sample m)
    const s = fp.occupancy;
    const L = s.length - 1;
    const rule = migrationRule(c.policy, c.K);
    const S = (k: number): number => (k > L ? 0 : s[k]!);
    const A = (l: number): number => (l <= 0 ? 1 : l > L ? 0 : sys.samples === Infinity ? (S(l) >= 1 ? 1 : 0) : S(l) ** sys.samples);
    let delay = 0;
    for (let j = 0; j <= L; j++) for (let mm = 0; mm <= L; mm++) {
      delay += (S(j) - S(j + 1)) * (A(mm) - A(mm + 1)) * (rule(j, mm) ? mm + c.K : j + 1);
    }
    close(m.meanJobDelayFifo, delay, 1e-12, `${sys.label} FIFO delay`);
    if (c.K === 1) close(m.meanJobDelayFifo, m.meanUnitDelay, 1e-10, "K = 1: Little's law for jobs");
  }
});

test("the printed systems are eqs. (1) and (2) term by term", () => {
  const s = Float64Array.from([1, 0.9, 0.6, 0.3, 0.1, 0.02, 0.003, 0.0002, 0]);
  const L = s.length - 1;
  const S = (k: number): number => (k > L ? 0 : s[k]!);
  const lambda = 0.75;
  const K = 2;
  const d = 3;
  // eq. (2), typed from Section IV
  const two = printedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: K, policy: abounce(2, d) });
  const drift2 = meanFieldDrift(two, s);
  for (let i = 1; i <= L; i++) {
    let expected: number;
    if (i > K) {
      expected = lambda * (S(i - 1) - S(i)) * S(i - K + 1) ** d;
      for (let m = 0; m <= K - 1; m++) expected += lambda * S(i + m) * (S(i - K + m) ** d - S(i - K + m + 1) ** d);
    } else {
      expected = lambda * (S(i - 1) - S(i));
      for (let m = 0; m <= i - 1; m++) expected += lambda * S(m + K) * (S(m) ** d - S(m + 1) ** d);
    }
    expected -= S(i) - S(i + 1);
    close(drift2[i]!, expected, 1e-15, `eq. (2) level ${i}`);
  }
  // eq. (1), typed from Section IV, alpha = 2
  const alpha = 2;
  const one = printedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: K, policy: mbounce(alpha, d) });
  const drift1 = meanFieldDrift(one, s);
  for (let i = 1; i <= L; i++) {
    let expected: number;
    if (i > K) {
      expected = lambda * (S(i - 1) - S(i)) * S(Math.floor(i / alpha) + 1) ** d;
      for (let m = 0; m <= K - 1; m++) expected += lambda * S(alpha * (i - K + m)) * (S(i - K + m) ** d - S(i - K + m + 1) ** d);
    } else {
      expected = lambda * (S(i - 1) - S(i));
      for (let m = 0; m <= i - 1; m++) expected += lambda * S(Math.max(m + K, alpha * m)) * (S(m) ** d - S(m + 1) ** d);
    }
    expected -= S(i) - S(i + 1);
    close(drift1[i]!, expected, 1e-15, `eq. (1) level ${i}`);
  }
});

test("printed eq. (2) loses exactly the arrivals at j >= K whose shortest sample has j - K + 1 units", () => {
  const lambda = 0.75;
  const K = 2;
  const d = 10;
  const sys = printedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: K, policy: abounce(2, d) });
  const fp = meanFieldFixedPoint(sys);
  assert.ok(fp.converged, fp.failure);
  const s = fp.occupancy;
  const L = s.length - 1;
  const S = (k: number): number => (k <= 0 ? 1 : k > L ? 0 : s[k]!);
  let lost = 0;
  for (let j = K; j <= L; j++) lost += (S(j) - S(j + 1)) * (S(j - K + 1) ** d - S(j - K + 2) ** d);
  close(fp.metrics.unaccountedArrivalProbability, lost, 1e-12, "vanishing arrivals");
  assert.ok(lost > 0.1, `a sizable fraction vanishes: ${lost}`);
  // units are conserved for the printed terms themselves: lambda (stay + K migrate) = s_1 at the fixed point
  close(fp.metrics.unitArrivalRate, s[1]!, 1e-12, "printed units in = out");
  assert.ok(Number.isNaN(fp.metrics.meanJobDelayFifo));
});

test("bad input names the parameter", () => {
  const named = (name: string) => (e: unknown): boolean => e instanceof ParameterError && e.parameter === name;
  const base = { arrivalRate: 0.75, migrationPenalty: 2 };
  assert.throws(() => derivedMeanFieldSystem({ ...base, policy: abounce(1, 10) }), named("threshold (C)"));
  assert.doesNotThrow(() => derivedMeanFieldSystem({ ...base, policy: abounce(1, 10), allowOutsidePaper: true }));
  assert.throws(() => derivedMeanFieldSystem({ ...base, policy: mbounce(1, 10) }), named("ratio (alpha)"));
  assert.throws(() => derivedMeanFieldSystem({ ...base, policy: mbounce(0.5, 10) }), named("ratio (alpha)"));
  assert.throws(() => derivedMeanFieldSystem({ ...base, policy: abounce(2, 0) }), named("samples (d)"));
  assert.throws(() => derivedMeanFieldSystem({ ...base, arrivalRate: -0.1, policy: noSharing() }), named("arrivalRate (lambda)"));
  assert.throws(() => derivedMeanFieldSystem({ ...base, migrationPenalty: 0, policy: noSharing() }), named("migrationPenalty (K)"));
  assert.throws(() => printedMeanFieldSystem({ ...base, policy: shortestOfD(2), allowOutsidePaper: true }), named("policy"));
  assert.throws(() => printedMeanFieldSystem({ ...base, policy: mbounce(1.5, 10) }), named("ratio (alpha)"));
  const sys = derivedMeanFieldSystem({ ...base, arrivalRate: 1.2, policy: noSharing() });
  assert.throws(() => meanFieldFixedPoint(sys), named("arrivalRate (lambda)"));
  assert.throws(() => supermarketFixedPoint(1, 2, 5), named("arrivalRate (lambda)"));
  assert.throws(() => supermarketFixedPoint(0.5, -1, 5), named("samples (d)"));
  assert.ok(meanFieldMetrics(sys, Float64Array.from([1, 0.5])).meanQueueLength === 0.5);
});
