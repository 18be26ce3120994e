import { ParameterError, requireNumber } from "../../model/parameterError";
import { type PolicySpec, abounce, mbounce } from "../../model/policy";
import { validateMeanFieldParams } from "../../theory/meanfield/meanFieldSystem";
import { type CacheOptions, cachedStudy } from "../resultCache";
import { type MeanFieldJobDelay, meanFieldJobDelay } from "./meanFieldJobDelay";

/**
 * The policy of a family member: ABOUNCE(C, d) for "abounce", MBOUNCE(alpha, d) for "mbounce" (not validated here;
 * validateSystem or validateMeanFieldParams does that). Cost O(1).
 *
 * @param family "abounce" or "mbounce" (ParameterError otherwise)
 * @param parameter C or alpha
 * @param samples d
 * @example
 * familyPolicy("mbounce", 2, 10) // => { kind: "mbounce", ratio: 2, samples: 10 }
 */
export function familyPolicy(family: "abounce" | "mbounce", parameter: number, samples: number): PolicySpec {
  if (family !== "abounce" && family !== "mbounce") throw new ParameterError("family", family, '"abounce" or "mbounce"');
  return family === "abounce" ? abounce(parameter, samples) : mbounce(parameter, samples);
}

/**
 * The mean-field per-job delay (meanFieldJobDelay) of every member of a policy family on one system, cached in
 * data/cache under `${study}-mf` with its provenance (the fixed points are deterministic, so the cache only
 * saves time; an entry is reused only for the same parameters and source code). Members without a fixed
 * point of finite mean have converged = false and NaN delays.
 * Cost: one fixed point per grid member (milliseconds to a few seconds each), or a file read.
 *
 * @param study cache name prefix (letters, digits, '-', '_'; at most 77 characters)
 * @param system lambda in (0, 1), K an integer >= 1, d (samples) an integer >= 1 or Infinity
 * @param family "abounce" (grid of C, integers >= K) or "mbounce" (grid of alpha > 1)
 * @param grid the family's parameter values
 * @param cache cache options (directory, mode)
 * @throws ParameterError for a bad system, family or grid member (before any work)
 * @example
 * const d = await meanFieldFamilyDelays("demo", { arrivalRate: 0.9, migrationPenalty: 2, samples: 10 }, "mbounce", [2, 8]);
 * d.map((x) => x.meanJobDelay) // => [9.4189..., 5.1601...]
 */
export async function meanFieldFamilyDelays(
  study: string,
  system: { readonly arrivalRate: number; readonly migrationPenalty: number; readonly samples: number },
  family: "abounce" | "mbounce",
  grid: readonly number[],
  cache?: CacheOptions,
): Promise<MeanFieldJobDelay[]> {
  requireNumber("arrivalRate (lambda)", system?.arrivalRate, 0, 1);
  if (!Array.isArray(grid) || grid.length === 0) throw new ParameterError("grid", grid, "a non-empty array of family parameters");
  const params = grid.map((parameter) => ({
    arrivalRate: system.arrivalRate,
    migrationPenalty: system.migrationPenalty,
    policy: familyPolicy(family, parameter, system.samples),
  }));
  params.forEach((p) => validateMeanFieldParams(p));
  const cached = await cachedStudy(
    `${study}-mf`,
    { arrivalRate: system.arrivalRate, migrationPenalty: system.migrationPenalty, family, samples: system.samples, grid },
    () => params.map((p) => meanFieldJobDelay(p)),
    cache,
  );
  // JSON keeps NaN as null: restore the NaNs of members without a fixed point.
  return cached.result.map((d): MeanFieldJobDelay =>
    d.converged ? d : { ...d, meanJobDelay: NaN, meanQueueLength: NaN, migrationProbability: NaN });
}
