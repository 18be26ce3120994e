import { type CacheOptions, cachedStudy } from "./cache/resultCache";
import { type SimulationPoint, simulationPoint } from "./simulationPoint";
import { runSimulation } from "../simulate/runSimulation";
import type { SimulationOptions } from "../simulate/simulationOptions";
import { resolveStudy, studyCacheParams } from "./resolveStudy";
import type { StudyCell } from "./studyGrid";

/** How every cell of a study is simulated: the simulator's options without seed, workers or progress. */
export type StudySimulation = Omit<SimulationOptions, "seed" | "onProgress" | "workers">;

/** Progress of a study: every replication of every cell counts alike; cells read from the cache count as done. */
export interface StudyProgress {
  /** Fraction of the study done, in [0, 1]. */
  readonly fraction: number;
  /** Events simulated so far in this call. */
  readonly events: number;
  readonly elapsedSeconds: number;
  /** Estimated seconds left (NaN until some progress is made). */
  readonly etaSeconds: number;
  /** Cells finished (computed or read from the cache) and cells in all. */
  readonly done: number;
  readonly total: number;
}

/** A study: its cells and how to simulate them. */
export interface StudyOptions<A extends Record<string, unknown>> {
  /** The study's name: the cache's namespace (letters, digits, '-', '_'). */
  readonly name: string;
  /** The cells (studyGrid or studyCells). */
  readonly cells: readonly StudyCell<A>[];
  /** Options of every cell, or a function of the cell (for example longer runs near a threshold). */
  readonly simulation: StudySimulation | ((cell: StudyCell<A>) => StudySimulation);
  /** The study seed: an integer in [0, 2^32 - 1]; default 1. Each cell's seed derives from it (cellSeed). */
  readonly seed?: number;
  /** Every cell uses the study seed itself, for paired comparisons (default false). */
  readonly commonRandomNumbers?: boolean;
  /** Points kept of each cell's sample path (default 400). */
  readonly pathPoints?: number;
  readonly cache?: CacheOptions;
  readonly onProgress?: (progress: StudyProgress) => void;
}

/** One cell of a finished study. */
export interface StudyCellResult<A extends Record<string, unknown> = Record<string, unknown>> extends StudyCell<A> {
  /** The seed the cell's replications used. */
  readonly seed: number;
  /** The cell's estimates with their intervals, tail, verdict and sample path. */
  readonly point: SimulationPoint;
  readonly fromCache: boolean;
  /** The cache file holding the cell with its provenance. */
  readonly cacheFile: string;
}

/** A finished study: plain data (see studyFrame and tailFrame for DataFrames). */
export interface StudyResult<A extends Record<string, unknown> = Record<string, unknown>> {
  readonly name: string;
  readonly seed: number;
  readonly commonRandomNumbers: boolean;
  readonly cells: readonly StudyCellResult<A>[];
  /** Wall-clock seconds of this call (reading cached cells included). */
  readonly wallSeconds: number;
}

/**
 * Runs a study: every cell's replications go to the package's one pool of worker threads at once, so a short
 * study uses every core; each cell is cached (data/cache, with its provenance) as soon as it finishes and is
 * served from the cache only for the same system, options, seed and code. Everything is validated before any
 * simulation starts. Cost: the cells' simulations (runSimulation each), divided among the cores, or file
 * reads for cached cells.
 *
 * Seeds: cell c uses cellSeed(seed, c.key), so its result depends only on the study seed and its own system;
 * with `commonRandomNumbers` every cell uses the study seed (paired comparisons, see compareCells).
 *
 * @param study the cells, their simulation options, seed, cache and progress
 * @returns the cells with their points, in the order given
 * @throws ParameterError for a bad name, an empty study, a rule given as a function (it cannot be cached or
 *   cross threads: use runSimulation), bad simulation options (naming the cell), a bad seed or pathPoints
 *   (see resolveStudy, which the manifest of a study run on a cluster shares)
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const study = await runStudy({ name: "demo", cells, simulation: { events: 1e5, replications: 2 } });
 * study.cells.map((c) => c.point.meanQueueLength.mean) // => [1.0011, 3.7791] (M/M/1: lambda / (1 - lambda) = 1, 4)
 * study.cells.map((c) => c.point.meanQueueLength.ci95) // => [[0.711, 1.291], [1.89, 5.66]] (two replications: wide)
 */
export async function runStudy<A extends Record<string, unknown>>(study: StudyOptions<A>): Promise<StudyResult<A>> {
  const { name, seed, commonRandomNumbers: crn, pathPoints, cells: planned } = resolveStudy(study);
  const { cells, onProgress } = study;

  const started = performance.now();
  const fractions = new Float64Array(cells.length);
  const events = new Float64Array(cells.length);
  let done = 0;
  const report = (): void => {
    if (!onProgress) return;
    let f = 0;
    let e = 0;
    for (let k = 0; k < cells.length; k++) {
      f += fractions[k] as number;
      e += events[k] as number;
    }
    f /= cells.length;
    const elapsedSeconds = (performance.now() - started) / 1000;
    onProgress({ fraction: f, events: e, elapsedSeconds, etaSeconds: f > 0 ? (elapsedSeconds * (1 - f)) / f : NaN, done, total: cells.length });
  };
  report();
  const results = await Promise.all(planned.map(async ({ cell, options, seed: s }, k) => {
    const cached = await cachedStudy(
      name,
      studyCacheParams(cell.system, options, pathPoints),
      async () => {
        const simOptions: SimulationOptions = {
          ...options,
          ...(onProgress ? { onProgress: (p: { fraction: number; events: number }) => { fractions[k] = p.fraction; events[k] = p.events; report(); } } : {}),
        };
        return simulationPoint(await runSimulation(cell.system, simOptions), pathPoints);
      },
      study.cache,
    );
    fractions[k] = 1;
    done++;
    report();
    const result: StudyCellResult<A> = { ...cell, seed: s, point: cached.result, fromCache: cached.fromCache, cacheFile: cached.file };
    return result;
  }));
  return { name, seed, commonRandomNumbers: crn, cells: results, wallSeconds: (performance.now() - started) / 1000 };
}
