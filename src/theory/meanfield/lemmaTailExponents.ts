import { requireInteger, requireNumber } from "../../model/parameterError";

/**
 * The exponent e(i) of Lemma 1 (MBOUNCE, eq. (1)), as printed: a fixed point of (1) with finite mass must
 * satisfy s_i = O((lambda (1 + epsilon))^e(i)) for every epsilon > 0, with
 *   e(i) = (i^(log_alpha(d + 1)) - 1) / d.
 * Cost O(1).
 *
 * @param level i: an integer >= 1
 * @param ratio alpha: finite, > 1
 * @param samples d: an integer >= 1 (the bound is stated for finite d)
 * @returns e(i); throws ParameterError naming a bad argument
 * @example
 * lemma1TailExponent(4, 2, 3) // => 5 ((4^2 - 1)/3: log_2 4 = 2)
 */
export function lemma1TailExponent(level: number, ratio: number, samples: number): number {
  requireInteger("level (i)", level, 1);
  requireNumber("ratio (alpha)", ratio, 1, Infinity);
  requireInteger("samples (d)", samples, 1);
  const power = Math.log(samples + 1) / Math.log(ratio);
  return (Math.pow(level, power) - 1) / samples;
}

/**
 * The exponent e(i) of Lemma 2 (ABOUNCE, eq. (2)), read as ((d + 1)^floor(i / (2(K + 1))) - 1) / d: a fixed
 * point of (2) with finite mass must satisfy s_i = O((lambda (1 + epsilon))^e(i)) for every epsilon > 0.
 * The paper's typesetting is ambiguous ("(d+1) floor(i/2(K+1)) - 1", the exponent marker lost in the text we
 * have); this is the reading with (d + 1) raised to floor(i / (2(K + 1))). (The other reading,
 * (d + 1) floor(i / (2(K + 1))), would be a geometric bound; the tails computed here are far lighter than either.)
 * Cost O(1).
 *
 * @param level i: an integer >= 1
 * @param migrationPenalty K: an integer >= 1
 * @param samples d: an integer >= 1
 * @returns e(i) (0 for i < 2(K + 1): the lemma says nothing there); ParameterError on bad arguments
 * @example
 * lemma2TailExponent(12, 2, 10) // => 12 ((11^2 - 1)/10)
 */
export function lemma2TailExponent(level: number, migrationPenalty: number, samples: number): number {
  requireInteger("level (i)", level, 1);
  requireInteger("migrationPenalty (K)", migrationPenalty, 1);
  requireInteger("samples (d)", samples, 1);
  const k = Math.floor(level / (2 * (migrationPenalty + 1)));
  return (Math.pow(samples + 1, k) - 1) / samples;
}
