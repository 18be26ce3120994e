import { ParameterError } from "../../model/parameterError";
import { type SystemParams, validateSystem } from "../../model/system";
import { transitionsOfValidated } from "./embeddedChainTransitions";
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
 * one increment of V (O(n) for Theorems 2 and 3's functions, two evaluations of V for a user function).
 *
 * @param lyapunov V (see `theorem2LyapunovFunction`, `theorem3LyapunovFunction`, `lyapunovFromFunction`)
 * @param state q, non-negative integers, length n (not mutated)
 * @param params the system: n, lambda > 0, K, policy (validated)
 * @returns the drift per event of the uniformized chain (a finite number; NaN if V returns NaN)
 * @throws ParameterError naming "state", "lyapunov" or the system parameter at fault
 * @example
 * exactDrift(theorem3LyapunovFunction(2), [10, 10], { queues: 2, arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, Infinity) })
 * // => 0.9473684210526336 (= 2 * 10 * (0.9 - 1) / 1.9 + 1 + 1 / (2 - 1))
 */
export function exactDrift(lyapunov: LyapunovFunction, state: readonly number[], params: SystemParams): number {
  validateSystem(params);
  const q = requireState(state, params.queues);
  requireLyapunov(lyapunov, params.queues);
  return exactDriftOfValidated(lyapunov, q, params);
}

/** `exactDrift` for inputs already validated (internal fast path for scans over many states). */
export function exactDriftOfValidated(lyapunov: LyapunovFunction, q: readonly number[], params: SystemParams): number {
  const moves = transitionsOfValidated(q, params, lyapunov.symmetric ? "representative" : "each");
  let drift = 0;
  for (const m of moves) if (m.index >= 0) drift += m.probability * lyapunov.increment(q, m.index, m.delta);
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
