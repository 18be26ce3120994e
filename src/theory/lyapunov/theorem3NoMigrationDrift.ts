import { requireInteger, requireNumber } from "../../model/parameterError";

/**
 * The exact drift of Theorem 3's V = V1 + V2 (Appendix) at any state where every queue is non-empty and no
 * arrival can migrate (for example a balanced state under MBOUNCE): the paper's eq. (3) with its constant made
 * explicit,
 *
 *   (Delta V)(q) = 2 S (lambda - 1) / (n (lambda + 1)) + 1 + (n - 1)/(alpha - 1),   S = q_1 + ... + q_n.
 *
 * Derivation (eq. (3) gives the first term and leaves C_1 unnamed). Uniformize at rate n(lambda + 1): queue i
 * gains one job w.p. lambda/(n(lambda + 1)) and loses one w.p. 1/(n(lambda + 1)) (no self-loops: q_i > 0).
 * V1 = sum q_i^2 changes by 2 q_i + 1 or -2 q_i + 1, so Delta V1 = sum_i (2 q_i (lambda - 1) + lambda + 1)/(n(lambda + 1))
 * = 2 S (lambda - 1)/(n(lambda + 1)) + 1. V2 = (1/(alpha - 1)) sum_{i<j} (q_i - q_j)^2 changes, when q_i moves by
 * e = +-1, by (2 e sum_{j != i} (q_i - q_j) + (n - 1))/(alpha - 1); the mean of e is (lambda - 1)/(n(lambda + 1))
 * for every i and sum_i sum_{j != i} (q_i - q_j) = 0, so Delta V2 = (n - 1)/(alpha - 1).
 * Cost O(1).
 *
 * @param options queues: n, an integer >= 2; arrivalRate: lambda in (0, 1); ratio: alpha > 1 (finite);
 *   total: S >= 0, jobs (any real: the formula is linear in S)
 * @returns the drift per event of the uniformized chain
 * @throws ParameterError naming the parameter at fault
 * @example
 * theorem3NoMigrationDrift({ queues: 2, arrivalRate: 0.9, ratio: 2, total: 20 }) // => 0.9473684210526319 (2 - 4/3.8)
 */
export function theorem3NoMigrationDrift(options: {
  readonly queues: number;
  readonly arrivalRate: number;
  readonly ratio: number;
  readonly total: number;
}): number {
  const n = requireInteger("queues (n)", options.queues, 2);
  const lambda = requireNumber("arrivalRate (lambda)", options.arrivalRate, 0, 1);
  const alpha = requireNumber("ratio (alpha)", options.ratio, 1, Infinity);
  const S = requireNumber("total (S)", options.total, 0, Infinity, { loInclusive: true });
  return (2 * S * (lambda - 1)) / (n * (lambda + 1)) + 1 + (n - 1) / (alpha - 1);
}
