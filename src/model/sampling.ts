import { ParameterError } from "./parameterError";

/**
 * How an arrival samples the d queues it compares its own queue with.
 *
 * - `"others"` (the paper's, Section II, and the default): d of the OTHER n - 1 queues, uniformly with
 *   replacement. The arrival's own queue is never a candidate target.
 * - `"all"`: d of ALL n queues, uniformly with replacement, own queue included (the convention of the
 *   supermarket literature: Mitzenmacher's SQ(d), Gast's rmf_tool). With `sqd` and d = 1 the job joins the
 *   shorter of its own queue and one uniform queue of all n, which is JSQ(2) with replacement from all n.
 *   When the chosen shortest sample is the arrival's own queue, the job stays (one unit joins its queue): a
 *   queue cannot migrate to itself.
 * - `"others-without-replacement"`: d distinct queues among the other n - 1 (needs d <= n - 1).
 *
 * With d = Infinity every scheme compares with the shortest other queue (`"all"` with the shortest queue of
 * all n, which is the same decision: the own queue is then the target only when it is itself the shortest,
 * and the job stays). The three schemes have the same mean-field limit (n -> infinity); their finite-n
 * behaviour differs.
 */
export type SamplingScheme = "others" | "all" | "others-without-replacement";

/** Every sampling scheme, in the order help texts list them. */
export const SAMPLING_SCHEMES: readonly SamplingScheme[] = ["others", "all", "others-without-replacement"];

/** The paper's scheme (Section II). */
export const DEFAULT_SAMPLING: SamplingScheme = "others";

/**
 * Validates a sampling scheme for n queues and d samples. Cost O(1).
 *
 * @param value the scheme (undefined means the default, "others")
 * @param queues n, when known: "others-without-replacement" needs d <= n - 1
 * @param samples d, when known (an integer >= 1 or Infinity)
 * @returns the scheme
 * @throws ParameterError naming "sampling" and listing the valid names, or naming "samples (d)" when d is
 *   too large for sampling without replacement
 * @example
 * validateSampling("all") // => "all"
 * validateSampling(undefined) // => "others"
 */
export function validateSampling(value: unknown, queues?: number, samples?: number): SamplingScheme {
  if (value === undefined) return DEFAULT_SAMPLING;
  if (typeof value !== "string" || !(SAMPLING_SCHEMES as readonly string[]).includes(value)) {
    throw new ParameterError("sampling", value, `one of ${SAMPLING_SCHEMES.map((s) => `"${s}"`).join(", ")}`);
  }
  const scheme = value as SamplingScheme;
  if (
    scheme === "others-without-replacement" && queues !== undefined && samples !== undefined &&
    samples !== Infinity && samples > queues - 1
  ) {
    throw new ParameterError("samples (d)", samples, `an integer <= n - 1 = ${queues - 1} for sampling without replacement (or Infinity)`);
  }
  return scheme;
}

/** The number of queues the samples are drawn from: n - 1 for the "others" schemes, n for "all". */
export function samplingPopulation(scheme: SamplingScheme, queues: number): number {
  return scheme === "all" ? queues : queues - 1;
}

/**
 * P(every one of the d samples has length >= l), given that `count` of the `population` candidate queues
 * have length >= l: the tail of the shortest sample's length.
 *
 * - with replacement ("others", "all"): (count / population)^d;
 * - without replacement: C(count, d) / C(population, d) = prod_{k=0}^{d-1} (count - k) / (population - k),
 *   which is 0 when count < d;
 * - d = Infinity: 1 when every candidate is that long (count = population), else 0.
 *
 * Cost O(1) with replacement, O(d) without. Returns NaN for arguments outside 0 <= count <= population.
 *
 * @param count candidates with length >= l (an integer in [0, population])
 * @param population candidates in all (n - 1 or n; see samplingPopulation), >= 1
 * @param samples d, an integer >= 1 or Infinity
 * @param scheme the sampling scheme
 * @example
 * allSamplesAtLeast(1, 2, 2, "others") // => 0.25
 * allSamplesAtLeast(1, 2, 2, "others-without-replacement") // => 0
 * allSamplesAtLeast(2, 3, 2, "others-without-replacement") // => 0.3333333333333333  (C(2,2) / C(3,2))
 */
export function allSamplesAtLeast(count: number, population: number, samples: number, scheme: SamplingScheme): number {
  if (!(count >= 0 && count <= population && population >= 1)) return NaN;
  if (count === population) return 1;
  if (samples === Infinity) return 0;
  if (scheme !== "others-without-replacement") return Math.pow(count / population, samples);
  if (count < samples) return 0;
  let p = 1;
  for (let k = 0; k < samples; k++) p *= (count - k) / (population - k);
  return p;
}
