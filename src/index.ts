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
export * from "./study";
export * from "./statistics/differenceOfMeans";
// Paper studies (src/paper): Figures 3-5, Theorems 2 and 3, open question 2.
export * from "./paper";
// Delay and mean-field studies (Figure 6, Section IV; src/paper) and the helpers they are made of.
export { type ConfidenceBounds, intervalAtConfidence } from "./statistics/intervalAtConfidence";
export {
  type SimulatedTail, type TailComparison, type TailComparisonOptions, type TailComparisonRow, compareTailWithReference,
} from "./statistics/compareTailWithReference";
export { type TailGapRun, type TailGapShrinkage, tailGapShrinkage } from "./statistics/tailGapShrinkage";
export { mm1RelaxationTime } from "./theory/queueing/mm1RelaxationTime";
export { type MeanFieldJobDelay, meanFieldJobDelay } from "./theory/meanfield/meanFieldJobDelay";
export { type MeanFieldRelaxation, meanFieldRelaxationTime } from "./theory/meanfield/meanFieldRelaxationTime";
export { type SamplePathComparison, compareSamplePathWithMeanField } from "./study/compareSamplePathWithMeanField";
export { MEAN_FIELD_DELAY_STUDY, meanFieldDelays } from "./study/meanFieldDelays";
export { type PrecisionPlan, precisionSimulation } from "./study/precisionSimulation";
export {
  type FamilyMember, type FamilySearch, type FamilySearchOptions, type FamilySearchResult, bestOfFamilyDelay,
} from "./study/bestOfFamilyDelay";
