import { ParameterError } from "../../model/parameterError";

/**
 * Validates a state of the embedded chain: an array of `queues` non-negative safe integers (queue lengths in
 * exp(1) job equivalents). Returns a fresh plain array (the caller's array is never kept or mutated).
 * Throws ParameterError naming `parameter` (default "state").
 */
export function requireState(state: unknown, queues: number, parameter = "state"): number[] {
  if (state === null || typeof state !== "object" || typeof (state as { length?: unknown }).length !== "number") {
    throw new ParameterError(parameter, state, `an array of ${queues} non-negative integers`);
  }
  const arr = state as ArrayLike<unknown>;
  if (arr.length !== queues) {
    throw new ParameterError(parameter, Array.from(arr), `an array of length n = ${queues}`, `got length ${arr.length}`);
  }
  const out = new Array<number>(queues);
  for (let i = 0; i < queues; i++) {
    const x = arr[i];
    if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 0) {
      throw new ParameterError(parameter, Array.from(arr), `non-negative integers (entry ${i} is ${String(x)})`);
    }
    out[i] = x;
  }
  return out;
}
