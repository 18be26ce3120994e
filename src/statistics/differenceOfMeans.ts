import tQuantile = require("@stdlib/stats-base-dists-t-quantile");
import { mean, sampleStandardDeviation } from "./simpleStatistics";
import { ParameterError, requireNumber } from "../model/parameterError";

/** A difference of two means with its interval and what it says at that level. */
export interface MeanDifference {
  /** first - second. */
  readonly mean: number;
  /** The two-sided interval at `level` (the field keeps the name ci95 for every level, like every estimate). */
  readonly ci95: readonly [number, number];
  readonly halfWidth: number;
  readonly level: number;
  /** Degrees of freedom of the Student-t quantile (Welch-Satterthwaite when unpaired). */
  readonly degreesOfFreedom: number;
  /** "paired" (differences of matched observations) or "welch" (independent samples). */
  readonly method: "paired" | "welch";
  /** Which mean is lower at `level`, or "no significant difference" when the interval contains 0. */
  readonly verdict: "first lower" | "second lower" | "no significant difference";
}

function verdictOf(ci: readonly [number, number]): MeanDifference["verdict"] {
  return ci[1] < 0 ? "first lower" : ci[0] > 0 ? "second lower" : "no significant difference";
}

function requireSample(name: string, xs: unknown): readonly number[] {
  if (!Array.isArray(xs) || xs.length < 2 || !xs.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new ParameterError(name, xs, "an array of at least 2 finite numbers");
  }
  return xs as number[];
}

/**
 * The difference of the means of two independent samples (for example two policies' replication means from
 * independent seeds), with Welch's interval: se = sqrt(s1^2/k1 + s2^2/k2), Student-t on the Welch-Satterthwaite
 * degrees of freedom (s1^2/k1 + s2^2/k2)^2 / ((s1^2/k1)^2/(k1-1) + (s2^2/k2)^2/(k2-1)). Means and standard
 * deviations from simple-statistics (two-pass, accurate); t quantiles from `@stdlib` (simple-statistics has no
 * Student-t quantile, and its tTest uses the population standard deviation). Cost O(k1 + k2).
 *
 * @param first observations of the first (at least 2, finite)
 * @param second observations of the second (at least 2, finite)
 * @param level confidence level in (0, 1); default 0.95
 * @throws ParameterError naming the sample or the level
 * @example
 * welchDifference([1, 2, 3, 4], [3, 4, 5, 6]).ci95 // => [-4.2337..., 0.2337...] (-2 -+ t_{0.975,6} sqrt(2 s^2 / 4), t = 2.4469)
 */
export function welchDifference(first: readonly number[], second: readonly number[], level = 0.95): MeanDifference {
  const a = requireSample("first", first);
  const b = requireSample("second", second);
  requireNumber("level", level, 0, 1);
  const va = sampleStandardDeviation(a) ** 2 / a.length;
  const vb = sampleStandardDeviation(b) ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  const dof = se > 0 ? (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1)) : a.length + b.length - 2;
  const d = mean(a) - mean(b);
  const halfWidth = tQuantile((1 + level) / 2, dof) * se;
  const ci95: [number, number] = [d - halfWidth, d + halfWidth];
  return { mean: d, ci95, halfWidth, level, degreesOfFreedom: dof, method: "welch", verdict: verdictOf(ci95) };
}

/**
 * The mean of matched differences first[k] - second[k] (for example two policies simulated with common random
 * numbers, replication k of each from the same stream), with the Student-t interval on k - 1 degrees of
 * freedom. Pairing removes the variance the two share, so the interval is narrower than Welch's when they are
 * positively correlated. Cost O(k).
 *
 * @param first observations of the first (at least 2, finite)
 * @param second as many observations of the second, matched by index
 * @param level confidence level in (0, 1); default 0.95
 * @throws ParameterError naming the sample, or "second" when the lengths differ
 * @example
 * pairedDifference([1, 2, 3, 4], [1.5, 2.4, 3.6, 4.5]).ci95 // => [-0.6299..., -0.3700...] (differences -0.5, -0.4, -0.6, -0.5)
 */
export function pairedDifference(first: readonly number[], second: readonly number[], level = 0.95): MeanDifference {
  const a = requireSample("first", first);
  const b = requireSample("second", second);
  if (a.length !== b.length) throw new ParameterError("second", b.length, `as many observations as the first (${a.length}) to pair them`);
  requireNumber("level", level, 0, 1);
  const diffs = a.map((x, k) => x - (b[k] as number));
  const d = mean(diffs);
  const dof = diffs.length - 1;
  const halfWidth = tQuantile((1 + level) / 2, dof) * (sampleStandardDeviation(diffs) / Math.sqrt(diffs.length));
  const ci95: [number, number] = [d - halfWidth, d + halfWidth];
  return { mean: d, ci95, halfWidth, level, degreesOfFreedom: dof, method: "paired", verdict: verdictOf(ci95) };
}
