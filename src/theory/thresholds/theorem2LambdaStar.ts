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
 * Cost O(1).
 *
 * @param migrationPenalty K, an integer >= 1
 * @param threshold C, an integer >= K (the paper's requirement for ABOUNCE)
 * @returns lambda*, an arrival rate per queue
 * @throws ParameterError naming "migrationPenalty (K)" or "threshold (C)" on bad input (C < K included)
 * @example
 * theorem2LambdaStar(2, 2) // => 0.8866175248374878  ((5 + sqrt(265)) / 24)
 */
export function theorem2LambdaStar(migrationPenalty: number, threshold: number): number {
  const K = requireInteger("migrationPenalty (K)", migrationPenalty, 1);
  requireIntegerThreshold(threshold, K);
  const C = threshold;
  const b = K * C + 1;
  const root = Math.sqrt(b * b + 4 * (K + 1) * (C + 2) * (C + 3));
  return (b + root) / (2 * (K + 1) * (C + 2));
}

/** Throws unless C is an integer >= K (ABOUNCE's requirement in Section II). */
export function requireIntegerThreshold(threshold: unknown, migrationPenalty: number): number {
  if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < migrationPenalty) {
    throw new ParameterError("threshold (C)", threshold, `an integer >= K = ${migrationPenalty}`,
      "ABOUNCE requires C >= K (Section II)");
  }
  return threshold;
}
