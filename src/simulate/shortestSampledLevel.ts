import { type SamplingScheme, allSamplesAtLeast, samplingPopulation } from "../model/sampling";

/**
 * The draw of the length of the shortest of d samples, as the event loop does it (see simulateReplication).
 *
 * With c_l candidate queues of length >= l among the m candidates (the n - 1 others, or all n under the "all"
 * scheme), P(min >= l) = G(c_l) with G(c) = allSamplesAtLeast(c, m, d, scheme): (c / m)^d with replacement,
 * C(c, d) / C(m, d) without (src/model/sampling.ts, src/model/shortestSample.ts). A word U uniform on the
 * integers [0, S) gives the minimum as the largest l with U < round(S G(c_l)): then P(min >= l) is right to
 * within 1 / (2S) at every l. The table over c = 0..m is built once per run, so the draw costs the same
 * whatever d and the scheme.
 */

const TWO_POW_32 = 4294967296;

/**
 * The table round(S G(c)) for c = 0..m (m = n - 1 candidates, or n under "all"), for words uniform on [0, S);
 * G(c) = allSamplesAtLeast(c, m, d, scheme) = P(every sample has length >= l) when c of the m candidates do.
 * The last entry is S (all candidates are long enough). d = Infinity gives [0, ..., 0, S]: the minimum is the
 * shortest candidate. Cost O(m) with replacement, O(m d) without.
 *
 * @param queues n >= 2
 * @param samples d >= 1 or Infinity (d <= n - 1 without replacement)
 * @param scale S, the number of equally likely word values (default 2^32)
 * @param scheme the sampling scheme (default "others", the paper's)
 * @returns the thresholds (a new Float64Array of length m + 1)
 * @example
 * Array.from(shortestSampleThresholds(3, 2)) // => [0, 1073741824, 4294967296]  ((1/2)^2 = 1/4 of 2^32)
 * Array.from(shortestSampleThresholds(3, 2, 2 ** 32, "others-without-replacement")) // => [0, 0, 4294967296]
 */
export function shortestSampleThresholds(
  queues: number, samples: number, scale: number = TWO_POW_32, scheme: SamplingScheme = "others",
): Float64Array {
  const m = samplingPopulation(scheme, queues);
  const table = new Float64Array(m + 1);
  for (let c = 0; c < m; c++) table[c] = Math.round(allSamplesAtLeast(c, m, samples, scheme) * scale);
  table[m] = scale;
  return table;
}

/**
 * The length of the shortest of d samples of the candidate queues, from one uniform 32-bit word: the largest l
 * with word < thresholds[c_l], where c_l = n - levelStart[l] - ownExcluded [ownLength >= l] (ownExcluded = 1:
 * the candidates are the queues other than the arrival's own; 0: all queues, the "all" scheme). The scan starts
 * at `shortest` (the length of the shortest queue, below which the predicate always holds) and switches to
 * bisection after 16 steps, so the cost is O(1) when queues are close and O(log L) at worst. No allocation.
 *
 * @param word a uniform integer in [0, S) (the thresholds' scale)
 * @param ownLength the length of the arrival's own queue
 * @param shortest the length of the shortest queue (all queues)
 * @param maxLevel an upper bound on every queue's length (levelStart[maxLevel + 1] must be n)
 * @param queues n
 * @param levelStart the sorted structure: index in length order of the first queue of length >= l
 * @param thresholds shortestSampleThresholds(n, d, S, scheme)
 * @param ownExcluded 1 (default) when the own queue is not a candidate, 0 under the "all" scheme
 * @returns the minimum's length (not validated: hot path)
 * @example
 * // lengths [0, 2, 5] (order [0, 1, 2]); arrival at queue 2; d = 2: P(min >= 1) = P(min >= 2) = 1/4
 * const ls = Int32Array.from([0, 1, 1, 2, 2, 2, 3]);
 * shortestSampledLevel(0, 5, 0, 5, 3, ls, shortestSampleThresholds(3, 2))          // => 2
 * shortestSampledLevel(1073741824, 5, 0, 5, 3, ls, shortestSampleThresholds(3, 2)) // => 0
 */
export function shortestSampledLevel(
  word: number, ownLength: number, shortest: number, maxLevel: number, queues: number,
  levelStart: Int32Array, thresholds: Float64Array, ownExcluded = 1,
): number {
  let l = shortest;
  let steps = 0;
  while (word < (thresholds[queues - (levelStart[l + 1] as number) - (ownLength > l ? ownExcluded : 0)] as number)) {
    l++;
    if (++steps === 16) {
      let hi = maxLevel + 1; // no other queue reaches maxLevel + 1: the predicate is false there
      while (hi - l > 1) {
        const mid = (l + hi) >>> 1;
        if (word < (thresholds[queues - (levelStart[mid] as number) - (ownLength >= mid ? ownExcluded : 0)] as number)) l = mid;
        else hi = mid;
      }
      return l;
    }
  }
  return l;
}
