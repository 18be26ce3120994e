import type { SystemParams } from "../model/system";
import type { ReplicationResult } from "./replicationResult";
import type { ResolvedSimulationOptions } from "./simulationOptions";
import { type SimulationReport, summarizeSimulation } from "./summarizeSimulation";

/** How a precision-driven run ended. */
export interface PrecisionOutcome {
  /** gamma, the requested relative 95% half-width. */
  readonly target: number;
  readonly of: "meanDelay" | "meanQueueLength";
  /** True only when the achieved relative half-width is at most gamma / (1 + gamma) (see runToPrecision). */
  readonly reached: boolean;
  /** The estimate's 95% half-width over |mean| after the last round. */
  readonly achievedRelativeHalfWidth: number;
  readonly replications: number;
  readonly rounds: number;
  /** Events simulated, warm-ups included. */
  readonly eventsSimulated: number;
  readonly maxEvents: number;
  /** Why the run stopped, in words. */
  readonly reason: string;
  readonly procedure: string;
}

/** Most replications of a run (replication indices are bounded: see replicationStreamState). */
const MAX_REPLICATIONS = 10_000;

const PROCEDURE =
  "Law and Kelton's sequential relative-precision procedure on independent replications: after each round, stop " +
  "when the 95% half-width is at most gamma/(1+gamma) of |mean| (which bounds the relative error by gamma), else " +
  "add the replications that the current variance estimate predicts are needed (10% more, at least a quarter of " +
  "the current number), within the budget. Caveat: stopping on a random sample size makes the actual coverage " +
  "somewhat below 95% when few replications are used (Law and Kelton, Simulation Modeling and Analysis, 3rd ed., " +
  "Sec. 9.4.1); checking only at round ends, as here, looks less often than after every replication.";

/**
 * Runs replications in rounds until the 95% half-width of the target estimate is at most gamma / (1 + gamma)
 * of its mean, or the budget (maxEvents, warm-ups included) would be exceeded by another replication, or the
 * system is judged unstable (a steady-state mean does not exist), or 10000 replications are reached. Each
 * replication has the length of the options' budget and uses its own stream (replication r of the seed), so the
 * result does not depend on the number of worker threads, and a longer run extends a shorter one. Cost: the
 * replications run, each O(events).
 *
 * @param params the system (validated)
 * @param options resolved options with a precision target
 * @param run runs replications [from, from + count) and resolves to their results in order
 * @param started performance.now() at the start of the run
 * @returns the summary of every replication run, with `precision` saying how it ended
 */
export async function runToPrecision(
  params: SystemParams,
  options: ResolvedSimulationOptions,
  run: (from: number, count: number) => Promise<ReplicationResult[]>,
  started: number,
): Promise<SimulationReport> {
  const precision = options.precision;
  if (!precision) throw new Error("runToPrecision needs options with a precision target");
  const gamma = precision.relativeHalfWidth;
  const acceptAt = gamma / (1 + gamma);
  const results: ReplicationResult[] = [];
  let spent = 0;
  let rounds = 0;
  let next = options.replications;
  let report: SimulationReport;
  let reason: string;
  let reached = false;
  let achieved = NaN;
  for (;;) {
    const batch = await run(results.length, next);
    results.push(...batch);
    for (const r of batch) spent += r.totalEvents;
    rounds++;
    const R = results.length;
    report = summarizeSimulation(params, { ...options, replications: R }, results, (performance.now() - started) / 1000);
    const estimate = report[precision.of];
    achieved = Math.abs(estimate.halfWidth / estimate.mean);
    // An unstable system has no steady-state mean: replications that grow alike can agree closely on a
    // meaningless average, so this is checked before the precision.
    if (report.stability.verdict === "unstable") {
      reason = `stopped: the system is judged unstable (${report.stability.reason}); a steady-state ${precision.of} does not exist`;
      break;
    }
    if (achieved <= acceptAt) {
      reached = true;
      reason = `reached after ${R} replications: relative half-width ${achieved.toPrecision(3)} <= gamma/(1+gamma) = ${acceptAt.toPrecision(3)}` +
        (report.stability.verdict === "inconclusive" ? `; note: the stability test was inconclusive (${report.stability.reason})` : "");
      break;
    }
    const perReplication = spent / R;
    const affordable = Math.floor((precision.maxEvents - spent) / perReplication);
    const wanted = Number.isFinite(achieved)
      ? Math.max(Math.ceil(R / 4), Math.ceil(R * (achieved / acceptAt) ** 2 * 1.1) - R)
      : R;
    next = Math.min(wanted, affordable, MAX_REPLICATIONS - R);
    if (next < 1) {
      reason = R >= MAX_REPLICATIONS
        ? `not reached: ${MAX_REPLICATIONS} replications run (relative half-width ${achieved.toPrecision(3)})`
        : `not reached: the budget of ${precision.maxEvents} events is spent (${spent} used, ${perReplication.toExponential(2)} per replication; relative half-width ${achieved.toPrecision(3)}, target ${acceptAt.toPrecision(3)})`;
      break;
    }
  }
  const outcome: PrecisionOutcome = {
    target: gamma, of: precision.of, reached, achievedRelativeHalfWidth: achieved, replications: results.length, rounds,
    eventsSimulated: spent, maxEvents: precision.maxEvents, reason, procedure: PROCEDURE,
  };
  return { ...report, precision: outcome };
}
