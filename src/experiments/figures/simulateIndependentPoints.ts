import { isTransferable } from "../../model/policy";
import { ParameterError, requireInteger } from "../../model/parameterError";
import { type SystemParams, validateSystem } from "../../model/system";
import { resolveSimulationOptions } from "../../simulate/simulationOptions";
import { type SimulatePointsOptions, type StudyPoint, simulatePoints } from "../simulatePoints";

/** One configuration of {@link simulateIndependentPoints} and the seed it runs with. */
export interface SeededSystem {
  readonly system: SystemParams;
  /** Its own seed: an integer in [0, 2^32 - 1], different from the others' so that the runs are independent. */
  readonly seed: number;
}

/**
 * Simulates several configurations, each with its own seed, through simulatePoints (cached per
 * configuration, options and seed). Distinct seeds make the configurations' estimates independent, which
 * is what a comparison of two policies' intervals (estimateDifference) needs; simulatePoints with one
 * options object would run every configuration on the same random streams. Every configuration is
 * validated, and the seeds checked to be distinct, before any simulation starts.
 *
 * Cost: the simulations' (see runSimulation), or a file read each from the cache.
 *
 * @param study the cache's study name
 * @param configurations systems with their seeds (at least one)
 * @param options simulator options shared by all (its `seed` is ignored), cache and progress
 *   (`onProgress(done, total)` after each configuration)
 * @returns one point per configuration, in order
 * @throws ParameterError for no configurations, a bad or repeated seed, or what simulatePoints refuses
 * @example
 * const [a, b] = await simulateIndependentPoints("demo", [
 *   { system: { queues: 10, arrivalRate: 0.5, migrationPenalty: 2, policy: noSharing() }, seed: 1 },
 *   { system: { queues: 10, arrivalRate: 0.5, migrationPenalty: 2, policy: abounce(2, 10) }, seed: 2 },
 * ], { events: 1e6, replications: 4 });
 * estimateDifference(b.meanQueueLength, a.meanQueueLength).verdict // => "first lower" (sharing shortens queues)
 */
export async function simulateIndependentPoints(
  study: string,
  configurations: readonly SeededSystem[],
  options: Omit<SimulatePointsOptions, "seed"> = {},
): Promise<StudyPoint[]> {
  if (!Array.isArray(configurations) || configurations.length === 0) {
    throw new ParameterError("configurations", configurations, "a non-empty array of { system, seed }");
  }
  const seen = new Set<number>();
  configurations.forEach((c, k) => {
    requireInteger(`configurations[${k}].seed`, c?.seed, 0, 0xffffffff);
    if (seen.has(c.seed)) throw new ParameterError(`configurations[${k}].seed`, c.seed, "a seed no other configuration uses");
    seen.add(c.seed);
  });
  const { onProgress, seed: _ignored, ...shared } = options as SimulatePointsOptions;
  // Validate everything first (each simulatePoints call below validates its own configuration only).
  const { cache: _cache, pathPoints: _pathPoints, ...simOptions } = shared;
  for (const c of configurations) {
    validateSystem(c.system);
    if (!isTransferable(c.system.policy)) {
      throw new ParameterError("policy", "custom", "a policy other than custom (a rule given as a function cannot be cached)");
    }
    resolveSimulationOptions(c.system, { ...simOptions, seed: c.seed });
  }
  const points: StudyPoint[] = [];
  onProgress?.(0, configurations.length);
  for (const c of configurations) {
    const [point] = await simulatePoints(study, [c.system], { ...shared, seed: c.seed });
    points.push(point as StudyPoint);
    onProgress?.(points.length, configurations.length);
  }
  return points;
}
