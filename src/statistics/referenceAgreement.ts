import tQuantile = require("@stdlib/stats-base-dists-t-quantile");
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";

/** One estimate to compare with a value known independently (a closed form, an exact result). */
export interface ReferenceCheck {
  /** What is compared, for example "P(Q >= 3)". */
  readonly label: string;
  /** The estimate with its 95% Student-t interval (as in SimulationPoint). */
  readonly estimate: { readonly mean: number; readonly ci95: readonly [number, number] };
  /** The independent value. */
  readonly reference: number;
}

/** One row of {@link referenceAgreement}. */
export interface ReferenceAgreementRow {
  readonly label: string;
  readonly estimate: number;
  readonly reference: number;
  /** The estimate's interval widened to the per-check level (Bonferroni). */
  readonly lower: number;
  readonly upper: number;
  /** reference in [lower, upper]. */
  readonly within: boolean;
  /** (estimate - reference) / standard error: a t statistic on `degreesOfFreedom`. */
  readonly tStatistic: number;
}

/** What {@link referenceAgreement} found. */
export interface ReferenceAgreement {
  readonly rows: readonly ReferenceAgreementRow[];
  /** Every reference lies inside its widened interval. */
  readonly allWithin: boolean;
  /** Confidence that all widened intervals cover their true values together (Bonferroni), e.g. 0.99. */
  readonly familywiseLevel: number;
  /** Two-sided level of each widened interval: 1 - (1 - familywiseLevel) / checks. */
  readonly perCheckLevel: number;
  readonly degreesOfFreedom: number;
  /** Widened half-width / 95% half-width = t_{1 - (1 - perCheckLevel)/2, dof} / t_{0.975, dof}. */
  readonly widening: number;
  /** One sentence: how many checks, at what level, whether all passed, and the largest |t|. */
  readonly summary: string;
}

/**
 * Compares simulation estimates with values known independently, all at once, with a stated family-wise
 * confidence: each estimate's 95% Student-t interval (mean +- t_{0.975, dof} se) is widened to
 * mean +- t_{1 - (1 - familywiseLevel)/(2m), dof} se, m = the number of checks (Bonferroni), so that a correct
 * simulator puts every reference inside its interval with probability at least `familywiseLevel` (to the
 * accuracy of the t approximation for replication means). A notebook throws when `allWithin` is false: with
 * fixed seeds the outcome is reproducible, and a failure at 99% family-wise confidence points at a bug, not
 * at bad luck.
 *
 * Cost O(m) plus m + 1 t quantiles.
 *
 * @param checks the estimates and their references (at least one; intervals must be finite)
 * @param options degreesOfFreedom of the intervals (replications - 1 for replication means; an integer >= 1),
 *   familywiseLevel in (0, 1) (default 0.99)
 * @returns the rows and the verdict
 * @throws ParameterError for no checks, a non-finite interval or bad options
 * @example
 * referenceAgreement([{ label: "mean", estimate: { mean: 1, ci95: [0.9, 1.1] }, reference: 1.15 }],
 *   { degreesOfFreedom: 4 }).rows[0]
 * // => { label: "mean", estimate: 1, reference: 1.15, lower: 0.8341..., upper: 1.1658..., within: true, tStatistic: -4.1646... }
 * //    (one check at 99%: half-width 0.1 x t_{0.995,4} / t_{0.975,4} = 0.1 x 4.6041 / 2.7764)
 */
export function referenceAgreement(
  checks: readonly ReferenceCheck[],
  options: { readonly degreesOfFreedom: number; readonly familywiseLevel?: number },
): ReferenceAgreement {
  if (!Array.isArray(checks) || checks.length === 0) throw new ParameterError("checks", checks, "a non-empty array of checks");
  const dof = requireInteger("degreesOfFreedom", options?.degreesOfFreedom, 1);
  const familywiseLevel = requireNumber("familywiseLevel", options.familywiseLevel ?? 0.99, 0, 1);
  const m = checks.length;
  const perCheckLevel = 1 - (1 - familywiseLevel) / m;
  const t95 = tQuantile(0.975, dof);
  const tWide = tQuantile(1 - (1 - perCheckLevel) / 2, dof);
  const widening = tWide / t95;
  const rows = checks.map((c, k): ReferenceAgreementRow => {
    const { mean, ci95 } = c.estimate;
    const half95 = (ci95[1] - ci95[0]) / 2;
    if (!Number.isFinite(mean) || !Number.isFinite(half95) || half95 < 0) {
      throw new ParameterError(`checks[${k}].estimate`, c.estimate, "a finite mean with a finite 95% interval (two or more replications)");
    }
    requireNumber(`checks[${k}].reference`, c.reference, -Infinity, Infinity);
    const half = half95 * widening;
    const se = half95 / t95;
    const diff = mean - c.reference;
    return {
      label: c.label,
      estimate: mean,
      reference: c.reference,
      lower: mean - half,
      upper: mean + half,
      within: Math.abs(diff) <= half,
      tStatistic: se > 0 ? diff / se : diff === 0 ? 0 : Math.sign(diff) * Infinity,
    };
  });
  const allWithin = rows.every((r) => r.within);
  let worst = rows[0] as ReferenceAgreementRow;
  for (const r of rows) if (Math.abs(r.tStatistic) > Math.abs(worst.tStatistic)) worst = r;
  const summary =
    `${rows.filter((r) => r.within).length} of ${m} references inside their intervals at ${(100 * familywiseLevel).toFixed(0)}% ` +
    `family-wise confidence (Bonferroni: each at ${(100 * perCheckLevel).toFixed(3)}%, t on ${dof} d.o.f., ` +
    `intervals ${widening.toFixed(3)} x the 95% half-widths); largest |t| = ${Math.abs(worst.tStatistic).toFixed(2)} ` +
    `(${worst.label}, critical value ${tWide.toFixed(2)})`;
  return { rows, allWithin, familywiseLevel, perCheckLevel, degreesOfFreedom: dof, widening, summary };
}
