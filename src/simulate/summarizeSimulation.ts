import { ParameterError } from "../model/parameterError";
import { policyLabel, policyParameters, sampleCount } from "../model/policy";
import { type SystemParams, validateSystem } from "../model/system";
import { type MeanEstimate, meanConfidenceInterval } from "../statistics/confidenceInterval";
import { LOG_LINEAR_HISTOGRAM_BINS, logLinearQuantile } from "../statistics/logLinearHistogram";
import { type MserTruncation, mserTruncation } from "../statistics/mserTruncation";
import { type ProbabilityEstimate, probabilityInterval } from "../statistics/probabilityInterval";
import { type GrowthBatch, type StabilityAssessment, stabilityVerdict } from "../statistics/stabilityVerdict";
import type { ReplicationResult, SamplePath } from "./replicationResult";
import type { PrecisionOutcome } from "./runToPrecision";
import { type ResolvedSimulationOptions, SIMULATION_BATCHES } from "./simulationOptions";

export { SIMULATION_BATCHES };

/**
 * How to read a run's means (see {@link SimulationReport.steadyState}):
 * - "steady state": the run was judged stable and MSER-5 found the end of the warm-up in every replication;
 *   the means estimate the stationary means and their intervals are valid.
 * - "steady state not established": the verdict is inconclusive (not for lack of run length), or MSER-5
 *   found no end of the transient in some replication; the means and intervals are reported with that caveat.
 * - "up to the end of the run, not steady state": the run was judged unstable (there is no steady state) or
 *   it stopped early. The means are averages over this run from its warm-up to its end, and their intervals
 *   are intervals for that average (across replications: for its expectation over runs of this length), not
 *   for a stationary mean; quantities that settle as the queues grow (the migration fraction) are still
 *   informative, lengths and delays grow with the run. The growth rate is the estimate to read.
 * - "transient: too short to relax": the run is too short for the system to relax (fewer than
 *   MIN_EVENTS_PER_QUEUE events per queue, or still filling, see stabilityVerdict). The means describe the
 *   filling from empty, and no interval is given (ci95 and halfWidth are NaN): batch means of a level still
 *   rising would give tight intervals around a number that depends on the run length.
 */
export type EstimateScope =
  | "steady state"
  | "steady state not established"
  | "up to the end of the run, not steady state"
  | "transient: too short to relax";

/** A run's mean with the scope in which it can be read. */
export interface RunEstimate extends MeanEstimate {
  readonly scope: EstimateScope;
}

/** A run's probability (a fraction in [0, 1]): its interval is clipped to [0, 1] (see probabilityInterval). */
export interface RunProbabilityEstimate extends ProbabilityEstimate {
  readonly scope: EstimateScope;
}

/** Whether the run's means describe a steady state, and why not. */
export interface SteadyStateStatus {
  readonly scope: EstimateScope;
  /** Why, in words. */
  readonly reason: string;
}

/** Estimates of one replication (after its MSER-5 truncation; see {@link summarizeSimulation}). */
export interface ReplicationSummary {
  readonly replication: number;
  readonly events: number;
  readonly simulatedTime: number;
  readonly eventsPerSecond: number;
  /** Post-warm-up events that MSER-5 discarded in addition to the warm-up. */
  readonly mserTruncatedEvents: number;
  /** False when MSER-5 found no end of the transient in the first half of the run (run longer). */
  readonly mserReliable: boolean;
  readonly meanQueueLength: number;
  readonly meanDelay: number;
  readonly migrationFraction: number;
  readonly throughput: number;
  readonly stability: StabilityAssessment["verdict"];
  readonly growthRatePerQueue: number;
  readonly maxQueueLengthSeen: number;
  readonly stoppedEarly: boolean;
  readonly stopReason: string | null;
}

/** A delay quantile. */
export interface DelayQuantile {
  readonly p: number;
  /** Time units; NaN when not available (events clock, no tracking, or tracking stopped). */
  readonly value: number;
}

/**
 * What `runSimulation` returns: estimates with 95% intervals, and how they were made. Which clock each number
 * uses: per event (averages over the post-warm-up events of the state after each event; by uniformization
 * their expectation is the time average): meanQueueLength, tail, path. Per arrival: migrationFraction,
 * effectiveLoad. Per unit time (continuous clock; on the events clock, time = events / (n(lambda + 1))):
 * throughput, stability growth rates, simulatedTime. Time units: meanDelay and delayQuantiles.
 */
export interface SimulationReport {
  readonly params: {
    readonly queues: number;
    readonly arrivalRate: number;
    readonly migrationPenalty: number;
    readonly policy: string;
    readonly policyKind: string;
    readonly samples: number | "inf";
    /** The policy's own parameters, by name (for example { threshold: 2 } for ABOUNCE). */
    readonly parameters: Readonly<Record<string, number | readonly number[]>>;
  };
  readonly options: ResolvedSimulationOptions;
  readonly replications: number;
  /** Post-warm-up events, all replications. */
  readonly events: number;
  /** Events including warm-ups, all replications. */
  readonly totalEvents: number;
  /** Post-warm-up simulated time, all replications (time units). */
  readonly simulatedTime: number;
  readonly wallSeconds: number;
  /** totalEvents / wallSeconds (parallel replications add up). */
  readonly eventsPerSecond: number;
  /** How the intervals were made. */
  readonly ciMethod: string;
  /**
   * Whether the means below describe a steady state. Read it before the means: for a run judged unstable
   * they are averages "up to the end of the run, not steady state"; for a run too short to relax they
   * describe the filling and have no intervals.
   */
  readonly steadyState: SteadyStateStatus;
  /** Mean queue length per queue (units of work), per event (= time average in expectation). */
  readonly meanQueueLength: RunEstimate;
  /** Mean delay of a job, arrival to departure of its last unit (time units). */
  readonly meanDelay: RunEstimate;
  readonly delayQuantiles: readonly DelayQuantile[];
  /** Jobs whose delay was measured. */
  readonly jobsCompleted: number;
  /** Fraction of arrivals that migrated (per arrival); its interval is clipped to [0, 1] (`clipped` says when). */
  readonly migrationFraction: RunProbabilityEstimate;
  /** lambda (1 + (K - 1) x migration fraction): work arriving per queue per unit time (interval from the clipped one). */
  readonly effectiveLoad: RunEstimate;
  /** Units of work served per queue per unit time (per unit time). */
  readonly throughput: RunEstimate;
  /** Per event: P(Q >= l), l = 0..longest queue seen, averaged over queues (and replications). */
  readonly tail: readonly number[];
  /**
   * 95% intervals of the tail across replications, clipped to [0, 1] (null with one replication; [NaN, NaN]
   * pairs when the scope is "transient: too short to relax").
   */
  readonly tailCi95: ReadonlyArray<readonly [number, number]> | null;
  /** Which tail intervals were clipped to [0, 1] (a Student-t bound fell below 0 or above 1); null when tailCi95 is. */
  readonly tailCi95Clipped: readonly boolean[] | null;
  readonly stability: StabilityAssessment;
  /** The sample path of replication 0. */
  readonly path: SamplePath;
  readonly perReplication: readonly ReplicationSummary[];
  readonly stoppedEarly: boolean;
  readonly stopReasons: readonly string[];
  /** Caveats that apply to this run (steady state, warm-up, clipped intervals, delay tracking, clock). */
  readonly notes: readonly string[];
  /** How a precision-driven run ended (runToPrecision); absent for a run of fixed length. */
  readonly precision?: PrecisionOutcome;
}

interface Kept {
  events: number;
  queueLengthSum: number;
  arrivals: number;
  migrations: number;
  served: number;
  completed: number;
  delaySum: number;
  duration: number;
}

/**
 * Combines replications into estimates with 95% Student-t intervals (meanConfidenceInterval). Cost
 * O(replications x (records + tail length + histogram bins)).
 *
 * Warm-up rule: each replication discards the user's warm-up (options.warmup) and then the number of records
 * that MSER-5 (mserTruncation, batch size 5) chooses. With two or more replications of the same record layout,
 * MSER-5 is applied ONCE, to the series of record means averaged across replications, and every replication
 * drops the same number of records: all replications start empty, so the transient is common to them, while a
 * truncation chosen per replication would cut each replication's own early excursions (which, for a queue
 * length, are mostly upward: the law is skewed) and bias the mean downward. Measured: M/M/1 at lambda = 0.6,
 * 400 replications of 4000 events, per-replication MSER gave a mean queue length 1.449 [1.432, 1.467] against
 * the exact 1.5; see test/precision.test.ts for the coverage this rule restores. With one replication (batch
 * means) MSER-5 is applied to its own series. Means come from what is left:
 * - with two or more replications, one estimate per replication (a ratio of sums over its kept records), and
 *   a t interval on R - 1 degrees of freedom;
 * - with one replication, batch means: the kept records are cut into 20 consecutive batches and the interval
 *   is the t interval of the 20 batch ratios (19 degrees of freedom).
 * The tail, the delay quantiles (log-linear histogram, see logLinearHistogram) and the stability test use
 * everything after the user's warm-up (they cannot be truncated after the fact); the stability test
 * (stabilityVerdict) pools 20 batches per replication.
 *
 * Scope (`steadyState`, see EstimateScope): the means are steady-state estimates only when the verdict is
 * "stable" and MSER-5 found the end of the transient in every replication. For a run judged unstable, or
 * stopped early, they are labelled averages up to the end of the run. For a run too short to relax
 * (stabilityVerdict's transient clauses: fewer than 100 events per queue, or a growth dying out) their
 * intervals are withheld (NaN): batch means of a run still filling are not draws around a mean, so a t
 * interval on them would be tight and meaningless, and across replications it would only estimate the
 * average of a transient of this particular length.
 *
 * Probabilities: the intervals of the migration fraction and of the tail are clipped to [0, 1]
 * (probabilityInterval, which keeps the coverage); `clipped` and `tailCi95Clipped` say where, and a note
 * counts them.
 *
 * @param params the system the replications ran (validated)
 * @param options the resolved options they ran with
 * @param results one result per replication, in replication order (at least one)
 * @param wallSeconds wall-clock seconds of the whole run (for eventsPerSecond)
 * @throws ParameterError when results is empty
 */
export function summarizeSimulation(
  params: SystemParams,
  options: ResolvedSimulationOptions,
  results: readonly ReplicationResult[],
  wallSeconds: number,
): SimulationReport {
  validateSystem(params);
  if (!Array.isArray(results) || results.length === 0) {
    throw new ParameterError("results", results, "a non-empty array of replication results");
  }
  const n = params.queues;
  const lambda = params.arrivalRate;
  const K = params.migrationPenalty;
  const R = results.length;
  const notes: string[] = [];

  const kept: Kept[][] = [];
  const perReplication: ReplicationSummary[] = [];
  const growthBatches: GrowthBatch[] = [];
  const truncation = warmupTruncation(results, n);
  for (const r of results) {
    const rec = r.records;
    const mser = truncation.of(r);
    const start = mser.truncatedObservations;
    const rows: Kept[] = [];
    for (let k = start; k < rec.events.length; k++) {
      rows.push({
        events: rec.events[k] as number,
        queueLengthSum: rec.queueLengthSum[k] as number,
        arrivals: rec.arrivals[k] as number,
        migrations: rec.migrations[k] as number,
        served: rec.unitsServed[k] as number,
        completed: rec.jobsCompleted[k] as number,
        delaySum: rec.delaySum[k] as number,
        duration: rec.duration[k] as number,
      });
    }
    kept.push(rows);
    let truncatedEvents = 0;
    for (let k = 0; k < start; k++) truncatedEvents += rec.events[k] as number;
    if (!mser.reliable && r.events > 0 && (R === 1 || r === results[0] || truncation.of(r) !== truncation.of(results[0] as ReplicationResult))) {
      notes.push(R >= 2 && truncation.of(r) === truncation.of(results[0] as ReplicationResult)
        ? "MSER-5 found no end of the transient in the first half of the replications' average (run longer or use a longer warm-up)"
        : `replication ${r.replication}: MSER-5 found no end of the transient in the first half of the run (run longer or use a longer warm-up)`);
    }

    // Stability batches over all post-warm-up records.
    const groups = groupBounds(rec.events.length, SIMULATION_BATCHES);
    let elapsed = 0;
    const own: GrowthBatch[] = [];
    for (const [a, b] of groups) {
      let duration = 0;
      let events = 0;
      let sum = 0;
      for (let k = a; k < b; k++) {
        duration += rec.duration[k] as number;
        events += rec.events[k] as number;
        sum += rec.queueLengthSum[k] as number;
      }
      if (duration > 0 && events > 0) {
        own.push({
          replication: r.replication,
          duration,
          midTime: elapsed + duration / 2,
          events,
          startLevel: rec.startTotal[a] as number,
          endLevel: rec.endTotal[b - 1] as number,
          meanLevel: sum / events,
        });
      }
      elapsed += duration;
    }
    growthBatches.push(...own);
    const ownVerdict = own.length > 0 ? stabilityVerdict(own, n, options.stabilityTolerance) : null;
    const total = sumRows(rows);
    perReplication.push({
      replication: r.replication,
      events: r.events,
      simulatedTime: r.simulatedTime,
      eventsPerSecond: r.eventsPerSecond,
      mserTruncatedEvents: truncatedEvents,
      mserReliable: mser.reliable,
      meanQueueLength: total.queueLengthSum / (n * total.events),
      meanDelay: r.delayTracking.complete ? total.delaySum / total.completed : NaN,
      migrationFraction: total.migrations / total.arrivals,
      throughput: total.served / (n * total.duration),
      stability: ownVerdict ? ownVerdict.verdict : "inconclusive",
      growthRatePerQueue: ownVerdict ? ownVerdict.growthRatePerQueue : NaN,
      maxQueueLengthSeen: r.maxQueueLengthSeen,
      stoppedEarly: r.stoppedEarly,
      stopReason: r.stopReason,
    });
  }

  const delaysValid = results.every((r) => r.delayTracking.complete);
  const keptBatches = R >= 2 ? R : groupBounds((kept[0] as Kept[]).length, SIMULATION_BATCHES).length;
  const estimate = (f: (s: Kept) => number): MeanEstimate => {
    if (R >= 2) return meanConfidenceInterval(kept.map((rows) => f(sumRows(rows))));
    const rows = kept[0] as Kept[];
    const batches = groupBounds(rows.length, SIMULATION_BATCHES).map(([a, b]) => f(sumRows(rows.slice(a, b))));
    return meanConfidenceInterval(batches);
  };
  const stability: StabilityAssessment = growthBatches.length > 0
    ? stabilityVerdict(growthBatches, n, options.stabilityTolerance)
    : {
        verdict: "inconclusive",
        reason: "no post-warm-up data",
        transient: true,
        growthRate: NaN,
        growthRateCi95: [NaN, NaN],
        growthRatePerQueue: NaN,
        growthRatePerQueueCi95: [NaN, NaN],
        firstHalfGrowthPerQueue: NaN,
        firstHalfGrowthPerQueueCi95: [NaN, NaN],
        secondHalfGrowthPerQueue: NaN,
        secondHalfGrowthPerQueueCi95: [NaN, NaN],
        levelTrendPerQueue: NaN,
        levelTrendPerQueueCi95: [NaN, NaN],
        eventsPerQueue: 0,
        tolerance: options.stabilityTolerance,
        level: 0.95,
        batches: 0,
        replications: R,
      };
  const stoppedEarly = results.some((r) => r.stoppedEarly);
  const mserFailed = perReplication.filter((p) => !p.mserReliable).map((p) => p.replication);
  let steadyState: SteadyStateStatus;
  if (stability.transient) {
    steadyState = { scope: "transient: too short to relax", reason: stability.reason };
  } else if (stability.verdict === "unstable") {
    steadyState = { scope: "up to the end of the run, not steady state", reason: "judged unstable: there is no steady state, the growth rate is the estimate" };
  } else if (stoppedEarly) {
    steadyState = { scope: "up to the end of the run, not steady state", reason: "the run stopped early (see stopReasons)" };
  } else if (stability.verdict !== "stable") {
    steadyState = { scope: "steady state not established", reason: `the stability verdict is inconclusive (${stability.reason})` };
  } else if (mserFailed.length > 0) {
    steadyState = { scope: "steady state not established", reason: `MSER-5 found no end of the transient in replication(s) ${mserFailed.join(", ")}` };
  } else {
    steadyState = { scope: "steady state", reason: "judged stable, and MSER-5 found the end of the transient in every replication" };
  }
  const scope = steadyState.scope;
  const transientRun = scope === "transient: too short to relax";
  const scoped = (e: MeanEstimate): RunEstimate =>
    transientRun ? { ...e, ci95: [NaN, NaN], halfWidth: NaN, scope } : { ...e, scope };
  const meanQueueLength = scoped(estimate((s) => s.queueLengthSum / (n * s.events)));
  const meanDelay = scoped(delaysValid ? estimate((s) => s.delaySum / s.completed) : nanEstimate());
  const migrationRaw = probabilityInterval(estimate((s) => s.migrations / s.arrivals));
  const migrationFraction: RunProbabilityEstimate = transientRun
    ? { ...migrationRaw, ci95: [NaN, NaN], halfWidth: NaN, clipped: false, scope }
    : { ...migrationRaw, scope };
  const throughput = scoped(estimate((s) => s.served / (n * s.duration)));
  const scale = lambda * (K - 1);
  const { clipped: _clipped, ...fraction } = migrationFraction;
  const effectiveLoad: RunEstimate = {
    ...fraction,
    mean: lambda + scale * migrationFraction.mean,
    ci95: [lambda + scale * migrationFraction.ci95[0], lambda + scale * migrationFraction.ci95[1]],
    halfWidth: scale * migrationFraction.halfWidth,
    standardDeviation: scale * migrationFraction.standardDeviation,
    scope,
  };

  // Tail: average over replications; intervals across replications, clipped to [0, 1].
  const levels = Math.max(...results.map((r) => r.tail.length));
  const tail: number[] = [];
  const tailCi95: Array<[number, number]> = [];
  const tailCi95Clipped: boolean[] = [];
  for (let l = 0; l < levels; l++) {
    const values = results.map((r) => (l < r.tail.length ? (r.tail[l] as number) : 0));
    const est = probabilityInterval(meanConfidenceInterval(values));
    tail.push(est.mean);
    tailCi95.push(transientRun ? [NaN, NaN] : [est.ci95[0], est.ci95[1]]);
    tailCi95Clipped.push(!transientRun && est.clipped);
  }
  const clippedLevels = tailCi95Clipped.filter((c) => c).length;

  if (steadyState.scope !== "steady state") {
    notes.push(steadyState.scope === "steady state not established"
      ? `steady state not established: ${steadyState.reason}`
      : transientRun
        ? `means describe the filling from empty, without intervals: ${steadyState.reason}`
        : `means and intervals are of the average up to the end of the run, not steady state: ${steadyState.reason}`);
  }
  if (R >= 2 && clippedLevels > 0) notes.push(`${clippedLevels} tail interval(s) clipped to [0, 1] (a Student-t bound fell outside; clipping keeps the coverage)`);
  if (migrationFraction.clipped) notes.push("the migration fraction's interval is clipped to [0, 1] (a Student-t bound fell outside; clipping keeps the coverage)");
  const nanEstimates: string[] = ([["mean queue length", meanQueueLength], ["migration fraction", migrationFraction], ["throughput", throughput]] as const)
    .filter(([, e]) => Number.isNaN(e.mean)).map(([name]) => name);
  if (delaysValid && options.trackDelays && Number.isNaN(meanDelay.mean)) nanEstimates.push("mean delay");
  if (nanEstimates.length > 0) {
    notes.push(`${nanEstimates.join(", ")}: NaN, the run is too short for this estimate (a batch or replication without arrivals, services or completed jobs)`);
  }

  // Delay quantiles from the merged histogram (continuous clock only).
  let jobsCompleted = 0;
  for (const r of results) jobsCompleted += r.jobsCompleted;
  const merged = new Float64Array(LOG_LINEAR_HISTOGRAM_BINS);
  for (const r of results) {
    if (r.delayHistogram) for (let b = 0; b < LOG_LINEAR_HISTOGRAM_BINS; b++) merged[b] = (merged[b] as number) + (r.delayHistogram[b] as number);
  }
  const quantilesValid = delaysValid && options.clock === "time" && jobsCompleted > 0;
  const delayQuantiles = options.delayQuantiles.map((p) => ({ p, value: quantilesValid ? logLinearQuantile(merged, p) : NaN }));
  if (!options.trackDelays) notes.push("delay tracking was off: no delays reported");
  else if (!delaysValid) {
    for (const r of results) if (r.delayTracking.reason) notes.push(`replication ${r.replication}: delay tracking stopped: ${r.delayTracking.reason}; delays not reported`);
  } else if (options.clock === "events") {
    notes.push("events clock: mean delay in mean holding times (unbiased); delay quantiles need the continuous clock");
  }

  const stopReasons = results.filter((r) => r.stopReason).map((r) => `replication ${r.replication}: ${r.stopReason}`);
  let events = 0;
  let totalEvents = 0;
  let simulatedTime = 0;
  for (const r of results) {
    events += r.events;
    totalEvents += r.totalEvents;
    simulatedTime += r.simulatedTime;
  }
  const d = sampleCount(params.policy);
  const policy = params.policy;
  return {
    params: {
      queues: n,
      arrivalRate: lambda,
      migrationPenalty: K,
      policy: policyLabel(policy),
      policyKind: policy.kind,
      samples: d === Infinity ? "inf" : d,
      parameters: policyParameters(policy),
    },
    options,
    replications: R,
    events,
    totalEvents,
    simulatedTime,
    wallSeconds,
    eventsPerSecond: totalEvents / wallSeconds,
    ciMethod: transientRun
      ? "none: the run is too short for the system to relax"
      : R >= 2
        ? `independent replications: Student-t on ${R - 1} degrees of freedom, after the warm-up and MSER-5 truncation of each`
        : `batch means: ${keptBatches} batches after the warm-up and MSER-5 truncation, Student-t on ${keptBatches - 1} degrees of freedom`,
    steadyState,
    meanQueueLength,
    meanDelay,
    delayQuantiles,
    jobsCompleted,
    migrationFraction,
    effectiveLoad,
    throughput,
    tail,
    tailCi95: R >= 2 ? tailCi95 : null,
    tailCi95Clipped: R >= 2 ? tailCi95Clipped : null,
    stability,
    path: (results[0] as ReplicationResult).path,
    perReplication,
    stoppedEarly: stopReasons.length > 0,
    stopReasons,
    notes,
  };
}

/** The record means of a replication's queue length, complete records only. */
function recordSeries(r: ReplicationResult, n: number): number[] {
  const rec = r.records;
  const full = rec.events.length > 0 && rec.events[rec.events.length - 1] !== r.recordSize ? rec.events.length - 1 : rec.events.length;
  const series: number[] = [];
  for (let k = 0; k < full; k++) series.push((rec.queueLengthSum[k] as number) / (n * (rec.events[k] as number)));
  return series;
}

/**
 * The MSER-5 truncation of each replication (see summarizeSimulation): one common truncation from the
 * ensemble-average series when the replications share their record layout, else each its own.
 */
function warmupTruncation(results: readonly ReplicationResult[], n: number): { of(r: ReplicationResult): MserTruncation } {
  const series = results.map((r) => recordSeries(r, n));
  const aligned = results.length >= 2 && results.every((r) => r.recordSize === (results[0] as ReplicationResult).recordSize);
  if (!aligned) {
    const own = new Map(results.map((r, k) => [r, mserTruncation(series[k] as number[], 5)]));
    return { of: (r) => own.get(r) as MserTruncation };
  }
  const length = Math.min(...series.map((x) => x.length));
  const ensemble: number[] = [];
  for (let k = 0; k < length; k++) {
    let sum = 0;
    for (const x of series) sum += x[k] as number;
    ensemble.push(sum / series.length);
  }
  const common = mserTruncation(ensemble, 5);
  return { of: () => common };
}

function sumRows(rows: readonly Kept[]): Kept {
  const s: Kept = { events: 0, queueLengthSum: 0, arrivals: 0, migrations: 0, served: 0, completed: 0, delaySum: 0, duration: 0 };
  for (const r of rows) {
    s.events += r.events;
    s.queueLengthSum += r.queueLengthSum;
    s.arrivals += r.arrivals;
    s.migrations += r.migrations;
    s.served += r.served;
    s.completed += r.completed;
    s.delaySum += r.delaySum;
    s.duration += r.duration;
  }
  return s;
}

/** Cuts 0..count-1 into min(count, groups) consecutive, non-empty, nearly equal ranges [a, b). */
function groupBounds(count: number, groups: number): Array<[number, number]> {
  const g = Math.min(count, groups);
  const out: Array<[number, number]> = [];
  for (let k = 0; k < g; k++) out.push([Math.floor((k * count) / g), Math.floor(((k + 1) * count) / g)]);
  return out;
}

function nanEstimate(): MeanEstimate {
  return { mean: NaN, ci95: [NaN, NaN], halfWidth: NaN, count: 0, standardDeviation: NaN, level: 0.95 };
}
