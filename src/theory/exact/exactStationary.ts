import { ParameterError, requireNumber } from "../../model/parameterError";
import type { SystemParams } from "../../model/system";
import {
  type ExactSystemSummary, largestJump, maxExactTruncation, requireMaxStates, requireTruncation, validateExactSystem,
} from "./exactLimits";
import { type ExactSolverReport, type SolvedTruncation, solveTruncated } from "./truncatedStationary";

/** Options of {@link exactStationary}. */
export interface ExactStationaryOptions {
  /**
   * T, the largest queue length kept: an integer in [2J + 3, maxExactTruncation(n)] (J = K when the policy
   * migrates, else 1; n = 3: at most 112, n = 2: 705). Default: chosen, the first T of the sequence 2J + 3, then
   * x 4/3 (rounded up) each time, whose error bound meets the tolerance.
   */
  readonly truncation?: number;
  /**
   * The accuracy required: the error bound of every probability (each tail level, the migration fraction)
   * at most `tolerance` in absolute terms, and that of the mean queue length at most `tolerance` relative to
   * it. A number in [1e-9, 0.5]; default 1e-6.
   */
  readonly tolerance?: number;
  /**
   * The largest lumped state space to build, C(T + n, n): an integer in [2, MAX_EXACT_STATES = 250000]; default
   * 250000 (about 75 MB). Lower it to bound time and memory; it caps T.
   */
  readonly maxStates?: number;
}

/** Changes of the outputs between two truncations. */
export interface ExactChange {
  /** The largest change over the tail levels. */
  readonly tail: number;
  readonly meanQueueLength: number;
  readonly migrationFraction: number;
  /** ||pi_a - pi_b||_TV. */
  readonly totalVariation: number;
  /** sum_q |pi_a(q) - pi_b(q)| qbar(q), qbar the mean length of the queues in q. */
  readonly weighted: number;
}

/** The truncation error of an exact answer: what was measured, what it bounds, and under which assumption. */
export interface ExactTruncationError {
  /** The requested tolerance. */
  readonly tolerance: number;
  /** T'' < T' < T, the smaller truncations solved for the comparison. */
  readonly checkTruncations: readonly [number, number];
  /** P(some queue > T - J) at T (J: the largest jump): the stationary mass where a move can be blocked. */
  readonly boundaryMass: number;
  /** The probability per event that a move is blocked, at T. */
  readonly blockedProbability: number;
  /** The change of each output from T' to T. */
  readonly change: ExactChange;
  /** The change of each output from T'' to T'. */
  readonly previousChange: ExactChange;
  /**
   * q, the assumed decay of the error per level: the largest of the rate fitted to the two changes (total variation
   * and weighted) and the tail ratio r.
   */
  readonly decayRatio: number;
  /** r: the largest one-level ratio P(longest >= l + 1) / P(longest >= l) just below the blocking layer, at T and T'. */
  readonly tailDecayRatio: number;
  /** rho = (T / T') q^(T - T'): the assumed contraction of the error from T' to T (rho_V = rho T / T' for the mean). */
  readonly contraction: number;
  /** The solver's estimated error at T, in total variation, with its margin of 10 (included in the bounds). */
  readonly solverError: number;
  /** Bounds on |output at T - output of the untruncated chain| (Infinity when rho >= 1). */
  readonly bound: {
    readonly tail: number;
    readonly meanQueueLength: number;
    readonly migrationFraction: number;
    readonly totalVariation: number;
  };
  /** Whether every bound meets the tolerance (always true in a returned result: a miss throws). */
  readonly withinTolerance: boolean;
  /** The assumption behind the bound, in words. */
  readonly assumption: string;
}

/** The exact stationary answer for a small system, with its truncation error. */
export interface ExactStationary {
  /** The system. */
  readonly system: ExactSystemSummary;
  /** T, the truncation the answer was computed at. */
  readonly truncation: number;
  /** tail[i] = P(Q >= i) for a queue (averaged over the queues), i = 0..T; tail[0] = 1. */
  readonly tail: number[];
  /** E[Q] per queue, in units. */
  readonly meanQueueLength: number;
  /** P(an arrival migrates), per arrival. */
  readonly migrationFraction: number;
  /** The truncation error and its bound. */
  readonly truncationError: ExactTruncationError;
  /** The solver's reports at T, T' and T''. */
  readonly solver: { readonly answer: ExactSolverReport; readonly checks: readonly [ExactSolverReport, ExactSolverReport] };
  /** pi_T(q) for a state of the full chain (0 beyond T); throws ParameterError for a malformed state. */
  probability(state: readonly number[]): number;
}

const SOLVER_MARGIN = 10;

const ASSUMPTION =
  "the distance to the untruncated law falls geometrically in T, at a rate per level no faster than the largest " +
  "of the rate fitted to the changes T'' -> T' -> T and the longest queue's tail ratio, up to a factor T/T' " +
  "(T/T' squared for the mean queue length); exact for one queue and for no sharing, not proved for sharing " +
  "policies; the solver's error, estimated from its convergence history, is added with a margin of 10";

/**
 * The stationary law of the embedded chain of Section II (uniformized at rate n(lambda + 1), one step per event:
 * what the simulator's per-event averages estimate) for n <= 3 queues, computed exactly on a truncated state
 * space, with the truncation error bounded. Any policy (the rule of `migrationRule`) and any sampling scheme.
 *
 * Truncation. Moves that would take a queue above T are blocked (the chain stays put), see `truncatedStationary`.
 * The chain is solved at T and at two smaller truncations T'' < T' < T (T - 2 ceil(T/4) and T - ceil(T/4), or
 * the two previous grids when T is chosen).
 *
 * Bound (derived here; not in the paper). Let pi be the untruncated law, pi_T the truncated one (zero beyond T),
 * e(T) = ||pi - pi_T||_TV and e_V(T) = sum_q |pi(q) - pi_T(q)| qbar(q), qbar(q) the mean queue length of state q.
 * Every probability output is E[f] for an f with values in [0, 1] (the fraction of queues >= i; the probability
 * that an arrival at q migrates), so it is off by at most e(T); the mean queue length E[qbar] by at most e_V(T).
 * By the triangle inequality e(T') <= delta + e(T), delta = ||pi_T - pi_T'||_TV computed from two solves. If
 * e(T) <= rho e(T') with rho < 1 (the assumption), then
 *   e(T) <= rho delta / (1 - rho),      and likewise e_V(T) <= rho_V delta_V / (1 - rho_V).
 * The contraction rho. The exact perturbation identity pi f - pi_T f = sum_x pi_T(x) sum_{blocked x -> y} P(x, y)
 * (h(y) - h(x)), with h the solution of the Poisson equation (I - P) h = f - pi f, writes the error as the blocked
 * flow, proportional to the mass of the blocking layer, times differences of h between states K units apart. The
 * mass falls geometrically in T; the differences of h are, for a bounded f, at most the mean time for two copies
 * of the chain started there to meet, which for a stable system grows at most linearly in the level, and one power
 * more for f = qbar. So rho = (T/T') q^(T - T') and rho_V = rho T/T', with q the decay per level. q is measured
 * twice and the larger value kept: (a) fitted to the two changes, assuming e(T) = c q^T: delta(T'', T') =
 * c q^T'' (1 - q^(T' - T'')) and delta(T', T) = c q^T' (1 - q^(T - T')), whose ratio gives q (bisection; the same
 * for delta_V); (b) r, the largest ratio P(longest >= l + 1) / P(longest >= l) over the levels just below the
 * blocking layer. (a) follows the error itself and caught cases where (b), read from a law distorted near the
 * boundary, is too small (ABOUNCE(3, 1), n = 2, lambda = 0.85: r = 0.83 while the error falls by 0.86 per level).
 * For one queue and for no sharing the truncated law is the untruncated one conditioned on the box, e(T) = the
 * mass outside, which decays by exactly lambda per level, and the bound holds with the factor T/T' to spare. For
 * sharing policies this is an assumption, checked in the tests against answers at much larger T. Near a stability
 * threshold q -> 1, rho >= 1 and the bound is infinite: the answer is refused. The solver's errors s (L1,
 * estimated from its convergence history, times 10 as a margin) are added: bound = rho (delta + (s_T + s_T')/2) /
 * (1 - rho) + s_T/2, and for the mean rho_V (delta_V + T (s_T + s_T')) / (1 - rho_V) + T s_T (as qbar <= T).
 *
 * Cost: three solves of `truncatedStationary` (for a chosen T, one per grid of the sequence; the grids grow by
 * (4/3)^n, so the total is about twice the last). Measured on a shared 2-core machine, n = 3, three grids:
 * T = 40 in 1.2-1.9 s, T = 60 in 2.2 s (ABOUNCE(2,2), lambda = 0.75), 3.4 s (SQ(2), "all", lambda = 0.9),
 * 8.7 s (MBOUNCE(2,inf), lambda = 0.9) and 22 s (no sharing, lambda = 0.9, the slowest to converge).
 *
 * @param params the system: n in [1, 3], 0 < lambda < 1, any policy and sampling scheme (validateSystem's rules)
 * @param options truncation (T), tolerance and maxStates, see ExactStationaryOptions
 * @returns tail, meanQueueLength, migrationFraction at T, and truncationError
 * @throws ParameterError before any work for a bad system (n > 3, lambda >= 1 included), truncation (above the
 *   memory limit: C(T + n, n) <= maxStates, at most 250000 lumped states), tolerance or maxStates; ParameterError naming "truncation (T)" (or
 *   "tolerance" when T is chosen) when the bound misses the tolerance at the given T (or at the largest allowed T);
 *   Error when the solver does not converge
 * @example
 * const r = exactStationary({ queues: 1, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }, { truncation: 40 });
 * r.tail.slice(0, 4) // => [1, 0.49999999999977274, 0.249999999999659, 0.12499999999960212]  (M/M/1: 0.5^i)
 * r.truncationError.bound.tail // => 8.708413706920131e-13  (the actual error at i = 1 is 2.3e-13)
 */
export function exactStationary(params: SystemParams, options: ExactStationaryOptions = {}): ExactStationary {
  const system = validateExactSystem(params);
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object");
  const tolerance = requireNumber("tolerance", options.tolerance ?? 1e-6, 1e-9, 0.5, { loInclusive: true, hiInclusive: true });
  const maxStates = requireMaxStates(options.maxStates);
  const jump = largestJump(params);
  const minimum = 2 * jump + 3;
  const n = params.queues;
  const maxT = maxExactTruncation(n, maxStates);
  if (options.truncation !== undefined) {
    const T = requireTruncation(options.truncation, n, minimum,
      `at least 2J + 3 = ${minimum} (J = ${jump}, the largest jump) for the error check`, maxStates);
    const step = Math.ceil(T / 4);
    const result = compare(params, solveTruncated(params, system, T), solveTruncated(params, system, T - step),
      solveTruncated(params, system, T - 2 * step), tolerance);
    if (!result.truncationError.withinTolerance) {
      throw new ParameterError("truncation (T)", T, `large enough for the tolerance ${tolerance}`,
        `${missDescription(result)}; use a larger truncation (at most ${maxT} for n = ${n}) or omit it to have one chosen`);
    }
    return result;
  }
  if (minimum > maxT) {
    throw new ParameterError("migrationPenalty (K)", params.migrationPenalty,
      `small enough that 2K + 3 <= ${maxT}, the largest truncation for n = ${n} within ${maxStates} states`);
  }
  const step = Math.ceil(minimum / 4);
  let low = solveTruncated(params, system, minimum - 2 * step);
  let mid = solveTruncated(params, system, minimum - step);
  let T = minimum;
  for (;;) {
    const current = solveTruncated(params, system, T);
    const result = compare(params, current, mid, low, tolerance);
    if (result.truncationError.withinTolerance) return result;
    if (T >= maxT) {
      throw new ParameterError("tolerance", tolerance,
        `reachable within the memory limit (T <= ${maxT} for n = ${n}: at most ${maxStates} lumped states)`,
        `at T = ${T} ${missDescription(result)}`);
    }
    low = mid;
    mid = current;
    T = Math.min(maxT, Math.ceil((4 * T) / 3));
  }
}

function missDescription(result: ExactStationary): string {
  const e = result.truncationError;
  const f = (x: number): string => (Number.isFinite(x) ? x.toExponential(2) : String(x));
  return `the error bounds are ${f(e.bound.tail)} (tail), ${f(e.bound.migrationFraction)} (migration fraction) and ` +
    `${f(e.bound.meanQueueLength)} (mean queue length ${f(result.meanQueueLength)}); decay ratio q = ${e.decayRatio.toFixed(4)}, ` +
    `contraction rho = ${e.contraction.toFixed(4)}, boundary mass ${f(e.boundaryMass)}`;
}

/** The changes of the outputs from the smaller truncation b to the larger a (b's states are a prefix of a's). */
function change(n: number, a: SolvedTruncation, b: SolvedTruncation): ExactChange {
  let l1 = 0;
  let weighted = 0;
  const sizeB = b.chain.size; // see symmetricStateSpace: a smaller truncation's states come first
  for (let s = 0; s < a.chain.size; s++) {
    const diff = Math.abs((a.law[s] as number) - (s < sizeB ? (b.law[s] as number) : 0));
    l1 += diff;
    weighted += (diff * (a.chain.total[s] as number)) / n;
  }
  let tail = 0;
  for (let i = 0; i < a.result.tail.length; i++) tail = Math.max(tail, Math.abs((a.result.tail[i] as number) - (b.result.tail[i] ?? 0)));
  return {
    tail,
    meanQueueLength: Math.abs(a.result.meanQueueLength - b.result.meanQueueLength),
    migrationFraction: Math.abs(a.result.migrationFraction - b.result.migrationFraction),
    totalVariation: l1 / 2,
    weighted,
  };
}

/**
 * The decay per level q in (0, 1] that fits two consecutive changes of a geometric error c q^T:
 * later / earlier = q^d1 (1 - q^d2) / (1 - q^d1), d1 = T' - T'', d2 = T - T' (increasing in q, from 0 to d2 / d1).
 * 1 when the ratio is at least d2 / d1 (no decay seen); NaN when the earlier change is 0 or either is not finite.
 */
function fittedDecay(earlier: number, later: number, d1: number, d2: number): number {
  if (!(earlier > 0) || !Number.isFinite(earlier) || !Number.isFinite(later)) return NaN;
  const ratio = later / earlier;
  if (ratio >= d2 / d1) return 1;
  const g = (q: number): number => (Math.pow(q, d1) * (1 - Math.pow(q, d2))) / (1 - Math.pow(q, d1));
  let lo = 0;
  let hi = 1;
  for (let k = 0; k < 60; k++) {
    const mid = 0.5 * (lo + hi);
    if (g(mid) < ratio) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The answer at T with its error from the comparison with T' and T''. */
function compare(params: SystemParams, at: SolvedTruncation, mid: SolvedTruncation, low: SolvedTruncation, tolerance: number): ExactStationary {
  const n = params.queues;
  const T = at.result.truncation;
  const T1 = mid.result.truncation;
  const T0 = low.result.truncation;
  const recent = change(n, at, mid);
  const previous = change(n, mid, low);

  // The solver's own errors (L1, estimated from its convergence history, times a margin of 10 because it is an
  // estimate: near the rounding floor it was seen to be low by a factor of 2) enter the changes and the answer.
  const solverAt = SOLVER_MARGIN * at.result.solver.errorEstimate;
  const solverMid = SOLVER_MARGIN * mid.result.solver.errorEstimate;
  const solverLow = SOLVER_MARGIN * low.result.solver.errorEstimate;

  const jump = largestJump(params);
  const r = Math.max(tailDecayRatio(at.result.longestQueueTail, T, jump, T - T1), tailDecayRatio(mid.result.longestQueueTail, T1, jump, T - T1));
  // A fitted rate is used only when the earlier change stands clear of the solver's noise.
  const fit = (earlier: number, later: number, noise: number): number =>
    earlier > 10 * noise ? fittedDecay(earlier, later, T1 - T0, T - T1) : NaN;
  const qTv = fit(previous.totalVariation, recent.totalVariation, (solverMid + solverLow) / 2);
  const qWeighted = fit(previous.weighted, recent.weighted, T * (solverMid + solverLow));
  const q = Math.max(r, Number.isNaN(qTv) ? 0 : qTv, Number.isNaN(qWeighted) ? 0 : qWeighted);
  const rho = (T / T1) * Math.pow(q, T - T1);
  const rhoV = rho * (T / T1);
  const amplify = (c: number, x: number): number => (c < 1 ? (c * x) / (1 - c) : Infinity);
  const tvBound = amplify(rho, recent.totalVariation + (solverAt + solverMid) / 2) + solverAt / 2;
  const meanBound = amplify(rhoV, recent.weighted + T * (solverAt + solverMid)) + T * solverAt;
  const result = at.result;
  const within = tvBound <= tolerance && meanBound <= tolerance * result.meanQueueLength;
  return {
    system: result.system,
    truncation: T,
    tail: result.tail,
    meanQueueLength: result.meanQueueLength,
    migrationFraction: result.migrationFraction,
    truncationError: {
      tolerance,
      checkTruncations: [T0, T1],
      boundaryMass: result.boundaryMass,
      blockedProbability: result.blockedProbability,
      change: recent,
      previousChange: previous,
      decayRatio: q,
      tailDecayRatio: r,
      contraction: rho,
      solverError: solverAt / 2,
      bound: { tail: tvBound, meanQueueLength: meanBound, migrationFraction: tvBound, totalVariation: tvBound },
      withinTolerance: within,
      assumption: ASSUMPTION,
    },
    solver: { answer: result.solver, checks: [mid.result.solver, low.result.solver] },
    probability: result.probability,
  };
}

/**
 * The largest ratio P(longest >= l + 1) / P(longest >= l) over the window of max(width, J) levels just below the
 * blocking layer (levels above T - J), skipping levels whose tail underflows. 0 when none is left.
 */
function tailDecayRatio(longestTail: readonly number[], T: number, jump: number, width: number): number {
  const hi = T - jump; // ratios for l = lo .. hi - 1 use levels up to hi
  const lo = Math.max(1, hi - Math.max(width, jump));
  let r = 0;
  for (let l = lo; l < hi; l++) {
    const a = longestTail[l] as number;
    const b = longestTail[l + 1] as number;
    if (a > 1e-300 && b > 0) r = Math.max(r, b / a);
  }
  return r;
}
