/**
 * LU factorisation without pivoting of a square band matrix, and solves with it and with its transpose.
 * Private to src/theory/optimal (not in the package's barrel).
 *
 * Why by hand: the matrices here are I - P of a truncated two-queue chain with one state removed, of order
 * (N + 1)^2 - 1 (about 10^4 at N = 100) and band widths N + 1 below and K (N + 1) above the diagonal. A dense
 * solver (ml-matrix, or the dense LU of src/theory/meanfield) costs n^3 / 3, about 3e11 flops at N = 100;
 * the band LU costs n l u, about 3e8. No maintained npm package offers a band solver (@stdlib/lapack has no
 * dgbtrf; ml-sparse-matrix has no solver).
 *
 * Why no pivoting: the matrix I - P_T, where P_T is the transition matrix restricted to a set T of states from
 * which the chain leaves T with positive probability, is a nonsingular M-matrix (Z-matrix with a nonnegative
 * inverse: (I - P_T)^{-1} = sum_k P_T^k converges). Gaussian elimination without pivoting on a nonsingular
 * M-matrix never meets a zero pivot and every Schur complement is again a nonsingular M-matrix (Berman and
 * Plemmons, "Nonnegative Matrices in the Mathematical Sciences", 1994, ch. 6, condition (E17); Higham,
 * "Accuracy and Stability of Numerical Algorithms", 2nd ed., Sec. 9.6: growth factor 1 for row diagonally
 * dominant M-matrices), so elimination stays in the band and is stable. Fill-in stays inside the band.
 *
 * Storage: row-major band, row i holds columns i - lower .. i + upper at i * width + (j - i + lower).
 */
export class BandedLu {
  readonly order: number;
  readonly lower: number;
  readonly upper: number;
  readonly width: number;
  /** The band; after `factor()`, U on and above the diagonal and the multipliers of L below it. */
  readonly band: Float64Array;
  private factored = false;

  constructor(order: number, lower: number, upper: number) {
    this.order = order;
    this.lower = lower;
    this.upper = upper;
    this.width = lower + upper + 1;
    this.band = new Float64Array(order * this.width);
  }

  /** Adds `value` to entry (i, j); |j - i| must lie within the band. */
  add(i: number, j: number, value: number): void {
    const offset = j - i + this.lower;
    if (offset < 0 || offset >= this.width) throw new RangeError(`entry (${i}, ${j}) outside the band`);
    this.band[i * this.width + offset] = (this.band[i * this.width + offset] as number) + value;
  }

  /**
   * Factors in place (Doolittle, no pivoting). Cost O(order * lower * upper) flops, skipping zero multipliers.
   * Returns false when a pivot is not positive and finite (the matrix is then not a nonsingular M-matrix).
   */
  factor(): boolean {
    const { order: n, lower: l, upper: u, width: w, band: a } = this;
    for (let k = 0; k < n; k++) {
      const pivot = a[k * w + l]!;
      if (!(pivot > 0) || !Number.isFinite(pivot)) return false;
      const rowK = k * w + l - k; // a[rowK + j] is entry (k, j)
      const lastRow = Math.min(n - 1, k + l);
      const lastCol = Math.min(n - 1, k + u);
      for (let i = k + 1; i <= lastRow; i++) {
        const rowI = i * w + l - i;
        const entry = a[rowI + k]!;
        if (entry === 0) continue;
        const factor = entry / pivot;
        a[rowI + k] = factor;
        for (let j = k + 1; j <= lastCol; j++) a[rowI + j] = (a[rowI + j] as number) - factor * a[rowK + j]!;
      }
    }
    this.factored = true;
    return true;
  }

  /** Solves A x = b in place (b becomes x). Cost O(order (lower + upper)). */
  solve(b: Float64Array): void {
    this.requireFactored();
    const { order: n, lower: l, upper: u, width: w, band: a } = this;
    for (let i = 0; i < n; i++) { // L y = b (unit lower)
      const rowI = i * w + l - i;
      let sum = b[i]!;
      for (let j = Math.max(0, i - l); j < i; j++) sum -= a[rowI + j]! * b[j]!;
      b[i] = sum;
    }
    for (let i = n - 1; i >= 0; i--) { // U x = y
      const rowI = i * w + l - i;
      let sum = b[i]!;
      const last = Math.min(n - 1, i + u);
      for (let j = i + 1; j <= last; j++) sum -= a[rowI + j]! * b[j]!;
      b[i] = sum / a[rowI + i]!;
    }
  }

  /** Solves A^T x = b in place (b becomes x): U^T z = b, then L^T x = z. Cost O(order (lower + upper)). */
  solveTransposed(b: Float64Array): void {
    this.requireFactored();
    const { order: n, lower: l, upper: u, width: w, band: a } = this;
    for (let i = 0; i < n; i++) { // U^T z = b: column-oriented forward substitution
      const rowI = i * w + l - i;
      const zi = b[i]! / a[rowI + i]!;
      b[i] = zi;
      if (zi === 0) continue;
      const last = Math.min(n - 1, i + u);
      for (let j = i + 1; j <= last; j++) b[j] = (b[j] as number) - a[rowI + j]! * zi;
    }
    for (let i = n - 1; i >= 0; i--) { // L^T x = z: column-oriented backward substitution (unit diagonal)
      const rowI = i * w + l - i;
      const xi = b[i]!;
      if (xi === 0) continue;
      for (let j = Math.max(0, i - l); j < i; j++) b[j] = (b[j] as number) - a[rowI + j]! * xi;
    }
  }

  private requireFactored(): void {
    if (!this.factored) throw new Error("BandedLu: factor() first");
  }
}
