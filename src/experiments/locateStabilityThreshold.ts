import { ParameterError, requireNumber } from "../model/parameterError";
import type { SystemParams } from "../model/system";
import { type SimulatePointsOptions, type StudyPoint, simulatePoints } from "./simulatePoints";

/** Options of {@link locateStabilityThreshold}. */
export interface ThresholdSearchOptions extends SimulatePointsOptions {
  /** An arrival rate expected to be stable. */
  readonly lower: number;
  /** An arrival rate expected to be unstable (> lower). */
  readonly upper: number;
  /** Stop when the bracket is at most this wide (> 0). Default 0.005. */
  readonly tolerance?: number;
}

/** Where the simulated system turns unstable. */
export interface ThresholdSearchResult {
  /**
   * [largest rate judged stable, smallest rate judged unstable] when the search is conclusive; the
   * threshold lies in it with the confidence of the two verdicts it rests on (each a 95% test).
   */
  readonly interval: readonly [number, number];
  /** True when both ends carry a verdict (stable below, unstable above) and the bracket reached the tolerance. */
  readonly conclusive: boolean;
  /** What stopped the search, in words. */
  readonly reason: string;
  /** Every simulated rate, sorted by rate. */
  readonly points: readonly StudyPoint[];
}

/**
 * Locates the arrival rate at which a family of systems turns unstable, by bisection on simulation
 * verdicts (stabilityVerdict: a 95% test of the growth of the total queue length). The ends are checked
 * first; then each midpoint judged stable raises the lower end and each judged unstable lowers the upper
 * end. An inconclusive midpoint ends the search with the bracket found so far (run longer to resolve it).
 * Cost: 2 + log2((upper - lower) / tolerance) simulations, each cached as in simulatePoints.
 *
 * @param study cache name
 * @param system the family: arrival rate -> system parameters
 * @param options bracket, tolerance, and the simulator options of every point
 * @throws ParameterError for a bad bracket or tolerance (before any simulation)
 */
export async function locateStabilityThreshold(
  study: string,
  system: (arrivalRate: number) => SystemParams,
  options: ThresholdSearchOptions,
): Promise<ThresholdSearchResult> {
  const { lower, upper, tolerance = 0.005, onProgress, ...rest } = options;
  requireNumber("lower", lower, 0, Infinity);
  requireNumber("upper", upper, lower, Infinity);
  requireNumber("tolerance", tolerance, 0, Infinity);
  if (typeof system !== "function") throw new ParameterError("system", system, "a function from arrival rate to system parameters");
  const steps = 2 + Math.max(0, Math.ceil(Math.log2((upper - lower) / tolerance)));
  let done = 0;
  const points: StudyPoint[] = [];
  const evaluate = async (rate: number): Promise<StudyPoint> => {
    const [point] = await simulatePoints(study, [system(rate)], rest);
    done += 1;
    onProgress?.(done, steps);
    points.push(point as StudyPoint);
    return point as StudyPoint;
  };
  const sorted = (): StudyPoint[] => [...points].sort((a, b) => a.arrivalRate - b.arrivalRate);
  onProgress?.(0, steps);
  const lo = await evaluate(lower);
  const hi = await evaluate(upper);
  if (lo.stability.verdict !== "stable" || hi.stability.verdict !== "unstable") {
    return {
      interval: [lower, upper],
      conclusive: false,
      reason: `the bracket's ends were judged ${lo.stability.verdict} at ${lower} and ${hi.stability.verdict} at ${upper}; ` +
        "a search needs stable below and unstable above",
      points: sorted(),
    };
  }
  let a = lower;
  let b = upper;
  while (b - a > tolerance) {
    const mid = (a + b) / 2;
    const point = await evaluate(mid);
    if (point.stability.verdict === "stable") a = mid;
    else if (point.stability.verdict === "unstable") b = mid;
    else {
      onProgress?.(steps, steps);
      return {
        interval: [a, b],
        conclusive: false,
        reason: `inconclusive verdict at ${mid} (${point.stability.reason}); the bracket [${a}, ${b}] rests on the verdicts at its ends`,
        points: sorted(),
      };
    }
  }
  onProgress?.(steps, steps);
  return { interval: [a, b], conclusive: true, reason: `bracket narrowed to width <= ${tolerance}`, points: sorted() };
}
