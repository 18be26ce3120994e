import { ParameterError, requireNumber } from "../../model/parameterError";
import type { SystemParams } from "../../model/system";
import { type ExactSystemSummary, largestJump, maxExactTruncation, requireTruncation, validateExactSystem } from "./exactLimits";
import { type ExactSolverReport, type SolvedTruncation, solveTruncated } from "./truncatedStationary";

/** Options of {@link exactStationary}. */
export interface ExactStationaryOptions {
  /**
   * T, the largest queue length kept: an integer in [2J + 3, maxExactTruncation(n)] (J = K when the policy
   * migrates, else 1; n = 3: at most 112, n = 2: 705). Default: chosen, the smallest T of the sequence
   * 2J + 3, then x 4/3 (rounded up) each time, whose error bound meets the tolerance.
   */
  readonly truncation?: number;
  /**
   * The accuracy required: the error bound of every probability (each tail level, the migration fraction)
   * at most `tolerance` in absolute terms, and that of the mean queue length at most `tolerance` relative to
   * it. A number in [1e-9, 0.5]; default 1e-6.
   */
  readonly tolerance?: number;
}

/** The truncation error of an exact answer: what was measured, what it bounds, and under which assumption. */
export interface ExactTruncationError {
  /** The requested tolerance. */
  readonly tolerance: number;
  /** T' < T, the smaller truncation solved for the comparison. */
  readonly checkTruncation: number;
  /** P(some queue > T - J) at T (J: the largest jump): the stationary mass where a move can be blocked. */
  readonly boundaryMass: number;
  /** The probability per event that a move is blocked, at T. */
  readonly blockedProbability: number;
  /** The change of each output from T' to T (the tail: the largest change over the levels). */
  readonly change: {
    readonly tail: number;
    readonly meanQueueLength: number;
    readonly migrationFraction: number;
    /** ||pi_T - pi_T'||_TV. */
    readonly totalVariation: number;
    /** sum_q |pi_T(q) - pi_T'(q)| qbar(q), qbar the mean length of the queues in q. */
    readonly weighted: number;
  };
  /** r: the largest one-level ratio P(longest >= l + 1) / P(longest >= l) just below the blocking layer, at T and T'. */
  readonly decayRatio: number;
  /** rho = (T / T') r^(T - T'): the assumed contraction of the error from T' to T (rho_V = rho T / T' for the mean). */
  readonly contraction: number;
  /** The solver's estimated error at T, in total variation (included in the bounds). */
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
  /** The solver's report at T and at T'. */
  readonly solver: { readonly answer: ExactSolverReport; readonly check: ExactSolverReport };
  /** pi_T(q) for a state of the full chain (0 beyond T); throws ParameterError for a malformed state. */
  probability(state: readonly number[]): number;
}

const ASSUMPTION =
  "the distance to the untruncated law shrinks from T' to T at least by rho = (T/T') r^(T-T') in total " +
  "variation and by rho T/T' in the length-weighted norm, r being the decay ratio of the longest queue's tail " +
  "below the blocking layer (exact for one queue and for no sharing, where rho = r^(T-T') suffices; not proved " +
  "for sharing policies); the solver's error, estimated from its convergence history, is added";

/**
 * The stationary law of the embedded chain of Section II (uniformized at rate n(lambda + 1), one step per event:
 * what the simulator's per-event averages estimate) for n <= 3 queues, computed exactly on a truncated state
 * space, with the truncation error bounded. Any policy (the rule of `migrationRule`) and any sampling scheme.
 *
 * Truncation. Moves that would take a queue above T are blocked (the chain stays put), see `truncatedStationary`.
 * The chain is solved at T and at a smaller T' (T - ceil(T/4), or the previous grid when T is chosen).
 *
 * Bound (derived here; not in the paper). Let pi be the untruncated law, pi_T the truncated one (zero beyond T),
 * e(T) = ||pi - pi_T||_TV and e_V(T) = sum_q |pi(q) - pi_T(q)| qbar(q) with qbar(q) the mean queue length of state
 * q. Every probability output is E[f] for an f with values in [0, 1] (f = the fraction of queues >= i; f = the
 * probability that an arrival at q migrates), so it is off by at most e(T); the mean queue length, E[qbar], is
 * off by at most e_V(T). By the triangle inequality e(T') <= delta + e(T), with delta = ||pi_T - pi_T'||_TV
 * computed from the two solves. If e(T) <= rho e(T') with rho < 1 (the assumption), then
 *   e(T) <= rho delta / (1 - rho),      and likewise e_V(T) <= rho_V delta_V / (1 - rho_V).
 * Why rho = (T/T') r^(T - T'): the exact perturbation identity pi f - pi_T f = sum_x pi_T(x) sum_{blocked x -> y}
 * P(x, y) (h(y) - h(x)), with h the solution of the Poisson equation (I - P) h = f - pi f, writes the error as the
 * blocked flow, proportional to the mass of the blocking layer (which falls by about r per level, r read off the
 * longest queue's tail just below it), times differences of h between states K units apart; for a bounded f those
 * are at most the mean time for two copies of the chain started there to meet, which for a stable system grows at
 * most linearly in the level (hence T/T'), and one power more for f = qbar (hence rho_V = rho T/T'). For one queue
 * and for no sharing the truncated law is the untruncated one conditioned on the box, e(T) = P(box left) decays by
 * exactly r = lambda per level, and the bound holds with the factor T/T' to spare. For sharing policies this is an
 * assumption, checked in the tests against answers at much larger T. Near a stability threshold r -> 1, rho >= 1
 * and the bound is infinite: the answer is refused. The solver's errors s_T, s_T' (L1, estimated from its
 * convergence history) are added: bound = rho (delta + (s_T + s_T')/2) / (1 - rho) + s_T / 2, and for the mean
 * rho_V (delta_V + T (s_T + s_T')) / (1 - rho_V) + T s_T (qbar <= T).
 *
 * Cost: two solves of `truncatedStationary` (for a chosen T, one per grid of the sequence; the sizes grow by
 * (4/3)^n, so the total is about twice the last). Measured on this 2-core machine, n = 3: T = 40 takes about
 * 1-3 s, T = 60 about 3-15 s (the most for no sharing at lambda = 0.9).
 *
 * @param params the system: n in [1, 3], 0 < lambda < 1, any policy and sampling scheme (validateSystem's rules)
 * @param options truncation (T) and tolerance, see ExactStationaryOptions
 * @returns tail, meanQueueLength, migrationFraction at T, and truncationError
 * @throws ParameterError before any work for a bad system (n > 3, lambda >= 1 included), truncation (above the
 *   memory limit: C(T + n, n) <= 250000 lumped states) or tolerance; ParameterError naming "truncation (T)" (or
 *   "tolerance" when T is chosen) when the bound misses the tolerance at the given T (or at the largest allowed T);
 *   Error when the solver does not converge
 * @example
 * const r = exactStationary({ queues: 1, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }, { truncation: 40 });
 * r.tail.slice(0, 4) // => [1, 0.49999999999977274, 0.249999999999659, 0.12499999999960212]  (M/M/1: 0.5^i)
 * r.truncationError.bound.tail // => 6.050459922023003e-13  (the actual error at i = 1 is 2.3e-13)
 */
export function exactStationary(params: SystemParams, options: ExactStationaryOptions = {}): ExactStationary {
  const system = validateExactSystem(params);
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object");
  const tolerance = requireNumber("tolerance", options.tolerance ?? 1e-6, 1e-9, 0.5, { loInclusive: true, hiInclusive: true });
  const jump = largestJump(params);
  const minimum = 2 * jump + 3;
  const n = params.queues;
  const maxT = maxExactTruncation(n);
  if (options.truncation !== undefined) {
    const T = requireTruncation(options.truncation, n, minimum, `at least 2J + 3 = ${minimum} (J = ${jump}, the largest jump) for the error check`);
    const Tc = T - Math.ceil(T / 4);
    const result = compare(params, solveTruncated(params, system, T), solveTruncated(params, system, Tc), tolerance);
    if (!result.truncationError.withinTolerance) {
      throw new ParameterError("truncation (T)", T, `large enough for the tolerance ${tolerance}`,
        `${missDescription(result)}; use a larger truncation (at most ${maxT} for n = ${n}) or omit it to have one chosen`);
    }
    return result;
  }
  if (minimum > maxT) {
    throw new ParameterError("migrationPenalty (K)", params.migrationPenalty, `small enough that 2K + 3 <= ${maxT} for n = ${n}`);
  }
  let previous = solveTruncated(params, system, Math.max(minimum - Math.ceil(minimum / 4), 1));
  let T = minimum;
  for (;;) {
    const current = solveTruncated(params, system, T);
    const result = compare(params, current, previous, tolerance);
    if (result.truncationError.withinTolerance) return result;
    if (T >= maxT) {
      throw new ParameterError("tolerance", tolerance, `reachable within the memory limit (T <= ${maxT} for n = ${n}: at most 250000 lumped states)`,
        `at T = ${T} ${missDescription(result)}`);
    }
    previous = current;
    T = Math.min(maxT, Math.ceil((4 * T) / 3));
  }
}

function missDescription(result: ExactStationary): string {
  const e = result.truncationError;
  const f = (x: number): string => (Number.isFinite(x) ? x.toExponential(2) : String(x));
  return `the error bounds are ${f(e.bound.tail)} (tail), ${f(e.bound.migrationFraction)} (migration fraction) and ` +
    `${f(e.bound.meanQueueLength)} (mean queue length ${f(result.meanQueueLength)}); decay ratio r = ${e.decayRatio.toFixed(4)}, ` +
    `contraction rho = ${e.contraction.toFixed(4)}, boundary mass ${f(e.boundaryMass)}`;
}

/** The answer at T with its error from the comparison with T' < T. */
function compare(params: SystemParams, at: SolvedTruncation, check: SolvedTruncation, tolerance: number): ExactStationary {
  const n = params.queues;
  const T = at.result.truncation;
  const Tc = check.result.truncation;
  const { law, chain } = at;
  const lawC = check.law;
  const sizeC = check.chain.size; // the states of T' are the first sizeC states of T (see symmetricStateSpace)
  let l1 = 0;
  let weighted = 0;
  for (let s = 0; s < chain.size; s++) {
    const diff = Math.abs((law[s] as number) - (s < sizeC ? (lawC[s] as number) : 0));
    l1 += diff;
    weighted += (diff * (chain.total[s] as number)) / n;
  }
  const totalVariation = l1 / 2;
  let tailChange = 0;
  for (let i = 0; i <= T; i++) tailChange = Math.max(tailChange, Math.abs((at.result.tail[i] as number) - (check.result.tail[i] ?? 0)));

  const jump = largestJump(params);
  const r = Math.max(decayRatio(at.result.longestQueueTail, T, jump, T - Tc), decayRatio(check.result.longestQueueTail, Tc, jump, T - Tc));
  const rho = (T / Tc) * Math.pow(r, T - Tc);
  const rhoV = rho * (T / Tc);
  const amplify = (c: number, x: number): number => (c < 1 ? (c * x) / (1 - c) : Infinity);
  // The solver's own errors (L1, estimated from its convergence history) enter the measured changes and the answer.
  const solverAt = at.result.solver.errorEstimate;
  const solverCheck = check.result.solver.errorEstimate;
  const tvBound = amplify(rho, totalVariation + (solverAt + solverCheck) / 2) + solverAt / 2;
  const meanBound = amplify(rhoV, weighted + T * (solverAt + solverCheck)) + T * solverAt;
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
      checkTruncation: Tc,
      boundaryMass: result.boundaryMass,
      blockedProbability: result.blockedProbability,
      change: {
        tail: tailChange,
        meanQueueLength: Math.abs(result.meanQueueLength - check.result.meanQueueLength),
        migrationFraction: Math.abs(result.migrationFraction - check.result.migrationFraction),
        totalVariation,
        weighted,
      },
      decayRatio: r,
      contraction: rho,
      solverError: solverAt / 2,
      bound: { tail: tvBound, meanQueueLength: meanBound, migrationFraction: tvBound, totalVariation: tvBound },
      withinTolerance: within,
      assumption: ASSUMPTION,
    },
    solver: { answer: result.solver, check: check.result.solver },
    probability: result.probability,
  };
}

/**
 * The largest ratio P(longest >= l + 1) / P(longest >= l) over the window of max(width, J) levels just below the
 * blocking layer (levels above T - J), skipping levels whose tail underflows. 0 when none is left.
 */
function decayRatio(longestTail: readonly number[], T: number, jump: number, width: number): number {
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
