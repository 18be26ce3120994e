import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { type SystemParams, validateSystem } from "../model/system";
import { MAX_SIMULATION_EVENTS } from "../simulate/simulationOptions";
import { mm1RelaxationTime } from "../theory/queueing/mm1RelaxationTime";
import type { StudySimulation } from "./runStudy";

/** How a precision-driven cell is run: the target, and how long each replication and its warm-up are. */
export interface PrecisionPlan {
  /** gamma: run until the 95% half-width is at most gamma x |mean| (the simulator's rule), in (0, 1). */
  readonly relativeHalfWidth: number;
  /** Which estimate: "meanDelay" (default; delays are tracked) or "meanQueueLength" (delays are not tracked). */
  readonly of?: "meanDelay" | "meanQueueLength";
  /** Replications of the first round: an integer in [2, 10000]; default 6. */
  readonly replications?: number;
  /** Warm-up of each replication, in relaxation times: in [0, 1000]; default 3. */
  readonly warmupRelaxations?: number;
  /** The relaxation time, in time units (> 0, finite); default mm1RelaxationTime(lambda) of the system. */
  readonly relaxationTime?: number;
  /** Largest fraction of a replication (warm-up included) the warm-up may take: in (0, 1); default 0.1. */
  readonly maxWarmupFraction?: number;
  /** Post-warm-up events per replication, at least: an integer >= 1000; default 200000. */
  readonly minEvents?: number;
  /** The cell's budget: events of all replications, warm-ups included; enough for the first round. */
  readonly maxEvents: number;
}

/**
 * The simulation options of a precision-driven study cell (runStudy passes them to runSimulation, whose
 * runToPrecision adds independent replications in rounds until the target holds or the budget is spent).
 * Each replication starts empty and discards a warm-up of `warmupRelaxations` relaxation times, that is
 * ceil(warmupRelaxations x relaxationTime x n (lambda + 1)) events of the uniformized chain; its post-warm-up
 * length is chosen so that the warm-up is at most `maxWarmupFraction` of the replication (and at least
 * `minEvents`). The simulator then drops what MSER-5 marks as transient in the replications' average. The
 * clock is "events" (the embedded chain: mean delays and queue lengths are unbiased, and it is the faster
 * clock). Cost O(1).
 *
 * @param system the cell's system (lambda < 1: a steady-state mean needs a stable system)
 * @param plan target, replications, warm-up and budget
 * @returns options for runStudy's `simulation`
 * @throws ParameterError naming a bad plan field, or maxEvents when the first round does not fit in it
 * @example
 * precisionSimulation({ queues: 100, arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, 10) },
 *   { relativeHalfWidth: 0.02, maxEvents: 1e9 })
 * // => { clock: "events", trackDelays: true, replications: 6, warmup: 216450, events: 1948050,
 * //      precision: { relativeHalfWidth: 0.02, of: "meanDelay" }, maxEvents: 1000000000 }
 */
export function precisionSimulation(system: SystemParams, plan: PrecisionPlan): StudySimulation {
  validateSystem(system);
  if (plan === null || typeof plan !== "object") throw new ParameterError("plan", plan, "an object with relativeHalfWidth and maxEvents");
  const gamma = requireNumber("relativeHalfWidth", plan.relativeHalfWidth, 0, 1);
  const of = plan.of ?? "meanDelay";
  if (of !== "meanDelay" && of !== "meanQueueLength") throw new ParameterError("of", of, '"meanDelay" or "meanQueueLength"');
  const replications = requireInteger("replications", plan.replications ?? 6, 2, 10_000);
  const relaxations = requireNumber("warmupRelaxations", plan.warmupRelaxations ?? 3, 0, 1000, { loInclusive: true, hiInclusive: true });
  requireNumber("arrivalRate (lambda)", system.arrivalRate, 0, 1);
  const relaxation = requireNumber("relaxationTime", plan.relaxationTime ?? mm1RelaxationTime(system.arrivalRate), 0, 1e12);
  const fraction = requireNumber("maxWarmupFraction", plan.maxWarmupFraction ?? 0.1, 0, 1);
  const minEvents = requireInteger("minEvents", plan.minEvents ?? 200_000, 1000, MAX_SIMULATION_EVENTS);
  const eventsPerTime = system.queues * (system.arrivalRate + 1);
  const warmup = Math.ceil(relaxations * relaxation * eventsPerTime);
  const events = Math.max(minEvents, Math.ceil((warmup * (1 - fraction)) / fraction));
  const firstRound = replications * (events + warmup);
  const maxEvents = requireInteger("maxEvents", plan.maxEvents, firstRound, 2 ** 52);
  return {
    clock: "events",
    trackDelays: of === "meanDelay",
    replications,
    warmup,
    events,
    precision: { relativeHalfWidth: gamma, of },
    maxEvents,
  };
}
