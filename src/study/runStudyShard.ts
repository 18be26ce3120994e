import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { ParameterError, requireInteger } from "../model/parameterError";
import { validateSystem } from "../model/system";
import { removeOrphanTemporaries } from "./cache/writeFileAtomic";
import { runReplicationTasks } from "../simulate/replicationPool";
import type { ReplicationResult } from "../simulate/replicationResult";
import { assignShards } from "./assignShards";
import { readStudyManifest } from "./readStudyManifest";
import type { ManifestUnit } from "./studyManifest";
import { defaultResultsDirectory, readUnitResult, writeUnitFailure, writeUnitResult } from "./unitResults";

/** Options of {@link runStudyShard}. */
export interface ShardRunOptions {
  /** This shard's index, an integer in [0, shards - 1]. */
  readonly shard: number;
  /** The number of shards, an integer in [1, 100000] (default: the manifest's plannedShards). */
  readonly shards?: number;
  /** The folder of the result files (default: `<manifest folder>/<manifest name>-results`). */
  readonly results?: string;
  /** Replications run at once on worker threads, an integer in [1, 256] (default: the available cores). */
  readonly workers?: number;
  /** Compute the shard's units again even when their result files are complete. Default false. */
  readonly force?: boolean;
  /** Where progress lines go (default: stderr); they carry the timings, which result files never do. */
  readonly log?: (line: string) => void;
}

/** What a shard run did. */
export interface ShardRunSummary {
  readonly shard: number;
  readonly shards: number;
  readonly resultsDirectory: string;
  /** Ids of the shard's units, in manifest order. */
  readonly units: readonly string[];
  /** Units computed in this call. */
  readonly computed: readonly string[];
  /** Units whose complete result file was already there. */
  readonly skipped: readonly string[];
  /** Units whose computation failed, with the error (each also left `<id>.failed.json`). */
  readonly failed: ReadonlyArray<{ readonly unit: string; readonly error: string }>;
}

/**
 * Runs one shard of a planned study: the units that assignShards gives shard `shard` of `shards`, each unit's
 * replications on the package's worker-thread pool (at most `workers` at once), and one result file per unit
 * written atomically (temporary file, fsync, rename) as soon as the unit's replications are done. Idempotent: a
 * unit whose complete result file is there is skipped, and computing a unit again writes the same bytes (no
 * timings, times or hosts in the file; replication r always uses stream r of its cell's seed). A process killed
 * midway leaves complete result files and at most temporaries, which the next run or merge removes; running the
 * shard again computes what is missing. Refuses a manifest edited by hand or planned by other code
 * (readStudyManifest). Cost: the shard's replications, divided among the workers.
 *
 * @param manifestFile the manifest (migration-penalties study plan, writeStudyManifest)
 * @param options shard, shards, results, workers, force, log
 * @returns which units were computed, skipped or failed; a failed unit does not stop the others
 * @throws ParameterError for a shard out of range or bad options, before any work; StudyManifestError for an
 *   edited manifest or one of other code
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * writeStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 4 } }, "runs/demo.json", { replicationsPerUnit: 2 });
 * const summary = await runStudyShard("runs/demo.json", { shard: 0, shards: 2, workers: 1, log: () => {} });
 * summary.computed // => ["3ee37bf3c6d0b9df-r0-1", "6ae61d19c83de131-r0-1"]
 * const again = await runStudyShard("runs/demo.json", { shard: 0, shards: 2, workers: 1, log: () => {} });
 * [again.computed.length, again.skipped.length] // => [0, 2] (a unit already done is skipped)
 */
export async function runStudyShard(manifestFile: string, options: ShardRunOptions): Promise<ShardRunSummary> {
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object with shard and shards");
  const manifest = readStudyManifest(manifestFile);
  const shards = requireInteger("shards", options.shards ?? manifest.plannedShards, 1, 100_000);
  const shard = options.shard;
  if (typeof shard !== "number" || !Number.isInteger(shard) || shard < 0 || shard >= shards) {
    throw new ParameterError("shard", shard, `an integer in [0, ${shards - 1}] (shards are numbered 0 to N - 1, N = ${shards})`);
  }
  const workers = requireInteger("workers", options.workers ?? Math.max(1, availableParallelism()), 1, 256);
  const force = options.force ?? false;
  if (typeof force !== "boolean") throw new ParameterError("force", force, "true or false");
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const directory = resolve(options.results ?? defaultResultsDirectory(manifestFile));
  mkdirSync(directory, { recursive: true });
  removeOrphanTemporaries(directory);

  const shardOf = assignShards(manifest.units, shards);
  const mine = manifest.units.filter((u) => shardOf[u.index] === shard);
  const skipped: string[] = [];
  const todo: ManifestUnit[] = [];
  for (const unit of mine) {
    if (!force && readUnitResult(directory, manifest, unit).kind === "done") skipped.push(unit.id);
    else todo.push(unit);
  }
  for (const unit of todo) validateSystem((manifest.cells[unit.cell] as (typeof manifest.cells)[number]).system);
  log(`shard ${shard} of ${shards}: ${mine.length} unit(s), ${skipped.length} already done, ${todo.length} to run on ${workers} worker(s); results in ${directory}`);

  // One queue of replications over every unit to run; `workers` loops take them in order, so units finish
  // roughly in manifest order and each is written as soon as its last replication arrives.
  const queue = todo.flatMap((unit) => Array.from({ length: unit.to - unit.from }, (_, k) => ({ unit, replication: unit.from + k })));
  const results = new Map<string, ReplicationResult[]>(todo.map((u) => [u.id, []]));
  const started = new Map<string, number>();
  const failed = new Map<string, string>();
  const computed: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const { unit, replication } = queue[next++] as (typeof queue)[number];
      if (failed.has(unit.id)) continue;
      if (!started.has(unit.id)) started.set(unit.id, performance.now());
      const cell = manifest.cells[unit.cell] as (typeof manifest.cells)[number];
      let result: ReplicationResult;
      try {
        [result] = (await runReplicationTasks([{ params: cell.system, options: cell.resolved, replication }], { concurrency: 1 })) as [ReplicationResult];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failed.set(unit.id, message);
        writeUnitFailure(directory, manifest, unit, message);
        log(`unit ${unit.id} FAILED: ${message}`);
        continue;
      }
      const done = results.get(unit.id) as ReplicationResult[];
      done.push(result);
      if (done.length === unit.to - unit.from) {
        done.sort((a, b) => a.replication - b.replication);
        writeUnitResult(directory, manifest, unit, done);
        results.delete(unit.id);
        computed.push(unit.id);
        const seconds = (performance.now() - (started.get(unit.id) as number)) / 1000;
        log(`unit ${unit.id} done (cell ${unit.cell} ${JSON.stringify(cell.axes)}, replications ${unit.from}-${unit.to - 1}) in ${seconds.toFixed(2)} s`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, Math.max(1, queue.length)) }, worker));
  const order = new Map(mine.map((u, k) => [u.id, k]));
  const byOrder = (a: string, b: string): number => (order.get(a) as number) - (order.get(b) as number);
  return {
    shard,
    shards,
    resultsDirectory: directory,
    units: mine.map((u) => u.id),
    computed: computed.sort(byOrder),
    skipped,
    failed: [...failed].map(([unit, error]) => ({ unit, error })).sort((a, b) => byOrder(a.unit, b.unit)),
  };
}
