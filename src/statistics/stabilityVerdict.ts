import tQuantile = require("@stdlib/stats-base-dists-t-quantile");
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { meanConfidenceInterval } from "./confidenceInterval";

/** One batch of a run's post-warm-up output, as the stability test reads it. */
export interface GrowthBatch {
  /** Which independent replication the batch belongs to (batches of one replication are consecutive in time). */
  readonly replication: number;
  /** Length of the batch in time units (> 0). */
  readonly duration: number;
  /** Time of the batch's midpoint (any origin, the same within a replication). */
  readonly midTime: number;
  /** Total queue length (all queues) at the batch's start. */
  readonly startLevel: number;
  /** Total queue length at the batch's end. */
  readonly endLevel: number;
  /** Average total queue length over the batch. */
  readonly meanLevel: number;
}

/** Outcome of {@link stabilityVerdict}. Rates are in jobs (units of work) per unit time. */
export interface StabilityAssessment {
  readonly verdict: "stable" | "unstable" | "inconclusive";
  /** Which clause of the rule decided, in words. */
  readonly reason: string;
  /** Growth rate of the total queue length (all n queues), per unit time: the mean of the batch increment rates. */
  readonly growthRate: number;
  readonly growthRateCi95: readonly [number, number];
  /** growthRate / n. */
  readonly growthRatePerQueue: number;
  readonly growthRatePerQueueCi95: readonly [number, number];
  /** Least-squares slope of the batch mean levels against time, per queue per unit time (replications centred separately). */
  readonly levelTrendPerQueue: number;
  readonly levelTrendPerQueueCi95: readonly [number, number];
  /** The band half-width delta (per queue per unit time). */
  readonly tolerance: number;
  /** Confidence level of both intervals. */
  readonly level: number;
  readonly batches: number;
  readonly replications: number;
}

/** Default delta: a growth of 0.001 jobs per queue per unit time, i.e. 0.1% of one server's capacity (service rate 1). */
export const DEFAULT_STABILITY_TOLERANCE = 1e-3;
/** Fewer batches than this give "inconclusive" whatever the data. */
export const MIN_STABILITY_BATCHES = 8;

/**
 * Stable / unstable / inconclusive from a statistical test of the growth of the total queue length. Cost O(B).
 *
 * Two estimates, both per queue per unit time, each with a Student-t interval at `level` (default 95%):
 * 1. Growth rate: each batch b gives r_b = (endLevel_b - startLevel_b) / duration_b; the interval is
 *    meanConfidenceInterval over all r_b (batches of all replications pooled). Under instability the total
 *    length is close to a random walk with drift, its increments over long batches are nearly independent,
 *    and the interval is valid. Under stability the increments of consecutive batches are negatively
 *    correlated (they telescope), so the interval is conservative (too wide), never too narrow.
 * 2. Level trend: the least-squares slope of the batch mean levels against batch mid-times, each replication
 *    centred on its own means (a fixed effect per replication), with the usual OLS standard error on
 *    B - R - 1 degrees of freedom. Under stability the batch means are nearly independent and the interval is
 *    valid; it detects a level still drifting (for example a warm-up that was too short).
 *
 * The rule, with delta = `tolerance`:
 * - fewer than MIN_STABILITY_BATCHES (8) batches, or fewer than 2 degrees of freedom for the slope: inconclusive;
 * - UNSTABLE when the growth interval lies entirely above +delta (the total grows at a rate that is both
 *   significant and practically meaningful);
 * - STABLE when the growth interval AND the level-trend interval both lie inside [-delta, +delta] (no growth
 *   of practical size is compatible with the data, and the level is not trending);
 * - inconclusive otherwise (run longer, or the system sits near its stability boundary).
 * delta defaults to 0.001 jobs per queue per unit time: 0.1% of a server's capacity. A transient system
 * whose drift is smaller than delta is, by design, not distinguished from a stable one.
 *
 * @param batches the batches (at least 1; each duration > 0 and levels finite)
 * @param queues n, an integer >= 1 (rates are divided by it)
 * @param tolerance delta > 0, per queue per unit time; default DEFAULT_STABILITY_TOLERANCE
 * @param level confidence level in (0, 1); default 0.95
 * @throws ParameterError for an empty batch list, a non-positive duration, or bad queues/tolerance/level
 * @example
 * const drift = Array.from({ length: 20 }, (_, b) => ({ replication: 0, duration: 100, midTime: 100 * b + 50,
 *   startLevel: 50 * b, endLevel: 50 * (b + 1), meanLevel: 50 * b + 25 }));
 * stabilityVerdict(drift, 1).verdict // => "unstable" (growth 0.5 per unit time)
 */
export function stabilityVerdict(
  batches: readonly GrowthBatch[],
  queues: number,
  tolerance: number = DEFAULT_STABILITY_TOLERANCE,
  level = 0.95,
): StabilityAssessment {
  requireInteger("queues (n)", queues, 1);
  requireNumber("tolerance", tolerance, 0, Infinity);
  requireNumber("level", level, 0, 1);
  if (!Array.isArray(batches) || batches.length === 0) {
    throw new ParameterError("batches", batches, "a non-empty array of batches");
  }
  const rates: number[] = [];
  const byReplication = new Map<number, GrowthBatch[]>();
  for (const b of batches) {
    if (!(b.duration > 0) || !Number.isFinite(b.duration)) {
      throw new ParameterError("batch duration", b.duration, "a finite number > 0");
    }
    rates.push((b.endLevel - b.startLevel) / b.duration / queues);
    const list = byReplication.get(b.replication);
    if (list) list.push(b);
    else byReplication.set(b.replication, [b]);
  }
  const growth = meanConfidenceInterval(rates, level);

  // Fixed-effects least squares: slope of (meanLevel - replication mean) on (midTime - replication mean).
  let sxx = 0;
  let sxy = 0;
  const centred: Array<[number, number]> = [];
  for (const list of byReplication.values()) {
    let mt = 0;
    let my = 0;
    for (const b of list) {
      mt += b.midTime;
      my += b.meanLevel / queues;
    }
    mt /= list.length;
    my /= list.length;
    for (const b of list) {
      const x = b.midTime - mt;
      const y = b.meanLevel / queues - my;
      centred.push([x, y]);
      sxx += x * x;
      sxy += x * y;
    }
  }
  const replications = byReplication.size;
  const dof = batches.length - replications - 1;
  let slope = NaN;
  let slopeHalf = NaN;
  if (sxx > 0 && dof >= 1) {
    slope = sxy / sxx;
    let rss = 0;
    for (const [x, y] of centred) rss += (y - slope * x) ** 2;
    slopeHalf = tQuantile((1 + level) / 2, dof) * Math.sqrt(rss / dof / sxx);
  }
  const trendCi: [number, number] = [slope - slopeHalf, slope + slopeHalf];
  const growthCi = growth.ci95;

  let verdict: StabilityAssessment["verdict"];
  let reason: string;
  const band = (ci: readonly [number, number]): boolean => ci[0] >= -tolerance && ci[1] <= tolerance;
  if (batches.length < MIN_STABILITY_BATCHES || !(dof >= 2)) {
    verdict = "inconclusive";
    reason = `too few batches (${batches.length}, need ${MIN_STABILITY_BATCHES} and 2 degrees of freedom for the trend)`;
  } else if (growthCi[0] > tolerance) {
    verdict = "unstable";
    reason = `growth-rate interval lies above +${tolerance} per queue per unit time`;
  } else if (band(growthCi) && band(trendCi)) {
    verdict = "stable";
    reason = `growth-rate and level-trend intervals both lie within +-${tolerance} per queue per unit time`;
  } else {
    verdict = "inconclusive";
    reason = !band(growthCi)
      ? `growth-rate interval [${fmt(growthCi[0])}, ${fmt(growthCi[1])}] is neither above +${tolerance} nor within +-${tolerance}`
      : `level trend interval [${fmt(trendCi[0])}, ${fmt(trendCi[1])}] is not within +-${tolerance} (level still moving)`;
  }
  return {
    verdict,
    reason,
    growthRate: growth.mean * queues,
    growthRateCi95: [growthCi[0] * queues, growthCi[1] * queues],
    growthRatePerQueue: growth.mean,
    growthRatePerQueueCi95: growthCi,
    levelTrendPerQueue: slope,
    levelTrendPerQueueCi95: trendCi,
    tolerance,
    level,
    batches: batches.length,
    replications,
  };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(3) : String(x);
}
