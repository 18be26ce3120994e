import { ParameterError, requireNumber } from "../../model/parameterError";
import type { LyapunovFunction } from "./lyapunovFunction";

/** Which part of Theorem 3's function: the sum V = V1 + V2, or one of its parts. */
export type Theorem3Part = "V" | "V1" | "V2";

/**
 * Theorem 3's Lyapunov function (Appendix): V = V1 + V2 with V1(q) = sum_i q_i^2 and
 * V2(q) = (1/(alpha - 1)) sum_{i<j} (q_i - q_j)^2, for any n and alpha > 1.
 *
 * Closed forms used (S = sum q): sum_{i<j} (q_i - q_j)^2 = n sum q_i^2 - S^2, and for q' = q + delta e_i,
 * V1(q') - V1(q) = 2 delta q_i + delta^2 and
 * V2(q') - V2(q) = (2 delta (n q_i - S) + (n - 1) delta^2) / (alpha - 1)   (sum over j != i of the change of
 * (q_i - q_j)^2). Cost O(n) per value or increment.
 *
 * Exact range (largestExactLength): with |delta| <= K and lengths <= q, the integer parts of an increment are
 * at most 2 K n q + (n - 1) K^2 (the V2 part; V1's 2 K q + K^2 is smaller, and S <= n q), exact doubles while
 * that is <= 2^53: q <= (2^53 - (n - 1) K^2) / (2 K n). The one multiplication by 1 / (alpha - 1) then rounds
 * once.
 *
 * @param ratio alpha > 1 (finite): the MBOUNCE ratio the function is built for
 * @param part "V" (default), "V1" or "V2"
 * @returns the function (symmetric, any n)
 * @throws ParameterError naming "ratio (alpha)" or "part"
 * @example
 * theorem3LyapunovFunction(2).value([3, 1, 0]) // => 24 (10 + (4 + 9 + 1))
 */
export function theorem3LyapunovFunction(ratio: number, part: Theorem3Part = "V"): LyapunovFunction {
  const alpha = requireNumber("ratio (alpha)", ratio, 1, Infinity);
  if (part !== "V" && part !== "V1" && part !== "V2") throw new ParameterError("part", part, '"V", "V1" or "V2"');
  const w1 = part === "V2" ? 0 : 1;
  const w2 = part === "V1" ? 0 : 1 / (alpha - 1);
  return {
    label: `Theorem 3: ${part === "V" ? "V1 + V2" : part} (alpha = ${alpha})`,
    value: (state) => {
      const n = state.length;
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const x = state[i] as number;
        sum += x;
        squares += x * x;
      }
      return w1 * squares + w2 * (n * squares - sum * sum);
    },
    increment: (state, index, delta) => {
      const n = state.length;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += state[i] as number;
      const qi = state[index] as number;
      return w1 * (2 * delta * qi + delta * delta) + w2 * (2 * delta * (n * qi - sum) + (n - 1) * delta * delta);
    },
    symmetric: true,
    largestExactLength: (n, K) => Math.floor((2 ** 53 - (n - 1) * K * K) / (2 * K * n)),
  };
}
