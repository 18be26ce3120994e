/**
 * Paper studies: one per figure or theorem of the paper, each a short composition of the study layer, the
 * theory and the display helpers that returns plain data (tables, plotly figures, claims, markdown details).
 */
export { type PaperTable } from "./paperTable";
export { type Figure3Parameters, type Figure3Stability, figure3Stability } from "./figure3Stability";
export { type PolicyTailsParameters, type PolicyTailsStudy, policyTailsStudy } from "./policyTailsStudy";
export { type Figure4Parameters, type Figure4AbounceTails, figure4AbounceTails } from "./figure4AbounceTails";
export { type Figure5Parameters, type Figure5MbounceTails, figure5MbounceTails } from "./figure5MbounceTails";
// Open question 2 (Section VI): the optimal two-queue rule, exactly, and as a policy for many queues.
export {
  type OptimalRulePair, type OptimalRuleTwoQueues, type OptimalRuleTwoQueuesParameters, optimalRuleTwoQueues,
} from "./optimalRuleTwoQueues";
export { type OptimalRuleManyQueues, type OptimalRuleManyQueuesParameters, optimalRuleManyQueues } from "./optimalRuleManyQueues";
