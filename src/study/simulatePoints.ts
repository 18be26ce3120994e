import { isTransferable } from "../model/policy";
import { ParameterError } from "../model/parameterError";
import { type SystemParams, validateSystem } from "../model/system";
import { resolveSimulationOptions, type SimulationOptions } from "../simulate/simulationOptions";
import { runSimulation } from "../simulate/runSimulation";
import { type CacheOptions, cachedStudy } from "./cache/resultCache";
import { type SimulationPoint, simulationPoint } from "./simulationPoint";

/** Options of {@link simulatePoints}: the simulator's options (without onProgress) plus caching and progress. */
export interface SimulatePointsOptions extends Omit<SimulationOptions, "onProgress"> {
  /** Called after each configuration with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  readonly cache?: CacheOptions;
  /** Points of each sample path kept (default 400). */
  readonly pathPoints?: number;
}

/** A simulated configuration and whether it came from the cache. */
export interface StudyPoint extends SimulationPoint {
  readonly fromCache: boolean;
  /** The cache file with the point's provenance. */
  readonly cacheFile: string;
}

/**
 * Simulates each system with the same options and returns one compact point per system, each cached in
 * data/cache under `study` with its provenance. Every configuration is validated before any simulation
 * starts. A configuration is reused from the cache only when its parameters, options (seed, replications,
 * budgets) and the source code are identical. Cost: the simulations' (see runSimulation), or a file read.
 *
 * @param study the cache's study name (letters, digits, '-', '_')
 * @param systems the configurations (custom rules cannot be cached: use runSimulation directly)
 * @param options simulator options shared by all points, plus progress and cache controls
 * @example
 * const pts = await simulatePoints("mm1-demo", [{ queues: 10, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }],
 *   { events: 1e6, replications: 2, seed: 1 });
 * pts[0].meanQueueLength.mean // => 1.0042 (M/M/1: lambda / (1 - lambda) = 1)
 * pts[0].meanQueueLength.ci95 // => [0.988, 1.020]
 */
export async function simulatePoints(
  study: string,
  systems: readonly SystemParams[],
  options: SimulatePointsOptions = {},
): Promise<StudyPoint[]> {
  if (!Array.isArray(systems) || systems.length === 0) {
    throw new ParameterError("systems", systems, "a non-empty array of system parameters");
  }
  const { onProgress, cache, pathPoints, ...simOptions } = options;
  for (const system of systems) {
    validateSystem(system);
    if (!isTransferable(system.policy)) {
      throw new ParameterError("policy", "custom", "a policy other than custom (a rule given as a function cannot be cached)");
    }
    resolveSimulationOptions(system, simOptions);
  }
  const points: StudyPoint[] = [];
  onProgress?.(0, systems.length);
  // Results do not depend on the number of worker threads (replication r always uses stream r), so the
  // worker count is not part of the cache key.
  const { workers: _workers, ...keyOptions } = simOptions;
  for (const system of systems) {
    const cached = await cachedStudy(
      study,
      { system, options: keyOptions, pathPoints: pathPoints ?? 400 },
      async () => simulationPoint(await runSimulation(system, simOptions), pathPoints),
      cache,
    );
    points.push({ ...cached.result, fromCache: cached.fromCache, cacheFile: cached.file });
    onProgress?.(points.length, systems.length);
  }
  return points;
}
