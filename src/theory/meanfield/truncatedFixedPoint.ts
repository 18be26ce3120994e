import { luSolveInPlace } from "./luSolve";
import { meanFieldDrift } from "./meanFieldDrift";
import type { MeanFieldSystem } from "./meanFieldSystem";

/** Outcome of Newton's method on one truncation. */
export interface TruncatedSolve {
  /** The state s[0..L] at the last iterate. */
  readonly s: Float64Array;
  /** u[k] = 1 - s[k] to full relative precision (u[0] = 0). */
  readonly complement: Float64Array;
  readonly converged: boolean;
  /** max_i |ds_i/dt| at s (absolute residual). */
  readonly residual: number;
  /** max_i |ds_i/dt| / s_i at s (relative residual). */
  readonly relativeResidual: number;
  readonly iterations: number;
}

/** Largest |H_i| accepted when Newton stagnates (no step reduces ||H||) instead of reaching the tolerance. */
const STAGNATION_TOLERANCE = 1e-9;
/** Levels with s_i or 1 - s_i below this are out of double precision's useful range. */
export const SMALLEST_LEVEL = 1e-250;

/**
 * Newton's method for a fixed point of the system truncated at L = guess.length - 1, in the logit variables
 * y_i = ln(s_i / (1 - s_i)), i = 1..L, on the level balances written as log ratios:
 *
 *   H_i(y) = ln(stayUp_i + migrationUp_i) - ln(s_i - s_{i+1}) = 0,   i = 1..L   (s_{L+1} = 0),
 *
 * i.e. upward flow across level i equals downward flow (ds_i/dt = 0). With logits both s_i and 1 - s_i are
 * represented to full relative precision, so light upper tails (s_i ~ 1e-200) and fully busy lower levels
 * (1 - s_i ~ 1e-200, every queue has at least i units) are solved as accurately as the bulk, and every
 * iterate lies in (0, 1). The log ratios keep each balance relative and well conditioned when the guess is
 * off by many orders of magnitude in a tail (H_i is nearly affine in y_i there). Levels whose guess has
 * 1 - s_i < 1e-250 are held at s_i = 1 (their balance is off by less than 1e-249). The Jacobian is by forward
 * differences (step 1e-7 in y), the linear solve dense LU with partial pivoting, the step at most 30 in any
 * y_i and halved until ||H||_2 decreases (non-increasing states give non-finite H and are rejected).
 * Converged: max |H_i| < relativeTolerance, or, when no step reduces ||H|| any more (the precision limit),
 * max |H_i| < 1e-9. Private to the folder.
 *
 * Cost per iteration: L + 1 evaluations of the upward rates plus O(L^3 / 3) for the solve.
 *
 * @param guess s_0..s_L, s_0 = 1, with 0 < s_i < 1 roughly non-increasing (made strictly decreasing here)
 * @param guessComplement optional 1 - s_i to full precision (otherwise 1 - guess[i])
 */
export function newtonTruncatedFixedPoint(
  system: MeanFieldSystem,
  guess: Float64Array,
  guessComplement?: Float64Array,
  relativeTolerance = 1e-13,
  maxIterations = 100,
): TruncatedSolve {
  const L = guess.length - 1;
  // frozen lower levels: 1 - s_i below SMALLEST_LEVEL in the guess
  let frozen = 0;
  const uOf = (i: number): number => (guessComplement !== undefined ? (guessComplement[i] as number) : 1 - (guess[i] as number));
  while (frozen < L - 1 && uOf(frozen + 1) < SMALLEST_LEVEL) frozen++;
  const n = L - frozen;
  const y = new Float64Array(n);
  let previous = Infinity;
  for (let k = 0; k < n; k++) {
    const i = frozen + 1 + k;
    const sGuess = Math.max(guess[i] as number, 1e-300);
    const uGuess = Math.max(uOf(i), 1e-300);
    let v = Math.log(sGuess) - Math.log(uGuess);
    if (!(v < previous)) v = previous - 1e-9 * Math.max(1, Math.abs(previous));
    y[k] = v;
    previous = v;
  }
  const s = new Float64Array(L + 1);
  const u = new Float64Array(L + 1);
  s[0] = 1;
  for (let i = 1; i <= frozen; i++) s[i] = 1;
  const stayUp = new Float64Array(L + 1);
  const migrationUp = new Float64Array(L + 1);
  const toState = (yv: Float64Array): void => {
    for (let k = 0; k < n; k++) {
      const v = yv[k] as number;
      // s = 1/(1 + e^-y), u = 1/(1 + e^y), each without cancellation
      s[frozen + 1 + k] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      u[frozen + 1 + k] = v >= 0 ? Math.exp(-v) / (1 + Math.exp(-v)) : 1 / (1 + Math.exp(v));
    }
  };
  const down = (i: number): number => {
    if (i === L) return s[L] as number;
    return (s[i + 1] as number) >= 0.5 ? (u[i + 1] as number) - (u[i] as number) : (s[i] as number) - (s[i + 1] as number);
  };
  const scaled = (yv: Float64Array, out: Float64Array): number => {
    toState(yv);
    system.upwardRates(s, stayUp, migrationUp, u);
    let norm2 = 0;
    for (let k = 0; k < n; k++) {
      const i = frozen + 1 + k;
      const up = (stayUp[i] as number) + (migrationUp[i] as number);
      const dn = down(i);
      const g = up > 0 && dn > 0 ? Math.log(up) - Math.log(dn) : NaN;
      out[k] = g;
      norm2 += g * g;
    }
    return Number.isFinite(norm2) ? Math.sqrt(norm2) : Infinity;
  };
  const maxAbs = (v: Float64Array): number => {
    let m = 0;
    for (let k = 0; k < v.length; k++) m = Math.max(m, Math.abs(v[k] as number));
    return m;
  };
  const G = new Float64Array(n);
  const Gh = new Float64Array(n);
  const J = new Float64Array(n * n);
  const step = new Float64Array(n);
  const trial = new Float64Array(n);
  let norm = scaled(y, G);
  let iterations = 0;
  let converged = Number.isFinite(norm) && maxAbs(G) < relativeTolerance;
  while (!converged && iterations < maxIterations && Number.isFinite(norm)) {
    iterations++;
    const h = 1e-7;
    for (let c = 0; c < n; c++) {
      const saved = y[c] as number;
      y[c] = saved + h;
      scaled(y, Gh);
      y[c] = saved;
      for (let r = 0; r < n; r++) J[r * n + c] = ((Gh[r] as number) - (G[r] as number)) / h;
    }
    for (let r = 0; r < n; r++) step[r] = -(G[r] as number);
    if (!luSolveInPlace(J, step, n)) break;
    const big = maxAbs(step);
    let t = big > 30 ? 30 / big : 1;
    let accepted = false;
    for (let halvings = 0; halvings < 40; halvings++) {
      for (let r = 0; r < n; r++) trial[r] = (y[r] as number) + t * (step[r] as number);
      const trialNorm = scaled(trial, Gh);
      if (trialNorm < (1 - 1e-4 * t) * norm) {
        y.set(trial);
        G.set(Gh);
        norm = trialNorm;
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) {
      converged = maxAbs(G) < STAGNATION_TOLERANCE;
      break;
    }
    converged = maxAbs(G) < relativeTolerance;
  }
  toState(y);
  const final = Float64Array.from(s);
  const complement = Float64Array.from(u);
  const drift = meanFieldDrift(system, final, undefined, complement);
  let residual = 0;
  let relativeResidual = 0;
  for (let i = 1; i <= L; i++) {
    residual = Math.max(residual, Math.abs(drift[i] as number));
    relativeResidual = Math.max(relativeResidual, Math.abs(drift[i] as number) / (final[i] as number));
  }
  return { s: final, complement, converged, residual, relativeResidual, iterations };
}
