import { nextXoroshiro128PlusHigh32, type Xoroshiro128PlusState } from "./xoroshiro128Plus";

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * An exactly uniform integer in [0, bound) from a uniform 32-bit word, by Lemire's multiply-and-reject method
 * ("Fast random integer generation in an interval", ACM TOMACS 29(1), 2019): the answer is the high word of
 * the 64-bit product word x bound, and the product is rejected (a fresh word is drawn from `state`) when its
 * low word is below 2^32 mod bound, which removes the bias of the plain multiply-shift exactly. Rejection has
 * probability below bound / 2^32.
 *
 * In doubles: the low word of the product is exact from Math.imul. The high word is read from the rounded
 * double product, which is off by less than product x 2^-53 < bound x 2^-21 < bound; so when the low word lies
 * in [bound, 2^32 - bound] the rounded product has the right high word, and the rare other cases (probability
 * < 2 bound / 2^32) go to a slow path that splits the product into exact 16-bit halves.
 *
 * Cost O(1) expected (one multiply and two comparisons on the fast path), no allocation. May advance `state`.
 *
 * @param word a uniform integer in [0, 2^32) (for example `nextXoroshiro128PlusHigh32(state)` or `state[4] >>> 0`)
 * @param bound an integer in [1, 2^31) (not validated: hot path)
 * @param state the generator to draw fresh words from on rejection
 * @returns an integer in [0, bound)
 * @example
 * import { replicationStreamState } from "./replicationStream";
 * boundedIndex(0x80000000, 10, replicationStreamState(1, 0)) // => 5 (half of 2^32, times 10, high word)
 */
export function boundedIndex(word: number, bound: number, state: Xoroshiro128PlusState): number {
  const low = Math.imul(word, bound) >>> 0;
  if (low >= bound && low <= TWO_POW_32 - bound) return (word * bound * TWO_POW_MINUS_32) | 0;
  return boundedIndexSlow(word, bound, state);
}

/**
 * {@link boundedIndex} for a bound of at most 2^15, in 32-bit integer arithmetic (shorter latency than the
 * double product): with word = w_h 2^16 + w_l, floor(word bound / 2^32) = floor((w_h bound + floor(w_l bound /
 * 2^16)) / 2^16), every product below 2^31. Rejection as in boundedIndex: the caller passes
 * `threshold` = 2^32 mod bound (precomputed once). Exactly uniform; cost O(1) expected, no allocation.
 *
 * @param word a uniform integer in [0, 2^32)
 * @param bound an integer in [1, 2^15] (not validated: hot path)
 * @param threshold 2^32 mod bound
 * @param state the generator to draw fresh words from on rejection
 * @returns an integer in [0, bound)
 * @example
 * import { replicationStreamState } from "./replicationStream";
 * boundedIndexSmall(0x80000000, 10, 2 ** 32 % 10, replicationStreamState(1, 0)) // => 5
 */
export function boundedIndexSmall(word: number, bound: number, threshold: number, state: Xoroshiro128PlusState): number {
  if ((Math.imul(word, bound) >>> 0) < threshold) return boundedIndexSlow(word, bound, state);
  return (((word >>> 16) * bound + (((word & 0xffff) * bound) >>> 16)) >>> 16);
}

function boundedIndexSlow(word: number, bound: number, state: Xoroshiro128PlusState): number {
  const threshold = TWO_POW_32 % bound;
  let w = word;
  for (;;) {
    const low = Math.imul(w, bound) >>> 0;
    if (low >= threshold) {
      // High word of w * bound, exactly: w * bound = a 2^16 + b with a = (w >>> 16) bound, b = (w & 0xffff) bound,
      // both < 2^48; floor((a 2^16 + b) / 2^32) = floor((a + floor(b / 2^16)) / 2^16).
      const a = (w >>> 16) * bound;
      const b = (w & 0xffff) * bound;
      return Math.floor((a + Math.floor(b / 65536)) / 65536);
    }
    w = nextXoroshiro128PlusHigh32(state);
  }
}
