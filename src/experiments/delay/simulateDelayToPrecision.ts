import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { type SystemParams, validateSystem } from "../../model/system";
import { MAX_SIMULATION_EVENTS, resolveSimulationOptions } from "../../simulate/simulationOptions";
import type { CacheOptions } from "../resultCache";
import type { IntervalEstimate } from "../simulationPoint";
import { type StudyPoint, simulatePoints } from "../simulatePoints";

/** Options of {@link simulateDelayToPrecision}. */
export interface DelayPrecisionOptions {
  /** Accept a stage once the mean delay's 95% half-width is at most this fraction of the mean: in (0, 1). */
  readonly requiredRelativeHalfWidth: number;
  /**
   * The relative half-width each next stage is planned for: in (0, required]; default 0.75 x required, so that
   * the noise of the variance estimate rarely leaves a planned stage short of the requirement.
   */
  readonly plannedRelativeHalfWidth?: number;
  /** Post-warm-up events per replication of the first (pilot) stage: an integer >= 1000. */
  readonly pilotEvents: number;
  /** Largest post-warm-up events per replication of any stage: an integer in [pilotEvents, 2^50]. */
  readonly maxEvents: number;
  /** Most stages per system, pilot included: an integer in [1, 10]; default 4. */
  readonly maxStages?: number;
  /** Independent replications per stage: an integer in [2, 10000] (intervals across replications). */
  readonly replications: number;
  /** Seed of the pilot; stage k uses seed + k: an integer with seed + maxStages <= 2^32 - 1. */
  readonly seed: number;
  /** Simulator clock; default "events" (mean delays stay unbiased, and it is the faster clock). */
  readonly clock?: "events" | "time";
  /** Warm-up per replication as a fraction of the stage's events: in [0, 10]; default 0.1 (the simulator's). */
  readonly warmupFraction?: number;
  /**
   * The warm-up is also at least this many M/M/1 relaxation times at the same lambda (see mm1RelaxationTime),
   * and the pilot at least as long as the warm-up: in [0, 1000], default 3.
   */
  readonly warmupRelaxationTimes?: number;
  /**
   * Worker threads (results do not depend on it). Default: 1 for a stage of fewer than
   * SINGLE_THREAD_STAGE_EVENTS events in all (starting workers costs about half a second per call, more than
   * such a stage takes on one thread), else the simulator's default (one per core).
   */
  readonly workers?: number;
  readonly cache?: CacheOptions;
  /** Called after each system with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One stage of a precision run. */
export interface DelayStage {
  /** Post-warm-up events per replication. */
  readonly events: number;
  readonly seed: number;
  readonly meanDelay: IntervalEstimate;
  readonly stability: StudyPoint["stability"]["verdict"];
  readonly fromCache: boolean;
}

/** A system simulated until its mean delay reached the required precision, or why not. */
export interface PrecisionPoint {
  readonly system: SystemParams;
  /** The last stage's point: the estimate to report (earlier stages only planned its length). */
  readonly point: StudyPoint;
  readonly stages: readonly DelayStage[];
  /** True when the last stage's relative half-width is at most the requirement. */
  readonly reached: boolean;
  readonly requiredRelativeHalfWidth: number;
  /** Why the run stopped, in words. */
  readonly reason: string;
  /** Events simulated over all stages and replications, warm-ups included. */
  readonly eventsSimulated: number;
}

/** Stages with fewer events than this in all (replications x (events + warm-up)) run on the calling thread by default. */
export const SINGLE_THREAD_STAGE_EVENTS = 20_000_000;

/**
 * The relaxation time 1/(1 - sqrt(lambda))^2 of an M/M/1 queue with arrival rate lambda < 1 and service rate 1:
 * (1 - sqrt(lambda))^2 is the gap between the edge of the generator's continuous spectrum and 0 (Morse 1955;
 * Kijima, Markov Processes for Stochastic Modeling, 1997, Sec. 5.7), so the law of the queue approaches
 * stationarity like exp(-t (1 - sqrt(lambda))^2) up to a power-law factor. Examples: 11.7 time units at
 * lambda = 0.5, 380 at 0.9, 1560 at 0.95. Infinity for lambda >= 1.
 */
function mm1RelaxationTime(lambda: number): number {
  return lambda < 1 ? 1 / (1 - Math.sqrt(lambda)) ** 2 : Infinity;
}

/** Two significant digits, rounded up: keeps cache keys readable and never plans less than asked. */
function roundUpTwoDigits(x: number): number {
  const scale = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1);
  return Math.ceil(x / scale) * scale;
}

/**
 * Simulates each system in stages until its mean delay (simulator meanDelay: a job's arrival to the
 * departure of its last unit) has a 95% interval of half-width <= `requiredRelativeHalfWidth` x mean, within
 * a per-replication budget. Each replication starts empty and discards a warm-up of
 * max(warmupFraction x events, warmupRelaxationTimes M/M/1 relaxation times at the same lambda); the simulator
 * then also drops the initial records that MSER-5 marks as transient. Stage 0 is a pilot of
 * max(pilotEvents, that warm-up) events per replication; after stage k with relative
 * half-width r_k > required, stage k + 1 runs
 *   E_{k+1} = min(maxEvents, max(1.5 E_k, E_k (r_k / planned)^2)) events per replication
 * (the half-width of a steady-state mean falls as 1/sqrt(events)), on seed + k + 1, so each stage is an
 * independent sample and the reported estimate is the accepting stage's alone. Stops when a stage reaches the
 * requirement, or the budget or stage limit is exhausted (reached = false, reason says so), or a stage is
 * judged unstable after the pilot or has no delay estimate (delay tracking stopped): a growing system has no mean delay to
 * refine (a pilot judged unstable goes on to the next stage: a pilot may still be in its transient). Accepting the first stage whose own interval meets the requirement selects slightly for stages with
 * a low variance estimate; the means are unaffected and the coverage loss is small when stages are long.
 * Every stage is a simulatePoints call, cached with its provenance.
 *
 * Cost: the stages' events; typically the pilot plus one stage of about
 * pilot x (r_0 / planned)^2 events per replication.
 *
 * @param study cache name (letters, digits, '-', '_')
 * @param systems configurations (validated before any simulation; custom policies cannot be cached)
 * @param options precision requirement, budgets, replications, seed (ParameterError names a bad one)
 * @returns one PrecisionPoint per system, in order
 * @example
 * const [p] = await simulateDelayToPrecision("mm1-delay", [{ queues: 100, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }],
 *   { requiredRelativeHalfWidth: 0.01, pilotEvents: 1e5, maxEvents: 1e7, replications: 8, seed: 1 });
 * p.point.meanDelay.mean // => 1.9987... (M/M/1: 1/(1 - lambda) = 2)
 * p.stages.map((s) => s.events) // => [100000] (the pilot already reached 0.55%)
 */
export async function simulateDelayToPrecision(
  study: string,
  systems: readonly SystemParams[],
  options: DelayPrecisionOptions,
): Promise<PrecisionPoint[]> {
  if (!Array.isArray(systems) || systems.length === 0) {
    throw new ParameterError("systems", systems, "a non-empty array of system parameters");
  }
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object");
  const required = requireNumber("requiredRelativeHalfWidth", options.requiredRelativeHalfWidth, 0, 1);
  const planned = requireNumber("plannedRelativeHalfWidth", options.plannedRelativeHalfWidth ?? 0.75 * required, 0, required, { hiInclusive: true });
  const pilotEvents = requireInteger("pilotEvents", options.pilotEvents, 1000, MAX_SIMULATION_EVENTS);
  const maxEvents = requireInteger("maxEvents", options.maxEvents, pilotEvents, MAX_SIMULATION_EVENTS);
  const maxStages = requireInteger("maxStages", options.maxStages ?? 4, 1, 10);
  const replications = requireInteger("replications", options.replications, 2, 10_000);
  const seed = requireInteger("seed", options.seed, 0, 0xffffffff - maxStages);
  const warmupFraction = requireNumber("warmupFraction", options.warmupFraction ?? 0.1, 0, 10, { loInclusive: true, hiInclusive: true });
  const relaxations = requireNumber("warmupRelaxationTimes", options.warmupRelaxationTimes ?? 3, 0, 1000, { loInclusive: true, hiInclusive: true });
  const clock = options.clock ?? "events";
  const base = {
    replications,
    clock,
    ...(options.cache !== undefined ? { cache: options.cache } : {}),
  };
  const workersFor = (stageEvents: number): { workers?: number } =>
    options.workers !== undefined
      ? { workers: options.workers }
      : stageEvents < SINGLE_THREAD_STAGE_EVENTS ? { workers: 1 } : {};
  for (const system of systems) {
    validateSystem(system);
    resolveSimulationOptions(system, { ...base, ...workersFor(0), events: maxEvents, warmup: Math.round(maxEvents * warmupFraction), seed });
    if (!(system.arrivalRate < 1)) throw new ParameterError("arrivalRate (lambda)", system.arrivalRate, "< 1 (a mean delay needs a stable system)");
  }

  const out: PrecisionPoint[] = [];
  options.onProgress?.(0, systems.length);
  for (const system of systems) {
    const stages: DelayStage[] = [];
    // Events per replication of `relaxations` M/M/1 relaxation times (n (lambda + 1) events per unit time).
    const lambda = system.arrivalRate;
    const relaxationEvents = Math.min(MAX_SIMULATION_EVENTS / 4, Math.ceil(relaxations * mm1RelaxationTime(lambda) * system.queues * (lambda + 1)));
    const minimumWarmup = lambda < 1 ? relaxationEvents : 0;
    let events = Math.min(maxEvents, Math.max(pilotEvents, minimumWarmup));
    let point: StudyPoint | undefined;
    let reason = "";
    let reached = false;
    let eventsSimulated = 0;
    for (let k = 0; k < maxStages; k++) {
      const warmup = Math.max(Math.round(events * warmupFraction), minimumWarmup);
      const stageEvents = replications * (events + warmup);
      const [p] = await simulatePoints(study, [system], { ...base, ...workersFor(stageEvents), events, warmup, seed: seed + k, trackDelays: true });
      point = p as StudyPoint;
      eventsSimulated += stageEvents;
      const r = point.meanDelay.relativeHalfWidth;
      stages.push({ events, seed: seed + k, meanDelay: point.meanDelay, stability: point.stability.verdict, fromCache: point.fromCache });
      if (point.stability.verdict === "unstable" && k > 0) {
        reason = `judged unstable at stage ${k} (${point.stability.reason}): no mean delay to refine`;
        break;
      }
      if (!Number.isFinite(r)) {
        reason = `no delay estimate at stage ${k}${point.notes.length > 0 ? ` (${point.notes.join("; ")})` : ""}`;
        break;
      }
      if (r <= required) {
        reached = true;
        reason = `reached ${(100 * r).toPrecision(3)}% <= ${(100 * required).toPrecision(3)}% at stage ${k} with ${events} events per replication`;
        break;
      }
      if (events >= maxEvents) {
        reason = `budget exhausted: ${(100 * r).toPrecision(3)}% > ${(100 * required).toPrecision(3)}% with the largest stage (${maxEvents} events per replication)`;
        break;
      }
      if (k === maxStages - 1) {
        reason = `stage limit: ${(100 * r).toPrecision(3)}% > ${(100 * required).toPrecision(3)}% after ${maxStages} stages`;
        break;
      }
      events = Math.min(maxEvents, roundUpTwoDigits(Math.max(1.5 * events, events * (r / planned) ** 2)));
    }
    out.push({ system, point: point as StudyPoint, stages, reached, requiredRelativeHalfWidth: required, reason, eventsSimulated });
    options.onProgress?.(out.length, systems.length);
  }
  return out;
}
