import { ParameterError } from "../../model/parameterError";
import type { LyapunovFunction } from "./lyapunovFunction";

/**
 * The arrival rates the drift computations accept: [2^-33, 2^33] (1.2e-10 to 8.6e9). The exact law weighs
 * each move by lambda / (n (lambda + 1)) or 1 / (n (lambda + 1)); the Monte Carlo stepper draws the event type
 * with a 53-bit uniform against lambda / (lambda + 1), so each of the two event probabilities carries an
 * absolute error of up to 2^-53. Over this range the smaller one is at least 1 / (2^33 + 1), so both methods
 * represent it to a relative error below 2^-20 (1e-6) and agree; n (lambda + 1) stays far from overflow for
 * every n the model accepts (at most 10^7 x 8.6e9). Outside it they part: at lambda = 1e308 the exact
 * weights underflow to 0 (n (lambda + 1) overflows) while Monte Carlo still moves.
 */
export const EMBEDDED_CHAIN_ARRIVAL_RATE_RANGE: readonly [number, number] = [2 ** -33, 2 ** 33];

/**
 * Largest Monte Carlo drift work without `force`: samples x steps x (1 + n / 100) <= 2e7. One step of the
 * embedded chain with Theorem 3's V costs about 0.5 microseconds plus 4-9 ns per queue (measured with
 * n = 2, 100, 1000), about 0.5 microseconds per unit, so 2e7 units is about 10 s.
 */
export const MONTE_CARLO_DRIFT_WORK_LIMIT = 2e7;

/**
 * Largest Monte Carlo sample count: 2^25 (33.6 million). The path changes are kept for the interval, 8 bytes
 * each: 256 MB at the bound. Holds even with `force`.
 */
export const MONTE_CARLO_DRIFT_MAX_SAMPLES = 2 ** 25;

/**
 * Largest n of an exact drift without `force`: 1000 queues. The exact law has up to n^2 + 2n moves and a
 * general V costs O(n) per increment: about 1.4 s at n = 1000 for Theorem 3's V over distinct lengths, 3.3 s
 * for a user V, 10 s at n = 2000 (measured).
 */
export const EXACT_DRIFT_MAX_QUEUES = 1000;

/** Throws unless lambda is in EMBEDDED_CHAIN_ARRIVAL_RATE_RANGE (see there for why). */
export function requireChainArrivalRate(arrivalRate: number): number {
  const [lo, hi] = EMBEDDED_CHAIN_ARRIVAL_RATE_RANGE;
  if (!(arrivalRate >= lo && arrivalRate <= hi)) {
    throw new ParameterError("arrivalRate (lambda)", arrivalRate, `a number in [2^-33, 2^33] = [${lo}, ${hi}] for the drift of the embedded chain`,
      "outside it an event probability is no longer represented to 2^-20, and the exact weights underflow");
  }
  return arrivalRate;
}

/**
 * Throws unless every queue length of `state` stays where V's increments and the chain's own arithmetic are
 * exact over `steps` steps: max(state) + K (steps - 1) <= V.largestExactLength(n, K) when V declares it,
 * and max(state) + K steps <= 2^53 - 1 (lengths are safe integers) in any case.
 *
 * @param lyapunov V (validated)
 * @param state the queue lengths (validated: non-negative safe integers)
 * @param migrationPenalty K
 * @param steps the number of chain steps the computation takes from `state` (1 for the exact drift)
 * @param parameter the name the error gives the state (default "state")
 */
export function requireExactState(lyapunov: LyapunovFunction, state: readonly number[], migrationPenalty: number, steps: number, parameter = "state"): void {
  let longest = 0;
  for (const x of state) if (x > longest) longest = x;
  const own = lyapunov.largestExactLength ? lyapunov.largestExactLength(state.length, migrationPenalty) : Infinity;
  const chain = Number.MAX_SAFE_INTEGER - migrationPenalty * steps;
  const limit = Math.min(own - migrationPenalty * (steps - 1), chain);
  if (!(longest <= limit)) {
    const why = limit === chain
      ? "queue lengths plus K per step must stay safe integers (2^53 - 1)"
      : `${lyapunov.label}: beyond, its increments are no longer exact integers in double precision`;
    throw new ParameterError(parameter, [...state], `queue lengths <= ${Math.max(-1, Math.floor(limit))} (n = ${state.length}, K = ${migrationPenalty}${steps > 1 ? `, ${steps} steps` : ""})`, why);
  }
}
