import tQuantile = require("@stdlib/stats-base-dists-t-quantile");
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { type MeanEstimate, meanConfidenceInterval } from "./confidenceInterval";
import { linearRegression } from "./simpleStatistics";

/** One batch of a run's post-warm-up output, as the stability test reads it. */
export interface GrowthBatch {
  /** Which independent replication the batch belongs to (batches of one replication are consecutive in time). */
  readonly replication: number;
  /** Length of the batch in time units (> 0). */
  readonly duration: number;
  /** Time of the batch's midpoint (any origin, the same within a replication). */
  readonly midTime: number;
  /** Events of the uniformized chain in the batch (>= 0); the run-length floor counts them per queue. */
  readonly events: number;
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
  /**
   * True when the verdict is "inconclusive" because the run is too short for the system to relax: fewer than
   * MIN_EVENTS_PER_QUEUE events per queue, or a growth that is dying out (the system is still filling from
   * empty). Averages over such a run describe the transient, not a steady state.
   */
  readonly transient: boolean;
  /** Growth rate of the total queue length (all n queues), per unit time: the mean of the batch increment rates. */
  readonly growthRate: number;
  readonly growthRateCi95: readonly [number, number];
  /** growthRate / n. */
  readonly growthRatePerQueue: number;
  readonly growthRatePerQueueCi95: readonly [number, number];
  /** Growth per queue per unit time over the first half of each replication's batches, with its interval. */
  readonly firstHalfGrowthPerQueue: number;
  readonly firstHalfGrowthPerQueueCi95: readonly [number, number];
  /** The same over the second half (the batches paired with the first half's, see the rule). */
  readonly secondHalfGrowthPerQueue: number;
  readonly secondHalfGrowthPerQueueCi95: readonly [number, number];
  /** Least-squares slope of the batch mean levels against time, per queue per unit time (replications centred separately). */
  readonly levelTrendPerQueue: number;
  readonly levelTrendPerQueueCi95: readonly [number, number];
  /** The smallest number of post-warm-up events per queue over the replications (events / n). */
  readonly eventsPerQueue: number;
  /** The band half-width delta (per queue per unit time). */
  readonly tolerance: number;
  /** Confidence level of the intervals. */
  readonly level: number;
  readonly batches: number;
  readonly replications: number;
}

/** Default delta: a growth of 0.001 jobs per queue per unit time, i.e. 0.1% of one server's capacity (service rate 1). */
export const DEFAULT_STABILITY_TOLERANCE = 1e-3;
/** Fewer batches than this give "inconclusive" whatever the data. */
export const MIN_STABILITY_BATCHES = 8;
/**
 * Fewer post-warm-up events per queue than this (in some replication) give "inconclusive" whatever the data:
 * the run is too short for the system to have relaxed from its empty start. See {@link stabilityVerdict}.
 */
export const MIN_EVENTS_PER_QUEUE = 100;
/**
 * rho of the persistence clause: a run whose second-half growth is significantly below rho times its
 * first-half growth is still filling, not unstable. See {@link stabilityVerdict}.
 */
export const GROWTH_PERSISTENCE_RATIO = 0.8;

/**
 * Stable / unstable / inconclusive from a statistical test of the growth of the total queue length. Cost O(B).
 *
 * Estimates, all per queue per unit time, each with a Student-t interval at `level` (default 95%):
 * 1. Growth rate: each batch b gives r_b = (endLevel_b - startLevel_b) / duration_b; the pooled interval is
 *    meanConfidenceInterval over all r_b (batches of all replications pooled). Under instability the total
 *    length is close to a random walk with drift, its increments over long batches are nearly independent,
 *    and the interval is valid. Far from a boundary, under stability, the increments of consecutive batches
 *    are negatively correlated (they telescope), so the interval is conservative. Near a boundary the level
 *    wanders on a time scale longer than a batch, consecutive increments are positively correlated and the
 *    pooled interval is too narrow; so with R >= 2 replications the interval is the wider of the pooled one
 *    and the Student-t interval of the R per-replication growth rates (independent by construction).
 * 2. Level trend: the least-squares slope of the batch mean levels against batch mid-times, each replication
 *    centred on its own means (a fixed effect per replication), with the usual OLS standard error on
 *    B - R - 1 degrees of freedom; with R >= 2, the wider of that and the t interval of the R per-replication
 *    slopes. It detects a level still drifting (for example a warm-up that was too short).
 * 3. Halves: each replication's B_r batches, in time order, are split into a first and a second half of
 *    h = floor(B_r / 2) batches (the middle one is left out when B_r is odd), and batch j of the first half is
 *    paired with batch j of the second. The persistence statistic is the t interval of the paired
 *    u_j = rho r_j - r_(j + B_r - h), rho = GROWTH_PERSISTENCE_RATIO = 0.8.
 *
 * The rule, with delta = `tolerance`:
 * - fewer than MIN_STABILITY_BATCHES (8) batches, or fewer than 2 degrees of freedom for the slope: inconclusive;
 * - fewer than MIN_EVENTS_PER_QUEUE = 100 post-warm-up events per queue in some replication: inconclusive
 *   (transient: "too short to relax"). A system started empty first fills: its total grows at a rate of
 *   order lambda per queue until the queues reach their typical length, which takes tens of time units at
 *   moderate load (the mean-field transient of ABOUNCE(2,10), K = 2, lambda = 0.75 settles to 0.1% of its
 *   mean in 83 time units, 145 events per queue; an M/M/1 queue at load rho relaxes on the time scale
 *   1 / (1 - sqrt(rho))^2, 56 time units at rho = 0.75). Below 100 events per queue, some 50 time units at
 *   lambda < 1, no configuration of practical interest has relaxed, so the growth measured is the filling,
 *   and no verdict is given. The floor counts events per queue because the relaxation time of the mean
 *   field does not shrink with n: ten events per queue at n = 10^6 (10^7 events) is as short a run as ten
 *   events at n = 1.
 * - UNSTABLE when the growth interval lies entirely above +delta (the total grows at a rate that is both
 *   significant and practically meaningful) AND the growth persists: the interval of u_j (halves) does not
 *   lie entirely above 0. In an unstable system the growth rate settles to a constant (the drift of the total
 *   once the queues are long), so the two halves agree up to what remains of the start-up after the warm-up
 *   (2-3% for an M/M/1 queue at lambda = 1.2, 10^6 events at n = 100, default warm-up); a stable system
 *   still filling from empty grows ever more slowly, and a second half growing significantly slower than 0.8
 *   times the first (more than a 20% loss) is read as such: inconclusive (transient: "still filling"). The
 *   stable ABOUNCE(2,10), K = 2, lambda = 0.75 at n = 10^6 with 10 events per queue grows at 0.29 and then
 *   0.14 per queue per unit time (a 51% loss); at n = 10^5 with 100 events per queue, at 0.024 and then 0.001.
 * - STABLE when the growth interval AND the level-trend interval both lie inside [-delta, +delta] (no growth
 *   of practical size is compatible with the data, and the level is not trending);
 * - inconclusive otherwise (run longer, or the system sits near its stability boundary).
 * delta defaults to 0.001 jobs per queue per unit time: 0.1% of a server's capacity. A transient system
 * whose drift is smaller than delta is, by design, not distinguished from a stable one, and no finite run
 * tells a stable system whose relaxation time far exceeds the run from an unstable one: the floor and the
 * halves clause catch runs that are short against the filling they show, not every slow transient.
 *
 * @param batches the batches (at least 1; each duration > 0, events >= 0 and levels finite)
 * @param queues n, an integer >= 1 (rates are divided by it)
 * @param tolerance delta > 0, per queue per unit time; default DEFAULT_STABILITY_TOLERANCE
 * @param level confidence level in (0, 1); default 0.95
 * @throws ParameterError for an empty batch list, a non-positive duration, a negative event count, or bad
 *   queues/tolerance/level
 * @example
 * const drift = Array.from({ length: 20 }, (_, b) => ({ replication: 0, duration: 100, midTime: 100 * b + 50,
 *   events: 1000, startLevel: 50 * b, endLevel: 50 * (b + 1), meanLevel: 50 * b + 25 }));
 * stabilityVerdict(drift, 1).verdict // => "unstable" (growth 0.5 per unit time, the same in both halves)
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
    if (!(b.events >= 0) || !Number.isFinite(b.events)) {
      throw new ParameterError("batch events", b.events, "a finite number >= 0");
    }
    rates.push(rateOf(b, queues));
    const list = byReplication.get(b.replication);
    if (list) list.push(b);
    else byReplication.set(b.replication, [b]);
  }
  const pooledGrowth = meanConfidenceInterval(rates, level);

  // Fixed-effects least squares: slope of (meanLevel - replication mean) on (midTime - replication mean).
  let sxx = 0;
  const centred: Array<[number, number]> = [];
  // Halves, and the shortest replication in events per queue.
  const first: number[] = [];
  const second: number[] = [];
  const persistence: number[] = [];
  let eventsPerQueue = Infinity;
  let shortest = -1;
  for (const [replication, list] of byReplication) {
    let mt = 0;
    let my = 0;
    let events = 0;
    for (const b of list) {
      mt += b.midTime;
      my += b.meanLevel / queues;
      events += b.events;
    }
    mt /= list.length;
    my /= list.length;
    for (const b of list) {
      const x = b.midTime - mt;
      const y = b.meanLevel / queues - my;
      centred.push([x, y]);
      sxx += x * x;
    }
    if (events / queues < eventsPerQueue) {
      eventsPerQueue = events / queues;
      shortest = replication;
    }
    const ordered = [...list].sort((a, b) => a.midTime - b.midTime);
    const h = Math.floor(ordered.length / 2);
    for (let j = 0; j < h; j++) {
      const early = rateOf(ordered[j] as GrowthBatch, queues);
      const late = rateOf(ordered[j + ordered.length - h] as GrowthBatch, queues);
      first.push(early);
      second.push(late);
      persistence.push(GROWTH_PERSISTENCE_RATIO * early - late);
    }
  }
  const replications = byReplication.size;
  const dof = batches.length - replications - 1;
  let slope = NaN;
  let slopeHalf = NaN;
  if (sxx > 0 && dof >= 1) {
    // The fixed-effects slope is the least-squares slope of the centred points (simple-statistics).
    slope = linearRegression(centred).m;
    let rss = 0;
    for (const [x, y] of centred) rss += (y - slope * x) ** 2;
    slopeHalf = tQuantile((1 + level) / 2, dof) * Math.sqrt(rss / dof / sxx);
  }
  // Across replications: one growth rate and one level slope per replication, each replication independent of
  // the others. Near a stability boundary the level wanders on a time scale longer than a batch, consecutive
  // batches are positively correlated, and the pooled intervals above (which treat batches as independent)
  // come out too narrow: two runs of ABOUNCE(2,10), K = 2, lambda = 0.785, n = 100 with different seeds gave
  // growth intervals [-0.00027, 0.00071] and [0.00062, 0.00163]. With two or more replications, each
  // interval is therefore the wider of the pooled one and the one across replications (Student-t on R - 1
  // degrees of freedom), so that replications that disagree widen it. With one replication only the pooled
  // intervals exist: near a boundary run several replications.
  const perReplicationGrowth: number[] = [];
  const perReplicationSlope: number[] = [];
  for (const list of byReplication.values()) {
    let g = 0;
    for (const b of list) g += rateOf(b, queues);
    perReplicationGrowth.push(g / list.length);
    perReplicationSlope.push(olsSlope(list, queues));
  }
  const growth = wider(pooledGrowth, replications >= 2 ? meanConfidenceInterval(perReplicationGrowth, level) : null);
  let trendCi: readonly [number, number] = [slope - slopeHalf, slope + slopeHalf];
  if (replications >= 2 && perReplicationSlope.every(Number.isFinite)) {
    const across = meanConfidenceInterval(perReplicationSlope, level);
    if (across.ci95[1] - across.ci95[0] > trendCi[1] - trendCi[0]) trendCi = across.ci95;
  }
  const growthCi = growth.ci95;
  const firstHalf = meanConfidenceInterval(first, level);
  const secondHalf = meanConfidenceInterval(second, level);
  const loss = meanConfidenceInterval(persistence, level);

  let verdict: StabilityAssessment["verdict"];
  let reason: string;
  let transient = false;
  const band = (ci: readonly [number, number]): boolean => ci[0] >= -tolerance && ci[1] <= tolerance;
  if (batches.length < MIN_STABILITY_BATCHES || !(dof >= 2)) {
    verdict = "inconclusive";
    reason = `too few batches (${batches.length}, need ${MIN_STABILITY_BATCHES} and 2 degrees of freedom for the trend)`;
  } else if (eventsPerQueue < MIN_EVENTS_PER_QUEUE) {
    verdict = "inconclusive";
    transient = true;
    reason = `run too short for the system to relax: ${fmt(eventsPerQueue)} events per queue after the warm-up` +
      `${replications > 1 ? ` in replication ${shortest}` : ""}, fewer than ${MIN_EVENTS_PER_QUEUE}; the queues are still filling from empty (run longer)`;
  } else if (growthCi[0] > tolerance && loss.ci95[0] > 0) {
    verdict = "inconclusive";
    transient = true;
    reason = `still filling: the growth is dying out (second half ${fmt(secondHalf.mean)} [${fmt(secondHalf.ci95[0])}, ${fmt(secondHalf.ci95[1])}] ` +
      `against first half ${fmt(firstHalf.mean)} [${fmt(firstHalf.ci95[0])}, ${fmt(firstHalf.ci95[1])}] per queue per unit time, ` +
      `significantly below ${GROWTH_PERSISTENCE_RATIO} of it): the run is too short for the system to relax (run longer)`;
  } else if (growthCi[0] > tolerance) {
    verdict = "unstable";
    reason = `growth-rate interval lies above +${tolerance} per queue per unit time, and the growth persists (second half ` +
      `${fmt(secondHalf.mean)} against first half ${fmt(firstHalf.mean)})`;
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
    transient,
    growthRate: growth.mean * queues,
    growthRateCi95: [growthCi[0] * queues, growthCi[1] * queues],
    growthRatePerQueue: growth.mean,
    growthRatePerQueueCi95: growthCi,
    firstHalfGrowthPerQueue: firstHalf.mean,
    firstHalfGrowthPerQueueCi95: firstHalf.ci95,
    secondHalfGrowthPerQueue: secondHalf.mean,
    secondHalfGrowthPerQueueCi95: secondHalf.ci95,
    levelTrendPerQueue: slope,
    levelTrendPerQueueCi95: trendCi,
    eventsPerQueue,
    tolerance,
    level,
    batches: batches.length,
    replications,
  };
}

function rateOf(b: GrowthBatch, queues: number): number {
  return (b.endLevel - b.startLevel) / b.duration / queues;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(3) : String(x);
}

/** The wider of two intervals (the first when the second is absent or not finite). */
function wider(a: MeanEstimate, b: MeanEstimate | null): MeanEstimate {
  if (!b || !Number.isFinite(b.halfWidth)) return a;
  return b.halfWidth > a.halfWidth ? b : a;
}

/** The least-squares slope of one replication's batch mean levels per queue against time (NaN below 2 batches). */
function olsSlope(list: readonly GrowthBatch[], queues: number): number {
  if (list.length < 2 || list.every((b) => b.midTime === (list[0] as GrowthBatch).midTime)) return NaN;
  return linearRegression(list.map((b) => [b.midTime, b.meanLevel / queues] as const)).m;
}
