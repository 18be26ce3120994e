/**
 * Paper studies: one per figure or theorem of the paper, each a short composition of the study layer, the
 * theory and the display helpers that returns plain data (tables, plotly figures, claims, markdown details).
 */
export { type PaperTable } from "./paperOutput";
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
