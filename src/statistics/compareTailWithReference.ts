import { ParameterError, requireNumber } from "../model/parameterError";
import { intervalAtConfidence } from "./intervalAtConfidence";

/** What {@link compareTailWithReference} reads of a simulated configuration (a study cell's point has these fields). */
export interface ComparedTail {
  /** P(Q >= i), i = 0.. (time average over queues and replications). */
  readonly tail: readonly number[];
  /** The 95% interval of each level across replications (null with one replication). */
  readonly tailCi95: ReadonlyArray<readonly [number, number]> | null;
  /** Independent replications behind the intervals (Student-t on replications - 1 degrees of freedom). */
  readonly replications: number;
}

/** Options of {@link compareTailWithReference}. */
export interface TailComparisonOptions {
  /**
   * Family-wise confidence of the check over all compared levels (Bonferroni: each level's interval is taken
   * at 1 - (1 - familyLevel) / levels): in (0, 1), default 0.99.
   */
  readonly familyLevel?: number;
  /** A known bias the reference may have (for example O(1/n) for a mean-field limit): >= 0, default 0. */
  readonly biasAllowance?: number;
  /**
   * Levels whose reference value and simulated tail are both below this are not compared: in [0, 1), default 1e-6.
   * Replication t-intervals do not cover rare levels (a level that no replication reached has a zero-width
   * interval): keep this above the smallest fraction a run resolves, about 100 / (queues x events per replication).
   */
  readonly negligible?: number;
}

/** One level of a tail comparison. */
export interface TailComparisonRow {
  readonly level: number;
  readonly simulated: number;
  /** The simulation's 95% interval (across replications). */
  readonly ci95: readonly [number, number];
  readonly reference: number;
  /** simulated - reference. */
  readonly difference: number;
  /** Half-width of the 95% interval. */
  readonly halfWidth95: number;
  /** Half-width at the Bonferroni level. */
  readonly familyHalfWidth: number;
  /** |difference| - familyHalfWidth - biasAllowance: positive means the check fails at this level. */
  readonly excess: number;
}

/** A simulated tail against a reference tail, level by level. */
export interface TailComparison {
  readonly rows: readonly TailComparisonRow[];
  /** max over compared levels of |simulated - reference|. */
  readonly maxAbsDifference: number;
  readonly levelOfMax: number;
  /** The 95% half-width at that level. */
  readonly halfWidthAtMax: number;
  /** True when |difference| > the 95% half-width at the level of the maximum. */
  readonly significantAtMax: boolean;
  /** The largest excess (see TailComparisonRow.excess). */
  readonly maxExcess: number;
  /** Levels whose excess is positive. */
  readonly failingLevels: readonly number[];
  /** The per-level confidence used (Bonferroni). */
  readonly perLevelConfidence: number;
  readonly biasAllowance: number;
}

/**
 * Compares a simulated tail P(Q >= i) (SimulationPoint.tail with its across-replication 95% intervals) with a
 * reference tail (a closed form or a mean-field fixed point), for levels i = 1 .. the last level where either
 * is at least `negligible` (level 0 is 1 in both). Reports the largest |difference| with the interval at
 * that level, and a check: the simulation is consistent with the reference when every level satisfies
 * |difference| <= Bonferroni half-width + biasAllowance. The intervals are Student-t intervals of
 * replication tails (replications - 1 degrees of freedom), rescaled by intervalAtConfidence.
 * Cost O(levels).
 *
 * @param point a simulated point with at least 2 replications (tailCi95 present)
 * @param reference reference tail, reference[i] = P(Q >= i); levels beyond its length count as 0
 * @param options family level, bias allowance, negligible level
 * @throws ParameterError for a point without tail intervals or a bad option
 * @example
 * const study = await runStudy({ name: "demo", cells: studyCells([{ queues: 100, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }]),
 *   simulation: { events: 1e6, replications: 8, trackDelays: false } });
 * const c = compareTailWithReference(study.cells[0].point, Array.from({ length: 40 }, (_, i) => 0.5 ** i), { negligible: 1e-4 });
 * c.failingLevels    // => []
 * c.maxAbsDifference // => 0.0004514... (M/M/1: P(Q >= i) = 0.5^i)
 */
export function compareTailWithReference(
  point: ComparedTail,
  reference: ArrayLike<number>,
  options: TailComparisonOptions = {},
): TailComparison {
  const familyLevel = requireNumber("familyLevel", options.familyLevel ?? 0.99, 0, 1);
  const biasAllowance = requireNumber("biasAllowance", options.biasAllowance ?? 0, 0, Infinity, { loInclusive: true });
  const negligible = requireNumber("negligible", options.negligible ?? 1e-6, 0, 1, { loInclusive: true });
  const ci = point.tailCi95;
  if (ci === null || ci === undefined || point.replications < 2) {
    throw new ParameterError("point.tailCi95", ci, "tail intervals (a point simulated with at least 2 replications)");
  }
  const ref = (i: number): number => (i < reference.length ? (reference[i] as number) : 0);
  const sim = (i: number): number => (i < point.tail.length ? (point.tail[i] as number) : 0);
  let last = 0;
  const top = Math.max(point.tail.length, reference.length) - 1;
  for (let i = 1; i <= top; i++) if (ref(i) >= negligible || sim(i) >= negligible) last = i;
  const levels = Math.max(1, last);
  const perLevelConfidence = 1 - (1 - familyLevel) / levels;
  const df = point.replications - 1;
  const rows: TailComparisonRow[] = [];
  let maxAbs = -1;
  let levelOfMax = 1;
  let halfWidthAtMax = NaN;
  let maxExcess = -Infinity;
  const failing: number[] = [];
  for (let i = 1; i <= levels; i++) {
    const simulated = sim(i);
    // Levels above the simulated tail's length were never reached: the tail and its interval are 0 there.
    const c = i < ci.length ? (ci[i] as readonly [number, number]) : ([0, 0] as const);
    const lo = c[0] ?? NaN;
    const hi = c[1] ?? NaN;
    const halfWidth95 = (hi - lo) / 2;
    const familyHalfWidth = intervalAtConfidence({ mean: simulated, ci95: [lo, hi] }, df, perLevelConfidence).halfWidth;
    const difference = simulated - ref(i);
    const excess = Math.abs(difference) - familyHalfWidth - biasAllowance;
    rows.push({ level: i, simulated, ci95: [lo, hi], reference: ref(i), difference, halfWidth95, familyHalfWidth, excess });
    if (Math.abs(difference) > maxAbs) {
      maxAbs = Math.abs(difference);
      levelOfMax = i;
      halfWidthAtMax = halfWidth95;
    }
    if (!(excess <= maxExcess)) maxExcess = excess;
    if (!(excess <= 0)) failing.push(i);
  }
  return {
    rows,
    maxAbsDifference: maxAbs,
    levelOfMax,
    halfWidthAtMax,
    significantAtMax: maxAbs > halfWidthAtMax,
    maxExcess,
    failingLevels: failing,
    perLevelConfidence,
    biasAllowance,
  };
}
