import { availableParallelism } from "node:os";
import { extname, join } from "node:path";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { ReplicationResult } from "./replicationResult";
import type { ReplicationTask } from "./replicationTask";

/**
 * One persistent pool of worker threads for every simulation of the process (runSimulation, studies), so that
 * short runs do not pay for starting threads and a study's cells share every core. The pool is piscina (a
 * maintained worker-thread pool of the Node.js organisation): it queues tasks, starts threads on demand up to
 * the number of cores, and lets idle threads end after IDLE_MILLISECONDS; idle threads do not keep a script
 * alive. When the package runs from its TypeScript sources (tests through tsx), the threads load the sources
 * through tsx's require hook.
 */
const IDLE_MILLISECONDS = 60_000;
const poolKey = Symbol.for("migration-penalties.replicationPool");

interface PoolHolder {
  [poolKey]?: { pool: Piscina; file: string };
}

/** The number of threads the pool may run at once: the machine's available parallelism. */
export function poolThreads(): number {
  return Math.max(1, availableParallelism());
}

function pool(): Piscina {
  const holder = globalThis as PoolHolder;
  const extension = extname(__filename);
  const file = join(__dirname, `replicationTask${extension}`);
  const existing = holder[poolKey];
  // A reloaded package (src/reloadingEntry.ts) may bring new code: a pool on other files is replaced.
  if (existing && existing.file === file) return existing.pool;
  if (existing) void existing.pool.destroy();
  const execArgv = extension === ".ts" ? ["--require", require.resolve("tsx/cjs")] : [];
  const created = new Piscina({
    filename: file,
    minThreads: 0,
    maxThreads: poolThreads(),
    idleTimeout: IDLE_MILLISECONDS,
    execArgv,
  });
  holder[poolKey] = { pool: created, file };
  return created;
}

/** Options of {@link runReplicationTasks}. */
export interface PoolRunOptions {
  /** At most this many tasks of this call run at once (default: the pool's threads). */
  readonly concurrency?: number;
  /** Progress of task k (its index in the list): fraction of it done and events simulated so far. */
  readonly onProgress?: (task: number, fraction: number, events: number) => void;
  /** Called as soon as task k's result arrives (before the others finish), for example to store it. */
  readonly onResult?: (task: number, result: ReplicationResult) => void | Promise<void>;
}

/**
 * Runs replication tasks on the shared pool and resolves to their results in task order. Tasks must be
 * validated and their policies transferable (plain data). Cost: the tasks' events divided among the threads,
 * plus about a millisecond per task of messaging. Rejects with the first failure, naming the replication.
 *
 * @param tasks the replications (params and options already validated)
 * @param options concurrency and progress
 */
export async function runReplicationTasks(
  tasks: readonly Omit<ReplicationTask, "progress">[],
  options: PoolRunOptions = {},
): Promise<ReplicationResult[]> {
  const p = pool();
  const limit = Math.max(1, Math.min(options.concurrency ?? poolThreads(), tasks.length));
  const results: ReplicationResult[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const k = next++;
      const task = tasks[k] as ReplicationTask;
      const onProgress = options.onProgress;
      if (onProgress) {
        const { port1, port2 } = new MessageChannel();
        port1.on("message", ([fraction, events]: [number, number]) => onProgress(k, fraction, events));
        let result: ReplicationResult;
        try {
          result = await p.run({ ...task, progress: port2 } satisfies ReplicationTask, { transferList: [port2] }) as ReplicationResult;
        } finally {
          port1.close();
        }
        results[k] = result;
        onProgress(k, 1, result.totalEvents);
      } else {
        results[k] = await p.run(task) as ReplicationResult;
      }
      await options.onResult?.(k, results[k] as ReplicationResult);
    }
  };
  try {
    await Promise.all(Array.from({ length: limit }, worker));
  } catch (error) {
    next = tasks.length; // start nothing more
    throw new Error(`a simulation replication failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return results;
}
