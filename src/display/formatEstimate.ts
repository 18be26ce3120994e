import { ParameterError } from "../model/parameterError";
import { formatNumber } from "./formatNumber";

/**
 * An estimate as text, its mean then its 95% interval: "2.32 [2.31, 2.33]", each number through formatNumber.
 * For table cells and sentences that show an estimate of the simulator or a study ({ mean, ci95 }). Cost O(1).
 *
 * @param estimate { mean, ci95: [lo, hi] } (a NaN prints as "NaN")
 * @param significantDigits as for formatNumber, an integer in [1, 17]; default 4
 * @returns the text
 * @throws ParameterError when `estimate` has no mean or no two-number interval, or for bad significantDigits
 * @example
 * formatEstimate({ mean: 2.3196, ci95: [2.3104, 2.3288] }) // => "2.32 [2.31, 2.329]"
 * formatEstimate({ mean: 0.5, ci95: [0.25, 0.75] }, 2)     // => "0.5 [0.25, 0.75]"
 */
export function formatEstimate(estimate: { readonly mean: number; readonly ci95: readonly number[] }, significantDigits = 4): string {
  if (estimate === null || typeof estimate !== "object" || typeof estimate.mean !== "number" || !Array.isArray(estimate.ci95) || estimate.ci95.length !== 2) {
    throw new ParameterError("estimate", estimate, "{ mean, ci95: [lo, hi] }");
  }
  const [lo, hi] = estimate.ci95 as [number, number];
  return `${formatNumber(estimate.mean, significantDigits)} [${formatNumber(lo, significantDigits)}, ${formatNumber(hi, significantDigits)}]`;
}
