import { ParameterError, requireInteger } from "../model/parameterError";
import type { TailComparison, TailComparisonRow } from "./compareTailWithReference";
import { type EstimateDifference, estimateDifference } from "./estimateDifference";

/** One simulated system size with its tail compared against the same reference as the other. */
export interface TailGapRun {
  /** n. */
  readonly queues: number;
  /** The simulated point (kept for provenance; both runs should use the same number of replications, see estimateDifference). */
  readonly point: { readonly replications: number };
  readonly comparison: TailComparison;
}

/** Whether the gap to a reference shrinks from a smaller n to a larger n. */
export interface TailGapShrinkage {
  /** The level tested: where the smaller n's |gap| is largest. */
  readonly level: number;
  /** Signed gaps simulated - reference at that level. */
  readonly smallGap: number;
  readonly largeGap: number;
  /** True when |largeGap| < |smallGap| is shown at 95% (see the function). */
  readonly shrinks: boolean;
  /** s smallGap - s largeGap with its interval, s = sign(smallGap): how much smaller the gap is in the small gap's direction. */
  readonly reduction: EstimateDifference;
  /** s smallGap + s largeGap with its interval: positive when the large gap has not overshot to the other side. */
  readonly overshootMargin: EstimateDifference;
  /** smallGap x n_small / n_large: the large gap if gaps scale like 1/n. */
  readonly predictedByOneOverN: number;
  /** True when predictedByOneOverN lies in the larger n's 95% interval at that level. */
  readonly consistentWithOneOverN: boolean;
}

/** The signed gap at a row as an estimate with its interval (the reference is a constant, so the interval is shifted). */
function signedGap(row: TailComparisonRow | undefined, sign: number): { mean: number; ci95: [number, number] } {
  if (row === undefined) return { mean: 0, ci95: [0, 0] };
  const lo = sign * (row.ci95[0] - row.reference);
  const hi = sign * (row.ci95[1] - row.reference);
  return { mean: sign * row.difference, ci95: lo <= hi ? [lo, hi] : [hi, lo] };
}

/**
 * Tests whether the gap between a simulated tail and a reference (a mean-field fixed point, say) is smaller at
 * a larger n than at a smaller one, at the level L where the smaller n's |gap| is largest. With s = sign of the
 * small gap a = s d_small and b = s d_large, |d_large| < |d_small| means -a < b < a, that is a - b > 0 and
 * a + b > 0; both are shown by 95% intervals of differences of independent runs (estimateDifference: conservative
 * when both runs have the same number of replications), and requiring both is an intersection-union test, whose
 * level is 95% without adjustment. Also reports whether the larger
 * n's gap is consistent with the 1/n scaling of mean-field bias (the predicted d_small n_small / n_large inside
 * its 95% interval). A level beyond the larger run's compared rows counts as a gap of 0 with no uncertainty.
 * Cost O(levels).
 *
 * @param small the run at the smaller n (its comparison against the reference)
 * @param large the run at the larger n, compared against the same reference
 * @throws ParameterError when large.queues <= small.queues or the small run has no compared level
 * @example
 * // a gap of 0.03 +- 0.004 at level 3 with n = 100, and of 0.003 +- 0.001 there with n = 1000 (8 replications each)
 * const run = (queues, difference, halfWidth) => ({ queues, point: { replications: 8 }, comparison: { levelOfMax: 3, rows: [{ level: 3,
 *   difference, reference: 0.5, ci95: [0.5 + difference - halfWidth, 0.5 + difference + halfWidth] }] } });
 * tailGapShrinkage(run(100, 0.03, 0.004), run(1000, 0.003, 0.001))
 * // => { level: 3, smallGap: 0.03, largeGap: 0.003, shrinks: true, predictedByOneOverN: 0.003, consistentWithOneOverN: true, ... }
 */
export function tailGapShrinkage(small: TailGapRun, large: TailGapRun): TailGapShrinkage {
  requireInteger("small.queues", small?.queues, 1);
  requireInteger("large.queues", large?.queues, small.queues + 1);
  const level = small.comparison.levelOfMax;
  const rowSmall = small.comparison.rows.find((r) => r.level === level);
  if (rowSmall === undefined) throw new ParameterError("small.comparison", "no compared level", "a comparison with at least one level");
  const rowLarge = large.comparison.rows.find((r) => r.level === level);
  const sign = Math.sign(rowSmall.difference) || 1;
  const a = signedGap(rowSmall, sign);
  const b = signedGap(rowLarge, sign);
  const reduction = estimateDifference(a, b);
  const overshootMargin = estimateDifference(a, { mean: -b.mean, ci95: [-b.ci95[1], -b.ci95[0]] });
  const largeGap = rowLarge?.difference ?? 0;
  const predicted = (rowSmall.difference * small.queues) / large.queues;
  const halfWidth = rowLarge ? (rowLarge.ci95[1] - rowLarge.ci95[0]) / 2 : 0;
  return {
    level,
    smallGap: rowSmall.difference,
    largeGap,
    shrinks: reduction.verdict === "second lower" && overshootMargin.verdict === "second lower",
    reduction,
    overshootMargin,
    predictedByOneOverN: predicted,
    consistentWithOneOverN: Math.abs(largeGap - predicted) <= halfWidth,
  };
}
