import { ParameterError } from "../../model/parameterError";

/**
 * A test (Lyapunov) function V on queue-length vectors, with the increment V(q + delta e_i) - V(q) that the
 * drift computations use (computed without forming V twice when a closed form exists, which avoids the
 * cancellation of two large values).
 */
export interface LyapunovFunction {
  /** A short label for tables, for example "Theorem 3: V1 + V2 (alpha = 2)". */
  readonly label: string;
  /** V(q). */
  readonly value: (state: readonly number[]) => number;
  /** V(q + delta e_index) - V(q) for a 0-based queue index and an integer delta. */
  readonly increment: (state: readonly number[], index: number, delta: number) => number;
  /** True when V(q) does not change under permutations of the queues (then ties need not be enumerated). */
  readonly symmetric: boolean;
  /** The number of queues V is defined for, when it is fixed (Theorem 2's V is for n = 2). */
  readonly queues?: number;
  /**
   * The largest queue length (before a move of up to K units) at which `increment` is exact in double
   * precision, for n queues and penalty K; the drift computations refuse states beyond it (see
   * requireExactState). Absent: only the chain's own bound applies (lengths stay safe integers).
   */
  readonly largestExactLength?: (queues: number, migrationPenalty: number) => number;
}

/**
 * Wraps a user's function V: (q) => number as a `LyapunovFunction`. The increment is V(q') - V(q) on a copy
 * q' of q, so it costs two evaluations of V plus O(n). Its precision is the user's: no largestExactLength is
 * declared (a difference of two large values of V can cancel; give V an exact `increment` of your own when it matters). Unless `symmetric` is declared, the exact drift
 * enumerates every queue that can be i* (with equal probability among ties), which is what a
 * non-symmetric V needs.
 *
 * @param fn V, a function of the queue lengths returning a finite number (not mutating its argument)
 * @param options label (default "user V"); symmetric (default false): declare V permutation invariant
 * @returns the wrapped function
 * @throws ParameterError naming "lyapunov" when fn is not a function
 * @example
 * const V = lyapunovFromFunction((q) => q[0]! * q[0]!);
 * V.increment([3, 1], 0, 1) // => 7
 */
export function lyapunovFromFunction(
  fn: (state: readonly number[]) => number,
  options: { readonly label?: string; readonly symmetric?: boolean } = {},
): LyapunovFunction {
  if (typeof fn !== "function") throw new ParameterError("lyapunov", fn, "a function (q: readonly number[]) => number");
  return {
    label: options.label ?? "user V",
    value: fn,
    increment: (state, index, delta) => {
      const moved = state.slice();
      moved[index] = (moved[index] as number) + delta;
      return fn(moved) - fn(state);
    },
    symmetric: options.symmetric === true,
  };
}
