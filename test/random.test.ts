import { test } from "node:test";
import assert from "node:assert/strict";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import {
  boundedIndex, boundedIndexSmall, nextExponential, nextUniform53, nextXoroshiro128PlusHigh32, nextXoroshiro128PlusLow32,
  replicationStreamState,
} from "../src/random/index";

const MASK64 = (1n << 64n) - 1n;

/** xoroshiro128+ transcribed from Blackman and Vigna's reference C code, in 64-bit BigInt arithmetic. */
function referenceStep(s: [bigint, bigint]): bigint {
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK64;
  const [s0, s1] = s;
  const result = (s0 + s1) & MASK64;
  const x = s1 ^ s0;
  s[0] = rotl(s0, 24n) ^ x ^ ((x << 16n) & MASK64);
  s[1] = rotl(x, 37n);
  return result;
}

/** The 64-bit words s0, s1 of a pure-rand-ordered state [s01, s00, s11, s10]. */
function toBig(state: ArrayLike<number>): [bigint, bigint] {
  const u = (x: number): bigint => BigInt(x >>> 0);
  return [(u(state[0]!) << 32n) | u(state[1]!), (u(state[2]!) << 32n) | u(state[3]!)];
}

test("the inline xoroshiro128+ reproduces pure-rand's sequence and state exactly", () => {
  for (const seed of [0, 1, 42, 0x7fffffff, 0xffffffff]) {
    const reference = xoroshiro128plus(seed | 0);
    reference.jump();
    const state = new Int32Array(5);
    state.set(reference.getState());
    for (let k = 0; k < 10_000; k++) {
      assert.equal(nextXoroshiro128PlusLow32(state), reference.next());
    }
    assert.deepEqual(Array.from(state.subarray(0, 4)), Array.from(reference.getState()));
  }
});

test("high word and 53-bit uniform are the top bits of the 64-bit output of the published algorithm", () => {
  const state = replicationStreamState(9, 3);
  const big = toBig(state);
  for (let k = 0; k < 5_000; k++) {
    const expected = referenceStep(big);
    if (k % 2 === 0) {
      const hi = nextXoroshiro128PlusHigh32(state);
      assert.equal(BigInt(hi), expected >> 32n);
      assert.equal(BigInt(state[4]! >>> 0), expected & 0xffffffffn);
    } else {
      const u = nextUniform53(state);
      assert.equal(u, Number(expected >> 11n) / 2 ** 53);
    }
    assert.deepEqual(toBig(state), big);
  }
});

test("replication r starts r + 1 pure-rand jumps into the seed's sequence", () => {
  for (const r of [0, 1, 5]) {
    const g = xoroshiro128plus(123);
    for (let k = 0; k <= r; k++) g.jump();
    assert.deepEqual(Array.from(replicationStreamState(123, r).subarray(0, 4)), Array.from(g.getState()));
  }
  assert.notDeepEqual(Array.from(replicationStreamState(123, 0)), Array.from(replicationStreamState(123, 1)));
  assert.throws(() => replicationStreamState(-1, 0), /seed = -1/);
  assert.throws(() => replicationStreamState(1, 0.5), /replication = 0.5/);
});

test("boundedIndex equals floor(word x bound / 2^32) outside the rejection zone, for small and large bounds", () => {
  const state = replicationStreamState(5, 0);
  const bounds = [1, 2, 3, 7, 100, 1000, 99_991, 2 ** 21 - 1, 2 ** 21 + 3, 10_000_000, 2 ** 31 - 1];
  for (const bound of bounds) {
    const threshold = 2 ** 32 % bound;
    const words = [0, 1, bound - 1, 2 ** 32 - 1, 2 ** 32 - bound, 2 ** 31];
    for (let k = 0; k < 2000; k++) words.push(nextXoroshiro128PlusHigh32(state));
    for (const w of words) {
      const low = Number((BigInt(w) * BigInt(bound)) & 0xffffffffn);
      if (low < threshold) continue; // rejected: a fresh word is drawn
      const expected = Number((BigInt(w) * BigInt(bound)) >> 32n);
      assert.equal(boundedIndex(w, bound, state), expected, `word ${w} bound ${bound}`);
    }
  }
});

test("boundedIndex is exactly uniform: each index is hit by exactly floor(2^32 / bound) accepted words", () => {
  // Lemire's method maps the words w with floor(w b / 2^32) = k to index k and rejects those whose low word
  // (w b mod 2^32) is below 2^32 mod b. Enumerate, for sampled indices k, every word of k's preimage and count
  // the accepted ones exactly (BigInt): the count must be floor(2^32 / b) for every k, which is uniformity.
  const state = replicationStreamState(1, 0);
  for (const b of [3, 7, 10_000_000, 1_431_655_765, 2 ** 31 - 1]) {
    const B = BigInt(b);
    const threshold = (1n << 32n) % B;
    const expected = (1n << 32n) / B;
    for (let trial = 0; trial < 5; trial++) {
      const k = trial === 0 ? 0n : trial === 1 ? B - 1n : BigInt(boundedIndex(nextXoroshiro128PlusHigh32(state), b, state));
      const first = (k * (1n << 32n) + B - 1n) / B; // ceil(k 2^32 / b)
      const last = ((k + 1n) * (1n << 32n) + B - 1n) / B; // exclusive
      if (last - first > 2000n) continue; // preimage too large to enumerate (small b): covered by chi-square below
      let accepted = 0n;
      for (let w = first; w < last; w++) {
        if (((w * B) & 0xffffffffn) >= threshold) {
          accepted++;
          assert.equal(boundedIndex(Number(w), b, state), Number(k));
        } else {
          // A rejected word must not be used: boundedIndex draws a fresh word from the generator.
          const before = Array.from(state.subarray(0, 4));
          boundedIndex(Number(w), b, state);
          assert.notDeepEqual(Array.from(state.subarray(0, 4)), before, `word ${w} should be rejected for bound ${b}`);
        }
      }
      assert.equal(accepted, expected, `bound ${b}, index ${k}`);
    }
  }
  // Small bound: chi-square over 60 000 draws with bound 7 (6 degrees of freedom; 99.9% critical value 22.46).
  const counts = new Array(7).fill(0);
  const N = 60_000;
  for (let k = 0; k < N; k++) counts[boundedIndex(nextXoroshiro128PlusHigh32(state), 7, state)]++;
  const chi2 = counts.reduce((s: number, c: number) => s + (c - N / 7) ** 2 / (N / 7), 0);
  assert.ok(chi2 < 22.46, `chi-square ${chi2}`);
});

test("nextExponential follows Exp(1): Kolmogorov-Smirnov at the 99.9% level, moments, and the tail beyond r", () => {
  const state = replicationStreamState(2024, 0);
  const N = 200_000;
  const xs = new Float64Array(N);
  let sum = 0;
  let sumSq = 0;
  let beyond3 = 0;
  for (let k = 0; k < N; k++) {
    const x = nextExponential(state);
    xs[k] = x;
    sum += x;
    sumSq += x * x;
    if (x > 3) beyond3++;
  }
  xs.sort();
  let ks = 0;
  for (let k = 0; k < N; k++) {
    const F = 1 - Math.exp(-xs[k]!);
    ks = Math.max(ks, Math.abs(F - k / N), Math.abs(F - (k + 1) / N));
  }
  // KS critical value at 99.9%: 1.9495 / sqrt(N) (asymptotic Kolmogorov distribution).
  assert.ok(ks < 1.9495 / Math.sqrt(N), `KS ${ks}`);
  // Mean 1 (sd 1/sqrt(N) = 0.0022) and variance 1 (sd sqrt(8/N) = 0.0063): 5 standard errors.
  assert.ok(Math.abs(sum / N - 1) < 5 * 0.0022, `mean ${sum / N}`);
  assert.ok(Math.abs(sumSq / N - (sum / N) ** 2 - 1) < 5 * 0.0063);
  // P(X > 3) = e^-3 = 0.049787; binomial sd sqrt(p(1-p)/N) = 0.000486.
  assert.ok(Math.abs(beyond3 / N - Math.exp(-3)) < 5 * 0.000486);
  // The base-layer tail (x > r = 7.697): P(X > 8) = e^-8 = 3.35e-4; with 2e6 draws the count is Poisson(671), sd 26.
  let tail = 0;
  for (let k = 0; k < 2_000_000; k++) if (nextExponential(state) > 8) tail++;
  assert.ok(Math.abs(tail - 2e6 * Math.exp(-8)) < 5 * 26, `tail count ${tail}`);
});

test("boundedIndexSmall (integer arithmetic, bound <= 2^15) agrees with boundedIndex word for word, rejections included", () => {
  for (const bound of [1, 2, 3, 7, 100, 1000, 12_345, 32_768]) {
    const a = replicationStreamState(8, 0);
    const b = replicationStreamState(8, 0);
    const threshold = 2 ** 32 % bound;
    const words = [0, 1, 2 ** 32 - 1, 2 ** 31]; // 0 is rejected whenever 2^32 mod bound > 0
    const source = replicationStreamState(bound, 0);
    for (let k = 0; k < 20_000; k++) words.push(nextXoroshiro128PlusHigh32(source));
    for (const w of words) {
      const word = w >>> 0;
      assert.equal(boundedIndexSmall(word, bound, threshold, b), boundedIndex(word, bound, a), `word ${word} bound ${bound}`);
      assert.deepEqual(Array.from(b.subarray(0, 4)), Array.from(a.subarray(0, 4)));
    }
  }
});
