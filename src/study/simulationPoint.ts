import type { PrecisionOutcome } from "../simulate/runToPrecision";
import { SIMULATION_BATCHES, type SimulationReport } from "../simulate/summarizeSimulation";

/** A mean with its 95% interval, as stored in studies. */
export interface IntervalEstimate {
  readonly mean: number;
  readonly ci95: readonly [number, number];
  /** Half-width divided by |mean| (NaN when the mean is 0 or no interval exists). */
  readonly relativeHalfWidth: number;
}

/**
 * The compact, JSON-serialisable record of one simulated configuration that studies keep and cache:
 * the estimates a notebook tabulates or plots, with their intervals, and how they were obtained. It holds
 * results only, never timings (how fast a run went depends on the machine, not on the model): the same
 * configuration, seed and code give the same point bit for bit wherever its replications ran, which is what
 * lets a study computed on a cluster and merged (mergeStudyResults) stand for one computed locally. The
 * cache's provenance keeps the wall-clock time (computeSeconds).
 */
export interface SimulationPoint {
  readonly policy: string;
  readonly policyKind: string;
  readonly queues: number;
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly samples: number | "inf";
  /** The policy's own parameters, by name (for example { threshold: 2 } for ABOUNCE). */
  readonly parameters: Readonly<Record<string, number | readonly number[]>>;
  readonly replications: number;
  readonly events: number;
  readonly simulatedTime: number;
  readonly ciMethod: string;
  /** Mean units of work per queue (per event = time average under uniformization). */
  readonly meanQueueLength: IntervalEstimate;
  /** Mean delay of a job, arrival to the departure of its last unit (time units). */
  readonly meanDelay: IntervalEstimate;
  readonly delayQuantiles: ReadonlyArray<{ readonly p: number; readonly value: number }>;
  readonly migrationFraction: IntervalEstimate;
  readonly effectiveLoad: IntervalEstimate;
  readonly throughput: IntervalEstimate;
  /** P(Q >= l), l = 0.. (time average over queues and replications). */
  readonly tail: readonly number[];
  readonly tailCi95: ReadonlyArray<readonly [number, number]> | null;
  readonly stability: {
    readonly verdict: "stable" | "unstable" | "inconclusive";
    readonly reason: string;
    readonly growthRatePerQueue: number;
    readonly growthRatePerQueueCi95: readonly [number, number];
    readonly tolerance: number;
  };
  /** Sample path of replication 0: time and mean queue length per queue. */
  readonly path: { readonly time: readonly number[]; readonly meanQueueLength: readonly number[] };
  readonly stoppedEarly: boolean;
  readonly stopReasons: readonly string[];
  readonly notes: readonly string[];
  /** How a precision-driven run ended, or null for a run of fixed length. */
  readonly precision: PrecisionOutcome | null;
  /** The seed the replications' streams came from (replication r uses stream r of it). */
  readonly seed: number;
  /** Degrees of freedom of the Student-t intervals: replications - 1, or batches - 1 with one replication. */
  readonly degreesOfFreedom: number;
  /**
   * Each replication's own estimates (after its warm-up and MSER-5 truncation), in replication order: what
   * paired comparisons of runs that share their seed rest on.
   */
  readonly perReplication: {
    readonly meanQueueLength: readonly number[];
    readonly meanDelay: readonly number[];
    readonly migrationFraction: readonly number[];
  };
}

function interval(e: { mean: number; ci95: readonly [number, number]; halfWidth: number }): IntervalEstimate {
  const relativeHalfWidth = e.mean !== 0 && Number.isFinite(e.halfWidth) ? e.halfWidth / Math.abs(e.mean) : NaN;
  return { mean: e.mean, ci95: [e.ci95[0], e.ci95[1]], relativeHalfWidth };
}

/**
 * Reduces a simulator report to a {@link SimulationPoint}. Cost O(tail length + path points).
 *
 * @param report what runSimulation returned
 * @param pathPoints at most this many points of the sample path are kept (every k-th point), default 400
 */
export function simulationPoint(report: SimulationReport, pathPoints = 400): SimulationPoint {
  const p = report.params;
  const path = report.path;
  const stride = Math.max(1, Math.ceil(path.time.length / pathPoints));
  const time: number[] = [];
  const mean: number[] = [];
  for (let j = 0; j < path.time.length; j += stride) {
    time.push(path.time[j] as number);
    mean.push((path.totalQueueLength[j] as number) / p.queues);
  }
  const s = report.stability;
  return {
    policy: p.policy,
    policyKind: p.policyKind,
    queues: p.queues,
    arrivalRate: p.arrivalRate,
    migrationPenalty: p.migrationPenalty,
    samples: p.samples,
    parameters: { ...p.parameters },
    replications: report.replications,
    events: report.events,
    simulatedTime: report.simulatedTime,
    ciMethod: report.ciMethod,
    meanQueueLength: interval(report.meanQueueLength),
    meanDelay: interval(report.meanDelay),
    delayQuantiles: report.delayQuantiles.map((q) => ({ p: q.p, value: q.value })),
    migrationFraction: interval(report.migrationFraction),
    effectiveLoad: interval(report.effectiveLoad),
    throughput: interval(report.throughput),
    tail: [...report.tail],
    tailCi95: report.tailCi95 ? report.tailCi95.map((c) => [c[0], c[1]] as const) : null,
    stability: {
      verdict: s.verdict,
      reason: s.reason,
      growthRatePerQueue: s.growthRatePerQueue,
      growthRatePerQueueCi95: [s.growthRatePerQueueCi95[0], s.growthRatePerQueueCi95[1]],
      tolerance: s.tolerance,
    },
    path: { time, meanQueueLength: mean },
    stoppedEarly: report.stoppedEarly,
    stopReasons: [...report.stopReasons],
    notes: [...report.notes],
    precision: report.precision ?? null,
    seed: report.options.seed,
    degreesOfFreedom: report.replications >= 2 ? report.replications - 1 : SIMULATION_BATCHES - 1,
    perReplication: {
      meanQueueLength: report.perReplication.map((r) => r.meanQueueLength),
      meanDelay: report.perReplication.map((r) => r.meanDelay),
      migrationFraction: report.perReplication.map((r) => r.migrationFraction),
    },
  };
}
