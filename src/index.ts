/**
 * migration-penalties: simulator, theory and display for "Load Balancing with Migration Penalties"
 * (Farias, Moallemi, Prabhakar). Notebooks import this barrel: `import * as mp from "migration-penalties"`.
 */
export * from "./model/parameterError";
export * from "./model/progress";
export * from "./model/policy";
export * from "./model/system";
export * from "./model/shortestSample";
export * from "./statistics";
export * from "./theory/stabilityIndex";
export * from "./display";
export * from "./report";
export * from "./theory/meanfieldIndex";
export * from "./experiments";
export * from "./experiments/theorems";
export * from "./simulate";
export * from "./random";
export * from "./experiments/figures";
export * from "./experiments/delay";
