/**
 * migration-penalties: simulator, theory and display for "Load Balancing with Migration Penalties"
 * (Farias, Moallemi, Prabhakar). Notebooks import this barrel: `import * as mp from "migration-penalties"`.
 */
export * from "./model/parameterError";
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
export * from "./experiments/theorems";
export * from "./simulate";
export * from "./random";
export * from "./experiments/delay";
export * from "./study";
export * from "./statistics/differenceOfMeans";
// Paper studies of Figures 3-5 (src/paper): compositions of the study layer, theory and display.
export {
  type Figure3Parameters, type Figure3Stability, figure3Stability,
  type PolicyTailsParameters, type PolicyTailsStudy, policyTailsStudy,
  type Figure4Parameters, type Figure4AbounceTails, figure4AbounceTails,
  type Figure5Parameters, type Figure5MbounceTails, figure5MbounceTails,
  type PaperTable,
} from "./paper";
// Open question 2 (src/paper): the optimal two-queue rule and its ranking, and the rule as a policy at n = 100.
export {
  type OptimalRulePair, type OptimalRuleTwoQueues, type OptimalRuleTwoQueuesParameters, optimalRuleTwoQueues,
  type OptimalRuleManyQueues, type OptimalRuleManyQueuesParameters, optimalRuleManyQueues,
} from "./paper";
