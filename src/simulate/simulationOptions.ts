import { isTransferable } from "../model/policy";
import { availableParallelism } from "node:os";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import type { Progress } from "../model/progress";
import type { SystemParams } from "../model/system";
import { MAX_REPLICATION_INDEX } from "../random/replicationStream";
import { DEFAULT_STABILITY_TOLERANCE } from "../statistics/stabilityVerdict";
import { DEFAULT_PRECISION_REPLICATIONS, type PrecisionTarget, type ResolvedPrecision, resolvePrecision } from "./precisionTarget";

/** Progress of a run, reported through {@link SimulationOptions.onProgress}: the package's one progress type (events: all replications, warm-up included). */
export type SimulationProgress = Progress;

/**
 * How to run the simulator. Every field is optional; {@link resolveSimulationOptions} fills defaults and
 * validates. Budgets exclude the warm-up: a run simulates `warmup` then `events` (or `time`) more.
 */
export interface SimulationOptions {
  /**
   * Post-warm-up budget in events of the uniformized chain: an integer in [1, 2^50] (>= MIN_SIMULATION_EVENTS
   * = 40 for runSimulation, whose report needs that many), with n x (warmup + events) <= 2^53 (exact sums)
   * and, unless `force`, a total work of at most SIMULATION_WORK_LIMIT events. Default 1e6 when neither
   * budget is given.
   */
  readonly events?: number;
  /**
   * Post-warm-up budget in time units (instead of `events`): finite, > 0 and at most 1e15 (for runSimulation
   * long enough for 2 x MIN_SIMULATION_EVENTS = 80 events in expectation: time >= 80 / (n (lambda + 1))); the
   * exactness and work bounds of `events` apply to its expected event count n (lambda + 1) (warmup + time).
   */
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
  /**
   * Worker threads: an integer in [1, available cores] (up to 256 with `force`; each worker costs about 165 MB).
   * Default min(replications, available cores). Results do not depend on it.
   */
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
  /**
   * Run until the 95% half-width of an estimate is at most this fraction of its mean, adding independent
   * replications of the given length in rounds (see runToPrecision), or until `maxEvents` is spent.
   */
  readonly precision?: PrecisionTarget;
  /** The budget of a precision-driven run in events, all replications and warm-ups included (default 2e9). */
  readonly maxEvents?: number;
  /**
   * Lift the limits that only bound the cost of a run: the total work (SIMULATION_WORK_LIMIT events) and
   * workers above the number of cores. The limits that keep the arithmetic exact stay. Default false.
   */
  readonly force?: boolean;
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
  /** The precision target and budget, or undefined for a run of fixed length. */
  readonly precision: ResolvedPrecision | undefined;
  /** The queue lengths at time 0 (a copy), or null for the empty system. */
  readonly initialState: readonly number[] | null;
}

/** Default post-warm-up events when no budget is given. */
export const DEFAULT_SIMULATION_EVENTS = 1_000_000;
/** Largest events budget accepted (keeps event counts exact in doubles). */
export const MAX_SIMULATION_EVENTS = 2 ** 50;
/** Batches of the batch-means intervals (one replication) and of the stability test (per replication). */
export const SIMULATION_BATCHES = 20;
/**
 * Smallest post-warm-up events budget of runSimulation, 2 x SIMULATION_BATCHES = 40 (checked by
 * requireEstimableBudget; a single replication, simulateReplication, may run fewer). A replication cuts its post-warm-up run
 * into records of at least one event each, MSER-5 may discard up to half of them, and the batch-means
 * intervals need SIMULATION_BATCHES batches of at least one record from what is left: 40 events is the least
 * budget from which the estimates the report announces can be formed at all (they can still be NaN, for
 * example a delay when no job completes in a batch; the report says which). A verdict needs far more
 * (MIN_EVENTS_PER_QUEUE events per queue, see stabilityVerdict).
 */
export const MIN_SIMULATION_EVENTS = 2 * SIMULATION_BATCHES;
/**
 * The arrival rates the simulator accepts: [2^-12, 2^12] = [0.000244140625, 4096]. The event loop draws the
 * type of each event with one 32-bit word against A = round(2^32 lambda / (lambda + 1)), so both the arrival
 * probability lambda / (lambda + 1) and the service probability 1 / (lambda + 1) carry an absolute error of up
 * to 2^-33; over this range the smaller of the two is at least 1 / (2^12 + 1), so each is represented to a
 * relative error of at most 2^-33 (2^12 + 1) < 2^-20.9 (5e-7). Outside it the error grows without bound (at
 * lambda = 1e308 the rate n (lambda + 1) overflows and no time passes).
 */
export const SIMULATION_ARRIVAL_RATE_RANGE: readonly [number, number] = [2 ** -12, 2 ** 12];
/**
 * Largest total work of a run without `force`: 1e10 events, all replications and warm-ups included (for a
 * time budget, its expected events n (lambda + 1) (warmup + time) per replication). At the measured 7-9
 * million events per second per worker for n <= 10^4 (2 million at n = 10^6) that is 20-25 minutes on one
 * core; the error for a larger run gives its estimated duration.
 */
export const SIMULATION_WORK_LIMIT = 1e10;
/**
 * Largest n x (events of one replication, warm-up included): 2^53. The tail statistics are accumulated as
 * integers of size up to n x events (see simulateReplication), exact in doubles up to 2^53.
 */
const EXACT_QUEUE_EVENTS = 2 ** 53;

/**
 * Validates run options and fills defaults, before any work starts. Cost O(number of quantiles).
 *
 * Besides each option's own range it checks, in this order, the bounds that involve the system: the arrival
 * rate (SIMULATION_ARRIVAL_RATE_RANGE), a time budget long enough for 80 expected events, workers up to the
 * number of cores (unless `force`), n x (events of a replication) <= 2^53 (always), and the total work
 * (SIMULATION_WORK_LIMIT, unless `force`; the error gives the run's estimated duration).
 *
 * @param params the system (validated by validateSystem; read here: n and lambda for the bounds, `policy` to
 *   cap workers for a custom rule, which cannot cross threads, and `sampling`)
 * @param options the options (not mutated)
 * @throws ParameterError naming the option, its value and the allowed range
 * @example
 * resolveSimulationOptions({ queues: 10, arrivalRate: 0.5, migrationPenalty: 1, policy: { kind: "none" } },
 *   { events: 1000, workers: 1 }).warmup // => 100
 * resolveSimulationOptions({ queues: 100, arrivalRate: 0.5, migrationPenalty: 1, policy: { kind: "none" } }, { events: 1e12 })
 * // throws ParameterError "events = 1000000000000 is out of range: at most 9.09e9 with 1 replication(s)" (about 30.6 h)
 */

export function resolveSimulationOptions(params: SystemParams, options: SimulationOptions = {}): ResolvedSimulationOptions {
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object");
  const force = options.force ?? false;
  if (typeof force !== "boolean") throw new ParameterError("force", force, "true or false");
  const [lambdaMin, lambdaMax] = SIMULATION_ARRIVAL_RATE_RANGE;
  const lambda = params?.arrivalRate;
  if (typeof lambda !== "number" || !(lambda >= lambdaMin && lambda <= lambdaMax)) {
    throw new ParameterError("arrivalRate (lambda)", lambda, `a number in [2^-12, 2^12] = [${lambdaMin}, ${lambdaMax}] for the simulator`,
      "the event type is drawn from a 32-bit word; outside this range the arrival or the service probability loses its relative precision");
  }
  const n = params.queues;
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
    time = requireNumber("time", options.time, 0, 1e15, { hiInclusive: true });
    warmup = options.warmup === undefined ? time / 10 : requireNumber("warmup", options.warmup, 0, 1e15, { loInclusive: true, hiInclusive: true });
  }
  const clock = options.clock ?? "time";
  if (clock !== "time" && clock !== "events") throw new ParameterError("clock", clock, '"time" or "events"');
  const precisionDriven = options.precision !== undefined;
  const replications = requireInteger("replications", options.replications ?? (precisionDriven ? DEFAULT_PRECISION_REPLICATIONS : 1),
    precisionDriven ? 2 : 1, Math.min(10_000, MAX_REPLICATION_INDEX + 1));
  const seed = requireInteger("seed", options.seed ?? 1, 0, 0xffffffff);
  const cores = Math.max(1, availableParallelism());
  let workers = options.workers === undefined
    ? Math.min(replications, cores)
    : requireInteger("workers", options.workers, 1, 256);
  if (workers > cores && !force) {
    throw new ParameterError("workers", workers, `an integer in [1, ${cores}] (the cores of this machine)`,
      "each worker thread costs about 165 MB and more workers than cores only share them; pass force: true (CLI --force) to use up to 256");
  }
  if (params?.policy !== undefined && !isTransferable(params.policy)) workers = 1;
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
  // Bounds across options, once each option is valid on its own.
  const perReplication = budget === "events" ? warmup + events : n * (lambda + 1) * (warmup + time);
  const budgetName = budget === "events" ? "events" : "time";
  const budgetValue = budget === "events" ? events : time;
  const perEvent = budget === "events" ? 1 : n * (lambda + 1); // events per budget unit
  // The largest budget within `limit` events per replication: the warm-up is fixed, or 10% of the budget.
  const defaultWarmup = options.warmup === undefined;
  const largestBudget = (limit: number): number => Math.max(0, defaultWarmup ? limit / perEvent / 1.1 : limit / perEvent - warmup);
  const warmupWords = defaultWarmup ? "the default warm-up (10% more)" : `a warm-up of ${formatCount(warmup)}`;
  // Time budgets: the event count is random; a factor 2 below 2^53 leaves room for any plausible fluctuation.
  const exactLimit = budget === "events" ? EXACT_QUEUE_EVENTS : EXACT_QUEUE_EVENTS / 2;
  if (n * (perReplication + 1) > exactLimit) {
    throw new ParameterError(budgetName, budgetValue, `at most ${formatCount(largestBudget(exactLimit / n - 1))} with n = ${n} and ${warmupWords}`,
      "n x (events of a replication) must stay below 2^53 for the tail statistics to be exact; this bound holds even with force");
  }
  const work = replications * perReplication;
  if (work > SIMULATION_WORK_LIMIT && !force) {
    const seconds = estimatedSimulationSeconds(n, work, Math.min(workers, replications));
    throw new ParameterError(budgetName, budgetValue,
      `at most ${formatCount(largestBudget(SIMULATION_WORK_LIMIT / replications))} with ${replications} replication(s) and ${warmupWords}: ` +
      `a run may do ${formatCount(SIMULATION_WORK_LIMIT)} events without force`,
      `this run would do ${formatCount(work)} events, about ${formatDuration(seconds)}; pass force: true (CLI --force) to run it, or ask for less`);
  }
  const precision = resolvePrecision(options.precision, options.maxEvents, trackDelays);
  if (precision && precision.maxEvents > SIMULATION_WORK_LIMIT && !force) {
    throw new ParameterError("maxEvents", precision.maxEvents, `at most ${formatCount(SIMULATION_WORK_LIMIT)} events without force`,
      `a precision-driven run may spend its whole budget, about ${formatDuration(estimatedSimulationSeconds(n, precision.maxEvents, Math.min(workers, replications)))}; pass force: true (CLI --force) to allow it`);
  }
  return {
    budget, events, time, warmup, clock, replications, seed, workers, trackDelays,
    delayQuantiles: [...delayQuantiles], pathPoints, maxQueueLength, maxTrackedJobs, stabilityTolerance, precision, initialState,
  };
}

/**
 * Wall-clock seconds a run of `events` events (all replications) is expected to take on `workers` workers,
 * from the speeds measured on a 2-core machine: about 10^7 events per second per worker up to n = 10^4,
 * falling like n^-0.35 above (3 million at n = 10^5, 2 million at n = 10^6, where the queues leave the
 * caches). For messages only.
 */
function estimatedSimulationSeconds(n: number, events: number, workers: number): number {
  const perWorker = n <= 1e4 ? 1e7 : 1e7 * (1e4 / n) ** 0.35;
  return events / (perWorker * Math.max(1, workers));
}

/** A count for a message, rounded down to 3 significant digits (so a bound shown is never above the true one). */
function formatCount(x: number): string {
  if (!(x >= 1e6)) return String(Number(x.toPrecision(6)));
  const unit = 10 ** (Math.floor(Math.log10(x)) - 2);
  return (Math.floor(x / unit) * unit).toExponential().replace("e+", "e");
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds.toPrecision(2)} s`;
  if (seconds < 7200) return `${(seconds / 60).toPrecision(2)} min`;
  return `${(seconds / 3600).toPrecision(3)} h`;
}

/**
 * Throws unless the resolved budget is long enough for the report of runSimulation: at least
 * MIN_SIMULATION_EVENTS = 40 post-warm-up events, or for a time budget at least 80 expected events
 * (time >= 80 / (n (lambda + 1)); fewer than 40 then has probability 3e-7, the Poisson(80) tail). Shorter
 * runs cannot form the SIMULATION_BATCHES batches of the intervals, and every estimate would be NaN. Cost O(1).
 *
 * @param params the system (n and lambda are read)
 * @param options options resolved by resolveSimulationOptions
 * @throws ParameterError naming "events" or "time" with the smallest budget allowed
 * @example
 * const p = { queues: 100, arrivalRate: 0.5, migrationPenalty: 1, policy: { kind: "none" } } as const;
 * requireEstimableBudget(p, resolveSimulationOptions(p, { events: 1 }))
 * // throws ParameterError "events = 1 is out of range: an integer >= 40" (2 x 20 batches)
 */
export function requireEstimableBudget(params: SystemParams, options: ResolvedSimulationOptions): void {
  if (options.budget === "events") {
    if (!(options.events >= MIN_SIMULATION_EVENTS)) {
      throw new ParameterError("events", options.events, `an integer >= ${MIN_SIMULATION_EVENTS} (2 x ${SIMULATION_BATCHES} batches: ` +
        "MSER-5 may discard half the run, and each batch of the intervals needs at least one record)");
    }
    return;
  }
  const shortest = (2 * MIN_SIMULATION_EVENTS) / (params.queues * (params.arrivalRate + 1));
  if (!(options.time >= shortest)) {
    throw new ParameterError("time", options.time,
      `a number >= 80 / (n (lambda + 1)) = ${Number(shortest.toPrecision(4))} time units (80 events expected) and <= 1e15`,
      `a shorter run cannot form the ${SIMULATION_BATCHES} batches of its intervals`);
  }
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
