import { ParameterError } from "../model/parameterError";
import { policyLabel, policyParameters, sampleCount } from "../model/policy";
import { type SystemParams, validateSystem } from "../model/system";
import { type MeanEstimate, meanConfidenceInterval } from "../statistics/confidenceInterval";
import { LOG_LINEAR_HISTOGRAM_BINS, logLinearQuantile } from "../statistics/logLinearHistogram";
import { type MserTruncation, mserTruncation } from "../statistics/mserTruncation";
import { type GrowthBatch, type StabilityAssessment, stabilityVerdict } from "../statistics/stabilityVerdict";
import type { ReplicationResult, SamplePath } from "./replicationResult";
import type { PrecisionOutcome } from "./runToPrecision";
import type { ResolvedSimulationOptions } from "./simulationOptions";

/** Batches used for batch-means intervals (one replication) and for the stability test (per replication). */
export const SIMULATION_BATCHES = 20;

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
  /** Mean queue length per queue (units of work), per event (= time average in expectation). */
  readonly meanQueueLength: MeanEstimate;
  /** Mean delay of a job, arrival to departure of its last unit (time units). */
  readonly meanDelay: MeanEstimate;
  readonly delayQuantiles: readonly DelayQuantile[];
  /** Jobs whose delay was measured. */
  readonly jobsCompleted: number;
  /** Fraction of arrivals that migrated (per arrival). */
  readonly migrationFraction: MeanEstimate;
  /** lambda (1 + (K - 1) x migration fraction): work arriving per queue per unit time. */
  readonly effectiveLoad: MeanEstimate;
  /** Units of work served per queue per unit time (per unit time). */
  readonly throughput: MeanEstimate;
  /** Per event: P(Q >= l), l = 0..longest queue seen, averaged over queues (and replications). */
  readonly tail: readonly number[];
  /** 95% intervals of the tail across replications (null with one replication). */
  readonly tailCi95: ReadonlyArray<readonly [number, number]> | null;
  readonly stability: StabilityAssessment;
  /** The sample path of replication 0. */
  readonly path: SamplePath;
  readonly perReplication: readonly ReplicationSummary[];
  readonly stoppedEarly: boolean;
  readonly stopReasons: readonly string[];
  /** Caveats that apply to this run (warm-up, delay tracking, clock). */
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
  const estimate = (f: (s: Kept) => number): MeanEstimate => {
    if (R >= 2) return meanConfidenceInterval(kept.map((rows) => f(sumRows(rows))));
    const rows = kept[0] as Kept[];
    const batches = groupBounds(rows.length, SIMULATION_BATCHES).map(([a, b]) => f(sumRows(rows.slice(a, b))));
    return meanConfidenceInterval(batches);
  };
  const meanQueueLength = estimate((s) => s.queueLengthSum / (n * s.events));
  const meanDelay = delaysValid ? estimate((s) => s.delaySum / s.completed) : nanEstimate();
  const migrationFraction = estimate((s) => s.migrations / s.arrivals);
  const throughput = estimate((s) => s.served / (n * s.duration));
  const scale = lambda * (K - 1);
  const effectiveLoad: MeanEstimate = {
    ...migrationFraction,
    mean: lambda + scale * migrationFraction.mean,
    ci95: [lambda + scale * migrationFraction.ci95[0], lambda + scale * migrationFraction.ci95[1]],
    halfWidth: scale * migrationFraction.halfWidth,
    standardDeviation: scale * migrationFraction.standardDeviation,
  };

  // Tail: average over replications; intervals across replications.
  const levels = Math.max(...results.map((r) => r.tail.length));
  const tail: number[] = [];
  const tailCi95: Array<[number, number]> = [];
  for (let l = 0; l < levels; l++) {
    const values = results.map((r) => (l < r.tail.length ? (r.tail[l] as number) : 0));
    const est = meanConfidenceInterval(values);
    tail.push(est.mean);
    tailCi95.push([est.ci95[0], est.ci95[1]]);
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

  const stability: StabilityAssessment = growthBatches.length > 0
    ? stabilityVerdict(growthBatches, n, options.stabilityTolerance)
    : {
        verdict: "inconclusive",
        reason: "no post-warm-up data",
        growthRate: NaN,
        growthRateCi95: [NaN, NaN],
        growthRatePerQueue: NaN,
        growthRatePerQueueCi95: [NaN, NaN],
        levelTrendPerQueue: NaN,
        levelTrendPerQueueCi95: [NaN, NaN],
        tolerance: options.stabilityTolerance,
        level: 0.95,
        batches: 0,
        replications: R,
      };

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
    ciMethod: R >= 2
      ? `independent replications: Student-t on ${R - 1} degrees of freedom, after the warm-up and MSER-5 truncation of each`
      : `batch means: ${SIMULATION_BATCHES} batches after the warm-up and MSER-5 truncation, Student-t on ${SIMULATION_BATCHES - 1} degrees of freedom`,
    meanQueueLength,
    meanDelay,
    delayQuantiles,
    jobsCompleted,
    migrationFraction,
    effectiveLoad,
    throughput,
    tail,
    tailCi95: R >= 2 ? tailCi95 : null,
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
