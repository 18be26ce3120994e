import { ParameterError } from "../../model/parameterError";
import { type SystemParams, validateSystem } from "../../model/system";
import { EXACT_DRIFT_MAX_QUEUES, requireChainArrivalRate, requireExactState } from "./chainBounds";
import { forEachTransition } from "./embeddedChainTransitions";
import type { LyapunovFunction } from "./lyapunovFunction";
import { requireState } from "./requireState";

/**
 * The exact one-step drift (Delta V)(q) = E[V(q(1)) | q(0) = q] - V(q) of the embedded chain of Section II
 * (uniformized at rate n(lambda + 1); the drift operator of the proof of Theorem 2 and of the Appendix), for any
 * policy (through `migrationRule`) and finite or infinite d. Computed as sum over moves of
 * probability * (V(q + delta e_index) - V(q)) using `embeddedChainTransitions`, so two large values of V are
 * never subtracted when V has a closed-form increment.
 *
 * Cost: O(n^2) moves (O(n * distinct lengths) for a symmetric V, whose ties need no enumeration), each costing
 * one increment of V (O(n) for Theorems 2 and 3's functions, two evaluations of V for a user function): about
 * 1.4 s at n = 1000. Bounds (refused before any work): lambda in [2^-33, 2^33] (EMBEDDED_CHAIN_ARRIVAL_RATE_RANGE),
 * queue lengths within V's exact range (requireExactState), and n <= EXACT_DRIFT_MAX_QUEUES = 1000 unless
 * `options.force`.
 *
 * @param lyapunov V (see `theorem2LyapunovFunction`, `theorem3LyapunovFunction`, `lyapunovFromFunction`)
 * @param state q, non-negative integers, length n (not mutated), each within V's exact range
 * @param params the system: n, lambda in [2^-33, 2^33], K, policy (validated)
 * @param options force: lift the bound on n (default false)
 * @returns the drift per event of the uniformized chain (a finite number; NaN if V returns NaN)
 * @throws ParameterError naming "state", "lyapunov", "queues (n)" or the system parameter at fault
 * @example
 * exactDrift(theorem3LyapunovFunction(2), [10, 10], { queues: 2, arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, Infinity) })
 * // => 0.9473684210526336 (= 2 * 10 * (0.9 - 1) / 1.9 + 1 + 1 / (2 - 1))
 */
export function exactDrift(
  lyapunov: LyapunovFunction,
  state: readonly number[],
  params: SystemParams,
  options: { readonly force?: boolean } = {},
): number {
  validateSystem(params);
  requireChainArrivalRate(params.arrivalRate);
  const q = requireState(state, params.queues);
  requireLyapunov(lyapunov, params.queues);
  requireExactState(lyapunov, q, params.migrationPenalty, 1);
  if (params.queues > EXACT_DRIFT_MAX_QUEUES && options.force !== true) {
    throw new ParameterError("queues (n)", params.queues, `at most ${EXACT_DRIFT_MAX_QUEUES} for an exact drift`,
      `its up to n^2 moves cost about ${(1.4 * (params.queues / 1000) ** 3).toPrecision(2)} s here; pass force: true (CLI --force) to compute it`);
  }
  return exactDriftOfValidated(lyapunov, q, params);
}

/** `exactDrift` for inputs already validated (internal fast path for scans over many states). */
export function exactDriftOfValidated(lyapunov: LyapunovFunction, q: readonly number[], params: SystemParams): number {
  // The moves in the order of embeddedChainTransitions, summed as they come (no move objects: scans call this
  // for up to 10^6 states).
  let drift = 0;
  forEachTransition(q, params, lyapunov.symmetric ? "representative" : "each", (probability, index, delta) => {
    if (index >= 0) drift += probability * lyapunov.increment(q, index, delta);
  });
  return drift;
}

/** Throws unless `lyapunov` is a LyapunovFunction that accepts n queues. */
export function requireLyapunov(lyapunov: unknown, queues: number): LyapunovFunction {
  const v = lyapunov as LyapunovFunction;
  if (v === null || typeof v !== "object" || typeof v.value !== "function" || typeof v.increment !== "function") {
    throw new ParameterError("lyapunov", lyapunov, "a LyapunovFunction (wrap a plain function with lyapunovFromFunction)");
  }
  if (v.queues !== undefined && v.queues !== queues) {
    throw new ParameterError("queues (n)", queues, `exactly ${v.queues} for ${v.label}`);
  }
  return v;
}
