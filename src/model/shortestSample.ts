import { type SamplingScheme, allSamplesAtLeast } from "./sampling";

/**
 * The exact law of the length of the shortest of d queues sampled from a set of candidate queues: the
 * m = n - 1 queues other than the arrival's own (schemes "others" and "others-without-replacement") or all
 * n queues ("all"); see src/model/sampling.ts.
 *
 * Derivation: with c_l candidates of length >= l, the minimum of the d samples is >= l exactly when every
 * sample is, so P(min >= l) = G(l) = allSamplesAtLeast(c_l, m, d, scheme) ((c_l / m)^d with replacement,
 * C(c_l, d) / C(m, d) without) and P(min = l) = G(l) - G(l+1). For d = infinity the minimum is the shortest
 * candidate with probability 1. Given the minimum's length, which candidate of that length is i* is uniform
 * among them by symmetry of the sampling, which is how the simulator picks it.
 *
 * Cost O(L) for L levels (O(L d) without replacement); allocates the returned array.
 *
 * @param candidateLengths lengths of the candidate queues (non-negative integers; not mutated)
 * @param samples d >= 1, or Infinity
 * @param scheme the sampling scheme (default "others"); it decides only the law of the draw, the caller
 *   decides which queues are candidates
 * @returns probabilities p[l] = P(min = l) for l = 0..max(candidateLengths)
 * @example
 * shortestSampleLaw([0, 2], 1) // => Float64Array [0.5, 0, 0.5]
 * shortestSampleLaw([0, 2], 2) // => Float64Array [0.75, 0, 0.25]
 * shortestSampleLaw([0, 2], 2, "others-without-replacement") // => Float64Array [1, 0, 0]
 */
export function shortestSampleLaw(candidateLengths: ArrayLike<number>, samples: number, scheme: SamplingScheme = "others"): Float64Array {
  const m = candidateLengths.length;
  let max = 0;
  for (let j = 0; j < m; j++) max = Math.max(max, candidateLengths[j] as number);
  const law = new Float64Array(max + 1);
  if (m === 0) return law;
  // count[l] = number of candidates with length exactly l
  const count = new Float64Array(max + 2);
  for (let j = 0; j < m; j++) count[candidateLengths[j] as number]! += 1;
  let atLeast = m;
  let tail = 1; // G(0) = 1
  for (let l = 0; l <= max; l++) {
    atLeast -= count[l] as number;
    const next = allSamplesAtLeast(atLeast, m, samples, scheme);
    law[l] = tail - next;
    tail = next;
  }
  return law;
}
