import { ParameterError } from "../model/parameterError";
import type { SimulationPoint } from "./simulationPoint";
import { integrateMeanField } from "../theory/meanfield/integrateMeanField";
import type { MeanFieldSystem } from "../theory/meanfield/meanFieldSystem";

/** A simulated sample path of the mean queue length beside the mean-field trajectory at the same times. */
export interface SamplePathComparison {
  readonly time: readonly number[];
  readonly simulated: readonly number[];
  readonly meanField: readonly number[];
  /** max_t |simulated - meanField|. */
  readonly maxAbsDifference: number;
  readonly timeOfMax: number;
  /** max_t |simulated - meanField| over the last half of the times (after the transient, when it is short). */
  readonly maxAbsDifferenceLastHalf: number;
  /** The mean-field truncation's top-level mass (keep it negligible). */
  readonly topLevelMax: number;
}

/**
 * Puts the sample path kept by a simulation (a study cell's point.path: mean units per queue of replication 0,
 * from the empty state at time 0) beside the mean-field trajectory from the empty state
 * (integrateMeanField) at the same times. For n queues the path should follow the ODE within O(1/sqrt(n))
 * fluctuations (Kurtz's theorem, under the formal assumptions of Section IV). Cost: one ODE integration over
 * the path's time span (plus a fixed-point solve to choose the truncation).
 *
 * @param point a point whose path starts at time 0 (a run with its warm-up included in the path, as all are)
 * @param system the mean-field system of the same policy, lambda and K
 * @throws ParameterError when the path is empty or does not start at time 0
 * @example
 * const study = await runStudy({ name: "demo", cells: studyCells([{ queues: 10000, arrivalRate: 0.75, migrationPenalty: 2, policy: mbounce(2, 10) }]),
 *   simulation: { time: 60, warmup: 0, replications: 1, trackDelays: false } });
 * compareSamplePathWithMeanField(study.cells[0].point, derivedMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 2, policy: mbounce(2, 10) })).maxAbsDifference
 * // => 0.11926... (units per queue)
 */
export function compareSamplePathWithMeanField(point: Pick<SimulationPoint, "path">, system: MeanFieldSystem): SamplePathComparison {
  const path = point.path;
  if (!path || path.time.length === 0 || path.time[0] !== 0) {
    throw new ParameterError("point.path", path?.time?.[0], "a sample path starting at time 0");
  }
  // Keep strictly increasing times (the integrator's requirement).
  const time: number[] = [];
  const simulated: number[] = [];
  for (let k = 0; k < path.time.length; k++) {
    const t = path.time[k] as number;
    if (time.length > 0 && !(t > (time[time.length - 1] as number))) continue;
    time.push(t);
    simulated.push(path.meanQueueLength[k] as number);
  }
  const trajectory = integrateMeanField(system, { times: time });
  const meanField = Array.from(trajectory.meanQueueLength);
  let maxAbs = 0;
  let timeOfMax = 0;
  let lastHalf = 0;
  const half = time[time.length - 1]! / 2;
  for (let k = 0; k < time.length; k++) {
    const d = Math.abs((simulated[k] as number) - (meanField[k] as number));
    if (d > maxAbs) {
      maxAbs = d;
      timeOfMax = time[k] as number;
    }
    if ((time[k] as number) >= half && d > lastHalf) lastHalf = d;
  }
  return { time, simulated, meanField, maxAbsDifference: maxAbs, timeOfMax, maxAbsDifferenceLastHalf: lastHalf, topLevelMax: trajectory.topLevelMax };
}
