import { ParameterError, requireInteger, requireNumber } from "./parameterError";
import { type PolicySpec, sampleCount, validatePolicy } from "./policy";
import { type SamplingScheme, validateSampling } from "./sampling";

/**
 * The model of Section II: n queues, Poisson(lambda) arrivals at each, exp(1) service, and a job that
 * migrates becomes K independent exp(1) jobs at its target. Names are words; the paper's letters are
 * given once here: queues = n, arrivalRate = lambda, migrationPenalty = K.
 */
export interface SystemParams {
  /** n, the number of queues: an integer >= 1 (>= 2 for any policy that shares). */
  readonly queues: number;
  /** lambda, the arrival rate per queue (jobs per unit time): finite, > 0. Stability needs more (see theory). */
  readonly arrivalRate: number;
  /** K, the number of exp(1) jobs a migrated job becomes: an integer >= 1. */
  readonly migrationPenalty: number;
  /** The routing policy. */
  readonly policy: PolicySpec;
  /**
   * How an arrival samples its d candidate queues (src/model/sampling.ts): "others" (the paper's, default: d
   * of the other n - 1 with replacement), "all" (d of all n with replacement) or "others-without-replacement".
   */
  readonly sampling?: SamplingScheme;
  /** Opt in to parameters outside the paper's constraints (C < K, alpha <= 1, sqd with K > 1). Default false. */
  readonly allowOutsidePaper?: boolean;
}

/** Largest n accepted: the simulator keeps O(n) typed arrays. */
export const MAX_QUEUES = 10_000_000;
/** Largest K accepted. */
export const MAX_MIGRATION_PENALTY = 1_000_000;

/**
 * Validates system parameters once, at the boundary; returns them unchanged. Throws `ParameterError`
 * naming the parameter, its value and the allowed range.
 */
export function validateSystem(params: SystemParams): SystemParams {
  if (params === null || typeof params !== "object") throw new ParameterError("params", params, "an object");
  requireInteger("queues (n)", params.queues, 1, MAX_QUEUES);
  requireNumber("arrivalRate (lambda)", params.arrivalRate, 0, Infinity);
  requireInteger("migrationPenalty (K)", params.migrationPenalty, 1, MAX_MIGRATION_PENALTY);
  if (params.allowOutsidePaper !== undefined && typeof params.allowOutsidePaper !== "boolean") {
    throw new ParameterError("allowOutsidePaper", params.allowOutsidePaper, "true or false");
  }
  validatePolicy(params.policy, params.migrationPenalty, params.allowOutsidePaper === true);
  if (sampleCount(params.policy) > 0 && params.queues < 2) {
    throw new ParameterError("queues (n)", params.queues, "an integer >= 2 when the policy shares (there must be another queue to sample)");
  }
  validateSampling(params.sampling, params.queues, sampleCount(params.policy));
  return params;
}
