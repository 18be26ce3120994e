import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { requireIntegerThreshold } from "./theorem2LambdaStar";
import { requireTwoQueueThreshold, twoQueueDifferenceLaw } from "./twoQueueDifferenceLaw";

/**
 * Largest work of exactTwoQueueThreshold without `force`: 1e7 level-evaluations, (C + K + 3) levels times
 * (gridPoints + bisection steps + 2) evaluations of the law. At the measured 0.55 microseconds per
 * level-evaluation that is about 6 s (C ~ 4e4 with the default grid); theory --K 2 --C 1e7 would take some 20 min.
 */
export const EXACT_THRESHOLD_WORK_LIMIT = 1e7;

/** The exact stability threshold of ABOUNCE(C, infinity) with n = 2, and how it was found. */
export interface ExactTwoQueueThreshold {
  /** K. */
  readonly migrationPenalty: number;
  /** C. */
  readonly threshold: number;
  /** lambda_c: the total work drifts down for lambda < lambda_c and up for lambda > lambda_c. */
  readonly criticalArrivalRate: number;
  /** Half the width of the final bisection bracket (an upper bound on the error of lambda_c). */
  readonly bracketHalfWidth: number;
  /** P(|D| > C) under the D-chain's stationary law at lambda_c. */
  readonly probabilityDifferenceExceedsThreshold: number;
  /** The number of sign changes of f(lambda) = lambda (2 + (K - 1) p(lambda)) - 2 on the check grid (1 = single crossing). */
  readonly signChangesOnGrid: number;
  /** The smallest increment of f between consecutive grid points (> 0: f is increasing on the grid). */
  readonly smallestIncrementOnGrid: number;
  /** The number of grid points of the monotonicity check. */
  readonly gridPoints: number;
}

/**
 * The exact stability threshold of the two-queue ABOUNCE(C, infinity) system, computed without simulation.
 *
 * Derivation (not in the paper). Let S = q1 + q2 and D = q1 - q2, and uniformize at rate 2(lambda + 1) as in
 * `twoQueueDifferenceLaw` (a = lambda / (2(lambda + 1)), s = 1 / (2(lambda + 1))). While both queues are
 * non-empty, the increment of S at one event depends on D alone:
 *   r(D) = E[S_1 - S_0 | D] = a (2 + (K - 1) 1{|D| > C}) - 2 s
 * (each arrival adds 1 job, or K when it migrates; each service removes one), and D moves as the D-chain,
 * which is positive recurrent with a geometric tail. Away from the axes {q1 q2 = 0} the transition law of
 * (S, D) does not depend on S, so for large S the chain behaves like a Markov-modulated random walk: D mixes
 * on a time scale that does not grow with S, while S moves with mean drift
 *   rbar = sum_D pi(D) r(D) = f(lambda) / (2 (lambda + 1)),   f(lambda) = lambda (2 + (K - 1) p(lambda)) - 2,
 * where p(lambda) = pi(|D| > C). The axes are visited a vanishing fraction of the time at large S (on q2 = 0
 * with q1 > C every arrival at queue 1 migrates and queue 2 leaves 0 within O(1) events; reaching |D| = S
 * from the centre costs a probability geometric in S). The standard criterion for such chains (the induced
 * chain / averaging method of Malyshev and Menshikov; G. Fayolle, V. Malyshev, M. Menshikov, Topics in the
 * Constructive Theory of Countable Markov Chains, 1995) gives: positive recurrent if rbar < 0, transient if
 * rbar > 0. A Lyapunov function for the first case is L(q) = S + h(D), where h solves the Poisson equation
 * (I - P_D) h = r - rbar of the D-chain (h grows at most linearly in |D| because r - rbar is bounded and the
 * D-chain returns to 0 in a time whose mean is linear in |D|); its drift is rbar < 0 while both queues are
 * busy. In words: the system is stable exactly when the long-run rate of work in, 2 lambda + (K - 1) lambda
 * p(lambda), is below the rate of work out, 2 (both servers busy).
 *
 * Computation. p(lambda) comes from the closed-form stationary law (`twoQueueDifferenceLaw`, geometric tail,
 * no truncation, O(C + K) per evaluation). f(0+) = -2 < 0 and, for K >= 2, f(1) = (K - 1) p(1) > 0, so a root
 * lies in (0, 1); for K = 1 no work is created and lambda_c = 1 exactly (f(lambda) = 2 lambda - 2). The root is
 * bracketed and bisected until the bracket is narrower than 2 * tolerance. Uniqueness is not proved: it is
 * checked on a grid of `gridPoints` equally spaced rates in (0, 1] (f evaluated at each; the result reports the
 * number of sign changes and the smallest increment, which is positive when f is increasing on the grid).
 * Cost O((C + K) (gridPoints + log2(1 / tolerance))): about 0.55 microseconds per level and evaluation, so
 * about 1.4 s at C = 10^4 with the defaults. Refused up front, with the estimate, when the work exceeds
 * EXACT_THRESHOLD_WORK_LIMIT (1e7 level-evaluations, about 6 s) unless `force`; C <= 2^24 always (memory,
 * see twoQueueDifferenceLaw).
 *
 * @param migrationPenalty K, an integer >= 1
 * @param threshold C, an integer with K <= C <= 2^24
 * @param options tolerance: half-width of the final bracket, in (0, 1e-3] (default 1e-12);
 *   gridPoints: points of the single-crossing check, an integer >= 2 (default 200);
 *   force: lift the work limit (default false)
 * @returns the threshold with its bracket and the monotonicity check
 * @throws ParameterError naming the parameter on bad input (C < K included), or naming "threshold (C)" with
 *   the largest C within the work limit and the run's estimated duration
 * @example
 * exactTwoQueueThreshold(2, 2).criticalArrivalRate // => 0.8941043369681516 (Theorem 2's lambda* is 0.8866)
 */
export function exactTwoQueueThreshold(
  migrationPenalty: number,
  threshold: number,
  options: { readonly tolerance?: number; readonly gridPoints?: number; readonly force?: boolean } = {},
): ExactTwoQueueThreshold {
  const K = requireInteger("migrationPenalty (K)", migrationPenalty, 1);
  const C = requireIntegerThreshold(threshold, K);
  requireTwoQueueThreshold(C, K);
  const tolerance = requireNumber("tolerance", options.tolerance ?? 1e-12, 0, 1e-3, { hiInclusive: true });
  const gridPoints = requireInteger("gridPoints", options.gridPoints ?? 200, 2, 1_000_000);
  const force = options.force ?? false;
  if (typeof force !== "boolean") throw new ParameterError("force", force, "true or false");
  // Work: the law costs O(C + K) per evaluation (levels 0..C + K + 2 in its residual check); the grid, the
  // bisection (from [1e-9, 1] down to 2 tolerance) and the final law.
  const evaluations = gridPoints + Math.ceil(Math.log2(1 / (2 * tolerance))) + 2;
  const work = (C + K + 3) * evaluations;
  if (work > EXACT_THRESHOLD_WORK_LIMIT && !force) {
    const largest = Math.max(K, Math.floor(EXACT_THRESHOLD_WORK_LIMIT / evaluations) - K - 3);
    throw new ParameterError("threshold (C)", C, `an integer in [K, ${largest}] = [${K}, ${largest}] within the work limit of ${EXACT_THRESHOLD_WORK_LIMIT} level-evaluations`,
      `C = ${C} needs ${work.toPrecision(3)}, about ${Math.round(work * 0.55e-6)} s; pass force: true (CLI --force) to run it`);
  }

  const f = (lambda: number): number =>
    lambda * (2 + (K - 1) * twoQueueDifferenceLaw(lambda, K, C).probabilityDifferenceExceedsThreshold) - 2;

  let signChanges = 0;
  let smallestIncrement = Infinity;
  let previous = NaN;
  for (let g = 1; g <= gridPoints; g++) {
    const value = f(g / gridPoints);
    if (g > 1) {
      smallestIncrement = Math.min(smallestIncrement, value - previous);
      if (Math.sign(value) !== Math.sign(previous)) signChanges += 1;
    }
    previous = value;
  }

  if (K === 1) {
    return {
      migrationPenalty: K, threshold: C, criticalArrivalRate: 1, bracketHalfWidth: 0,
      probabilityDifferenceExceedsThreshold: twoQueueDifferenceLaw(1, K, C).probabilityDifferenceExceedsThreshold,
      signChangesOnGrid: signChanges, smallestIncrementOnGrid: smallestIncrement, gridPoints,
    };
  }
  let lo = 1e-9;
  let hi = 1;
  if (!(f(lo) < 0 && f(hi) > 0)) {
    return {
      migrationPenalty: K, threshold: C, criticalArrivalRate: NaN, bracketHalfWidth: NaN,
      probabilityDifferenceExceedsThreshold: NaN, signChangesOnGrid: signChanges,
      smallestIncrementOnGrid: smallestIncrement, gridPoints,
    };
  }
  while (hi - lo > 2 * tolerance) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  const root = 0.5 * (lo + hi);
  return {
    migrationPenalty: K,
    threshold: C,
    criticalArrivalRate: root,
    bracketHalfWidth: 0.5 * (hi - lo),
    probabilityDifferenceExceedsThreshold: twoQueueDifferenceLaw(root, K, C).probabilityDifferenceExceedsThreshold,
    signChangesOnGrid: signChanges,
    smallestIncrementOnGrid: smallestIncrement,
    gridPoints,
  };
}
