/**
 * The worker-thread side of the replication pool (replicationPool.ts): runs one replication and posts its
 * progress on the port it is given. Piscina loads this module in each pool thread and calls its default
 * export once per task. Compiled to dist/simulate/replicationTask.js.
 */
import type { MessagePort } from "node:worker_threads";
import type { SystemParams } from "../model/system";
import type { ReplicationResult } from "./replicationResult";
import type { ResolvedSimulationOptions } from "./simulationOptions";
import { runReplication } from "./runReplication";

/** One replication to run: already validated on the calling thread. */
export interface ReplicationTask {
  readonly params: SystemParams;
  readonly options: ResolvedSimulationOptions;
  readonly replication: number;
  /** Where progress goes, as [fraction, events] pairs (absent: no progress). */
  readonly progress?: MessagePort;
}

/** Runs the task (the pool's entry point). */
export default function runReplicationTask(task: ReplicationTask): ReplicationResult {
  const port = task.progress;
  try {
    return runReplication(task.params, task.options, task.replication, port ? (fraction, events) => port.postMessage([fraction, events]) : undefined);
  } finally {
    port?.close();
  }
}
