import type { SystemParams } from "../../model/system";
import { requireState } from "../lyapunov/requireState";
import { type ExactSystemSummary, largestJump, requireTruncation, validateExactSystem } from "./exactLimits";
import { type StationarySolve, solveStationary } from "./solveStationary";
import { orbitSize, symmetricStateIndex } from "./symmetricStateSpace";
import { type TruncatedChain, buildTruncatedChain } from "./truncatedChain";

/** The residual ||pi P - pi||_1 at which the iterative solver stops. */
export const EXACT_RESIDUAL_TOLERANCE = 1e-13;
/**
 * The iteration limit of the solver (an error is thrown when it is reached). It bounds the time: the slowest case
 * measured, no sharing at lambda = 0.9 with n = 3 and T = 60, needs 765 iterations; at the state limit one
 * iteration takes about 0.1 s on a shared 2-core machine, so a solve never runs much beyond 8 minutes.
 */
export const EXACT_MAX_ITERATIONS = 5_000;

/** How the stationary law was computed. */
export interface ExactSolverReport {
  /** The method, in words. */
  readonly method: string;
  /** Lumped states (queue lengths sorted), C(T + n, n). */
  readonly states: number;
  /** Off-diagonal nonzeros of the lumped transition matrix. */
  readonly transitions: number;
  /** Solver iterations. */
  readonly iterations: number;
  /** ||pi P - pi||_1 of the returned law. */
  readonly residual: number;
  /** Estimated ||pi - pi_T||_1 between the returned law and the truncated chain's exact one (see solveStationary). */
  readonly errorEstimate: number;
  /** Wall-clock seconds to build and solve. */
  readonly seconds: number;
}

/** The stationary law of the chain truncated at T, and what it implies. */
export interface TruncatedStationaryLaw {
  /** The system. */
  readonly system: ExactSystemSummary;
  /** T: no queue holds more than T units. */
  readonly truncation: number;
  /** tail[i] = P(Q >= i) for a queue (averaged over the queues, which are alike), i = 0..T; tail[0] = 1. */
  readonly tail: number[];
  /** E[Q] per queue, in units (exp(1) job equivalents). */
  readonly meanQueueLength: number;
  /** P(an arrival migrates), per arrival, by the rule's decision (also when the move is then blocked). */
  readonly migrationFraction: number;
  /** P(the longest queue >= l), l = 0..T (its decay near T drives the truncation error). */
  readonly longestQueueTail: number[];
  /** P(some queue > T - J), J the largest jump (K when migrations happen, else 1): the states where a move can be blocked. */
  readonly boundaryMass: number;
  /** The probability per event that a move is blocked by the truncation. */
  readonly blockedProbability: number;
  /** The solver's report. */
  readonly solver: ExactSolverReport;
  /**
   * pi(q) for a state q of the full (unsorted) chain: the lumped probability of its orbit divided by the orbit's
   * size (the law is symmetric). 0 when a length exceeds T. Throws ParameterError for a malformed state.
   */
  probability(state: readonly number[]): number;
}

/**
 * The stationary law of the embedded chain of Section II (uniformized at rate n(lambda + 1), one step per event:
 * what the simulator's per-event averages estimate) for n <= 3 queues, truncated at T units per queue. Moves that
 * would take a queue above T are blocked (the chain stays put); everything else is the exact one-step law of
 * `embeddedChainTransitions`, for any policy and sampling scheme. The chain is lumped by symmetry (the queue
 * lengths sorted; exact, see src/theory/exact/truncatedChain.ts) and solved by iterative aggregation-
 * disaggregation with Gauss-Seidel smoothing until ||pi P - pi||_1 <= 1e-13 (src/theory/exact/solveStationary.ts).
 *
 * This is the law of the truncated chain itself, without a bound on its distance to the untruncated one: use
 * `exactStationary` for that. For n = 1 (and for no sharing, whose queues stay independent) blocking at T is
 * the same as watching the untruncated chain only while every queue is at most T (the excursions above T leave
 * and re-enter at T), so the truncated law is the untruncated one conditioned on that event: P_T(Q >= i) =
 * (lambda^i - lambda^(T+1)) / (1 - lambda^(T+1)) per queue.
 *
 * Cost: C(T + n, n) states (n = 3, T = 40: 12341; T = 60: 39711) with at most n^2 + 2n moves each; building
 * calls the one-step law once per state; each solver iteration is six passes over the nonzeros, at most 5000 of
 * them (35 for ABOUNCE(2,2) at lambda = 0.75, 765 for no sharing at lambda = 0.9; n = 3, T = 60: 1.3 s and 27 s
 * on a shared 2-core machine). Memory about 300 bytes per state.
 *
 * @param params the system: n in [1, 3], 0 < lambda < 1, any policy and sampling scheme (validateSystem's rules)
 * @param truncation T, an integer in [1, maxExactTruncation(n)] (n = 3: 112, n = 2: 705)
 * @returns the tail, mean queue length and migration fraction of the truncated chain, with the boundary mass
 * @throws ParameterError for bad params (n > 3 included) or truncation, naming the parameter and the limit,
 *   before any work; Error when the solver does not reach its residual within 5000 iterations
 * @example
 * const law = truncatedStationary({ queues: 1, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }, 3);
 * law.tail // => [1, 0.4666666666666668, 0.20000000000000004, 0.06666666666666668]  ((0.5^i - 0.5^4) / (1 - 0.5^4) = 7/15, 3/15, 1/15)
 */
export function truncatedStationary(params: SystemParams, truncation: number): TruncatedStationaryLaw {
  const system = validateExactSystem(params);
  const T = requireTruncation(truncation, params.queues, 1, "the largest queue length kept");
  return solveTruncated(params, system, T).result;
}

/** The solved lumped law with its chain (internal to src/theory/exact: exactStationary compares two of them). */
export interface SolvedTruncation {
  readonly result: TruncatedStationaryLaw;
  readonly chain: TruncatedChain;
  readonly law: Float64Array;
}

/** truncatedStationary for validated inputs, keeping the lumped law. */
export function solveTruncated(params: SystemParams, system: ExactSystemSummary, T: number): SolvedTruncation {
  const started = performance.now();
  const n = params.queues;
  const chain = buildTruncatedChain(params, T);
  const solve: StationarySolve = solveStationary(chain, EXACT_RESIDUAL_TOLERANCE, EXACT_MAX_ITERATIONS);
  if (!solve.converged) {
    throw new Error(
      `truncatedStationary: the solver did not reach ||pi P - pi||_1 <= ${EXACT_RESIDUAL_TOLERANCE} within ` +
      `${EXACT_MAX_ITERATIONS} iterations (residual ${solve.residual.toExponential(2)}) for ${system.policy}, ` +
      `n = ${n}, lambda = ${system.arrivalRate}, T = ${T}`,
    );
  }
  const law = solve.law;
  const { lengths, migration, blocked, size } = chain;
  const perLevel = new Float64Array(T + 2);
  const longest = new Float64Array(T + 2);
  let mean = 0;
  let migrationFraction = 0;
  let blockedProbability = 0;
  let boundaryMass = 0;
  const layer = T - largestJump(params); // states whose longest queue exceeds this can have a move blocked
  for (let s = 0; s < size; s++) {
    const p = law[s] as number;
    for (let k = 0; k < n; k++) {
      const x = lengths[s * n + k] as number;
      perLevel[x]! += p / n;
      mean += (p * x) / n;
    }
    const top = lengths[s * n] as number;
    longest[top]! += p;
    if (top > layer) boundaryMass += p;
    migrationFraction += p * (migration[s] as number);
    blockedProbability += p * (blocked[s] as number);
  }
  const tail = suffixSums(perLevel, T);
  const longestQueueTail = suffixSums(longest, T);
  tail[0] = 1;
  longestQueueTail[0] = 1;
  const seconds = (performance.now() - started) / 1000;
  const result: TruncatedStationaryLaw = {
    system,
    truncation: T,
    tail,
    meanQueueLength: mean,
    migrationFraction,
    longestQueueTail,
    boundaryMass,
    blockedProbability,
    solver: {
      method: "iterative aggregation-disaggregation (by the total and by each sorted queue length) with forward and backward Gauss-Seidel sweeps, on the chain lumped by symmetry",
      states: size,
      transitions: chain.source.length,
      iterations: solve.iterations,
      residual: solve.residual,
      errorEstimate: solve.errorEstimate,
      seconds,
    },
    probability(state: readonly number[]): number {
      const q = requireState(state, n);
      if (q.some((x) => x > T)) return 0;
      q.sort((a, b) => b - a);
      return (law[symmetricStateIndex(q, n)] as number) / orbitSize(q, n);
    },
  };
  return { result, chain, law };
}

/** out[i] = sum_{l >= i} x[l] for i = 0..T, as a plain array (summed from the top: small terms first). */
function suffixSums(x: Float64Array, T: number): number[] {
  const out = new Array<number>(T + 1);
  let acc = 0;
  for (let l = T; l >= 0; l--) {
    acc += x[l] as number;
    out[l] = acc;
  }
  return out;
}
