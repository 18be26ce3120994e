/**
 * Paper studies: each a short composition of the study layer, theory and display that returns plain data
 * (tables, plotly figures, claims, Markdown details) for one question of the paper.
 */
export { type PaperTable, markdownParagraphs } from "./paperOutput";
export { THEOREM2_SOURCE, THEOREM2_STATEMENT, type Theorem2ThresholdStudy, theorem2ThresholdStudy } from "./theorem2Thresholds";
export { type TwoQueueExactMeanRow, type TwoQueueExactMeanStudy, twoQueueExactMeanStudy } from "./twoQueueExactMeans";
export { type Theorem2ConditionOneStudy, type Theorem2Pair, theorem2ConditionOneStudy } from "./theorem2ConditionOne";
export { type Theorem2SimulationVerdicts, type Theorem2VerdictRow, theorem2SimulationVerdicts } from "./theorem2SimulationVerdicts";
export { type TwoQueueGrowthCheckRow, twoQueueThresholdSimulationCheck } from "./twoQueueThresholdSimulationCheck";
export {
  type Theorem3AbounceConfig, type Theorem3DriftConfiguration, type Theorem3DriftStudy, type Theorem3MbounceConfig, theorem3DriftStudy,
} from "./theorem3Drift";
export { type Theorem3SimulationConfig, type Theorem3SimulationStudy, theorem3SimulationStudy } from "./theorem3Simulations";
export { type Figure3Parameters, type Figure3Stability, figure3Stability } from "./figure3Stability";
export { type PolicyTailsParameters, type PolicyTailsStudy, policyTailsStudy } from "./policyTailsStudy";
export { type Figure4Parameters, type Figure4AbounceTails, figure4AbounceTails } from "./figure4AbounceTails";
export { type Figure5Parameters, type Figure5MbounceTails, figure5MbounceTails } from "./figure5MbounceTails";
// Open question 2 (Section VI): the optimal two-queue rule, exactly, and as a policy for many queues.
export {
  type OptimalRulePair, type OptimalRuleTwoQueues, type OptimalRuleTwoQueuesParameters, optimalRuleTwoQueues,
} from "./optimalRuleTwoQueues";
export { type OptimalRuleManyQueues, type OptimalRuleManyQueuesParameters, optimalRuleManyQueues } from "./optimalRuleManyQueues";
// Figure 6 and Section IV.
export { type Figure6MbounceDelays, type Figure6Parameters, type Figure6Point, figure6MbounceDelays } from "./figure6MbounceDelays";
export {
  type FamilyComparison, type ThresholdFamilyComparison, type ThresholdFamilyParameters, thresholdFamilyComparison,
} from "./thresholdFamilyComparison";
export {
  type MeanFieldTailCase, type MeanFieldTailCaseResult, type MeanFieldTails, type MeanFieldTailsParameters, meanFieldTails,
} from "./meanFieldTails";
export {
  type CloserVerdict, type RefinedGapCase, type RefinedGapCaseResult, type RefinedGapParameters, type RefinedGapPoint, type RefinedMeanFieldGap,
  refinedMeanFieldGap,
} from "./refinedMeanFieldGap";
