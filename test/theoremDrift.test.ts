import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { abounce, mbounce } from "../src/model/policy";
import { exactDrift } from "../src/theory/lyapunov/exactDrift";
import { theorem2LyapunovFunction } from "../src/theory/lyapunov/theorem2LyapunovFunction";
import { theorem3LyapunovFunction } from "../src/theory/lyapunov/theorem3LyapunovFunction";
import {
  theorem2DriftGrid, theorem3CrossingTotal, theorem3LevelMaximum, theorem3NoMigrationDrift,
} from "../src/theory/index";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

const namesParameter = (name: string) => (e: unknown): boolean =>
  e instanceof ParameterError && e.parameter === name;

test("theorem2DriftGrid lays the exact drift out as grid[q2][q1] over the triangle q1 + q2 <= N", () => {
  const lambda = 0.9;
  const K = 3;
  const C = 5;
  const N = 25;
  const g = theorem2DriftGrid({ arrivalRate: lambda, migrationPenalty: K, threshold: C, maxTotal: N });
  assert.equal(g.x.length, N + 1);
  assert.equal(g.drift.length, N + 1);
  const params = { queues: 2, arrivalRate: lambda, migrationPenalty: K, policy: abounce(C, Infinity) };
  const V = theorem2LyapunovFunction(lambda, C);
  for (let q2 = 0; q2 <= N; q2++) {
    for (let q1 = 0; q1 <= N; q1++) {
      const value = g.drift[q2]![q1]!;
      const sign = g.sign[q2]![q1]!;
      if (q1 + q2 > N || q1 + q2 === 0) {
        assert.ok(Number.isNaN(value) && Number.isNaN(sign), `(${q1}, ${q2}) lies outside the region`);
        continue;
      }
      // The same drift from exactDrift called state by state (checks the layout, including q1 != q2).
      close(value, exactDrift(V, [q1, q2], params), 1e-12, `drift at (${q1}, ${q2})`);
      const gap = Math.abs(q1 - q2);
      if (gap === 0) {
        // Hand derivation (test/theory.test.ts): on the diagonal every event moves |D| to 1, so
        // Delta V = (lambda - 1)/(lambda + 1) + beta (h(1) - h(0)) = -C (1 - lambda)/(1 + lambda).
        close(value, (-C * (1 - lambda)) / (1 + lambda), 1e-12, `diagonal (${q1}, ${q2})`);
        assert.equal(sign, -1);
      } else if (gap <= C && q1 > 0 && q2 > 0) {
        // B_l, 1 <= l <= C: the paper's sets where the drift is exactly 0.
        assert.equal(sign, 0, `B_${gap} at (${q1}, ${q2}): drift ${value}`);
      }
    }
  }
  assert.equal(g.report.conditionI.holds, false);
  assert.equal(g.report.states.length, 0);
  assert.throws(() => theorem2DriftGrid({ arrivalRate: 0.9, migrationPenalty: 3, threshold: 5, maxTotal: 501 }), namesParameter("maxTotal (N)"));
  assert.throws(() => theorem2DriftGrid({ arrivalRate: 1.2, migrationPenalty: 3, threshold: 5, maxTotal: 10 }), namesParameter("arrivalRate (lambda)"));
});

test("theorem3NoMigrationDrift equals the exact drift at states where no arrival migrates", () => {
  // Hand value: n = 2, lambda = 0.9, alpha = 2, q = (10, 10): 2*20*(-0.1)/(2*1.9) + 1 + 1/(2-1) = 0.947368...
  close(theorem3NoMigrationDrift({ queues: 2, arrivalRate: 0.9, ratio: 2, total: 20 }), 2 - 4 / 3.8, 1e-14, "hand value");
  const cases: Array<{ q: number[]; lambda: number; alpha: number; d: number }> = [
    { q: [10, 10], lambda: 0.9, alpha: 2, d: Infinity },
    { q: [7, 5, 6], lambda: 0.95, alpha: 2, d: Infinity }, // 7 > max(2*5, 5+2) is false: no migration
    { q: [30, 20, 25, 22], lambda: 0.99, alpha: 1.5, d: 2 }, // 30 > max(1.5*20, 22) is false
  ];
  for (const { q, lambda, alpha, d } of cases) {
    const params = { queues: q.length, arrivalRate: lambda, migrationPenalty: 2, policy: mbounce(alpha, d) };
    const total = q.reduce((a, b) => a + b, 0);
    close(theorem3NoMigrationDrift({ queues: q.length, arrivalRate: lambda, ratio: alpha, total }),
      exactDrift(theorem3LyapunovFunction(alpha), q, params), 1e-11, `q = ${q}`);
  }
  assert.throws(() => theorem3NoMigrationDrift({ queues: 1, arrivalRate: 0.9, ratio: 2, total: 5 }), namesParameter("queues (n)"));
  assert.throws(() => theorem3NoMigrationDrift({ queues: 2, arrivalRate: 0.9, ratio: 1, total: 5 }), namesParameter("ratio (alpha)"));
});

test("theorem3CrossingTotal is where the no-migration drift reaches -epsilon", () => {
  // Hand value: 2 * 1.95 * (1 + 1 + 0.01) / (2 * 0.05) = 78.39.
  close(theorem3CrossingTotal({ queues: 2, arrivalRate: 0.95, ratio: 2, epsilon: 0.01 }), 78.39, 1e-12, "hand value");
  for (const [n, lambda, alpha, epsilon] of [[3, 0.99, 2, 0.01], [10, 0.9, 1.5, 0.5], [5, 0.5, 4, 0]] as const) {
    const S = theorem3CrossingTotal({ queues: n, arrivalRate: lambda, ratio: alpha, epsilon });
    close(theorem3NoMigrationDrift({ queues: n, arrivalRate: lambda, ratio: alpha, total: S }), -epsilon, 1e-9, `n=${n}`);
  }
  assert.throws(() => theorem3CrossingTotal({ queues: 2, arrivalRate: 0.9, ratio: 2, epsilon: -1 }), namesParameter("epsilon"));
});

/** The maximum drift over every composition of S (all orders), by brute force: independent of the symmetry reduction. */
function bruteForceLevelMaximum(n: number, S: number, drift: (q: number[]) => number): { max: number; count: number } {
  let max = -Infinity;
  let count = 0;
  const q = new Array<number>(n).fill(0);
  const walk = (i: number, left: number): void => {
    if (i === n - 1) {
      q[i] = left;
      count += 1;
      max = Math.max(max, drift(q));
      return;
    }
    for (let x = 0; x <= left; x++) { q[i] = x; walk(i + 1, left - x); }
  };
  walk(0, S);
  return { max, count };
}

test("theorem3LevelMaximum equals a brute-force maximum over all compositions and counts the partitions", () => {
  const configs = [
    { n: 2, S: 57, policy: mbounce(2, Infinity), alpha: 2, lambda: 0.95 },
    { n: 3, S: 40, policy: mbounce(2, 2), alpha: 2, lambda: 0.9 },
    { n: 3, S: 33, policy: abounce(2, Infinity), alpha: 2, lambda: 0.95 },
    { n: 4, S: 18, policy: mbounce(1.5, 3), alpha: 1.5, lambda: 0.99 },
  ];
  for (const { n, S, policy, alpha, lambda } of configs) {
    const params = { queues: n, arrivalRate: lambda, migrationPenalty: 2, policy };
    const V = theorem3LyapunovFunction(alpha);
    const brute = bruteForceLevelMaximum(n, S, (q) => exactDrift(V, q, params));
    const row = theorem3LevelMaximum({ queues: n, arrivalRate: lambda, migrationPenalty: 2, ratio: alpha, policy, totals: [S] }).rows[0]!;
    close(row.maxDrift, brute.max, 1e-10, `n=${n}, S=${S}, ${policy.kind}`);
    close(exactDrift(V, [...row.argmax], params), row.maxDrift, 1e-12, "argmax attains the maximum");
    assert.equal(row.argmax.reduce((a, b) => a + b, 0), S);
  }
  // Partitions into at most 3 parts: S = 6 has 7 (6, 51, 42, 411, 33, 321, 222); S = 1000 has
  // round((S + 3)^2 / 12) = 83834 (the closed form for at most 3 parts).
  const counts = theorem3LevelMaximum({ queues: 3, arrivalRate: 0.9, migrationPenalty: 2, ratio: 2, totals: [6, 1000] }).rows;
  assert.equal(counts[0]!.states, 7);
  assert.equal(counts[1]!.states, Math.round(1003 ** 2 / 12));
  assert.throws(() => theorem3LevelMaximum({ queues: 3, arrivalRate: 0.9, migrationPenalty: 2, ratio: 2, totals: [1000], maxStatesPerTotal: 1000 }), namesParameter("totals"));
  const skipping = theorem3LevelMaximum({ queues: 3, arrivalRate: 0.9, migrationPenalty: 2, ratio: 2, totals: [6, 1000, 20], maxStatesPerTotal: 1000, tooManyStates: "skip" });
  assert.deepEqual(skipping.rows.map((r) => r.total), [6, 20]);
  assert.deepEqual(skipping.skippedTotals, [1000]);
  assert.throws(() => theorem3LevelMaximum({ queues: 3, arrivalRate: 0.9, migrationPenalty: 2, ratio: 2, totals: [6], tooManyStates: "drop" as "skip" }), namesParameter("tooManyStates"));
  assert.throws(() => theorem3LevelMaximum({ queues: 13, arrivalRate: 0.9, migrationPenalty: 2, ratio: 2, totals: [10] }), namesParameter("queues (n)"));
  assert.throws(() => theorem3LevelMaximum({ queues: 3, arrivalRate: 0.9, migrationPenalty: 2, ratio: 2, totals: [] }), namesParameter("totals"));
});
