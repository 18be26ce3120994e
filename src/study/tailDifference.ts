import { type EstimateDifference, estimateDifference } from "../statistics/estimateDifference";
import { requireInteger } from "../model/parameterError";
import type { TailWithIntervals } from "./tailLighterFrom";

/**
 * The difference first - second of P(Q >= level) of two independently simulated tails, with the conservative
 * 95% interval of estimateDifference (root-sum-square of the two half-widths: the cells keep no per-replication
 * tails, so Welch's interval cannot be formed). A level a tail never reached counts as P = 0 with interval
 * [0, 0]. Cost O(1).
 *
 * @param first a tail with its 95% intervals (for example an MBOUNCE cell's point)
 * @param second another, simulated independently (different seeds)
 * @param level an integer >= 0
 * @returns difference, interval and verdict ("first lower", "second lower", "no significant difference")
 * @throws ParameterError for a bad level or a tail without intervals
 * @example
 * tailDifference({ tail: [1, 0.5], tailCi95: [[1, 1], [0.49, 0.51]] }, { tail: [1, 0.6], tailCi95: [[1, 1], [0.59, 0.61]] }, 1).verdict
 * // => "first lower"
 */
export function tailDifference(first: TailWithIntervals, second: TailWithIntervals, level: number): EstimateDifference {
  requireInteger("level", level, 0);
  // A missing interval becomes [NaN, NaN], which estimateDifference refuses, naming "first" or "second".
  const at = (t: TailWithIntervals): { mean: number; ci95: readonly [number, number] } =>
    level >= t.tail.length ? { mean: 0, ci95: [0, 0] } : { mean: t.tail[level] as number, ci95: t.tailCi95?.[level] ?? [NaN, NaN] };
  return estimateDifference(at(first), at(second));
}
