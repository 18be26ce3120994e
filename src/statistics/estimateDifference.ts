import { ParameterError } from "../model/parameterError";

/** The difference of two estimates and what it says. */
export interface EstimateDifference {
  /** first.mean - second.mean. */
  readonly difference: number;
  /** Approximate 95% interval of the difference (see estimateDifference). */
  readonly ci95: readonly [number, number];
  readonly halfWidth: number;
  /** Which is lower with 95% confidence, or "no significant difference" when the interval contains 0. */
  readonly verdict: "first lower" | "second lower" | "no significant difference";
}

/**
 * The difference of two independent estimates (for example two policies' mean queue lengths, simulated with
 * different seeds) with a 95% interval whose half-width is the root-sum-square of the two 95% half-widths:
 * h = sqrt(h1^2 + h2^2) = t_{0.975, nu} sqrt(se1^2 + se2^2) when both intervals are Student-t intervals on the
 * same nu degrees of freedom (replication means from the same number of replications). Welch's interval for
 * the difference uses t on nu_W degrees of freedom with nu <= nu_W <= 2 nu, hence a smaller quantile, so this
 * interval is at least as wide as Welch's: conservative. It needs independent estimates: runs sharing a seed
 * are correlated and should not be compared this way.
 *
 * Cost O(1).
 *
 * @param first an estimate with its 95% interval (for example SimulationPoint.meanQueueLength)
 * @param second another, independent of the first
 * @returns difference, interval, verdict
 * @throws ParameterError when a mean or an interval is not finite
 * @example
 * estimateDifference({ mean: 2.0, ci95: [1.97, 2.03] }, { mean: 2.1, ci95: [2.06, 2.14] })
 * // => { difference: -0.1, ci95: [-0.15, -0.05], halfWidth: 0.05, verdict: "first lower" } (to rounding)
 */
export function estimateDifference(
  first: { readonly mean: number; readonly ci95: readonly [number, number] },
  second: { readonly mean: number; readonly ci95: readonly [number, number] },
): EstimateDifference {
  const half = (e: { mean: number; ci95: readonly [number, number] }, name: string): number => {
    const h = (e?.ci95?.[1] - e?.ci95?.[0]) / 2;
    if (!Number.isFinite(e?.mean) || !Number.isFinite(h) || h < 0) {
      throw new ParameterError(name, e, "an estimate with a finite mean and a finite 95% interval");
    }
    return h;
  };
  const h1 = half(first, "first");
  const h2 = half(second, "second");
  const difference = first.mean - second.mean;
  const halfWidth = Math.hypot(h1, h2);
  const ci95: [number, number] = [difference - halfWidth, difference + halfWidth];
  const verdict = ci95[1] < 0 ? "first lower" : ci95[0] > 0 ? "second lower" : "no significant difference";
  return { difference, ci95, halfWidth, verdict };
}
