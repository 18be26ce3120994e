import { Matrix, inverse } from "ml-matrix";
import { ParameterError, requireInteger } from "../../model/parameterError";

/** The solution of a Lyapunov equation A W + W A^T + Q = 0 with its diagnostics. */
export interface LyapunovSolution {
  /** W, row-major L x L (symmetric when Q is). All NaN when `converged` is false. */
  readonly solution: Float64Array;
  /** True when the sign iteration reached sign(A) = -I (A is stable) and the residual is small. */
  readonly converged: boolean;
  /** Why not, when converged is false. */
  readonly failure?: string;
  /** Newton steps of the sign iteration. */
  readonly iterations: number;
  /**
   * ||A W + W A^T + Q||_F / (2 ||A||_F ||W||_F + ||Q||_F): the relative residual (about 1e-15 for a well
   * conditioned A; NaN when not converged).
   */
  readonly residual: number;
}

/**
 * Solves the continuous Lyapunov equation A W + W A^T + Q = 0 for a stable A (every eigenvalue has a
 * negative real part) by the matrix sign function (Roberts, "Linear model reduction and solution of the
 * algebraic Riccati equation by use of the sign function", Int. J. Control 32 (1980) 677-687; Higham,
 * "Functions of Matrices", SIAM 2008, Section 5.3 and Problem 2.7).
 *
 * Method. For H = [[A, Q], [0, -A^T]], sign(H) = [[-I, 2W], [0, I]] exactly when A is stable (H sign(H) =
 * sign(H) H gives A (2W) + (2W) A^T + 2Q = 0). Newton's iteration H <- (c H + H^-1 / c)/2 keeps the block
 * form, so it runs on the blocks: Z <- (c Z + Z^-1 / c)/2, Y <- (c Y + Z^-1 Y Z^-T / c)/2 from Z = A, Y = Q, and
 * Z -> -I, Y -> 2W quadratically once close. The scaling c = sqrt(||Z^-1||_F / ||Z||_F) (Higham, eq. 5.38)
 * takes the eigenvalues to magnitude ~1 in a few steps; it is switched off once ||Z + I||_F < 1e-2 sqrt(L),
 * after which convergence is quadratic. Stop when ||Z_{k+1} - Z_k||_F <= 1e-13 sqrt(L) (plus one more step).
 * If Z does not approach -I, A has an eigenvalue with non-negative real part: converged false, solution NaN
 * (the fixed point is not exponentially stable, and no stationary covariance exists).
 *
 * Why this method and not another: ml-matrix (the linear-algebra dependency) has LU, QR, SVD and eigenvalue
 * decompositions but no real Schur form, so Bartels-Stewart would need a hand-written Francis QR; the
 * Kronecker form (I (x) A + A (x) I) vec W = -vec Q is an L^2 x L^2 dense solve, O(L^6) (L = 300 levels
 * would be 8.1e10 unknowns squared); diagonalising A is unstable for the non-normal Jacobians of queueing
 * drifts. The sign iteration needs only inverses and products (ml-matrix), costs O(L^3) per step with 10-20
 * steps, and detects an unstable A as a by-product. It is tested against scalar, diagonal and closed-form
 * cases and against the Kronecker solve on small random matrices (test/meanfieldRefinedLyapunov.test.ts).
 *
 * Cost: about 15 iterations of one L x L inverse and three products: O(45 L^3) flops; ~0.1 s for L = 100.
 *
 * @param A row-major L x L matrix (finite entries), stable
 * @param Q row-major L x L matrix (finite entries; symmetric for a covariance)
 * @param size L, an integer >= 1 with A.length = Q.length = L^2
 * @returns W with diagnostics; `converged` false (solution NaN) when A is not stable
 * @throws ParameterError when the sizes do not match or entries are not finite
 * @example
 * const W = solveLyapunov(Float64Array.from([-1, 0, 0, -2]), Float64Array.from([2, 1, 1, 4]), 2).solution;
 * Array.from(W) // => [1, 0.3333333333333333, 0.3333333333333333, 1]  (W_ij = Q_ij / (-a_i - a_j))
 */
export function solveLyapunov(A: Float64Array, Q: Float64Array, size: number): LyapunovSolution {
  requireInteger("size (L)", size, 1, 20000);
  if (!(A instanceof Float64Array) || A.length !== size * size) throw new ParameterError("A", A?.length, `a Float64Array of length L^2 = ${size * size}`);
  if (!(Q instanceof Float64Array) || Q.length !== size * size) throw new ParameterError("Q", Q?.length, `a Float64Array of length L^2 = ${size * size}`);
  for (let k = 0; k < A.length; k++) {
    if (!Number.isFinite(A[k] as number)) throw new ParameterError("A", A[k], "finite entries");
    if (!Number.isFinite(Q[k] as number)) throw new ParameterError("Q", Q[k], "finite entries");
  }
  const L = size;
  const a = Matrix.from1DArray(L, L, Array.from(A));
  const q = Matrix.from1DArray(L, L, Array.from(Q));
  const nan = (failure: string, iterations: number): LyapunovSolution =>
    ({ solution: new Float64Array(L * L).fill(NaN), converged: false, failure, iterations, residual: NaN });
  const eye = Matrix.eye(L);
  const rootL = Math.sqrt(L);
  let Z = a.clone();
  let Y = q.clone();
  let scaling = true;
  let iterations = 0;
  let converged = false;
  let extra = false;
  for (; iterations < 100; ) {
    let Zi: Matrix;
    try {
      Zi = inverse(Z);
    } catch {
      return nan("a Newton step met a singular matrix: A has an eigenvalue on the imaginary axis (0 included)", iterations);
    }
    if (!isFiniteMatrix(Zi)) return nan("a Newton step met a singular matrix: A has an eigenvalue on the imaginary axis (0 included)", iterations);
    iterations++;
    const c = scaling ? Math.sqrt(Zi.norm("frobenius") / Z.norm("frobenius")) : 1;
    const Znext = Matrix.add(Matrix.mul(Z, c), Matrix.mul(Zi, 1 / c)).mul(0.5);
    const Ynext = Matrix.add(Matrix.mul(Y, c), Zi.mmul(Y).mmul(Zi.transpose()).mul(1 / c)).mul(0.5);
    // keep Y symmetric when Q is (rounding would otherwise break the symmetry slowly)
    const Ysym = Matrix.add(Ynext, Ynext.transpose()).mul(0.5);
    const change = Matrix.sub(Znext, Z).norm("frobenius");
    Z = Znext;
    Y = symmetric(q) ? Ysym : Ynext;
    if (!isFiniteMatrix(Z) || !isFiniteMatrix(Y)) return nan("the sign iteration overflowed", iterations);
    const distance = Matrix.add(Z, eye).norm("frobenius");
    if (scaling && distance < 1e-2 * rootL) scaling = false;
    if (extra) {
      converged = true;
      break;
    }
    if (!scaling && change <= 1e-13 * rootL) extra = true;
  }
  const distance = Matrix.add(Z, eye).norm("frobenius") / rootL;
  if (!converged || !(distance < 1e-8)) {
    return nan(
      converged
        ? `sign(A) is not -I (distance ${distance.toExponential(2)}): A has an eigenvalue with positive real part, the fixed point is not stable`
        : `the sign iteration did not converge in ${iterations} steps (distance to -I ${distance.toExponential(2)}): A is not stable or is too ill conditioned`,
      iterations,
    );
  }
  const W = Y.mul(0.5);
  const R = Matrix.add(Matrix.add(a.mmul(W), W.mmul(a.transpose())), q);
  const residual = R.norm("frobenius") / (2 * a.norm("frobenius") * W.norm("frobenius") + q.norm("frobenius"));
  const solution = Float64Array.from(W.to1DArray());
  if (!(residual < 1e-8)) {
    return { solution: new Float64Array(L * L).fill(NaN), converged: false, failure: `relative residual ${residual.toExponential(2)} above 1e-8 (A too ill conditioned)`, iterations, residual };
  }
  return { solution, converged: true, iterations, residual };
}

function isFiniteMatrix(m: Matrix): boolean {
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) if (!Number.isFinite(m.get(i, j))) return false;
  return true;
}

function symmetric(m: Matrix): boolean {
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < i; j++) if (m.get(i, j) !== m.get(j, i)) return false;
  return true;
}
