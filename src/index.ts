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
export * from "./theory/exact";
export * from "./theory/optimalIndex";
export * from "./experiments";
export * from "./simulate";
export * from "./random";
export * from "./experiments/delay";
export * from "./study";
export * from "./statistics/differenceOfMeans";
// Paper studies (src/paper): Figures 3-5, Theorems 2 and 3, open question 2.
export * from "./paper";
