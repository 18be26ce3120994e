/**
 * Solves A x = b for a dense square A by LU factorisation with partial pivoting (Golub and Van Loan,
 * "Matrix Computations", Algorithm 3.4.1), in place: A (row-major, n x n) is overwritten by its factors and
 * b by x. Written here because no linear-algebra package is among the dependencies; the mean-field
 * Newton solver needs it for Jacobians of a few hundred to a few thousand levels. Private to the folder.
 *
 * Cost O(n^3 / 3) flops. Returns false (leaving A and b overwritten) when a pivot is zero or not finite.
 */
export function luSolveInPlace(A: Float64Array, b: Float64Array, n: number): boolean {
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(A[k * n + k]!);
    for (let r = k + 1; r < n; r++) {
      const v = Math.abs(A[r * n + k]!);
      if (v > best) { best = v; p = r; }
    }
    if (!(best > 0) || !Number.isFinite(best)) return false;
    if (p !== k) {
      for (let c = 0; c < n; c++) {
        const t = A[k * n + c]!; A[k * n + c] = A[p * n + c]!; A[p * n + c] = t;
      }
      const t = b[k]!; b[k] = b[p]!; b[p] = t;
    }
    const pivot = A[k * n + k]!;
    for (let r = k + 1; r < n; r++) {
      const factor = A[r * n + k]! / pivot;
      if (factor === 0) continue;
      A[r * n + k] = factor;
      const rowR = r * n, rowK = k * n;
      for (let c = k + 1; c < n; c++) A[rowR + c] = A[rowR + c]! - factor * A[rowK + c]!;
      b[r] = b[r]! - factor * b[k]!;
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let sum = b[k]!;
    for (let c = k + 1; c < n; c++) sum -= A[k * n + c]! * b[c]!;
    b[k] = sum / A[k * n + k]!;
  }
  for (let k = 0; k < n; k++) if (!Number.isFinite(b[k]!)) return false;
  return true;
}
