/** The simulator: the event loop, parallel replications, and their summary (see runSimulation). */
export * from "./simulationOptions";
export * from "./replicationResult";
export { simulateReplication, type ReplicationProgress } from "./simulateReplication";
export * from "./summarizeSimulation";
export * from "./runSimulation";
