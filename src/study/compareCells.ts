import { ParameterError } from "../model/parameterError";
import { type MeanDifference, pairedDifference, welchDifference } from "../statistics/differenceOfMeans";
import type { StudyCellResult } from "./runStudy";

/** The per-replication estimates a comparison can use. */
export type ComparedEstimate = "meanQueueLength" | "meanDelay" | "migrationFraction";

/**
 * The difference first - second of one estimate of two study cells, with an interval: paired (pairedDifference)
 * when the two cells share their seed and replication count (common random numbers: replication r of each
 * uses the same stream), Welch's (welchDifference) otherwise. Both rest on each cell's per-replication
 * estimates, so each cell needs at least 2 replications. Cost O(replications).
 *
 * @param first a cell of a finished study
 * @param second another cell (of the same or another study)
 * @param estimate which estimate (default "meanDelay")
 * @param level confidence level (default 0.95)
 * @throws ParameterError when a cell has fewer than 2 replications or a non-finite estimate
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const study = await runStudy({ name: "demo", cells, simulation: { events: 1e5, replications: 2 } });
 * const d = compareCells(study.cells[0], study.cells[1], "meanQueueLength");
 * [d.method, d.verdict] // => ["welch", "first lower"] (independent seeds: Welch's interval)
 * d.mean // => -2.778 (M/M/1: 1 - 4 = -3)
 */
export function compareCells(
  first: StudyCellResult,
  second: StudyCellResult,
  estimate: ComparedEstimate = "meanDelay",
  level = 0.95,
): MeanDifference {
  for (const [name, cell] of [["first", first], ["second", second]] as const) {
    if (cell?.point?.replications === undefined || cell.point.replications < 2) {
      throw new ParameterError(`${name}.replications`, cell?.point?.replications, "at least 2 (comparisons rest on per-replication estimates)");
    }
  }
  const a = first.point.perReplication[estimate];
  const b = second.point.perReplication[estimate];
  const paired = first.seed === second.seed && a.length === b.length;
  return paired ? pairedDifference(a, b, level) : welchDifference(a, b, level);
}
