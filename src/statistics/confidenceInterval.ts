import tQuantile = require("@stdlib/stats-base-dists-t-quantile");
import { requireNumber } from "../model/parameterError";
import { mean as simpleMean, sampleStandardDeviation } from "./simpleStatistics";

/** A mean with its two-sided confidence interval. */
export interface MeanEstimate {
  /** The sample mean. */
  readonly mean: number;
  /** The two-sided interval at `level` (NaN bounds when fewer than two observations). */
  readonly ci95: readonly [number, number];
  /** Half the interval's width. */
  readonly halfWidth: number;
  /** The number of (independent or batch-mean) observations the interval rests on. */
  readonly count: number;
  /** The sample standard deviation (n - 1 denominator). */
  readonly standardDeviation: number;
  /** The confidence level of the interval; 0.95 unless asked otherwise. */
  readonly level: number;
}

/**
 * The Student-t confidence interval for the mean of independent, roughly normal observations
 * (replication means or batch means): mean +- t_{(1+level)/2, k-1} s / sqrt(k). The t quantile comes from
 * `@stdlib` (exact to double precision), not from an approximation. The mean and the sample standard deviation
 * come from simple-statistics (compensated sum; two-pass variance), not from hand-written sums.
 * Cost O(k). With k < 2 the bounds are NaN (no interval can be formed from one observation).
 *
 * @param values the observations (not mutated)
 * @param level confidence level in (0, 1); default 0.95 (the field is still called ci95 for uniformity)
 * @example
 * meanConfidenceInterval([1, 2, 3, 4]).ci95 // => [0.4457..., 4.5542...] (2.5 -+ t_{0.975,3} s / 2, t = 3.1824, s = 1.2910)
 */
export function meanConfidenceInterval(values: ArrayLike<number>, level = 0.95): MeanEstimate {
  requireNumber("level", level, 0, 1);
  const k = values.length;
  const xs = Array.from(values);
  const mean = k === 0 ? NaN : simpleMean(xs);
  if (k < 2) {
    return { mean, ci95: [NaN, NaN], halfWidth: NaN, count: k, standardDeviation: NaN, level };
  }
  const sd = sampleStandardDeviation(xs);
  const halfWidth = tQuantile((1 + level) / 2, k - 1) * (sd / Math.sqrt(k));
  return { mean, ci95: [mean - halfWidth, mean + halfWidth], halfWidth, count: k, standardDeviation: sd, level };
}
