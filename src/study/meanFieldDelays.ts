import { ParameterError, requireNumber } from "../model/parameterError";
import { type CacheOptions, cachedStudy } from "./cache/resultCache";
import { type MeanFieldJobDelay, meanFieldJobDelay } from "../theory/meanfield/meanFieldJobDelay";
import { type MeanFieldParams, validateMeanFieldParams } from "../theory/meanfield/meanFieldSystem";

/** The cache's study name of {@link meanFieldDelays}: one entry per (lambda, K, policy). */
export const MEAN_FIELD_DELAY_STUDY = "mean-field-delay";

/**
 * The mean-field (n -> infinity) per-job delay of each configuration (meanFieldJobDelay: the FIFO delay at the
 * fixed point of the system derived from the rule), each cached in data/cache under "mean-field-delay" with
 * its provenance, so that studies asking for the same configuration share one computation. The fixed points
 * are deterministic, so the cache only saves time. Configurations without a fixed point of finite mean have
 * converged = false and NaN numbers (the cache keeps NaN).
 *
 * Each configuration is computed on the calling thread, and the function yields to the event loop between
 * two of them: a study whose simulations run on the worker pool at the same time (runStudy started before
 * this call) keeps dispatching its replications meanwhile.
 *
 * Cost: one fixed point per configuration not in the cache (milliseconds at moderate load, a few seconds
 * near a stability boundary or near lambda = 1), else a file read.
 *
 * @param configurations lambda in (0, 1), K and a policy each (validated before any work)
 * @param cache cache options (directory, mode)
 * @returns the delays, in order
 * @throws ParameterError for an empty list or a bad configuration, naming it
 * @example
 * const [d] = await meanFieldDelays([{ arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, 10) }]);
 * d.meanJobDelay // => 9.4189... (no sharing: 1/(1 - lambda) = 10)
 */
export async function meanFieldDelays(configurations: readonly MeanFieldParams[], cache?: CacheOptions): Promise<MeanFieldJobDelay[]> {
  if (!Array.isArray(configurations) || configurations.length === 0) {
    throw new ParameterError("configurations", configurations, "a non-empty array of { arrivalRate, migrationPenalty, policy }");
  }
  configurations.forEach((c, k) => {
    try {
      validateMeanFieldParams(c);
      requireNumber("arrivalRate (lambda)", c.arrivalRate, 0, 1);
    } catch (error) {
      if (error instanceof ParameterError) throw new ParameterError(error.parameter, error.value, error.allowed, `configuration ${k}`);
      throw error;
    }
  });
  const out: MeanFieldJobDelay[] = [];
  for (const c of configurations) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const params: MeanFieldParams = {
      arrivalRate: c.arrivalRate,
      migrationPenalty: c.migrationPenalty,
      policy: c.policy,
      ...(c.allowOutsidePaper !== undefined ? { allowOutsidePaper: c.allowOutsidePaper } : {}),
    };
    const cached = await cachedStudy(MEAN_FIELD_DELAY_STUDY, params, () => meanFieldJobDelay(params), cache);
    out.push(cached.result);
  }
  return out;
}
