import { requireInteger } from "../../model/parameterError";

/**
 * Theorem 1's sufficient condition for ABOUNCE(C, d): the system is positive recurrent when lambda < 1/K
 * (any n, C, d). The bound comes from a coupling with a system that never shares and serves every job as
 * the sum of K exp(1) services; it says nothing about lambda >= 1/K. Cost O(1).
 *
 * @param migrationPenalty K, an integer >= 1
 * @returns 1/K, an arrival rate per queue (jobs per unit time)
 * @throws ParameterError naming "migrationPenalty (K)" when K is not an integer >= 1
 * @example
 * theorem1ArrivalRateBound(2) // => 0.5
 */
export function theorem1ArrivalRateBound(migrationPenalty: number): number {
  requireInteger("migrationPenalty (K)", migrationPenalty, 1);
  return 1 / migrationPenalty;
}

/**
 * Theorem 3's claim for MBOUNCE(alpha, d): positive recurrent for every lambda < 1 (any n, alpha > 1, d, K),
 * the stability region of no sharing. Returned as a number so tables can put it beside the other bounds.
 * Whether the appendix's Lyapunov argument holds can be examined with `theorem3DriftSurvey`. Cost O(1).
 *
 * @returns 1 (jobs per unit time per queue)
 * @example
 * theorem3ArrivalRateBound() // => 1
 */
export function theorem3ArrivalRateBound(): number {
  return 1;
}
