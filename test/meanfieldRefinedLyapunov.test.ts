import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, solve } from "ml-matrix";
import { ParameterError } from "../src/model/parameterError";
import { solveLyapunov } from "../src/theory/meanfield/refinedLyapunovSolve";

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

/** The residual A W + W A^T + Q, max entry. */
function residual(A: Float64Array, W: Float64Array, Q: Float64Array, L: number): number {
  const a = Matrix.from1DArray(L, L, Array.from(A));
  const w = Matrix.from1DArray(L, L, Array.from(W));
  const q = Matrix.from1DArray(L, L, Array.from(Q));
  return Matrix.add(Matrix.add(a.mmul(w), w.mmul(a.transpose())), q).abs().max();
}

/** The Kronecker (vectorised) solve (I (x) A + A (x) I) vec W = -vec Q: O(L^6), a second method for small L. */
function kroneckerSolve(A: Float64Array, Q: Float64Array, L: number): Float64Array {
  const M = new Matrix(L * L, L * L);
  const b = new Matrix(L * L, 1);
  // row-major vec: index i*L + j for W_ij; (A W)_ij = sum_k A_ik W_kj, (W A^T)_ij = sum_k W_ik A_jk
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < L; j++) {
      const r = i * L + j;
      for (let k = 0; k < L; k++) {
        M.set(r, k * L + j, M.get(r, k * L + j) + (A[i * L + k] as number));
        M.set(r, i * L + k, M.get(r, i * L + k) + (A[j * L + k] as number));
      }
      b.set(r, 0, -(Q[r] as number));
    }
  }
  return Float64Array.from(solve(M, b).to1DArray());
}

/** Seeded uniform numbers in [0, 1) (a small LCG: the test must not depend on Math.random). */
function uniforms(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

test("Lyapunov: scalar case a w + w a + q = 0 gives w = -q / (2a)", () => {
  for (const [a, q] of [[-1, 1], [-0.25, 3], [-40, 0.5]] as const) {
    const r = solveLyapunov(Float64Array.of(a), Float64Array.of(q), 1);
    assert.ok(r.converged, r.failure);
    assert.ok(Math.abs((r.solution[0] as number) - -q / (2 * a)) <= 1e-14 * Math.abs(q / a), `a = ${a}`);
  }
});

test("Lyapunov: diagonal A gives W_ij = -Q_ij / (a_i + a_j)", () => {
  const a = [-1, -2, -0.5, -7];
  const L = a.length;
  const A = new Float64Array(L * L);
  const Q = new Float64Array(L * L);
  for (let i = 0; i < L; i++) {
    A[i * L + i] = a[i] as number;
    for (let j = 0; j <= i; j++) Q[i * L + j] = Q[j * L + i] = 1 + i + 2 * j;
  }
  const r = solveLyapunov(A, Q, L);
  assert.ok(r.converged, r.failure);
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < L; j++) {
      const exact = -(Q[i * L + j] as number) / ((a[i] as number) + (a[j] as number));
      assert.ok(Math.abs((r.solution[i * L + j] as number) - exact) <= 1e-13 * Math.abs(exact), `W_${i}${j}`);
    }
  }
});

test("Lyapunov: A = -alpha I + S (S skew) and Q = 2 alpha I give W = I (closed form),", () => {
  const L = 6;
  const alpha = 0.3;
  const next = uniforms(11);
  const A = new Float64Array(L * L);
  const Q = new Float64Array(L * L);
  for (let i = 0; i < L; i++) {
    A[i * L + i] = -alpha;
    Q[i * L + i] = 2 * alpha;
    for (let j = 0; j < i; j++) {
      const s = 4 * next() - 2;
      A[i * L + j] = s;
      A[j * L + i] = -s;
    }
  }
  const r = solveLyapunov(A, Q, L);
  assert.ok(r.converged, r.failure);
  const I = new Float64Array(L * L);
  for (let i = 0; i < L; i++) I[i * L + i] = 1;
  assert.ok(maxAbsDiff(r.solution, I) < 1e-12, `max |W - I| = ${maxAbsDiff(r.solution, I)}`);
});

test("Lyapunov: a Jordan block (A = -I + N, N nilpotent: highly non-normal, as the drift's Jacobian at deep levels)", () => {
  // A = [[-1, 1], [0, -1]], Q = I: W solves -2w11 + 2w12 + 1 = 0, -2w12 + w22 = 0, -2w22 + 1 = 0
  // => w22 = 1/2, w12 = 1/4, w11 = 3/4.
  const r = solveLyapunov(Float64Array.of(-1, 1, 0, -1), Float64Array.of(1, 0, 0, 1), 2);
  assert.ok(r.converged, r.failure);
  assert.ok(maxAbsDiff(r.solution, [0.75, 0.25, 0.25, 0.5]) < 1e-14);
});

test("Lyapunov: random stable matrices against the Kronecker solve (second method), residual below 1e-12", () => {
  const next = uniforms(5);
  for (const L of [2, 5, 9]) {
    // A = B - (spectral bound + 0.5) I is stable: every Gershgorin disc of B - c I with c > max row sum lies left of -0.5
    const A = new Float64Array(L * L);
    let maxRow = 0;
    for (let i = 0; i < L; i++) {
      let row = 0;
      for (let j = 0; j < L; j++) {
        A[i * L + j] = 2 * next() - 1;
        row += Math.abs(A[i * L + j] as number);
      }
      maxRow = Math.max(maxRow, row);
    }
    for (let i = 0; i < L; i++) A[i * L + i] = (A[i * L + i] as number) - maxRow - 0.5;
    // Q = C C^T, symmetric positive semi-definite
    const C = Array.from({ length: L * L }, () => next() - 0.5);
    const Q = new Float64Array(L * L);
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) for (let k = 0; k < L; k++) Q[i * L + j] = (Q[i * L + j] as number) + (C[i * L + k] as number) * (C[j * L + k] as number);
    const r = solveLyapunov(A, Q, L);
    assert.ok(r.converged, r.failure);
    const reference = kroneckerSolve(A, Q, L);
    const scale = Math.max(...Array.from(reference, Math.abs));
    assert.ok(maxAbsDiff(r.solution, reference) <= 1e-12 * scale, `L = ${L}: ${maxAbsDiff(r.solution, reference)}`);
    assert.ok(Math.abs(residual(A, r.solution, Q, L)) < 1e-12 * (1 + scale));
    assert.ok(r.residual < 1e-14);
  }
});

test("Lyapunov: an unstable or marginal A is detected (converged false, NaN), not solved", () => {
  const unstable = solveLyapunov(Float64Array.of(1, 0, 0, -1), Float64Array.of(1, 0, 0, 1), 2);
  assert.equal(unstable.converged, false);
  assert.ok(Number.isNaN(unstable.solution[0]));
  assert.match(unstable.failure ?? "", /not stable|positive real part/);
  const singular = solveLyapunov(Float64Array.of(0, 0, 0, -1), Float64Array.of(1, 0, 0, 1), 2);
  assert.equal(singular.converged, false);
  const rotation = solveLyapunov(Float64Array.of(0, 1, -1, 0), Float64Array.of(1, 0, 0, 1), 2);
  assert.equal(rotation.converged, false, "eigenvalues +-i on the imaginary axis");
});

test("Lyapunov: bad sizes and non-finite entries throw a ParameterError", () => {
  assert.throws(() => solveLyapunov(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3, 4), 2), ParameterError);
  assert.throws(() => solveLyapunov(Float64Array.of(-1, NaN, 0, -1), Float64Array.of(1, 0, 0, 1), 2), ParameterError);
  assert.throws(() => solveLyapunov(Float64Array.of(-1), Float64Array.of(1), 0), ParameterError);
});
