/**
 * The draw of the length of the shortest of d samples, as the event loop does it (see simulateReplication).
 *
 * With c_l other queues of length >= l among the m = n - 1 others, P(min >= l) = (c_l / m)^d
 * (src/model/shortestSample.ts). A word U uniform on the integers [0, S) gives the minimum as the largest l
 * with U < round(S (c_l / m)^d): then P(min >= l) is right to within 1 / (2S) at every l.
 */

const TWO_POW_32 = 4294967296;

/**
 * The table round(S (c / (n - 1))^d) for c = 0..n - 1, for words uniform on [0, S) (the last entry is S: all
 * others are long enough). d = Infinity gives [0, ..., 0, S]: the minimum is the shortest other queue. Cost O(n).
 *
 * @param queues n >= 2
 * @param samples d >= 1 or Infinity
 * @param scale S, the number of equally likely word values (default 2^32)
 * @returns the thresholds (a new Float64Array of length n)
 * @example
 * Array.from(shortestSampleThresholds(3, 2)) // => [0, 1073741824, 4294967296]  ((1/2)^2 = 1/4 of 2^32)
 */
export function shortestSampleThresholds(queues: number, samples: number, scale: number = TWO_POW_32): Float64Array {
  const table = new Float64Array(queues);
  for (let c = 0; c < queues - 1; c++) table[c] = Math.round(Math.pow(c / (queues - 1), samples) * scale);
  table[queues - 1] = scale;
  return table;
}

/**
 * The length of the shortest of d samples of the queues other than `own`'s, from one uniform 32-bit word:
 * the largest l with word < thresholds[c_l], where c_l = n - levelStart[l] - [ownLength >= l]. The scan starts
 * at `shortest` (the length of the shortest queue, below which the predicate always holds) and switches to
 * bisection after 16 steps, so the cost is O(1) when queues are close and O(log L) at worst. No allocation.
 *
 * @param word a uniform integer in [0, S) (the thresholds' scale)
 * @param ownLength the length of the arrival's own queue
 * @param shortest the length of the shortest queue (all queues)
 * @param maxLevel an upper bound on every queue's length (levelStart[maxLevel + 1] must be n)
 * @param queues n
 * @param levelStart the sorted structure: index in length order of the first queue of length >= l
 * @param thresholds shortestSampleThresholds(n, d)
 * @returns the minimum's length (not validated: hot path)
 * @example
 * // lengths [0, 2, 5] (order [0, 1, 2]); arrival at queue 2; d = 2: P(min >= 1) = P(min >= 2) = 1/4
 * const ls = Int32Array.from([0, 1, 1, 2, 2, 2, 3]);
 * shortestSampledLevel(0, 5, 0, 5, 3, ls, shortestSampleThresholds(3, 2))          // => 2
 * shortestSampledLevel(1073741824, 5, 0, 5, 3, ls, shortestSampleThresholds(3, 2)) // => 0
 */
export function shortestSampledLevel(
  word: number, ownLength: number, shortest: number, maxLevel: number, queues: number,
  levelStart: Int32Array, thresholds: Float64Array,
): number {
  let l = shortest;
  let steps = 0;
  while (word < (thresholds[queues - (levelStart[l + 1] as number) - (ownLength > l ? 1 : 0)] as number)) {
    l++;
    if (++steps === 16) {
      let hi = maxLevel + 1; // no other queue reaches maxLevel + 1: the predicate is false there
      while (hi - l > 1) {
        const mid = (l + hi) >>> 1;
        if (word < (thresholds[queues - (levelStart[mid] as number) - (ownLength >= mid ? 1 : 0)] as number)) l = mid;
        else hi = mid;
      }
      return l;
    }
  }
  return l;
}
