import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import type { LyapunovFunction } from "./lyapunovFunction";

/**
 * Theorem 2's test function for n = 2 (proof of Theorem 2):
 *
 *   V(q) = q1 + q2 + ((1 - lambda) / (1 + lambda)) sum_{l=0}^{C} | |q1 - q2| - l |.
 *
 * With x = |q1 - q2| the sum is h(x) = x(x + 1)/2 + (C - x)(C - x + 1)/2 for x <= C and
 * (C + 1) x - C(C + 1)/2 for x >= C (split the sum at l = x); increments use h directly, so they are exact
 * integers times beta = (1 - lambda)/(1 + lambda). Cost O(1) per value or increment.
 *
 * Exact range: h takes integer values up to max((C + 1) x, C (C + 1)), exact doubles while they are <= 2^53,
 * so C <= 2^26 (C (C + 1) < 2^53) and, for a move of up to K units from lengths <= q (x <= q + K),
 * q <= floor(2^53 / (C + 1)) - K (largestExactLength). Beyond, h(after) - h(before) rounds: the state
 * 9007199254740991,3 would give a drift of 0.0845 where every state from 1e3 to 1e15 gives 0.0720.
 *
 * @param arrivalRate lambda in (0, 1) (the theorem concerns lambda* < lambda < 1)
 * @param threshold C, the ABOUNCE threshold: an integer in [0, 2^26] (the number of terms is C + 1)
 * @returns V for states of length 2; value/increment throw ParameterError naming "state" for another length
 * @throws ParameterError naming "arrivalRate (lambda)" or "threshold (C)"
 * @example
 * theorem2LyapunovFunction(0.5, 2).value([5, 3]) // => 9 (8 + (1/3) (2 + 1 + 0))
 */
export function theorem2LyapunovFunction(arrivalRate: number, threshold: number): LyapunovFunction {
  const lambda = requireNumber("arrivalRate (lambda)", arrivalRate, 0, 1);
  const C = requireInteger("threshold (C)", threshold, 0, 2 ** 26);
  const beta = (1 - lambda) / (1 + lambda);
  const h = (x: number): number => (x >= C ? (C + 1) * x - (C * (C + 1)) / 2 : (x * (x + 1)) / 2 + ((C - x) * (C - x + 1)) / 2);
  const check = (state: readonly number[]): void => {
    if (state.length !== 2) throw new ParameterError("state", state, "an array of length 2 (Theorem 2's V is for n = 2)");
  };
  return {
    label: `Theorem 2: V (lambda = ${lambda}, C = ${C})`,
    value: (state) => {
      check(state);
      const q1 = state[0] as number;
      const q2 = state[1] as number;
      return q1 + q2 + beta * h(Math.abs(q1 - q2));
    },
    increment: (state, index, delta) => {
      check(state);
      const q1 = state[0] as number;
      const q2 = state[1] as number;
      const before = Math.abs(q1 - q2);
      const after = index === 0 ? Math.abs(q1 + delta - q2) : Math.abs(q1 - q2 - delta);
      return delta + beta * (h(after) - h(before));
    },
    symmetric: true,
    queues: 2,
    largestExactLength: (_n, K) => Math.floor(2 ** 53 / (C + 1)) - K,
  };
}
