import { extname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { type SystemParams, validateSystem } from "../model/system";
import type { ReplicationResult } from "./replicationResult";
import { type ReplicationProgress, runReplication } from "./simulateReplication";
import { type ResolvedSimulationOptions, type SimulationOptions, requireEstimableBudget, resolveSimulationOptions } from "./simulationOptions";
import { type SimulationReport, summarizeSimulation } from "./summarizeSimulation";

/**
 * Simulates `options.replications` independent replications of the system (see simulateReplication for the
 * model and the event loop), on up to `options.workers` worker threads, and summarises them
 * (summarizeSimulation: estimates with 95% intervals, tail, delays, stability verdict).
 *
 * Replication r always uses stream r of the seed (replicationStreamState), so the report is bit-identical
 * for the same params, options and seed whatever the number of workers (only wall-clock fields differ).
 * With `workers` = 1, or a custom policy (its function cannot cross threads), replications run one after the
 * other on the calling thread. Worker threads run dist/simulate/replicationWorker.js next to this file, or,
 * when this file is the TypeScript source run through tsx, replicationWorker.ts loaded through tsx.
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
 * report.meanDelay.mean // => 1.9947560917939573 (M/M/1: 1 / (1 - lambda) = 2; 95% CI [1.961, 2.028])
 */
export async function runSimulation(params: SystemParams, options: SimulationOptions = {}): Promise<SimulationReport> {
  validateSystem(params);
  const resolved = resolveSimulationOptions(params, options);
  requireEstimableBudget(params, resolved);
  const started = performance.now();
  const R = resolved.replications;
  const fractions = new Float64Array(R);
  const eventCounts = new Float64Array(R);
  const onProgress = options.onProgress;
  const report = (replication: number, fraction: number, events: number): void => {
    if (!onProgress) return;
    fractions[replication] = fraction;
    eventCounts[replication] = events;
    let f = 0;
    let e = 0;
    for (let r = 0; r < R; r++) {
      f += fractions[r] as number;
      e += eventCounts[r] as number;
    }
    f /= R;
    const elapsedSeconds = (performance.now() - started) / 1000;
    onProgress({ fraction: f, events: e, elapsedSeconds, etaSeconds: f > 0 ? (elapsedSeconds * (1 - f)) / f : NaN });
  };

  let results: ReplicationResult[];
  if (resolved.workers === 1 || R === 1) {
    results = [];
    for (let r = 0; r < R; r++) {
      const progress: ReplicationProgress | undefined = onProgress ? (f, e) => report(r, f, e) : undefined;
      const result = runReplication(params, resolved, r, progress);
      report(r, 1, result.totalEvents);
      results.push(result);
    }
  } else {
    results = await runInWorkers(params, resolved, report);
  }
  return summarizeSimulation(params, resolved, results, (performance.now() - started) / 1000);
}

type WorkerMessage =
  | { readonly type: "progress"; readonly replication: number; readonly fraction: number; readonly events: number }
  | { readonly type: "result"; readonly replication: number; readonly result: ReplicationResult }
  | { readonly type: "error"; readonly replication: number; readonly message: string };

function startWorker(): Worker {
  const extension = extname(__filename);
  const file = join(__dirname, `replicationWorker${extension}`);
  if (extension === ".ts") {
    // Running from source under tsx: worker threads do not inherit tsx's loader, so register it first.
    const tsx = require.resolve("tsx/cjs");
    return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`, { eval: true });
  }
  return new Worker(file);
}

function runInWorkers(
  params: SystemParams,
  options: ResolvedSimulationOptions,
  report: (replication: number, fraction: number, events: number) => void,
): Promise<ReplicationResult[]> {
  const R = options.replications;
  const count = Math.min(options.workers, R);
  const results: ReplicationResult[] = new Array(R);
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const finish = (error?: Error): void => {
      if (failed) return;
      if (error) failed = true;
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const assign = (worker: Worker): void => {
      if (next >= R) return;
      worker.postMessage({ type: "run", params, options, replication: next++ });
    };
    for (let k = 0; k < count; k++) {
      const worker = startWorker();
      workers.push(worker);
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "progress") {
          report(message.replication, message.fraction, message.events);
        } else if (message.type === "result") {
          results[message.replication] = message.result;
          report(message.replication, 1, message.result.totalEvents);
          done++;
          if (done === R) finish();
          else assign(worker);
        } else {
          finish(new Error(`replication ${message.replication} failed: ${message.message}`));
        }
      });
      worker.on("error", (error) => finish(error));
      worker.on("exit", (code) => {
        if (done < R && code !== 0) finish(new Error(`a simulation worker exited with code ${code}`));
      });
      assign(worker);
    }
  });
}
