/**
 * Theory for Theorems 1-3 (Section III and the Appendix): the paper's thresholds, the exact two-queue
 * threshold of ABOUNCE(C, infinity), Lyapunov functions, exact and Monte Carlo drift of the embedded chain,
 * and the checks of the conditions used in the proofs.
 */
export { theorem1ArrivalRateBound, theorem3ArrivalRateBound } from "./thresholds/theoremBounds";
export { THEOREM2_MAX_PRODUCT, theorem2LambdaStar } from "./thresholds/theorem2LambdaStar";
export {
  TWO_QUEUE_MAX_THRESHOLD, type TwoQueueDifferenceLaw, twoQueueDifferenceLaw, differenceLawProbability,
} from "./thresholds/twoQueueDifferenceLaw";
export { EXACT_THRESHOLD_WORK_LIMIT, type ExactTwoQueueThreshold, exactTwoQueueThreshold } from "./thresholds/exactTwoQueueThreshold";
export { type ThresholdComparisonRow, thresholdComparisonTable } from "./thresholds/thresholdComparisonTable";
export { type LyapunovFunction, lyapunovFromFunction } from "./lyapunov/lyapunovFunction";
export { theorem2LyapunovFunction } from "./lyapunov/theorem2LyapunovFunction";
export { type Theorem3Part, theorem3LyapunovFunction } from "./lyapunov/theorem3LyapunovFunction";
export { type ChainTransition, embeddedChainTransitions } from "./lyapunov/embeddedChainTransitions";
export { exactDrift } from "./lyapunov/exactDrift";
export {
  EMBEDDED_CHAIN_ARRIVAL_RATE_RANGE, EXACT_DRIFT_MAX_QUEUES, MONTE_CARLO_DRIFT_MAX_SAMPLES, MONTE_CARLO_DRIFT_WORK_LIMIT,
} from "./lyapunov/chainBounds";
export { type ChainStep, embeddedChainStepper } from "./lyapunov/embeddedChainStepper";
export { type MonteCarloDriftEstimate, monteCarloDrift } from "./lyapunov/monteCarloDrift";
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
