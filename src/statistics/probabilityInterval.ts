import type { MeanEstimate } from "./confidenceInterval";

/** A probability (a fraction in [0, 1]) with an interval clipped to [0, 1]. */
export interface ProbabilityEstimate extends MeanEstimate {
  /**
   * True when the Student-t interval reached outside [0, 1] and `ci95` was clipped to it. `halfWidth` stays
   * the t interval's half-width (the precision of the estimate), so it can exceed half of the clipped width.
   */
  readonly clipped: boolean;
}

/**
 * The interval of a probability, clipped to [0, 1]: [max(lo, 0), min(hi, 1)]. A Student-t interval of a
 * probability (a tail P(Q >= l) near 0, a migration fraction near 0 or 1) can reach below 0 or above 1, which
 * no probability can. Clipping changes no coverage: the estimand p lies in [0, 1], so p is in [lo, hi] exactly
 * when it is in the clipped interval, and the clipped interval covers p with the t interval's probability.
 * (A Wilson-type interval would need a sample size, which time averages over a correlated run do not have.)
 * NaN bounds stay NaN. Cost O(1).
 *
 * @param estimate a mean of values in [0, 1] with its interval (not mutated)
 * @returns the same fields, `ci95` clipped, and `clipped` saying whether a bound moved
 * @example
 * probabilityInterval(meanConfidenceInterval([0, 0, 1e-5])).ci95 // => [0, 0.0000176755...] (the t interval starts at -0.0000110088...)
 */
export function probabilityInterval(estimate: MeanEstimate): ProbabilityEstimate {
  const [lo, hi] = estimate.ci95;
  const clippedLo = lo < 0 ? 0 : lo;
  const clippedHi = hi > 1 ? 1 : hi;
  return { ...estimate, ci95: [clippedLo, clippedHi], clipped: clippedLo !== lo || clippedHi !== hi };
}
