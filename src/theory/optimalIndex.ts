/**
 * The optimal migration rule for two queues (the paper's open question 2, Section VI): an average-cost MDP on
 * the uniformized two-queue chain, solved on a truncated grid by relative value iteration and certified by
 * policy iteration; exact evaluation of fixed rules on the same chain; the ranking of ABOUNCE and MBOUNCE
 * against the optimum; the optimum as a table of switching points, usable as a policy at any n.
 */
export {
  type CurveShape, type OptimalTwoQueueRule, type OptimalTwoQueueRuleOptions, type SwitchingPoint, type TruncationCheck,
  optimalTwoQueueRule,
} from "./optimal/optimalTwoQueueRule";
export { type EvaluateTwoQueueRuleOptions, type TwoQueueRuleEvaluation, evaluateTwoQueueRule } from "./optimal/evaluateTwoQueueRule";
export {
  type CompareTwoQueueRulesOptions, type TwoQueueRuleComparison, type TwoQueueRuleRanking,
  compareTwoQueueRules, defaultTwoQueueRules,
} from "./optimal/compareTwoQueueRules";
export { switchingTablePolicy, switchingTableRule } from "./optimal/switchingTableRule";
export { MAX_TRUNCATION as MAX_TWO_QUEUE_TRUNCATION } from "./optimal/twoQueueGrid";
export { ruleSwitchingCurve } from "./optimal/ruleSwitchingCurve";
