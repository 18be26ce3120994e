/**
 * Exact answers for small systems (n <= 3 queues): the stationary law of the embedded chain of Section II on a
 * truncated state space, by a sparse iterative solve, with the truncation error bounded.
 */
export { MAX_EXACT_QUEUES, MAX_EXACT_STATES, type ExactSystemSummary, maxExactTruncation } from "./exactLimits";
export {
  EXACT_MAX_ITERATIONS, EXACT_RESIDUAL_TOLERANCE, type ExactSolverReport, type TruncatedStationaryLaw, truncatedStationary,
} from "./truncatedStationary";
export { type ExactStationary, type ExactStationaryOptions, type ExactTruncationError, exactStationary } from "./exactStationary";
