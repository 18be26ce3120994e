import { isTransferable } from "../model/policy";
import { type SystemParams, validateSystem } from "../model/system";
import { runReplicationTasks } from "./replicationPool";
import type { ReplicationResult } from "./replicationResult";
import { type ReplicationProgress, runReplication } from "./simulateReplication";
import { runToPrecision } from "./runToPrecision";
import { type SimulationOptions, requireEstimableBudget, resolveSimulationOptions } from "./simulationOptions";
import { type SimulationReport, summarizeSimulation } from "./summarizeSimulation";

/**
 * Simulates `options.replications` independent replications of the system (see simulateReplication for the
 * model and the event loop), at most `options.workers` at a time on the package's persistent pool of worker
 * threads (replicationPool.ts), and summarises them
 * (summarizeSimulation: estimates with 95% intervals, tail, delays, stability verdict).
 *
 * Replication r always uses stream r of the seed (replicationStreamState), so the report is bit-identical
 * for the same params, options and seed whatever the number of workers (only wall-clock fields differ).
 * With `workers: 1`, or a custom policy (its function cannot cross threads), replications run one after the
 * other on the calling thread. Pool threads run dist/simulate/replicationTask.js next to this file, or, when
 * this file is the TypeScript source run through tsx, replicationTask.ts loaded through tsx.
 *
 * Cost: the replications' events (each O(1)), divided among the workers. Memory per replication as in
 * simulateReplication.
 *
 * @param params the system (validated by validateSystem)
 * @param options run options (validated by resolveSimulationOptions and requireEstimableBudget: at least 40
 *   events; `force` lifts the work and worker limits); `onProgress` gets the overall fraction
 * @returns the report
 * @throws ParameterError for bad params or options, before any work; rejects if a worker fails
 * @example
 * const report = await runSimulation({ queues: 1, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() },
 *   { events: 1e6, replications: 4, seed: 3 });
 * report.meanDelay.mean // => 1.9958 (M/M/1: 1 / (1 - lambda) = 2)
 * report.meanDelay.ci95 // => [1.9618, 2.0298]
 * report.stability.verdict // => "stable"
 */
export async function runSimulation(params: SystemParams, options: SimulationOptions = {}): Promise<SimulationReport> {
  validateSystem(params);
  const resolved = resolveSimulationOptions(params, options);
  requireEstimableBudget(params, resolved);
  const started = performance.now();
  const onProgress = options.onProgress;
  // Progress over the replications planned so far (a precision-driven run plans more after each round).
  const fractions: number[] = [];
  const eventCounts: number[] = [];
  let planned = resolved.replications;
  const report = (replication: number, fraction: number, events: number): void => {
    if (!onProgress) return;
    fractions[replication] = fraction;
    eventCounts[replication] = events;
    let f = 0;
    let e = 0;
    for (let r = 0; r < fractions.length; r++) {
      f += fractions[r] ?? 0;
      e += eventCounts[r] ?? 0;
    }
    f /= Math.max(planned, fractions.length);
    const elapsedSeconds = (performance.now() - started) / 1000;
    onProgress({ fraction: f, events: e, elapsedSeconds, etaSeconds: f > 0 ? (elapsedSeconds * (1 - f)) / f : NaN });
  };
  // On the calling thread: a rule given as a function (it cannot cross threads), or when asked (workers: 1).
  // Otherwise on the pool, also for one replication, so that concurrent calls (a study's cells) share the cores.
  const onCallingThread = !isTransferable(params.policy) || options.workers === 1;
  const run = async (from: number, count: number): Promise<ReplicationResult[]> => {
    planned = Math.max(planned, from + count);
    if (onCallingThread) {
      const out: ReplicationResult[] = [];
      for (let r = from; r < from + count; r++) {
        const progress: ReplicationProgress | undefined = onProgress ? (f, e) => report(r, f, e) : undefined;
        const result = runReplication(params, resolved, r, progress);
        report(r, 1, result.totalEvents);
        out.push(result);
      }
      return out;
    }
    const tasks = Array.from({ length: count }, (_, k) => ({ params, options: resolved, replication: from + k }));
    return runReplicationTasks(tasks, {
      concurrency: resolved.workers,
      ...(onProgress ? { onProgress: (k: number, f: number, e: number) => report(from + k, f, e) } : {}),
    });
  };
  if (resolved.precision) return runToPrecision(params, resolved, run, started);
  const results = await run(0, resolved.replications);
  return summarizeSimulation(params, resolved, results, (performance.now() - started) / 1000);
}
