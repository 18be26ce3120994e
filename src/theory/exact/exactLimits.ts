import { ParameterError, requireInteger } from "../../model/parameterError";
import { policyLabel, sampleCount } from "../../model/policy";
import { type SamplingScheme, validateSampling } from "../../model/sampling";
import { type SystemParams, validateSystem } from "../../model/system";
import { symmetricStateCount } from "./symmetricStateSpace";

/** The largest number of queues the exact solvers accept. */
export const MAX_EXACT_QUEUES = 3;

/**
 * The largest lumped state space the exact solvers build: C(T + n, n) states (queue lengths sorted). About 300
 * bytes each while the chain is built and solved, so at most about 75 MB.
 */
export const MAX_EXACT_STATES = 250_000;

/**
 * The largest truncation T allowed for n queues: the largest T with C(T + n, n) <= maxStates (with the default
 * MAX_EXACT_STATES, n = 1: 249999, n = 2: 705, n = 3: 112). Cost O(1).
 *
 * @param queues n, an integer in [1, 3]
 * @param maxStates the state limit, an integer in [2, MAX_EXACT_STATES] (default MAX_EXACT_STATES)
 * @returns T_max, or NaN for n or maxStates out of range
 * @example
 * maxExactTruncation(3) // => 112
 * maxExactTruncation(2, 1000) // => 43
 */
export function maxExactTruncation(queues: number, maxStates: number = MAX_EXACT_STATES): number {
  if (!(Number.isInteger(queues) && queues >= 1 && queues <= MAX_EXACT_QUEUES)) return NaN;
  if (!(Number.isInteger(maxStates) && maxStates >= 2 && maxStates <= MAX_EXACT_STATES)) return NaN;
  let T = queues === 1 ? maxStates - 1 : Math.floor(Math.pow(maxStates * (queues === 2 ? 2 : 6), 1 / queues));
  while (symmetricStateCount(queues, T + 1) <= maxStates) T++;
  while (T > 0 && symmetricStateCount(queues, T) > maxStates) T--;
  return T;
}

/** Validates a state limit: an integer in [2, MAX_EXACT_STATES]. Private to src/theory/exact. */
export function requireMaxStates(value: unknown): number {
  return requireInteger("maxStates", value ?? MAX_EXACT_STATES, 2, MAX_EXACT_STATES);
}

/** The largest upward jump of one queue under the system: K when the policy can migrate, else 1. */
export function largestJump(params: SystemParams): number {
  return sampleCount(params.policy) === 0 ? 1 : params.migrationPenalty;
}

/** The system as the exact solvers report it. */
export interface ExactSystemSummary {
  /** n. */
  readonly queues: number;
  /** lambda. */
  readonly arrivalRate: number;
  /** K. */
  readonly migrationPenalty: number;
  /** The policy's label, for example "ABOUNCE(2,inf)". */
  readonly policy: string;
  /** The sampling scheme. */
  readonly sampling: SamplingScheme;
}

/**
 * Validates a system for the exact solvers, before any work: the model's own checks (validateSystem), then
 * n <= 3 and lambda < 1. Returns the summary. Private to src/theory/exact.
 *
 * @throws ParameterError naming "queues (n)" or "arrivalRate (lambda)" (or what validateSystem names)
 */
export function validateExactSystem(params: SystemParams): ExactSystemSummary {
  validateSystem(params);
  if (params.queues > MAX_EXACT_QUEUES) {
    throw new ParameterError("queues (n)", params.queues, `an integer in [1, ${MAX_EXACT_QUEUES}]`,
      "exact answers are computed for at most 3 queues: the state space grows like (T + 1)^n; simulate larger systems");
  }
  if (!(params.arrivalRate < 1)) {
    throw new ParameterError("arrivalRate (lambda)", params.arrivalRate, "a finite number with 0 < lambda < 1",
      "for lambda >= 1 every queue receives at least one unit of work per unit time and no stationary law exists");
  }
  return {
    queues: params.queues,
    arrivalRate: params.arrivalRate,
    migrationPenalty: params.migrationPenalty,
    policy: policyLabel(params.policy),
    sampling: validateSampling(params.sampling),
  };
}

/**
 * Validates a truncation T for n queues: an integer in [minimum, maxExactTruncation(n)], the upper limit named
 * with the memory it protects. Private to src/theory/exact.
 *
 * @throws ParameterError naming "truncation (T)"
 */
export function requireTruncation(value: unknown, queues: number, minimum: number, why: string, maxStates = MAX_EXACT_STATES): number {
  const max = maxExactTruncation(queues, maxStates);
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum || value > max) {
    const limit = maxStates === MAX_EXACT_STATES ? `${MAX_EXACT_STATES} states (about 75 MB)` : `maxStates = ${maxStates} states`;
    throw new ParameterError("truncation (T)", value, `an integer in [${minimum}, ${max}] for n = ${queues}`,
      `${why}; at most ${max} so that the C(T + ${queues}, ${queues}) lumped states stay within the limit of ${limit}`);
  }
  return value;
}
