import tQuantile = require("@stdlib/stats-base-dists-t-quantile");
import { requireInteger, requireNumber } from "../model/parameterError";

/** A two-sided interval at a stated confidence level. */
export interface ConfidenceBounds {
  readonly lower: number;
  readonly upper: number;
  readonly halfWidth: number;
  readonly level: number;
}

/**
 * Re-expresses a 95% Student-t interval at another confidence level, for example a Bonferroni level
 * 1 - 0.01/m when m intervals are checked at once and the family must fail with probability <= 1%.
 * The 95% half-width is t_{0.975, df} s/sqrt(k); the half-width at `level` is the same standard error
 * times t_{(1+level)/2, df}, so it is the 95% half-width scaled by t_{(1+level)/2, df} / t_{0.975, df}
 * (quantiles from @stdlib, exact to double precision). Cost O(1).
 *
 * @param estimate a mean with its 95% interval (`ci95`); a NaN bound gives NaN bounds
 * @param degreesOfFreedom the interval's degrees of freedom: an integer >= 1 (a study point's `degreesOfFreedom`)
 * @param level the confidence level wanted, in (0, 1)
 * @throws ParameterError for a bad degrees of freedom or level
 * @example
 * intervalAtConfidence({ mean: 10, ci95: [9, 11] }, 15, 0.99).halfWidth
 * // => 1.3824... (t_{0.995,15} / t_{0.975,15} = 2.9467 / 2.1314)
 */
export function intervalAtConfidence(
  estimate: { readonly mean: number; readonly ci95: readonly [number, number] },
  degreesOfFreedom: number,
  level: number,
): ConfidenceBounds {
  requireInteger("degreesOfFreedom", degreesOfFreedom, 1);
  requireNumber("level", level, 0, 1);
  const halfWidth95 = (estimate.ci95[1] - estimate.ci95[0]) / 2;
  const halfWidth = (halfWidth95 * tQuantile((1 + level) / 2, degreesOfFreedom)) / tQuantile(0.975, degreesOfFreedom);
  return { lower: estimate.mean - halfWidth, upper: estimate.mean + halfWidth, halfWidth, level };
}
