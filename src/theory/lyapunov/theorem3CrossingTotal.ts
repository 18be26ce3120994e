import { requireInteger, requireNumber } from "../../model/parameterError";

/**
 * The total S* at which the no-migration drift of Theorem 3's V (`theorem3NoMigrationDrift`) reaches -epsilon:
 *
 *   S* = n (1 + lambda) (1 + (n - 1)/(alpha - 1) + epsilon) / (2 (1 - lambda)),
 *
 * solved from 2 S (lambda - 1)/(n (lambda + 1)) + 1 + (n - 1)/(alpha - 1) = -epsilon. Every total S >= n has a
 * state with all queues non-empty and no possible migration (a balanced one, under MBOUNCE), whose drift is
 * that formula, so no bound of the form "Delta V <= -epsilon for all q with q_1 + ... + q_n >= S0" can hold
 * with S0 < S*; the Appendix's claim needs the maximum drift over each level S > S* to stay <= -epsilon.
 * Cost O(1).
 *
 * @param options queues: n, an integer >= 2; arrivalRate: lambda in (0, 1); ratio: alpha > 1 (finite);
 *   epsilon >= 0
 * @returns S*, in jobs (not rounded)
 * @throws ParameterError naming the parameter at fault
 * @example
 * theorem3CrossingTotal({ queues: 2, arrivalRate: 0.95, ratio: 2, epsilon: 0.01 }) // => 78.38999999999992 (2 * 1.95 * 2.01 / 0.1 = 78.39)
 */
export function theorem3CrossingTotal(options: {
  readonly queues: number;
  readonly arrivalRate: number;
  readonly ratio: number;
  readonly epsilon: number;
}): number {
  const n = requireInteger("queues (n)", options.queues, 2);
  const lambda = requireNumber("arrivalRate (lambda)", options.arrivalRate, 0, 1);
  const alpha = requireNumber("ratio (alpha)", options.ratio, 1, Infinity);
  const epsilon = requireNumber("epsilon", options.epsilon, 0, Infinity, { loInclusive: true });
  return (n * (1 + lambda) * (1 + (n - 1) / (alpha - 1) + epsilon)) / (2 * (1 - lambda));
}
