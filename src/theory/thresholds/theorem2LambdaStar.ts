import { ParameterError, requireInteger } from "../../model/parameterError";

/**
 * lambda*(K, C) exactly as printed in Theorem 2 (n = 2, ABOUNCE(C, infinity)):
 *
 *   lambda* = (KC + 1 + sqrt((KC + 1)^2 + 4 (K + 1)(C + 2)(C + 3))) / (2 (K + 1)(C + 2)).
 *
 * The paper claims the system is null recurrent or transient for lambda > lambda*. Whether that is true is
 * checked against the exact threshold (`exactTwoQueueThreshold`); see `thresholdComparisonTable`.
 *
 * Facts about the formula (derived here, not in the paper): lambda* is the positive root of
 * (K + 1)(C + 2) x^2 - (KC + 1) x - (C + 3) = 0, since the product of the roots is -(C+3)/((K+1)(C+2)) and the
 * discriminant is the printed one. Writing P = 2(K+1)(C+2), lambda* >= 1 iff (KC+1)^2 + 4(K+1)(C+2)(C+3) >=
 * (P - KC - 1)^2 iff 2(C+3) >= 2(KC + 2K + C + 2) - 2KC - 2 iff K <= 1. So lambda*(1, C) = 1 for every C (the
 * square root is then exactly 3C + 7) and lambda* < 1 for every K >= 2; it increases to 1 as C grows.
 *
 * Range (derived here): the formula's integers KC + 1, (K + 1)(C + 2) and C + 3 are exact doubles while
 * (K + 1)(C + 2) <= 2^53, that is C <= floor(2^53 / (K + 1)) - 2 (THEOREM2_MAX_PRODUCT); what follows (a
 * square of at most 2^106, a sum of two positive terms, a square root, a quotient of positive numbers) has no
 * cancellation, so lambda* is then accurate to a few units in the last place. Beyond, the integers round, and
 * from KC ~ 1.3e154 on (KC + 1)^2 overflows and the formula returns Infinity: such C are refused.
 * Cost O(1).
 *
 * @param migrationPenalty K, an integer >= 1 (and (K + 1)(K + 2) <= 2^53)
 * @param threshold C, an integer with K <= C <= floor(2^53 / (K + 1)) - 2 (C >= K is the paper's requirement)
 * @returns lambda*, an arrival rate per queue
 * @throws ParameterError naming "migrationPenalty (K)" or "threshold (C)" on bad input (C < K included) or
 *   outside the exact range
 * @example
 * theorem2LambdaStar(2, 2) // => 0.8866175248374878  ((5 + sqrt(265)) / 24)
 */
export function theorem2LambdaStar(migrationPenalty: number, threshold: number): number {
  const K = requireInteger("migrationPenalty (K)", migrationPenalty, 1, Math.floor(Math.sqrt(THEOREM2_MAX_PRODUCT)) - 2);
  requireIntegerThreshold(threshold, K);
  const C = threshold;
  const largest = Math.floor(THEOREM2_MAX_PRODUCT / (K + 1)) - 2;
  if (C > largest) {
    throw new ParameterError("threshold (C)", C, `an integer in [K, floor(2^53 / (K + 1)) - 2] = [${K}, ${largest}]`,
      "beyond, the integers of Theorem 2's formula are no longer exact in double precision");
  }
  const b = K * C + 1;
  const root = Math.sqrt(b * b + 4 * (K + 1) * (C + 2) * (C + 3));
  return (b + root) / (2 * (K + 1) * (C + 2));
}

/** Largest (K + 1)(C + 2) for which theorem2LambdaStar's integers are exact doubles: 2^53. */
export const THEOREM2_MAX_PRODUCT = 2 ** 53;

/** Throws unless C is an integer >= K (ABOUNCE's requirement in Section II). */
export function requireIntegerThreshold(threshold: unknown, migrationPenalty: number): number {
  if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < migrationPenalty) {
    throw new ParameterError("threshold (C)", threshold, `an integer >= K = ${migrationPenalty}`,
      "ABOUNCE requires C >= K (Section II)");
  }
  return threshold;
}
