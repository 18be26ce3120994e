/**
 * Worker-thread entry of `runSimulation`: runs the replications the main thread sends, one at a time, and
 * posts back progress and results. Messages in: { type: "run", params, options, replication }. Messages out:
 * { type: "progress", replication, fraction, events }, { type: "result", replication, result },
 * { type: "error", replication, message }. Compiled to dist/simulate/replicationWorker.js.
 */
import { parentPort } from "node:worker_threads";
import type { SystemParams } from "../model/system";
import type { ResolvedSimulationOptions } from "./simulationOptions";
import { runReplication } from "./runReplication";

interface RunMessage {
  readonly type: "run";
  readonly params: SystemParams;
  readonly options: ResolvedSimulationOptions;
  readonly replication: number;
}

const port = parentPort;
if (port) {
  port.on("message", (message: RunMessage) => {
    if (message.type !== "run") return;
    const { params, options, replication } = message;
    try {
      const result = runReplication(params, options, replication, (fraction, events) =>
        port.postMessage({ type: "progress", replication, fraction, events }));
      port.postMessage({ type: "result", replication, result });
    } catch (error) {
      port.postMessage({ type: "error", replication, message: error instanceof Error ? error.message : String(error) });
    }
  });
}
