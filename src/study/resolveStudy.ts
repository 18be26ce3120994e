import { ParameterError, requireInteger } from "../model/parameterError";
import { isTransferable } from "../model/policy";
import type { SystemParams } from "../model/system";
import { type ResolvedSimulationOptions, type SimulationOptions, resolveSimulationOptions } from "../simulate/simulationOptions";
import { cellSeed } from "./cellSeed";
import type { StudyOptions } from "./runStudy";
import type { StudyCell } from "./studyGrid";

/** One cell of a study with everything its simulation needs: the options with its seed, resolved. */
export interface ResolvedStudyCell<A extends Record<string, unknown> = Record<string, unknown>> {
  readonly cell: StudyCell<A>;
  /** The study's simulation options for this cell with the cell's seed: what the cache key holds. */
  readonly options: SimulationOptions;
  /** The same options after defaults and validation (resolveSimulationOptions). */
  readonly resolved: ResolvedSimulationOptions;
  /** The cell's seed (cellSeed). */
  readonly seed: number;
}

/** A study after validation: name, seed, common random numbers, path points and its resolved cells. */
export interface ResolvedStudy<A extends Record<string, unknown> = Record<string, unknown>> {
  readonly name: string;
  readonly seed: number;
  readonly commonRandomNumbers: boolean;
  readonly pathPoints: number;
  readonly cells: readonly ResolvedStudyCell<A>[];
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Validates a study and derives each cell's seed and options, exactly as runStudy does before it simulates
 * anything: runStudy, the manifest of a study run elsewhere (planStudyManifest) and the merge of its results
 * (mergeStudyResults) all go through this one function, so that they agree on every seed and every cache key.
 * Cost O(cells), plus a SHA-256 per cell (cellSeed).
 *
 * @param study the study (name, cells, simulation, seed, commonRandomNumbers, pathPoints; callbacks ignored)
 * @returns the validated study with its resolved cells, in the order given
 * @throws ParameterError for a bad name (letters, digits, '-', '_', at most 80), an empty study, a rule given
 *   as a function, bad simulation options (naming the cell), a bad seed or pathPoints (an integer in [1, 1e6])
 * @example
 * const cells = studyGrid({ lambda: [0.5] }, ({ lambda }) => ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * resolveStudy({ name: "demo", cells, simulation: { events: 1000 } }).cells[0].resolved.warmup // => 100
 */
export function resolveStudy<A extends Record<string, unknown>>(study: Omit<StudyOptions<A>, "onProgress" | "cache">): ResolvedStudy<A> {
  if (study === null || typeof study !== "object") throw new ParameterError("study", study, "an object with name, cells and simulation");
  const { name, cells } = study;
  if (typeof name !== "string" || !NAME.test(name)) throw new ParameterError("name", name, "1-80 characters from letters, digits, '-' and '_'");
  if (!Array.isArray(cells) || cells.length === 0) throw new ParameterError("cells", cells, "a non-empty array of cells (studyGrid)");
  const seed = requireInteger("seed", study.seed ?? 1, 0, 0xffffffff);
  const commonRandomNumbers = study.commonRandomNumbers ?? false;
  if (typeof commonRandomNumbers !== "boolean") throw new ParameterError("commonRandomNumbers", commonRandomNumbers, "true or false");
  const pathPoints = requireInteger("pathPoints", study.pathPoints ?? 400, 1, 1_000_000);
  const resolvedCells = cells.map((cell, index): ResolvedStudyCell<A> => {
    if (cell === null || typeof cell !== "object" || cell.system === null || typeof cell.system !== "object") {
      throw new ParameterError(`cells[${index}]`, cell, "a cell with key, axes and system (studyGrid)");
    }
    if (!isTransferable(cell.system.policy)) {
      throw new ParameterError("policy", cell.system.policy?.kind, "a declared policy (a rule given as a function cannot be cached or sent to worker threads: use runSimulation)");
    }
    const simulation = typeof study.simulation === "function" ? study.simulation(cell) : study.simulation;
    if (simulation === null || typeof simulation !== "object") throw new ParameterError("simulation", simulation, "simulation options (events, replications, ...)");
    const s = cellSeed(seed, cell.key, commonRandomNumbers);
    const options: SimulationOptions = { ...simulation, seed: s };
    let resolved: ResolvedSimulationOptions;
    try {
      resolved = resolveSimulationOptions(cell.system, options);
    } catch (error) {
      if (error instanceof ParameterError) throw new ParameterError(error.parameter, error.value, error.allowed, `cell ${index} ${JSON.stringify(cell.axes)}`);
      throw error;
    }
    return { cell, options, resolved, seed: s };
  });
  return { name, seed, commonRandomNumbers, pathPoints, cells: resolvedCells };
}

/**
 * The parameters under which a study's cell is cached (cachedStudy): its system, its options with its seed,
 * and the path points kept. One definition for runStudy and for the merge of results computed elsewhere, so
 * that both find the same entry. An option named `force` is left out of the key: it may lift cost limits but
 * cannot change a result. Cost O(1).
 *
 * @example
 * studyCacheParams({ queues: 10, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }, { events: 1000, seed: 7 }, 400).options
 * // => { events: 1000, seed: 7 }
 */
export function studyCacheParams(system: SystemParams, options: SimulationOptions, pathPoints: number): {
  readonly system: SystemParams;
  readonly options: SimulationOptions;
  readonly pathPoints: number;
} {
  const { force: _force, ...keyOptions } = options as SimulationOptions & { readonly force?: unknown };
  return { system, options: keyOptions, pathPoints };
}
