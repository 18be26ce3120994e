/**
 * The optimal two-queue migration rule (src/theory/optimal) against answers known independently:
 * - the envelope LU against the dense LU with partial pivoting of src/theory/meanfield;
 * - never migrating against two M/M/1/N queues (closed form), and against lambda / (1 - lambda) on a large grid;
 * - the evaluation of ABOUNCE and MBOUNCE against a dense solve of the stationary law written here from the
 *   model's definition (its own transition list, not the package's);
 * - relative value iteration against policy iteration with dense solves, written here, that optimises the two
 *   queues' decisions separately (no symmetry assumed);
 * - K = 1: join-the-shortest-queue is optimal for identical exponential servers (Winston 1977, J. Appl. Prob.
 *   14, 181-189: for Poisson arrivals, no jockeying, assigning each arrival to the shortest line "maximizes,
 *   with respect to stochastic order, the discounted number of customers to complete their service in any time
 *   t"; Weber 1978, J. Appl. Prob. 15, 406-413: the same for any arrival process and service times with
 *   non-decreasing hazard rate). With the arrival process fixed, more completions by every t is fewer
 *   customers at every t, so JSQ minimises the long-run mean; with n = 2 and K = 1 our decision (own or other
 *   queue) is exactly that assignment;
 * - the optimum against every evaluated rule (it cannot lose on the same chain), including random rules;
 * - the proven monotonicity of the truncated optimum in N, and the grid 2N;
 * - the switching-table policy in the simulator against its exact evaluation, and as the declared switching policy
 *   against the table rule at every pair of lengths.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ParameterError } from "../src/model/parameterError";
import {
  abounce, isTransferable, mbounce, migrationRule, noSharing, policyLabel, shortestOfD, validatePolicy, type MigrationRule,
} from "../src/model/policy";
import { runStudy } from "../src/study/runStudy";
import { studyCells } from "../src/study/studyGrid";
import { luSolveInPlace } from "../src/theory/meanfield/luSolve";
import { SkylineLu } from "../src/theory/optimal/skylineLu";
import { evaluateTwoQueueRule } from "../src/theory/optimal/evaluateTwoQueueRule";
import { optimalTwoQueueRule } from "../src/theory/optimal/optimalTwoQueueRule";
import { compareTwoQueueRules } from "../src/theory/optimal/compareTwoQueueRules";
import { switchingTablePolicy, switchingTableRule } from "../src/theory/optimal/switchingTableRule";
import { ruleSwitchingCurve } from "../src/theory/optimal/ruleSwitchingCurve";
import { optimalArguments, optimalReport } from "../src/cli/commands/optimal";
import { runSimulation } from "../src/simulate/runSimulation";

const close = (actual: number, expected: number, tolerance: number, what: string): void => {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected} (tolerance ${tolerance})`);
};

// ---------------------------------------------------------------------------------------------------------
// Independent dense machinery (from the model's definition in Section II, uniformized at rate 2(lambda + 1)).

interface DenseChain {
  readonly n: number;
  readonly P: Float64Array; // row-major n x n
  readonly cost: Float64Array;
}

/** Dense transition matrix of the capped grid; decide1/decide2 say whether an arrival at queue 1/2 migrates in (x, y). */
function denseChain(lambda: number, K: number, N: number, decide1: (x: number, y: number) => boolean,
  decide2: (x: number, y: number) => boolean): DenseChain {
  const M = N + 1;
  const n = M * M;
  const P = new Float64Array(n * n);
  const cost = new Float64Array(n);
  const a = lambda / (2 * (lambda + 1));
  const s = 1 / (2 * (lambda + 1));
  const id = (x: number, y: number): number => Math.min(x, N) * M + Math.min(y, N);
  for (let x = 0; x <= N; x++) {
    for (let y = 0; y <= N; y++) {
      const i = id(x, y);
      cost[i] = (x + y) / 2;
      const moves: [number, number][] = [
        [decide1(x, y) ? id(x, y + K) : id(x + 1, y), a],
        [decide2(x, y) ? id(x + K, y) : id(x, y + 1), a],
        [id(Math.max(0, x - 1), y), s],
        [id(x, Math.max(0, y - 1)), s],
      ];
      for (const [j, p] of moves) P[i * n + j] = (P[i * n + j] as number) + p;
    }
  }
  return { n, P, cost };
}

/** Stationary law by a dense solve of pi (P - I) = 0, sum pi = 1 (one balance equation replaced). */
function denseStationary(chain: DenseChain): Float64Array {
  const { n, P } = chain;
  const A = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) A[r * n + c] = P[c * n + r]! - (r === c ? 1 : 0);
  for (let c = 0; c < n; c++) A[(n - 1) * n + c] = 1;
  const b = new Float64Array(n);
  b[n - 1] = 1;
  assert.ok(luSolveInPlace(A, b, n));
  return b;
}

/** Gain and bias (h(0) = 0) of a fixed chain by a dense solve of h + g - P h = c. */
function denseGainBias(chain: DenseChain): { g: number; h: Float64Array } {
  const { n, P, cost } = chain;
  // unknowns: g (column 0), h(1..n-1) (columns 1..n-1)
  const A = new Float64Array(n * n);
  const b = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    A[r * n] = 1;
    for (let c = 1; c < n; c++) A[r * n + c] = (r === c ? 1 : 0) - P[r * n + c]!;
    b[r] = cost[r]!;
  }
  assert.ok(luSolveInPlace(A, b, n));
  const h = new Float64Array(n);
  for (let i = 1; i < n; i++) h[i] = b[i]!;
  return { g: b[0]!, h };
}

/** Policy iteration with dense solves, the two queues' decisions optimised separately. */
function densePolicyIteration(lambda: number, K: number, N: number): { g: number; d1: Uint8Array; d2: Uint8Array } {
  const M = N + 1;
  const id = (x: number, y: number): number => Math.min(x, N) * M + Math.min(y, N);
  let d1 = new Uint8Array(M * M);
  let d2 = new Uint8Array(M * M);
  for (let step = 0; step < 100; step++) {
    const { g, h } = denseGainBias(denseChain(lambda, K, N, (x, y) => d1[id(x, y)] === 1, (x, y) => d2[id(x, y)] === 1));
    const n1 = new Uint8Array(M * M);
    const n2 = new Uint8Array(M * M);
    let changed = false;
    for (let x = 0; x <= N; x++) {
      for (let y = 0; y <= N; y++) {
        const i = id(x, y);
        // keep the current action unless the other is better by more than a tie tolerance (Howard's rule)
        const pick = (current: number, stay: number, migrate: number): number => {
          const tol = 1e-9 * Math.max(1, Math.abs(stay));
          if (current === 1) return stay < migrate - tol ? 0 : 1;
          return migrate < stay - tol ? 1 : 0;
        };
        n1[i] = pick(d1[i]!, h[id(x + 1, y)]!, h[id(x, y + K)]!);
        n2[i] = pick(d2[i]!, h[id(x, y + 1)]!, h[id(x + K, y)]!);
        if (n1[i] !== d1[i] || n2[i] !== d2[i]) changed = true;
      }
    }
    if (!changed) return { g, d1, d2 };
    d1 = n1;
    d2 = n2;
  }
  throw new Error("policy iteration did not stop");
}

// ---------------------------------------------------------------------------------------------------------

test("envelope LU: solve and transposed solve agree with the dense LU on a random sparse M-matrix", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, lower, upper, seed) => {
      let state = seed || 1;
      const random = (): number => ((state = (state * 48271) % 2147483647) / 2147483647);
      // A strictly diagonally dominant Z-matrix (a nonsingular M-matrix) whose rows reach back and forward by
      // random amounts, so the envelope is ragged and the rows' first columns are not monotone.
      const dense = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        const back = Math.floor(random() * (lower + 1));
        const forward = Math.floor(random() * (upper + 1));
        let off = 0;
        for (let j = Math.max(0, i - back); j <= Math.min(n - 1, i + forward); j++) {
          if (j === i || random() < 0.5) continue;
          const v = -random();
          off -= v;
          dense[i * n + j] = v;
        }
        dense[i * n + i] = off + 0.05 + random();
      }
      const firstColumn = new Int32Array(n);
      const firstRow = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        firstColumn[i] = i;
        firstRow[i] = i;
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (dense[i * n + j] === 0) continue;
          if (j < firstColumn[i]!) firstColumn[i] = j;
          if (i < firstRow[j]!) firstRow[j] = i;
        }
      }
      const lu = new SkylineLu(firstColumn, firstRow);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (dense[i * n + j] !== 0) lu.add(i, j, dense[i * n + j]!);
      assert.equal(lu.values.length, SkylineLu.storedEntries(firstColumn, firstRow));
      const b = Float64Array.from({ length: n }, () => random() - 0.5);
      const denseT = new Float64Array(n * n);
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) denseT[r * n + c] = dense[c * n + r]!;
      const x = Float64Array.from(b);
      const xT = Float64Array.from(b);
      const y = Float64Array.from(b);
      const yT = Float64Array.from(b);
      assert.ok(lu.factor());
      lu.solve(x);
      lu.solveTransposed(xT);
      assert.ok(luSolveInPlace(Float64Array.from(dense), y, n));
      assert.ok(luSolveInPlace(denseT, yT, n));
      for (let i = 0; i < n; i++) {
        close(x[i]!, y[i]!, 1e-10 * (1 + Math.abs(y[i]!)), `x[${i}]`);
        close(xT[i]!, yT[i]!, 1e-10 * (1 + Math.abs(yT[i]!)), `xT[${i}]`);
      }
    }), { numRuns: 200, seed: 11 });
});

test("envelope LU: the WebAssembly elimination gives the plain loop's factors to the last bit", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 90 }),
    fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, lower, upper, seed) => {
      let state = seed || 1;
      const random = (): number => ((state = (state * 48271) % 2147483647) / 2147483647);
      const firstColumn = new Int32Array(n);
      const firstRow = new Int32Array(n);
      const entries: [number, number, number][] = [];
      for (let i = 0; i < n; i++) {
        firstColumn[i] = i;
        firstRow[i] = i;
      }
      for (let i = 0; i < n; i++) {
        let off = 0;
        const back = Math.floor(random() * (lower + 1));
        const forward = Math.floor(random() * (upper + 1));
        for (let j = Math.max(0, i - back); j <= Math.min(n - 1, i + forward); j++) {
          if (j === i || random() < 0.7) continue;
          const v = -random();
          off -= v;
          entries.push([i, j, v]);
          if (j < firstColumn[i]!) firstColumn[i] = j;
          if (i < firstRow[j]!) firstRow[j] = i;
        }
        entries.push([i, i, off + 0.05 + random()]);
      }
      const lu = new SkylineLu(firstColumn, firstRow);
      for (const [i, j, v] of entries) lu.add(i, j, v);
      const reference = Float64Array.from(lu.values);
      // The plain loop, as SkylineLu.factor documents it.
      const at = (i: number, j: number): number => lu.rowBase[i]! + j;
      for (let k = 0; k < n; k++) {
        for (let i = k + 1; i <= lu.lastRow[k]!; i++) {
          if (lu.firstColumn[i]! > k || reference[at(i, k)] === 0) continue;
          const f = reference[at(i, k)]! / reference[at(k, k)]!;
          reference[at(i, k)] = f;
          for (let j = k + 1; j <= lu.lastColumn[k]!; j++) reference[at(i, j)] = reference[at(i, j)]! - f * reference[at(k, j)]!;
        }
      }
      assert.ok(lu.factor());
      for (let e = 0; e < reference.length; e++) {
        if (!Object.is(lu.values[e], reference[e])) assert.fail(`entry ${e}: ${lu.values[e]} against ${reference[e]}`);
      }
    }), { numRuns: 150, seed: 12 });
});

test("envelope LU: a pivot that is not positive and finite is refused", () => {
  const lu = new SkylineLu(Int32Array.from([0, 0]), Int32Array.from([0, 0]));
  lu.add(0, 0, 1);
  lu.add(0, 1, -1);
  lu.add(1, 0, -1);
  lu.add(1, 1, 1); // singular: the second pivot is 0
  assert.equal(lu.factor(), false);
  assert.throws(() => lu.solve(new Float64Array(2)), /factor\(\) first/);
});

test("envelope LU refuses an entry outside the envelope and a solve before factor()", () => {
  const lu = new SkylineLu(Int32Array.from([0, 0, 2]), Int32Array.from([0, 0, 1]));
  assert.throws(() => lu.add(2, 0, 1), /outside the envelope/);
  assert.throws(() => lu.add(0, 2, 1), /outside the envelope/);
  lu.add(1, 2, -0.5); // column 2's first row is 1: stored
  assert.throws(() => lu.solve(new Float64Array(3)), /factor\(\) first/);
});

test("never migrating is two independent M/M/1/N queues (closed form), and lambda/(1 - lambda) on a large grid", () => {
  for (const [lambda, N] of [[0.5, 12], [0.8, 20], [0.9, 60]] as const) {
    const r = evaluateTwoQueueRule(lambda, 2, noSharing(), { truncation: N });
    // M/M/1/N: P(Q >= i) = (lambda^i - lambda^(N+1)) / (1 - lambda^(N+1)); mean = lambda/(1-lambda) - (N+1) lambda^(N+1) / (1 - lambda^(N+1))
    const top = Math.pow(lambda, N + 1);
    close(r.meanQueueLength, lambda / (1 - lambda) - (N + 1) * top / (1 - top), 1e-11, `mean, lambda = ${lambda}, N = ${N}`);
    assert.equal(r.tail[0], 1);
    for (let i = 1; i <= N; i++) close(r.tail[i]!, (Math.pow(lambda, i) - top) / (1 - top), 1e-12, `tail[${i}]`);
    assert.equal(r.migrationFraction, 0);
    assert.ok(r.balanceResidual < 1e-12);
  }
  close(evaluateTwoQueueRule(0.5, 3, noSharing(), { truncation: 100 }).meanQueueLength, 1, 1e-12, "lambda = 0.5, N = 100");
});

test("exact evaluation of ABOUNCE and MBOUNCE equals a dense solve of the stationary law (second method)", () => {
  const N = 12;
  for (const [lambda, K, policy] of [
    [0.5, 2, abounce(2, Infinity)], [0.8, 2, abounce(3, Infinity)], [0.8, 3, abounce(3, Infinity)],
    [0.5, 2, mbounce(2, Infinity)], [0.8, 3, mbounce(1.5, Infinity)], [0.9, 2, mbounce(4, Infinity)],
  ] as const) {
    const rule = migrationRule(policy, K);
    const chain = denseChain(lambda, K, N, (x, y) => rule(x, y), (x, y) => rule(y, x));
    const pi = denseStationary(chain);
    let mean = 0;
    let migrating = 0;
    for (let x = 0; x <= N; x++) {
      for (let y = 0; y <= N; y++) {
        const p = pi[x * (N + 1) + y]!;
        mean += p * (x + y) / 2;
        migrating += p * ((rule(x, y) ? 1 : 0) + (rule(y, x) ? 1 : 0)) / 2;
      }
    }
    const r = evaluateTwoQueueRule(lambda, K, policy, { truncation: N });
    close(r.meanQueueLength, mean, 1e-11, `${r.policy} mean, lambda = ${lambda}, K = ${K}`);
    close(r.migrationFraction, migrating, 1e-11, `${r.policy} migration fraction`);
    for (let i = 0; i < pi.length; i++) close(r.stationary[i]!, pi[i]!, 1e-12, `${r.policy} pi[${i}]`);
  }
});

test("relative value iteration agrees with dense policy iteration on a small grid (gain and decisions)", () => {
  const N = 12;
  for (const [lambda, K] of [[0.5, 1], [0.5, 2], [0.8, 2], [0.8, 3], [0.9, 2]] as const) {
    const pi = densePolicyIteration(lambda, K, N);
    const rvi = optimalTwoQueueRule(lambda, K, { truncation: N, checkTruncation: false, edgeTolerance: 0.999 });
    close(rvi.meanQueueLength, pi.g, 1e-10 * pi.g, `gain, lambda = ${lambda}, K = ${K}`);
    assert.ok(rvi.bounds.lower <= rvi.meanQueueLength && rvi.bounds.lower > rvi.meanQueueLength - 1e-9, "bracket");
    assert.ok(rvi.solver.valueIterationConverged);
    // Decisions: the same table, except at states where the two actions tie within 1e-7 (either is optimal).
    const M = N + 1;
    const { h } = denseGainBias(denseChain(lambda, K, N, (x, y) => pi.d1[x * M + y] === 1, (x, y) => pi.d2[x * M + y] === 1));
    const id = (x: number, y: number): number => Math.min(x, N) * M + Math.min(y, N);
    let disagreements = 0;
    for (let own = 0; own <= N; own++) {
      for (let target = 0; target <= N; target++) {
        if ((rvi.decisions[own * M + target] === 1) !== (pi.d1[own * M + target] === 1)) {
          const gap = Math.abs(h[id(own + 1, target)]! - h[id(own, target + K)]!);
          assert.ok(gap < 1e-7, `(${own}, ${target}): decisions differ with a gap ${gap}`);
          disagreements++;
        }
        // the dense policy treats the queues alike too (up to ties)
        if (pi.d1[own * M + target] !== pi.d2[target * M + own]) {
          assert.ok(Math.abs(h[id(own + 1, target)]! - h[id(own, target + K)]!) < 1e-7, "asymmetric dense policy away from a tie");
        }
      }
    }
    assert.ok(disagreements <= 2 * M, `${disagreements} tie states`);
  }
});

test("K = 1: join-the-shortest-queue is optimal (Winston 1977, Weber 1978): the curve is own > target and the cost is JSQ's", () => {
  for (const [lambda, N] of [[0.5, 40], [0.8, 60]] as const) {
    const best = optimalTwoQueueRule(lambda, 1, { truncation: N });
    const jsq = evaluateTwoQueueRule(lambda, 1, shortestOfD(Infinity), { truncation: N });
    assert.ok(best.switchingTable.length >= 12, `confirmed points: ${best.switchingTable.length}`);
    best.switchingTable.forEach((from, target) => assert.equal(from, target + 1, `target ${target}`));
    // Same chain: the optimum cannot lose to JSQ; it can gain only by the free loss at the edge of the grid
    // (measured: 5.5e-6 relative at lambda = 0.8, N = 60, within the reported error estimate 1.0e-5; 0 at 0.5).
    assert.ok(best.meanQueueLength <= jsq.meanQueueLength * (1 + 1e-12));
    close(best.meanQueueLength, jsq.meanQueueLength, Math.max(1e-12, 3 * best.truncationCheck.errorEstimate), `lambda = ${lambda}`);
    // JSQ lies between the pooled M/M/2 queue (lambda / (1 - lambda^2) per queue) and two M/M/1 queues.
    assert.ok(jsq.meanQueueLength > lambda / (1 - lambda * lambda) && jsq.meanQueueLength < lambda / (1 - lambda));
  }
});

test("the optimum is never worse than any evaluated rule: the paper's families and random rules", () => {
  const comparison = compareTwoQueueRules(0.8, 2, { truncation: 40, edgeTolerance: 1e-3 });
  assert.ok(comparison.optimumIsBest);
  assert.equal(comparison.ranking[0]!.policy, "optimal");
  assert.equal(comparison.ranking.length, 1 + 1 + 9 + 6);
  for (const row of comparison.ranking) {
    if (row.status === "exact") assert.ok(row.meanQueueLength >= comparison.optimal.meanQueueLength * (1 - 1e-12), row.policy);
  }
  // Random rules (arbitrary tables, not only thresholds) on a small grid.
  const N = 16;
  const best = optimalTwoQueueRule(0.7, 2, { truncation: N, checkTruncation: false, edgeTolerance: 0.999 });
  fc.assert(fc.property(fc.array(fc.boolean(), { minLength: (N + 1) ** 2, maxLength: (N + 1) ** 2 }), (bits) => {
    const rule: MigrationRule = (own, target) => bits[own * (N + 1) + target] === true;
    const value = evaluateTwoQueueRule(0.7, 2, rule, { truncation: N }).meanQueueLength;
    assert.ok(value >= best.meanQueueLength * (1 - 1e-12), `${value} < ${best.meanQueueLength}`);
  }), { numRuns: 40, seed: 5 });
});

test("truncation: the capped optimum grows with N (proven), the error estimate matches the grid 2N, confirmed points persist", () => {
  const values = [20, 30, 45].map((N) => optimalTwoQueueRule(0.8, 2, { truncation: N, checkTruncation: false, edgeTolerance: 0.999 }).meanQueueLength);
  for (let i = 1; i < values.length; i++) assert.ok(values[i]! >= values[i - 1]! - 1e-12, `g_N not monotone: ${values.join(", ")}`);
  const small = optimalTwoQueueRule(0.8, 2, { truncation: 60 });
  const large = optimalTwoQueueRule(0.8, 2, { truncation: 120, checkTruncation: false });
  const actual = large.meanQueueLength - small.meanQueueLength;
  assert.ok(actual >= -1e-12 && small.bounds.lower <= large.meanQueueLength);
  // The estimate is a geometric extrapolation, not a bound: measured 3.1e-6 against the actual 3.8e-6.
  const estimate = small.truncationCheck.errorEstimate;
  assert.ok(actual > estimate / 3 && actual < estimate * 3, `actual ${actual}, estimate ${estimate}`);
  assert.ok(small.switchingTable.length >= 3);
  small.switchingTable.forEach((from, target) => assert.equal(large.switchingCurve[target]!.migrateFrom, from, `target ${target}`));
  // symmetry of the stationary law
  const M = 61;
  for (let x = 0; x < M; x++) for (let y = 0; y < x; y++) close(small.stationary[x * M + y]!, small.stationary[y * M + x]!, 1e-14, "symmetry");
});

test("the reported threshold structure, curve and shape are what the decision table says", () => {
  const r = optimalTwoQueueRule(0.5, 2, { truncation: 40 });
  const M = 41;
  r.switchingCurve.forEach(({ target, migrateFrom }) => {
    let first: number | null = null;
    for (let own = 0; own < M && first === null; own++) if (r.decisions[own * M + target] === 1) first = own;
    assert.equal(migrateFrom, first);
  });
  assert.deepEqual(r.switchingTable, [3, 7, 12, 19]); // regression guard (the doc example)
  assert.deepEqual(r.curveShape.additiveThresholds, r.switchingTable.map((m, t) => m - t - 1));
  let broken = 0;
  r.switchingTable.forEach((from, target) => {
    for (let own = 0; own <= r.thresholdStructure.checkedOwnUpTo; own++) if ((r.decisions[own * M + target] === 1) !== (own >= from)) broken++;
  });
  assert.equal(r.thresholdStructure.holds, broken === 0);
  assert.equal(r.thresholdStructure.exceptions.length, broken);
  close(r.meanQueueLength, 0.9549580572554, 1e-12, "doc example (regression guard)");
});

test("ABOUNCE above its exact two-queue threshold is reported unstable, and the grid agrees (mass piles at the edge)", () => {
  // K = 2, C = 2: lambda_c = 0.894104 (exactTwoQueueThreshold); C = 4: 0.935; C = 6: 0.953. At N = 60 the
  // stable ABOUNCE(4) has edge mass 2.2e-3 (mean 13.6 units), ABOUNCE(6) 4.2e-4.
  const rules = [noSharing(), abounce(2, Infinity), abounce(4, Infinity), abounce(6, Infinity), mbounce(2, Infinity)];
  const comparison = compareTwoQueueRules(0.9, 2, { truncation: 60, edgeTolerance: 1e-3, rules });
  const row = (label: string) => comparison.ranking.find((r) => r.policy === label)!;
  assert.equal(row("ABOUNCE(2,inf)").status, "unstable");
  assert.equal(row("ABOUNCE(2,inf)").meanQueueLength, Infinity);
  assert.ok(row("ABOUNCE(2,inf)").edgeMass > 1e-2, `edge mass ${row("ABOUNCE(2,inf)").edgeMass}`);
  assert.equal(row("ABOUNCE(4,inf)").status, "truncation too small");
  assert.ok(Number.isNaN(row("ABOUNCE(4,inf)").meanQueueLength) && row("ABOUNCE(4,inf)").truncatedMeanQueueLength > 10);
  assert.equal(row("ABOUNCE(6,inf)").status, "exact");
  assert.equal(row("MBOUNCE(2,inf)").status, "exact");
  assert.deepEqual(comparison.ranking.slice(-2).map((r) => r.policy), ["ABOUNCE(2,inf)", "ABOUNCE(4,inf)"]);
  // no sharing is ranked by its closed form (two M/M/1 queues), its grid value is M/M/1/60's
  assert.equal(row("no sharing").status, "closed form");
  close(row("no sharing").meanQueueLength, 9, 1e-12, "no sharing");
  assert.ok(row("no sharing").truncatedMeanQueueLength < 9);
  assert.ok(comparison.optimumIsBest);
  // a second, larger grid for the rules too heavy for N = 60: ABOUNCE(4) has edge mass 5.1e-4 at N = 80
  const again = compareTwoQueueRules(0.9, 2, { truncation: 60, edgeTolerance: 1e-3, rules, ruleTruncation: 80, optimal: comparison.optimal });
  const abounce4 = again.ranking.find((r) => r.policy === "ABOUNCE(4,inf)")!;
  assert.equal(abounce4.status, "exact");
  assert.equal(abounce4.truncation, 80);
  assert.ok(abounce4.meanQueueLength > 14 && abounce4.meanQueueLength < 16, String(abounce4.meanQueueLength));
  assert.equal(again.ranking.find((r) => r.policy === "ABOUNCE(6,inf)")!.truncation, 60);
  assert.throws(() => compareTwoQueueRules(0.9, 2, { truncation: 60, ruleTruncation: 50, optimal: comparison.optimal }), ParameterError);
  assert.throws(() => compareTwoQueueRules(0.8, 2, { truncation: 60, optimal: comparison.optimal }), ParameterError);
});

test("the switching table as a rule and as a policy; the simulator agrees with the exact evaluation (5 standard errors)", async () => {
  const rule = switchingTableRule([3, 7, 12, 19]);
  assert.deepEqual([rule(3, 0), rule(2, 0), rule(6, 1), rule(7, 1), rule(50, 4), rule(100, -1)], [true, false, false, true, false, false]);
  assert.throws(() => switchingTableRule([3, 1]), ParameterError);
  assert.throws(() => switchingTableRule([0]), ParameterError);
  assert.throws(() => switchingTableRule("3" as unknown as number[]), ParameterError);
  assert.throws(() => switchingTablePolicy([3], 0), ParameterError);
  const best = optimalTwoQueueRule(0.7, 2, { truncation: 50 });
  const policy = switchingTablePolicy(best.switchingTable, 1, "optimal table");
  const exact = evaluateTwoQueueRule(0.7, 2, policy, { truncation: 50 });
  close(exact.meanQueueLength, best.meanQueueLength, 1e-6 * best.meanQueueLength, "table rule vs optimum (edge decisions dropped)");
  const report = await runSimulation(
    { queues: 2, arrivalRate: 0.7, migrationPenalty: 2, policy },
    { events: 1_000_000, replications: 8, seed: 3, clock: "events", trackDelays: false },
  );
  const { mean, ci95 } = report.meanQueueLength;
  const standardError = (ci95[1] - ci95[0]) / 2 / 2.365; // t quantile, 7 degrees of freedom
  assert.ok(Math.abs(mean - exact.meanQueueLength) < 5 * standardError, `simulated ${mean} +- ${standardError}, exact ${exact.meanQueueLength}`);
  close(report.migrationFraction.mean, exact.migrationFraction, 0.01, "migration fraction");
});

test("switchingTablePolicy is the declared switching policy: plain data, the table's decisions at every pair, never beyond the table", async () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 8 }), fc.constantFrom(1, 2, 10, Infinity), (steps, d) => {
    // strictly increasing tables with table[t] > t, built from positive steps
    const table: number[] = [];
    steps.forEach((step, t) => table.push(Math.max(t + 1, (table[t - 1] ?? 0) + step)));
    const policy = switchingTablePolicy(table, d, "t");
    assert.equal(policy.kind, "switching");
    assert.equal(isTransferable(policy), true);
    assert.deepEqual(policy.migrateFrom, [...table, Infinity]);
    const declared = migrationRule(validatePolicy(policy, 2), 2);
    const reference = switchingTableRule(table);
    const top = (table[table.length - 1] ?? 0) + 40;
    for (let own = 0; own <= top; own++) for (let target = 0; target <= table.length + 40; target++) {
      assert.equal(declared(own, target), reference(own, target), `table ${JSON.stringify(table)}, own ${own}, target ${target}`);
    }
  }), { numRuns: 60, seed: 11 });
  assert.throws(() => switchingTablePolicy([3], 2, ""), (e: unknown) => e instanceof ParameterError && e.parameter === "label");
  // A study accepts it (a custom rule would be refused) and runs it on the worker pool.
  const system = { queues: 10, arrivalRate: 0.8, migrationPenalty: 2, policy: switchingTablePolicy([3, 7, 12, 19], 10, "optimal(0.5,2)") };
  const study = await runStudy({ name: "switching-table-test", cells: studyCells([system]), simulation: { events: 20_000, replications: 2 }, cache: { mode: "off" } });
  assert.equal(study.cells[0]!.point.policy, "optimal(0.5,2)(d=10)");
  assert.ok(study.cells[0]!.point.migrationFraction.mean > 0);
});

test("bad input: lambda outside (0, 1), K < 1 or not an integer, bad or too small truncation throw ParameterError naming the limit", () => {
  const refused = (f: () => unknown): ParameterError => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof ParameterError, String(e));
      return e;
    }
    assert.fail("no error");
  };
  assert.match(refused(() => optimalTwoQueueRule(1, 2)).message, /^arrivalRate \(lambda\) = 1 is out of range: .*< 1/);
  assert.equal(refused(() => optimalTwoQueueRule(0, 2)).parameter, "arrivalRate (lambda)");
  assert.equal(refused(() => optimalTwoQueueRule(1.2, 2)).parameter, "arrivalRate (lambda)");
  assert.match(refused(() => optimalTwoQueueRule(0.5, 0.5)).message, /^migrationPenalty \(K\) = 0.5 is out of range: an integer in \[1, 100\]/);
  assert.equal(refused(() => optimalTwoQueueRule(0.5, 2.5)).parameter, "migrationPenalty (K)");
  assert.match(refused(() => optimalTwoQueueRule(0.5, 3, { truncation: 10 })).message, /an integer in \[12, 400\]/);
  assert.equal(refused(() => optimalTwoQueueRule(0.5, 2, { truncation: 401 })).parameter, "truncation (N)");
  assert.match(refused(() => optimalTwoQueueRule(0.5, 12, { truncation: 400 })).message, /fits in 2 GiB: N = 400 with K = 12 needs 2.04 GiB/);
  assert.match(refused(() => optimalTwoQueueRule(0.5, 101)).message, /^migrationPenalty \(K\) = 101 is out of range: an integer in \[1, 100\]/);
  assert.equal(refused(() => optimalTwoQueueRule(0.5, 2, { truncation: 40, checkTruncation: 40 })).parameter, "checkTruncation");
  assert.equal(refused(() => optimalTwoQueueRule(0.5, 2, { edgeTolerance: 0 })).parameter, "edgeTolerance");
  // Too small for lambda, a priori (pooled M/M/2 bound, before any work) and a posteriori (the optimum's edge mass).
  const apriori = refused(() => optimalTwoQueueRule(0.97, 2));
  assert.equal(apriori.parameter, "truncation (N)");
  assert.match(apriori.message, /pooled M\/M\/2.*above edgeTolerance = 0.00001/);
  const aposteriori = refused(() => optimalTwoQueueRule(0.9, 2, { truncation: 60 }));
  assert.match(aposteriori.message, /^truncation \(N\) = 60 is out of range: .*lambda = 0.9, K = 2: the optimal rule has stationary mass .* at the edge .* above edgeTolerance = 0.00001; a truncation of about \d+ or more should do/);
  assert.equal(refused(() => evaluateTwoQueueRule(0.5, 2, abounce(1, Infinity))).parameter, "threshold (C)");
  assert.equal(refused(() => evaluateTwoQueueRule(0.5, 2, 7 as unknown as MigrationRule)).parameter, "rule");
});

test("ruleSwitchingCurve gives ABOUNCE's t + C + 1 and MBOUNCE's floor(max(alpha t, t + K)) + 1", () => {
  for (const K of [1, 2, 3]) {
    for (const C of [K, K + 2, 7]) {
      ruleSwitchingCurve(abounce(C, Infinity), K, 30, 200).forEach(({ target, migrateFrom }) => assert.equal(migrateFrom, target + C + 1));
    }
    for (const alpha of [1.5, 2, 3, 8]) {
      ruleSwitchingCurve(mbounce(alpha, Infinity), K, 30, 300).forEach(({ target, migrateFrom }) => {
        assert.equal(migrateFrom, Math.floor(Math.max(alpha * target, target + K)) + 1, `alpha ${alpha}, target ${target}`);
      });
    }
  }
  assert.equal(ruleSwitchingCurve(noSharing(), 2, 3, 50)[3]!.migrateFrom, null);
  assert.throws(() => ruleSwitchingCurve(abounce(1, Infinity), 2, 3, 50), ParameterError);
  assert.throws(() => ruleSwitchingCurve(abounce(2, Infinity), 2, -1, 50), ParameterError);
});

test("doc examples of src/theory/optimal and the optimal command show real output", () => {
  close(evaluateTwoQueueRule(0.5, 2, noSharing(), { truncation: 40 }).meanQueueLength, 0.99999999998135, 1e-14, "evaluate none");
  close(evaluateTwoQueueRule(0.5, 2, abounce(2, Infinity), { truncation: 40 }).meanQueueLength, 0.96980702694, 1e-11, "evaluate abounce");
  assert.deepEqual(compareTwoQueueRules(0.5, 2, { truncation: 40 }).ranking.slice(0, 3).map((r) => r.policy),
    ["optimal", "MBOUNCE(6,inf)", "MBOUNCE(8,inf)"]);
  assert.equal(policyLabel(switchingTablePolicy([3, 7, 12, 19], 10, "optimal(0.5,2)")), "optimal(0.5,2)(d=10)");
  assert.deepEqual(ruleSwitchingCurve(mbounce(3, Infinity), 2, 3, 100).map((p) => p.migrateFrom), [3, 4, 7, 10]);
  assert.deepEqual(ruleSwitchingCurve(abounce(4, Infinity), 2, 2, 100).map((p) => p.migrateFrom), [5, 6, 7]);
  assert.deepEqual(optimalArguments(["--lambda", "0.9", "--K", "2"]), {
    arrivalRate: 0.9, migrationPenalty: 2, truncation: 100, checkTruncation: undefined, edgeTolerance: undefined, ruleTruncation: undefined, json: false,
  });
  assert.deepEqual(optimalReport(optimalArguments(["--lambda", "0.5", "--K", "2", "--truncation", "40"])).switchingTable, [3, 7, 12, 19]);
});
