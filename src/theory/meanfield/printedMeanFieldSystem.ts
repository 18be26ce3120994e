import { paperFormsOf } from "../../model/policy";
import { ParameterError } from "../../model/parameterError";
import {
  OccupancyBuffers, type MeanFieldParams, type MeanFieldSystem, type OccupancyView, meanFieldLabel, validateMeanFieldParams,
} from "./meanFieldSystem";

/**
 * The mean-field ODE systems exactly as printed in Section IV: eq. (1) for MBOUNCE(alpha, d) and eq. (2)
 * for ABOUNCE(d), with s_0 = 1 and levels above the truncation L equal to 0:
 *
 * (1) i > K:  ds_i/dt = lambda (s_{i-1} - s_i) s_{floor(i/alpha)+1}^d
 *                     + lambda sum_{m=0}^{K-1} s_{alpha(i-K+m)} (s_{i-K+m}^d - s_{i-K+m+1}^d) - (s_i - s_{i+1})
 *     i <= K: ds_i/dt = lambda (s_{i-1} - s_i)
 *                     + lambda sum_{m=0}^{i-1} s_{max(m+K, alpha m)} (s_m^d - s_{m+1}^d) - (s_i - s_{i+1})
 * (2) i > K:  ds_i/dt = lambda (s_{i-1} - s_i) s_{i-K+1}^d
 *                     + sum_{m=0}^{K-1} lambda s_{i+m} (s_{i-K+m}^d - s_{i-K+m+1}^d) - (s_i - s_{i+1})
 *     i <= K: ds_i/dt = lambda (s_{i-1} - s_i)
 *                     + sum_{m=0}^{i-1} lambda s_{m+K} (s_m^d - s_{m+1}^d) - (s_i - s_{i+1})
 *
 * The paper assumes alpha integral for (1) ("for ease of exposition"), so (1) is only defined here for
 * integer alpha. Eq. (2) has no C: the printed system is the same for every threshold (the paper calls it
 * "ABOUNCE(d)"), so C is accepted and ignored.
 *
 * What rules these terms encode (read off the terms; compare derivedMeanFieldSystem). With t the target's
 * length and j the arrival's own length:
 * - (2), first term: an arrival at j >= K stays iff min >= j - K + 2, i.e. it leaves iff j > min + K - 2;
 *   migration terms: a batch is sent to a t-queue from an own queue with >= t + K units, i.e. iff
 *   j > t + K - 1. The rule ABOUNCE(C, d) gives "stay iff min >= j - C" and "sent iff j >= t + C + 1".
 *   So (2) is ABOUNCE with C = K - 2 in its stay term and C = K - 1 in its migration terms: an arrival at
 *   j >= K whose shortest sample has exactly j - K + 1 units neither stays nor migrates (it disappears).
 * - (1), first term (i > K): an arrival at j = i - 1 stays iff min >= floor((j+1)/alpha) + 1; the migration
 *   terms read "j >= alpha t" for levels i > K and "j >= max(t + K, alpha t)" for levels i <= K, so a batch
 *   sent to a queue with t < K units raises the levels it crosses at different rates. MBOUNCE's rule is
 *   "sent iff j > max(alpha t, t + K)".
 * Hence neither printed system follows a single arrival law (`arrivalOutcomes` reports the stay and migrate
 * probabilities each term implies; stay + migrate < 1). Measured at lambda = 0.75, K = 2, d = 10: 17.4% of
 * arrivals vanish at the fixed point of (2) (mean 1.435 against 2.235 derived) and 23.0% at that of (1)
 * (mean 2.311 against 2.235); large-n simulations match the derived systems, not these (README, Theory).
 *
 * Cost: O(L min(K, L)) per ds/dt.
 *
 * @param params lambda > 0, K, and an ABOUNCE or MBOUNCE policy (alpha an integer for MBOUNCE); throws
 *   ParameterError otherwise (the paper prints no system for other policies)
 * @example
 * const sys = printedMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) });
 * sys.arrivalOutcomes(Float64Array.from([1, 0.5, 0.25, 0.125, 0]))
 * // => { stay: 0.7500001193..., migrate: 0.2498778104... } (they do not add to 1)
 */
export function printedMeanFieldSystem(params: MeanFieldParams): MeanFieldSystem {
  const samples = validateMeanFieldParams(params);
  const policy = params.policy;
  const paper = paperFormsOf(policy);
  if (!paper) {
    throw new ParameterError("policy", policy.kind, '"abounce" or "mbounce" (the paper prints eqs. (1), (2) for these only)');
  }
  let alpha = 0;
  if (paper.meanFieldEquation === 1) {
    alpha = paper.ratio as number;
    if (!Number.isInteger(alpha)) {
      throw new ParameterError("ratio (alpha)", alpha, "an integer for the printed system (1)",
        "eq. (1) indexes s_{alpha m}; the paper assumes alpha integral");
    }
  }
  const lambda = params.arrivalRate;
  const K = params.migrationPenalty;
  const isM = paper.meanFieldEquation === 1;

  // Index of the own-queue factor s_{.} for a batch landing on a t-queue, as printed, at level i.
  const ownIndex = (i: number, t: number): number => (isM ? (i > K ? alpha * t : Math.max(t + K, alpha * t)) : t + K);
  // Index l of the stay factor s_l^d at level i > K.
  const stayIndex = (i: number): number => (isM ? Math.floor(i / alpha) + 1 : i - K + 1);

  const migrationUpAt = (v: OccupancyView, i: number): number => {
    let up = 0;
    for (let t = Math.max(0, i - K); t <= i - 1; t++) {
      const p = v.aDiff(t, t + 1);
      if (p !== 0) up += v.s(ownIndex(i, t)) * p;
    }
    return lambda * up;
  };
  const stayFactor = (v: OccupancyView, i: number): number => (i > K ? v.aDiff(stayIndex(i), Infinity) : 1);
  // One view refilled at each call (no allocation per evaluation of ds/dt; see OccupancyBuffers).
  const view = new OccupancyBuffers();

  return {
    variant: "printed",
    translationInvariant: !isM,
    label: meanFieldLabel("printed", params),
    arrivalRate: lambda,
    migrationPenalty: K,
    policy,
    samples,
    upwardRates(s, stayUp, migrationUp, complement) {
      const L = s.length - 1;
      const v = view.fill(s, samples, complement);
      stayUp[0] = 0;
      migrationUp[0] = 0;
      for (let i = 1; i <= L; i++) {
        stayUp[i] = lambda * v.sDiff(i - 1, i) * stayFactor(v, i);
        migrationUp[i] = migrationUpAt(v, i);
      }
    },
    arrivalOutcomes(s) {
      const L = s.length - 1;
      const v = view.fill(s, samples);
      let stay = 0;
      for (let j = 0; j <= L; j++) stay += v.sDiff(j, j + 1) * stayFactor(v, j + 1);
      // Total rate at which migration terms raise levels (also above L), per batch of K levels.
      let raised = 0;
      for (let i = 1; i <= L + K; i++) raised += migrationUpAt(v, i);
      return { stay, migrate: raised / (lambda * K) };
    },
    fifoJobDelay() {
      return NaN;
    },
  };
}
