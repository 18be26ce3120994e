/**
 * The states of n <= 3 queues, each of length at most T, up to a permutation of the queues: the lengths sorted in
 * decreasing order, x_0 >= x_1 >= ... >= x_{n-1} >= 0. Private to src/theory/exact.
 *
 * Index (the combinatorial number system for multisets): x_k + (n - 1 - k) is strictly decreasing in k, so
 *   index(x) = sum_k C(x_k + n - 1 - k, n - k)
 * is a bijection onto 0..C(T + n, n) - 1 for the tuples with x_0 <= T. It does not depend on T, and every tuple
 * whose longest queue is a comes after every tuple whose longest queue is below a: the states of a smaller
 * truncation are a prefix of those of a larger one.
 */

/** C(m, k) for the small k used here (k <= 3), exact in doubles for m < 2^17. */
function choose(m: number, k: number): number {
  if (m < k) return 0;
  switch (k) {
    case 0: return 1;
    case 1: return m;
    case 2: return (m * (m - 1)) / 2;
    default: return (m * (m - 1) * (m - 2)) / 6;
  }
}

/** The number of sorted states of n queues with lengths in 0..T: C(T + n, n). */
export function symmetricStateCount(queues: number, truncation: number): number {
  return choose(truncation + queues, queues);
}

/** The index of a sorted state (x[0] >= x[1] >= ...; not checked). Cost O(n). */
export function symmetricStateIndex(sorted: ArrayLike<number>, queues: number): number {
  let index = 0;
  for (let k = 0; k < queues; k++) index += choose((sorted[k] as number) + queues - 1 - k, queues - k);
  return index;
}

/**
 * Every sorted state with lengths in 0..T, in index order, as a flat array (state s occupies entries s n .. s n + n - 1).
 * Cost O(n C(T + n, n)) time and memory.
 */
export function enumerateSymmetricStates(queues: number, truncation: number): Int32Array {
  const count = symmetricStateCount(queues, truncation);
  const out = new Int32Array(count * queues);
  let s = 0;
  if (queues === 1) {
    for (let a = 0; a <= truncation; a++) out[s++] = a;
  } else if (queues === 2) {
    for (let a = 0; a <= truncation; a++) for (let b = 0; b <= a; b++) { out[s++] = a; out[s++] = b; }
  } else {
    for (let a = 0; a <= truncation; a++) {
      for (let b = 0; b <= a; b++) for (let c = 0; c <= b; c++) { out[s++] = a; out[s++] = b; out[s++] = c; }
    }
  }
  return out;
}

/** The number of distinct orderings of a sorted state: n! / prod(multiplicities!). */
export function orbitSize(sorted: ArrayLike<number>, queues: number): number {
  if (queues === 1) return 1;
  if (queues === 2) return sorted[0] === sorted[1] ? 1 : 2;
  const ab = sorted[0] === sorted[1];
  const bc = sorted[1] === sorted[2];
  if (ab && bc) return 1;
  if (ab || bc) return 3;
  return 6;
}
