import { availableParallelism } from "node:os";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import type { SystemParams } from "../model/system";
import { MAX_REPLICATION_INDEX } from "../random/replicationStream";
import { DEFAULT_STABILITY_TOLERANCE } from "../statistics/stabilityVerdict";

/** Progress of a run, reported through {@link SimulationOptions.onProgress}. */
export interface SimulationProgress {
  /** Fraction of the whole run done, in [0, 1] (all replications, warm-up included). */
  readonly fraction: number;
  /** Events simulated so far (all replications, warm-up included). */
  readonly events: number;
  /** Wall-clock seconds since the run started. */
  readonly elapsedSeconds: number;
  /** Estimated wall-clock seconds left (NaN until some progress is made). */
  readonly etaSeconds: number;
}

/**
 * How to run the simulator. Every field is optional; {@link resolveSimulationOptions} fills defaults and
 * validates. Budgets exclude the warm-up: a run simulates `warmup` then `events` (or `time`) more.
 */
export interface SimulationOptions {
  /** Post-warm-up budget in events of the uniformized chain: an integer in [1, 2^50]. Default 1e6 when neither budget is given. */
  readonly events?: number;
  /** Post-warm-up budget in time units (instead of `events`): finite, > 0. */
  readonly time?: number;
  /** Warm-up discarded before statistics, in the budget's unit (events, or time units): >= 0. Default: 10% of the budget. */
  readonly warmup?: number;
  /**
   * "time" (default): continuous time, an Exp(n(lambda + 1)) holding time per event (exact by uniformization);
   * delays are exact and their quantiles are reported. "events": the embedded chain only; time advances by the
   * mean holding time 1 / (n(lambda + 1)) per event, which is exact in expectation, so mean delays and rates per
   * unit time remain unbiased, but delay quantiles are not available. "events" is the faster clock.
   */
  readonly clock?: "time" | "events";
  /** Independent replications: an integer in [1, 10000]. Default 1. */
  readonly replications?: number;
  /** Seed: an integer in [0, 2^32 - 1]. Default 1. Replication r uses stream r of the seed (see replicationStreamState). */
  readonly seed?: number;
  /** Worker threads: an integer in [1, 256]. Default min(replications, available cores). Results do not depend on it. */
  readonly workers?: number;
  /** Track per-job delays (a FIFO of jobs per queue). Default true. */
  readonly trackDelays?: boolean;
  /** Delay quantiles to report, each in (0, 1). Default [0.5, 0.9, 0.99]. */
  readonly delayQuantiles?: readonly number[];
  /** Points kept of the sample path of the total queue length (an even integer in [4, 1e6]). Default 1000. */
  readonly pathPoints?: number;
  /**
   * A run stops early, with a reason, once a queue holds this many units (an integer in [1, 1e7]); the level
   * arrays then use about 20 bytes per level. Default 1e6.
   */
  readonly maxQueueLength?: number;
  /** Per-job delay tracking stops (and says so) once more jobs than this are in the system (integer in [1024, 2^26]). Default 2^22 (~64 MB). */
  readonly maxTrackedJobs?: number;
  /** delta of the stability rule, per queue per unit time (see stabilityVerdict): finite, > 0. Default 1e-3. */
  readonly stabilityTolerance?: number;
  /**
   * The queue lengths at time 0, for transient and drain studies: an array of n non-negative integers, each
   * below maxQueueLength. Default: every queue empty. Units present at time 0 are jobs of one unit each;
   * their delays are never counted (they did not arrive during the run).
   */
  readonly initialState?: readonly number[];
  /** Called with progress during long runs (on the calling thread). */
  readonly onProgress?: (progress: SimulationProgress) => void;
}

/** Options after defaults and validation. */
export interface ResolvedSimulationOptions {
  readonly budget: "events" | "time";
  /** Post-warm-up events (NaN for a time budget). */
  readonly events: number;
  /** Post-warm-up time (NaN for an events budget). */
  readonly time: number;
  /** Warm-up in the budget's unit. */
  readonly warmup: number;
  readonly clock: "time" | "events";
  readonly replications: number;
  readonly seed: number;
  readonly workers: number;
  readonly trackDelays: boolean;
  readonly delayQuantiles: readonly number[];
  readonly pathPoints: number;
  readonly maxQueueLength: number;
  readonly maxTrackedJobs: number;
  readonly stabilityTolerance: number;
  /** The queue lengths at time 0 (a copy), or null for the empty system. */
  readonly initialState: readonly number[] | null;
}

/** Default post-warm-up events when no budget is given. */
export const DEFAULT_SIMULATION_EVENTS = 1_000_000;
/** Largest events budget accepted (keeps event counts exact in doubles). */
export const MAX_SIMULATION_EVENTS = 2 ** 50;

/**
 * Validates run options and fills defaults, before any work starts. Cost O(number of quantiles).
 *
 * @param params the system (only `policy` is read, to cap workers for a custom rule, which cannot cross threads)
 * @param options the options (not mutated)
 * @throws ParameterError naming the option, its value and the allowed range
 * @example
 * resolveSimulationOptions({ queues: 10, arrivalRate: 0.5, migrationPenalty: 1, policy: { kind: "none" } },
 *   { events: 1000, workers: 1 }).warmup // => 100
 */
export function resolveSimulationOptions(params: SystemParams, options: SimulationOptions = {}): ResolvedSimulationOptions {
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object");
  if (options.events !== undefined && options.time !== undefined) {
    throw new ParameterError("time", options.time, "absent when events is given (choose one budget)");
  }
  const budget: "events" | "time" = options.time !== undefined ? "time" : "events";
  let events = NaN;
  let time = NaN;
  let warmup: number;
  if (budget === "events") {
    events = requireInteger("events", options.events ?? DEFAULT_SIMULATION_EVENTS, 1, MAX_SIMULATION_EVENTS);
    warmup = options.warmup === undefined
      ? Math.floor(events / 10)
      : requireInteger("warmup", options.warmup, 0, MAX_SIMULATION_EVENTS);
  } else {
    time = requireNumber("time", options.time, 0, 1e15);
    warmup = options.warmup === undefined ? time / 10 : requireNumber("warmup", options.warmup, 0, 1e15, { loInclusive: true });
  }
  const clock = options.clock ?? "time";
  if (clock !== "time" && clock !== "events") throw new ParameterError("clock", clock, '"time" or "events"');
  const replications = requireInteger("replications", options.replications ?? 1, 1, Math.min(10_000, MAX_REPLICATION_INDEX + 1));
  const seed = requireInteger("seed", options.seed ?? 1, 0, 0xffffffff);
  let workers = options.workers === undefined
    ? Math.min(replications, Math.max(1, availableParallelism()))
    : requireInteger("workers", options.workers, 1, 256);
  if (params?.policy?.kind === "custom") workers = 1;
  const trackDelays = options.trackDelays ?? true;
  if (typeof trackDelays !== "boolean") throw new ParameterError("trackDelays", trackDelays, "true or false");
  const delayQuantiles = options.delayQuantiles ?? [0.5, 0.9, 0.99];
  if (!Array.isArray(delayQuantiles)) throw new ParameterError("delayQuantiles", delayQuantiles, "an array of probabilities in (0, 1)");
  delayQuantiles.forEach((p, k) => requireNumber(`delayQuantiles[${k}]`, p, 0, 1));
  const pathPoints = requireInteger("pathPoints", options.pathPoints ?? 1000, 4, 1_000_000);
  if (pathPoints % 2 !== 0) throw new ParameterError("pathPoints", pathPoints, "an even integer in [4, 1000000]");
  const maxQueueLength = requireInteger("maxQueueLength", options.maxQueueLength ?? 1_000_000, 1, 10_000_000);
  const maxTrackedJobs = requireInteger("maxTrackedJobs", options.maxTrackedJobs ?? 2 ** 22, 1024, 2 ** 26);
  const stabilityTolerance = requireNumber("stabilityTolerance", options.stabilityTolerance ?? DEFAULT_STABILITY_TOLERANCE, 0, Infinity);
  const initialState = resolveInitialState(options.initialState, params?.queues, maxQueueLength);
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new ParameterError("onProgress", options.onProgress, "a function");
  }
  return {
    budget, events, time, warmup, clock, replications, seed, workers, trackDelays,
    delayQuantiles: [...delayQuantiles], pathPoints, maxQueueLength, maxTrackedJobs, stabilityTolerance, initialState,
  };
}

/** Validates `initialState` (see SimulationOptions) and copies it; undefined gives null (the empty system). */
function resolveInitialState(value: unknown, queues: number, maxQueueLength: number): readonly number[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length !== queues) {
    const shown = Array.isArray(value) ? `an array of length ${value.length}` : value;
    throw new ParameterError("initialState", shown, `an array of n = ${queues} queue lengths`);
  }
  const copy = value.slice() as number[];
  copy.forEach((x, k) => requireInteger(`initialState[${k}]`, x, 0, maxQueueLength - 1));
  return copy;
}
