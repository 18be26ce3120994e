/** Studies behind the notebooks: simulated configurations with their intervals, threshold searches, the results cache. */
export * from "./codeVersion";
export * from "./resultCache";
export * from "./simulationPoint";
export * from "./simulatePoints";
export * from "./locateStabilityThreshold";
