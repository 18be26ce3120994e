/**
 * The exact law of the length of the shortest of d queues sampled uniformly with replacement from the
 * m = n - 1 queues other than the arrival's own.
 *
 * Derivation: each sample independently has length >= l with probability G(l) = c_l / m, where c_l is the
 * number of other queues with length >= l. The minimum of d independent samples is >= l exactly when every
 * sample is, so P(min >= l) = G(l)^d and P(min = l) = G(l)^d - G(l+1)^d. For d = infinity the minimum is the
 * shortest other queue with probability 1. Given the minimum's length, which queue of that length is i* is
 * uniform among them by symmetry of the sampling, which is how the simulator picks it.
 *
 * Cost O(L) for L levels; allocates the returned array.
 *
 * @param otherLengths lengths of the other n - 1 queues (non-negative integers; not mutated)
 * @param samples d >= 1, or Infinity
 * @returns probabilities p[l] = P(min = l) for l = 0..max(otherLengths)
 * @example
 * shortestSampleLaw([0, 2], 1) // => [0.5, 0, 0.5]
 * shortestSampleLaw([0, 2], 2) // => [0.75, 0, 0.25]
 */
export function shortestSampleLaw(otherLengths: ArrayLike<number>, samples: number): Float64Array {
  const m = otherLengths.length;
  let max = 0;
  for (let j = 0; j < m; j++) max = Math.max(max, otherLengths[j] as number);
  const law = new Float64Array(max + 1);
  if (m === 0) return law;
  if (samples === Infinity) {
    let min = Infinity;
    for (let j = 0; j < m; j++) min = Math.min(min, otherLengths[j] as number);
    law[min] = 1;
    return law;
  }
  // atLeast[l] = number of other queues with length >= l
  const count = new Float64Array(max + 2);
  for (let j = 0; j < m; j++) count[otherLengths[j] as number]! += 1;
  let atLeast = m;
  let tailPow = 1; // G(0)^d = 1
  for (let l = 0; l <= max; l++) {
    atLeast -= count[l] as number;
    const nextPow = Math.pow(atLeast / m, samples);
    law[l] = tailPow - nextPow;
    tailPow = nextPow;
  }
  return law;
}
