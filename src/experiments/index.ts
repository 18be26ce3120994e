/** Studies behind the notebooks: simulated configurations with their intervals, the results cache. */
export * from "./codeVersion";
export * from "./resultCache";
export * from "./simulationPoint";
export * from "./simulatePoints";
