import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ParameterError } from "../model/parameterError";
import { cachedStudy } from "./cache/resultCache";
import { simulationPoint } from "./simulationPoint";
import { removeOrphanTemporaries } from "./cache/writeFileAtomic";
import type { ReplicationResult } from "../simulate/replicationResult";
import { summarizeSimulation } from "../simulate/summarizeSimulation";
import { assignShards } from "./assignShards";
import { readStudyManifest } from "./readStudyManifest";
import { studyCacheParams } from "./resolveStudy";
import type { StudyCellResult, StudyResult } from "./runStudy";
import { exportFrame, studyFrame, tailFrame } from "./studyFrames";
import { defaultResultsDirectory, readUnitResult } from "./unitResults";

/** Options of {@link mergeStudyResults}. */
export interface MergeOptions {
  /** The folder of the unit result files (default: `<manifest folder>/<manifest name>-results`). */
  readonly results?: string;
  /** The results cache the cells go into (default: MP_CACHE_DIR, else <project>/data/cache, as cachedStudy). */
  readonly cache?: string;
  /** Where the study's tables go: `<study>.csv` and `<study>-tails.csv` (default: the manifest's folder). */
  readonly out?: string;
}

/** A unit that is not done, and why. */
export interface UnitProblem {
  readonly unit: string;
  readonly cell: number;
  readonly axes: Readonly<Record<string, unknown>>;
  /** First and last replication of the unit. */
  readonly replications: readonly [number, number];
  /** The shard that runs the unit when the study runs as its planned number of shards (assignShards). */
  readonly plannedShard: number;
  /** "missing", or why it failed. */
  readonly reason: string;
}

/** What a merge did. */
export interface MergeSummary {
  /** True when every unit was done and every cell merged. */
  readonly complete: boolean;
  /** Units without a result file, in manifest order. */
  readonly missing: readonly UnitProblem[];
  /** Units that failed (a failure record, or a damaged result file or one of another manifest), in manifest order. */
  readonly failed: readonly UnitProblem[];
  /** Cells merged into the cache (all of whose units were done). */
  readonly mergedCells: number;
  /** The folder of the results cache the merged cells were written to; undefined when no cell was merged. */
  readonly cacheDirectory: string | undefined;
  /** The study as runStudy returns it (cells read back from the cache, fromCache true), when complete. */
  readonly study: StudyResult | undefined;
  /** The DataFrame (studyFrame) as CSV, and the tails in long form (tailFrame), when complete. */
  readonly frameFile: string | undefined;
  readonly tailFile: string | undefined;
}

/**
 * Merges the unit results of a planned study: each cell whose units are all done is summarised from all its
 * replications exactly as runStudy summarises it (summarizeSimulation with the cell's resolved options, then
 * simulationPoint with the study's path points), written into the results cache under the very key runStudy
 * uses (study name, system, options with seed, path points, code hash), and read back from it. When every cell
 * is merged, the study's DataFrame (studyFrame) is written as `<study>.csv` and its tails in long form
 * (tailFrame) as `<study>-tails.csv`. runStudy with the same definition then reads every cell from the cache:
 * the same numbers, bit for bit, as computing the study locally, with fromCache true. Refuses a manifest edited
 * by hand or planned by other code (readStudyManifest). Cost: reading the result files, one summary per cell,
 * two cache operations per cell; danfojs-node loads on first use (about 2 s).
 *
 * @param manifestFile the manifest
 * @param options results, cache, out
 * @returns the summary: missing and failed units by name; complete is false when any is missing or failed
 * @throws ParameterError for bad options; StudyManifestError for an edited manifest or one of other code;
 *   Error when the cache cannot hold a merged cell (naming the directory)
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * writeStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 4 } }, "runs/demo.json", { replicationsPerUnit: 2 });
 * await runStudyShard("runs/demo.json", { shard: 0, shards: 2, workers: 1, log: () => {} });
 * const partial = await mergeStudyResults("runs/demo.json");
 * [partial.complete, partial.missing.length, partial.mergedCells] // => [false, 2, 0] (shard 1 has not run)
 * await runStudyShard("runs/demo.json", { shard: 1, shards: 2, workers: 1, log: () => {} });
 * const merged = await mergeStudyResults("runs/demo.json");
 * [merged.complete, merged.mergedCells, merged.study?.cells.length] // => [true, 2, 2]
 */
export async function mergeStudyResults(manifestFile: string, options: MergeOptions = {}): Promise<MergeSummary> {
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object with results, cache and out");
  for (const name of ["results", "cache", "out"] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== "string" || value === "")) throw new ParameterError(name, value, "a non-empty path");
  }
  const manifest = readStudyManifest(manifestFile);
  const directory = resolve(options.results ?? defaultResultsDirectory(manifestFile));
  removeOrphanTemporaries(directory);
  const cacheOptions = options.cache !== undefined ? { directory: resolve(options.cache) } : {};
  const { name, pathPoints } = manifest.study;

  const missing: UnitProblem[] = [];
  const failed: UnitProblem[] = [];
  const shardOf = assignShards(manifest.units, manifest.plannedShards);
  const byCell = new Map<number, ReplicationResult[]>();
  const incomplete = new Set<number>();
  for (const unit of manifest.units) {
    const cell = manifest.cells[unit.cell] as (typeof manifest.cells)[number];
    const state = readUnitResult(directory, manifest, unit);
    if (state.kind === "done") {
      const list = byCell.get(unit.cell) ?? [];
      list.push(...state.replications);
      byCell.set(unit.cell, list);
      continue;
    }
    incomplete.add(unit.cell);
    const problem: UnitProblem = { unit: unit.id, cell: unit.cell, axes: cell.axes, replications: [unit.from, unit.to - 1],
      plannedShard: shardOf[unit.index] as number, reason: state.kind === "missing" ? "missing" : state.reason };
    (state.kind === "missing" ? missing : failed).push(problem);
  }

  const cells: StudyCellResult[] = [];
  for (const cell of manifest.cells) {
    if (incomplete.has(cell.index)) continue;
    const replications = (byCell.get(cell.index) as ReplicationResult[]).sort((a, b) => a.replication - b.replication);
    // As runSimulation: summarizeSimulation over the replications in order, then simulationPoint as runStudy does.
    const point = simulationPoint(summarizeSimulation(cell.system, cell.resolved, replications, NaN), pathPoints);
    const params = studyCacheParams(cell.system, cell.options, pathPoints);
    await cachedStudy(name, params, () => point, { ...cacheOptions, mode: "refresh" });
    const back = await cachedStudy(name, params, () => {
      throw new Error(`the merged cell ${cell.index} (${cell.key}) could not be stored in the results cache ` +
        `${options.cache ?? "(MP_CACHE_DIR or data/cache)"}: see the message above, and give a writable cache folder (--cache DIR or MP_CACHE_DIR)`);
    }, { ...cacheOptions, mode: "use" });
    cells.push({ key: cell.key, axes: cell.axes as Record<string, unknown>, system: cell.system, seed: cell.seed, point: back.result, fromCache: back.fromCache, cacheFile: back.file });
  }

  const complete = missing.length === 0 && failed.length === 0;
  let study: StudyResult | undefined;
  let frameFile: string | undefined;
  let tailFile: string | undefined;
  if (complete) {
    study = { name, seed: manifest.study.seed, commonRandomNumbers: manifest.study.commonRandomNumbers, cells, wallSeconds: NaN };
    const out = resolve(options.out ?? dirname(resolve(manifestFile)));
    mkdirSync(out, { recursive: true });
    frameFile = join(out, `${name}.csv`);
    tailFile = join(out, `${name}-tails.csv`);
    exportFrame(studyFrame(study), frameFile);
    exportFrame(tailFrame(study), tailFile);
  }
  const cacheDirectory = cells[0] !== undefined ? dirname(cells[0].cacheFile) : undefined;
  return { complete, missing, failed, mergedCells: cells.length, cacheDirectory, study, frameFile, tailFile };
}
