import { test } from "node:test";
import assert from "node:assert/strict";
import {
  LOG_LINEAR_HISTOGRAM_BINS, LOG_LINEAR_OVERFLOW_BIN, logLinearBin, logLinearBinBounds, logLinearQuantile,
  meanConfidenceInterval, mserTruncation, stabilityVerdict, type GrowthBatch,
} from "../src/statistics/index";
import { nextUniform53, replicationStreamState } from "../src/random/index";

/** MSER-b straight from its definition (White 1997), O(m^2): the reference the fast version must match. */
function mserByDefinition(x: number[], b: number): number {
  const m = Math.floor(x.length / b);
  const z: number[] = [];
  for (let j = 0; j < m; j++) z.push(x.slice(j * b, (j + 1) * b).reduce((s, v) => s + v, 0) / b);
  let best = Infinity;
  let bestD = 0;
  for (let d = 0; d <= Math.floor(m / 2); d++) {
    const rest = z.slice(d);
    const mean = rest.reduce((s, v) => s + v, 0) / rest.length;
    const stat = rest.reduce((s, v) => s + (v - mean) ** 2, 0) / rest.length ** 2;
    if (best === Infinity || stat < best - 1e-12 * best) {
      best = stat;
      bestD = d;
    }
  }
  return bestD * b;
}

test("MSER-5 on a hand-worked series: batch means [9, 0.4, 0.6, 0.4] truncate one batch", () => {
  // Z = [9, 0.4, 0.6, 0.4]; MSER(0) = 54.64/16 = 3.415, MSER(1) = (2/75)/9 = 0.00296, MSER(2) = 0.02/4 = 0.005.
  const x = [9, 9, 9, 9, 9, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
  const r = mserTruncation(x);
  assert.equal(r.truncatedObservations, 5);
  assert.equal(r.batches, 4);
  assert.ok(Math.abs(r.statistic - 2 / 675) < 1e-12); // sum of squares 2/75 over (4 - 1)^2
  assert.equal(r.reliable, true);
});

test("MSER-5 matches the O(m^2) definition on random series with a transient", () => {
  const s = replicationStreamState(77, 0);
  for (let trial = 0; trial < 20; trial++) {
    const N = 50 + Math.floor(nextUniform53(s) * 400);
    const decay = 5 + nextUniform53(s) * 50;
    const x: number[] = [];
    for (let k = 0; k < N; k++) x.push(10 * Math.exp(-k / decay) + nextUniform53(s) - 0.5);
    assert.equal(mserTruncation(x).truncatedObservations, mserByDefinition(x, 5), `trial ${trial}`);
  }
});

test("MSER flags a series still trending (minimum at the half-way limit) and short series", () => {
  const rising = Array.from({ length: 100 }, (_, k) => k);
  const r = mserTruncation(rising);
  assert.equal(r.reliable, false);
  assert.equal(r.truncatedBatches, 10);
  assert.equal(mserTruncation([1, 2, 3]).reliable, false);
  assert.throws(() => mserTruncation([1, 2], 0), /batchSize = 0/);
});

test("log-linear histogram: bins are monotone, bounds contain the value, widths within 1/128", () => {
  let previous = -1;
  for (let x = 0; x < 3e6; x = x * 1.0007 + 1e-4) {
    const b = logLinearBin(x);
    assert.ok(b >= previous);
    previous = b;
    const [lo, hi] = logLinearBinBounds(b);
    assert.ok(x >= lo && x < hi, `${x} in [${lo}, ${hi})`);
    if (hi !== Infinity && lo >= 0.25) assert.ok((hi - lo) / lo <= 1 / 128 + 1e-15);
    if (lo < 0.25) assert.equal(hi - lo, 1 / 1024);
  }
  assert.equal(logLinearBin(2 ** 21), LOG_LINEAR_OVERFLOW_BIN);
  assert.equal(logLinearBin(-1), 0);
  assert.deepEqual(logLinearBinBounds(LOG_LINEAR_HISTOGRAM_BINS), [NaN, NaN]);
});

test("log-linear quantiles of Exp(1) samples match -ln(1-p) within the stated resolution plus sampling error", () => {
  const s = replicationStreamState(3, 0);
  const counts = new Array(LOG_LINEAR_HISTOGRAM_BINS).fill(0);
  const N = 400_000;
  for (let k = 0; k < N; k++) counts[logLinearBin(-Math.log(1 - nextUniform53(s)))]++;
  for (const p of [0.1, 0.5, 0.9, 0.99]) {
    const exact = -Math.log(1 - p);
    // Sampling sd of a p-quantile: sqrt(p(1-p)/N) / f(x_p), f(x_p) = 1 - p; resolution: 0.4% of the value.
    const tolerance = 5 * Math.sqrt(p * (1 - p) / N) / (1 - p) + exact / 256 + 1 / 2048;
    assert.ok(Math.abs(logLinearQuantile(counts, p) - exact) < tolerance, `p = ${p}`);
  }
  assert.ok(Number.isNaN(logLinearQuantile(new Array(LOG_LINEAR_HISTOGRAM_BINS).fill(0), 0.5)));
  assert.throws(() => logLinearQuantile(counts, 1), /p = 1/);
  assert.throws(() => logLinearQuantile([1, 2], 0.5), /counts.length = 2/);
});

function batchesFrom(levels: number[], batchDuration: number, replication = 0, events = 1e6): GrowthBatch[] {
  // levels: the path sampled at batch boundaries plus mean levels taken as the midpoint average; `events` per batch
  const out: GrowthBatch[] = [];
  for (let b = 0; b + 1 < levels.length; b++) {
    out.push({
      replication,
      duration: batchDuration,
      midTime: (b + 0.5) * batchDuration,
      events,
      startLevel: levels[b]!,
      endLevel: levels[b + 1]!,
      meanLevel: (levels[b]! + levels[b + 1]!) / 2,
    });
  }
  return out;
}

test("stability verdict: drifting random walk is unstable, stationary noise is stable, short or drifting-level runs inconclusive", () => {
  const s = replicationStreamState(11, 0);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - nextUniform53(s))) * Math.cos(2 * Math.PI * nextUniform53(s));
  // Random walk with drift 0.05 per unit time per queue (n = 10), batches of 1000 time units.
  const walk = [0];
  for (let b = 0; b < 20; b++) walk.push(walk[b]! + 10 * 0.05 * 1000 + 30 * gauss());
  const unstable = stabilityVerdict(batchesFrom(walk, 1000), 10);
  assert.equal(unstable.verdict, "unstable");
  assert.ok(Math.abs(unstable.growthRatePerQueue - 0.05) < 0.01);
  // Stationary: iid levels around 50 (sd 5).
  const flat = Array.from({ length: 21 }, () => 50 + 5 * gauss());
  const stable = stabilityVerdict(batchesFrom(flat, 1000), 10);
  assert.equal(stable.verdict, "stable", stable.reason);
  // Too few batches.
  assert.equal(stabilityVerdict(batchesFrom(flat.slice(0, 5), 1000), 10).verdict, "inconclusive");
  // Growth of 0.0005 per queue per unit time, measured precisely: below delta = 0.001, so never "unstable".
  const slow = [0];
  for (let b = 0; b < 20; b++) slow.push(slow[b]! + 10 * 0.0005 * 1000 + 0.1 * gauss());
  assert.notEqual(stabilityVerdict(batchesFrom(slow, 1000), 10).verdict, "unstable");
  // A level rising by 0.01 per queue per unit time with increments hidden in noise: not "stable".
  const trending = Array.from({ length: 21 }, (_, b) => 10 * 0.01 * 1000 * b + 2000 * gauss());
  assert.notEqual(stabilityVerdict(batchesFrom(trending, 1000), 10).verdict, "stable");
  assert.throws(() => stabilityVerdict([], 10), /batches/);
  assert.throws(() => stabilityVerdict(batchesFrom(flat, 0), 10), /batch duration = 0/);
});

test("the stability verdict pools replications with a separate level per replication", () => {
  const s = replicationStreamState(12, 0);
  const noise = (): number => nextUniform53(s) - 0.5;
  // Two replications at very different but constant levels: no trend once each is centred.
  const a = batchesFrom(Array.from({ length: 11 }, () => 10 + noise()), 500, 0);
  const b = batchesFrom(Array.from({ length: 11 }, () => 1000 + noise()), 500, 1);
  const v = stabilityVerdict([...a, ...b], 5);
  assert.equal(v.replications, 2);
  assert.equal(v.verdict, "stable", v.reason);
  assert.ok(Math.abs(v.levelTrendPerQueue) < 1e-3);
  // The pooled growth interval is the t interval of all batch rates.
  const rates = [...a, ...b].map((x) => (x.endLevel - x.startLevel) / x.duration / 5);
  assert.deepEqual(v.growthRatePerQueueCi95, meanConfidenceInterval(rates).ci95);
});
