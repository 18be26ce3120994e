/**
 * The xoroshiro128+ generator (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4), 2021; parameters a = 24, b = 16, c = 37), written out by hand over a typed-array state so
 * that the simulator's event loop draws without calling into an object.
 *
 * Why hand-written rather than pure-rand's generator object: pure-rand's `next()` returns only the LOW 32 bits
 * of the 64-bit output s0 + s1, the weakest bits of xoroshiro128+ (its lowest bit is a linear-feedback shift
 * register), and gives one 32-bit value per step. The event loop wants both halves of every step (the high
 * word for a comparison, the low word for an index) and 53-bit uniforms where precision matters; the
 * functions below give that, and V8 inlines them into the loop (about 3-5 ns per step on the project's
 * machine). The state evolves exactly as pure-rand's: words 0-3 are laid out as pure-rand's `getState()`
 * (`[s01, s00, s11, s10]`: high and low halves of s0, then of s1), so a state seeded and jumped by pure-rand
 * (see `replicationStreamState`) continues pure-rand's sequence step for step. The tests check this against
 * pure-rand and against a 64-bit BigInt transcription of the published algorithm.
 */

/**
 * The generator's state: an Int32Array of length 5. Words 0-3 are the 128-bit state in pure-rand's
 * `getState()` order `[s01, s00, s11, s10]`; word 4 receives the low 32 bits of the latest output of
 * {@link nextXoroshiro128PlusHigh32} (an output slot, so that one step yields two words without allocating).
 */
export type Xoroshiro128PlusState = Int32Array;

const TWO_POW_21 = 2097152;
const TWO_POW_MINUS_53 = 1.1102230246251565e-16;

/**
 * Advances the state one step and returns the low 32 bits of the output as a signed integer: exactly what
 * pure-rand's `xoroshiro128plus(...).next()` returns. Used to check the transcription. Cost O(1), no
 * allocation. Mutates `state` (it is the generator).
 *
 * @param state a generator state (for example from `replicationStreamState`); not validated (hot path)
 * @returns an integer in [-2^31, 2^31)
 * @example
 * import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
 * const s = Int32Array.from([...xoroshiro128plus(42).getState(), 0]);
 * nextXoroshiro128PlusLow32(s) // => -43 (the same as xoroshiro128plus(42).next())
 */
export function nextXoroshiro128PlusLow32(state: Xoroshiro128PlusState): number {
  const s01 = state[0] as number;
  const s00 = state[1] as number;
  const s11 = state[2] as number;
  const s10 = state[3] as number;
  const out = (s00 + s10) | 0;
  const a0 = s10 ^ s00;
  const a1 = s11 ^ s01;
  state[1] = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
  state[0] = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
  state[3] = (a1 << 5) ^ (a0 >>> 27);
  state[2] = (a0 << 5) ^ (a1 >>> 27);
  return out;
}

/**
 * Advances the state one step; returns the HIGH 32 bits of the 64-bit output s0 + s1 (mod 2^64) as an
 * unsigned integer and leaves the low 32 bits in `state[4]` (read it as `state[4] >>> 0`). The carry from the
 * low halves into the high half is computed with 32-bit operations: for unsigned 32-bit a and b, bit 32 of
 * a + b is ((a >>> 1) + (b >>> 1) + (a & b & 1)) >>> 31. Cost O(1), no allocation. Mutates `state`.
 *
 * @param state a generator state; not validated (hot path)
 * @returns an integer in [0, 2^32)
 * @example
 * import { replicationStreamState } from "./replicationStream";
 * const s = replicationStreamState(1, 0);
 * [nextXoroshiro128PlusHigh32(s), s[4] >>> 0] // => [2534622633, 3124026799]
 */
export function nextXoroshiro128PlusHigh32(state: Xoroshiro128PlusState): number {
  const s01 = state[0] as number;
  const s00 = state[1] as number;
  const s11 = state[2] as number;
  const s10 = state[3] as number;
  const carry = ((s00 >>> 1) + (s10 >>> 1) + (s00 & s10 & 1)) >>> 31;
  state[4] = s00 + s10;
  const a0 = s10 ^ s00;
  const a1 = s11 ^ s01;
  state[1] = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
  state[0] = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
  state[3] = (a1 << 5) ^ (a0 >>> 27);
  state[2] = (a0 << 5) ^ (a1 >>> 27);
  return (s01 + s11 + carry) >>> 0;
}

/**
 * Advances the state one step and returns a uniform double in [0, 1): the top 53 bits of the 64-bit output,
 * times 2^-53 (the authors' recommended conversion). Cost O(1), no allocation. Mutates `state` (also word 4).
 *
 * @param state a generator state; not validated (hot path)
 * @returns a multiple of 2^-53 in [0, 1)
 * @example
 * import { replicationStreamState } from "./replicationStream";
 * const s = replicationStreamState(1, 0);
 * nextUniform53(s) // => 0.5901378192304095
 */
export function nextUniform53(state: Xoroshiro128PlusState): number {
  const hi = nextXoroshiro128PlusHigh32(state);
  return (hi * TWO_POW_21 + ((state[4] as number) >>> 11)) * TWO_POW_MINUS_53;
}

