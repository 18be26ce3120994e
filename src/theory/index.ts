/**
 * The theory: what the paper states or bounds, computed without the simulator.
 *
 * - thresholds/: the thresholds of Theorems 1-3 as printed, and the exact stability threshold of
 *   ABOUNCE(C, infinity) with two queues (the stationary law of the difference of their lengths);
 * - lyapunov/: the embedded chain of Sections II-III (its exact one-step law and a stepper), Lyapunov functions
 *   (Theorem 2's V, Theorem 3's V1, V2, or any V), exact and Monte Carlo drift, and the checks of the conditions
 *   used in the proofs of Theorems 2 and 3;
 * - meanfield/: the ODE systems of Section IV as printed (eqs. (1), (2)) and as derived from the policies' rules,
 *   their fixed points, transients, front motion and stability boundary, the tail lemmas, the supermarket closed
 *   form, and the refined (1/n) mean field with its Lyapunov-equation solver;
 * - exact/: stationary laws of systems of n <= 3 queues on a truncated state space, with the truncation error
 *   bounded;
 * - optimal/: the optimal migration rule for two queues (average-cost MDP), exact evaluation of any rule on the
 *   same chain, the ranking of ABOUNCE and MBOUNCE against it, and the optimum as a policy.
 */

// Thresholds (Theorems 1-3; the exact two-queue threshold).
export { theorem1ArrivalRateBound, theorem3ArrivalRateBound } from "./thresholds/theoremBounds";
export { THEOREM2_MAX_PRODUCT, theorem2LambdaStar } from "./thresholds/theorem2LambdaStar";
export {
  TWO_QUEUE_MAX_THRESHOLD, type TwoQueueDifferenceLaw, differenceLawProbability, twoQueueDifferenceLaw,
} from "./thresholds/twoQueueDifferenceLaw";
export { EXACT_THRESHOLD_WORK_LIMIT, type ExactTwoQueueThreshold, exactTwoQueueThreshold } from "./thresholds/exactTwoQueueThreshold";
export { type ThresholdComparisonRow, thresholdComparisonTable } from "./thresholds/thresholdComparisonTable";

// Lyapunov drift on the embedded chain.
export { type LyapunovFunction, lyapunovFromFunction } from "./lyapunov/lyapunovFunction";
export { theorem2LyapunovFunction } from "./lyapunov/theorem2LyapunovFunction";
export { type Theorem3Part, theorem3LyapunovFunction } from "./lyapunov/theorem3LyapunovFunction";
export { type ChainTransition, embeddedChainTransitions } from "./lyapunov/embeddedChainTransitions";
export { type ChainStep, embeddedChainStepper } from "./lyapunov/embeddedChainStepper";
export { exactDrift } from "./lyapunov/exactDrift";
export { type MonteCarloDriftEstimate, monteCarloDrift } from "./lyapunov/monteCarloDrift";
export {
  EMBEDDED_CHAIN_ARRIVAL_RATE_RANGE, EXACT_DRIFT_MAX_QUEUES, MONTE_CARLO_DRIFT_MAX_SAMPLES, MONTE_CARLO_DRIFT_WORK_LIMIT,
} from "./lyapunov/chainBounds";
export {
  type Theorem2ConditionReport, type Theorem2Set, type Theorem2SetSummary, type Theorem2StateDrift,
  theorem2ConditionCheck, theorem2SetOf,
} from "./lyapunov/theorem2ConditionCheck";
export { type RateInterval, type Theorem2ConditionOneRates, theorem2ConditionOneRates } from "./lyapunov/theorem2ConditionOneRates";
export {
  type Theorem3DriftRecord, type Theorem3DriftSurvey, type Theorem3StateFamily, theorem3DriftSurvey,
} from "./lyapunov/theorem3DriftSurvey";
export { type Theorem2DriftGrid, theorem2DriftGrid } from "./lyapunov/theorem2DriftGrid";
export { theorem3NoMigrationDrift } from "./lyapunov/theorem3NoMigrationDrift";
export { theorem3CrossingTotal } from "./lyapunov/theorem3CrossingTotal";
export { type Theorem3LevelMaximum, type Theorem3LevelMaximumRow, theorem3LevelMaximum } from "./lyapunov/theorem3LevelMaximum";

// Mean field (Section IV), plain and refined.
export type { MeanFieldParams, MeanFieldSystem, MeanFieldVariant } from "./meanfield/meanFieldSystem";
export { derivedMeanFieldSystem } from "./meanfield/derivedMeanFieldSystem";
export { printedMeanFieldSystem } from "./meanfield/printedMeanFieldSystem";
export { buildMeanFieldSystem } from "./meanfield/buildMeanFieldSystem";
export { meanFieldDrift } from "./meanfield/meanFieldDrift";
export { type MeanFieldMetrics, meanFieldMetrics } from "./meanfield/meanFieldMetrics";
export { type MeanFieldFixedPoint, type MeanFieldFixedPointOptions, meanFieldFixedPoint } from "./meanfield/meanFieldFixedPoint";
export { type MeanFieldTrajectory, type MeanFieldTrajectoryOptions, integrateMeanField } from "./meanfield/integrateMeanField";
export { type FrontMotion, type FrontMotionOptions, type FrontMotionResult, meanFieldFrontMotion } from "./meanfield/meanFieldFrontMotion";
export {
  type MeanFieldStabilityBoundary, type StabilityBoundaryOptions, meanFieldStabilityBoundary,
} from "./meanfield/meanFieldStabilityBoundary";
export { supermarketFixedPoint } from "./meanfield/supermarketFixedPoint";
export { lemma1TailExponent, lemma2TailExponent } from "./meanfield/lemmaTailExponents";
export { type TailLemmaOptions, type TailLemmaRow, tailLemmaComparison } from "./meanfield/tailLemmaComparison";
export {
  type LemmaCheckpoint, type LemmaRateCurve, type MeanFieldTailCurve, type MeanFieldTailReference, type MeanFieldTailReferenceOptions,
  meanFieldTailReference,
} from "./meanfield/meanFieldTailReference";
export { type RefinedMeanField, type RefinedMeanFieldOptions, refinedMeanField } from "./meanfield/refinedMeanField";
export { type LyapunovSolution, solveLyapunov } from "./meanfield/refinedLyapunovSolve";

// Exact stationary laws of small systems (n <= 3).
export { MAX_EXACT_QUEUES, MAX_EXACT_STATES, type ExactSystemSummary, maxExactTruncation } from "./exact/exactLimits";
export { type ExactSolverReport, type TruncatedStationaryLaw, truncatedStationary } from "./exact/truncatedStationary";
export { type ExactStationary, type ExactStationaryOptions, type ExactTruncationError, exactStationary } from "./exact/exactStationary";

// The optimal migration rule for two queues (open question 2).
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
