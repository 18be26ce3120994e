import { test } from "node:test";
import assert from "node:assert/strict";
import {
  LOG_LINEAR_HISTOGRAM_BINS, LOG_LINEAR_OVERFLOW_BIN, logLinearBin, logLinearBinBounds, logLinearQuantile,
  meanConfidenceInterval, mserTruncation, probabilityInterval, stabilityVerdict, type GrowthBatch,
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
  // The growth interval is the wider of the t interval of all batch rates (pooled) and the t interval of the
  // two replications' own growth rates.
  const rates = [...a, ...b].map((x) => (x.endLevel - x.startLevel) / x.duration / 5);
  const perReplication = [a, b].map((r) => r.reduce((sum, x) => sum + (x.endLevel - x.startLevel) / x.duration / 5, 0) / r.length);
  const pooled = meanConfidenceInterval(rates);
  const across = meanConfidenceInterval(perReplication);
  assert.deepEqual(v.growthRatePerQueueCi95, (across.halfWidth > pooled.halfWidth ? across : pooled).ci95);
});

test("replications that disagree widen the intervals: two opposite slow drifts are not called stable", () => {
  // Near a stability boundary the level wanders on time scales longer than a batch. Here one replication drifts
  // up and the other down, each smoothly: every batch agrees with its own replication, so intervals that treat
  // batches as independent are narrow around a mean of 0 and would say "stable"; the replications disagree.
  const up = batchesFrom(Array.from({ length: 21 }, (_, k) => 100 + 5 * 0.002 * 500 * k), 500, 0);
  const down = batchesFrom(Array.from({ length: 21 }, (_, k) => 100 - 5 * 0.002 * 500 * k + 5000), 500, 1);
  const v = stabilityVerdict([...up, ...down], 5);
  assert.notEqual(v.verdict, "stable", v.reason);
  assert.ok(v.growthRatePerQueueCi95[1] - v.growthRatePerQueueCi95[0] > 0.004, `growth interval [${v.growthRatePerQueueCi95}]`);
});

test("the run-length floor: fewer than 100 post-warm-up events per queue in some replication is inconclusive, whatever the data", () => {
  const s = replicationStreamState(13, 0);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - nextUniform53(s))) * Math.cos(2 * Math.PI * nextUniform53(s));
  // A clear random walk with drift 0.05 per queue per unit time (n = 10): unstable once the run is long enough.
  const walk = [0];
  for (let b = 0; b < 20; b++) walk.push(walk[b]! + 10 * 0.05 * 1000 + 30 * gauss());
  // 20 batches of 40 events: 80 events per queue.
  const short = stabilityVerdict(batchesFrom(walk, 1000, 0, 40), 10);
  assert.equal(short.verdict, "inconclusive");
  assert.equal(short.transient, true);
  assert.match(short.reason, /too short .*80\.0 events per queue/);
  assert.equal(short.eventsPerQueue, 80);
  // 20 batches of 60 events: 120 per queue, above the floor.
  const long = stabilityVerdict(batchesFrom(walk, 1000, 0, 60), 10);
  assert.equal(long.verdict, "unstable", long.reason);
  assert.equal(long.transient, false);
  // The floor is per replication: a second, long replication does not rescue a short one.
  const pooled = stabilityVerdict([...batchesFrom(walk, 1000, 0, 1e6), ...batchesFrom(walk, 1000, 1, 40)], 10);
  assert.equal(pooled.verdict, "inconclusive");
  assert.match(pooled.reason, /replication 1/);
  assert.throws(() => stabilityVerdict(batchesFrom(walk, 1000, 0, -1), 10), /batch events = -1/);
});

test("persistence: a level filling towards its steady state is 'still filling', not unstable; the halves are reported", () => {
  // L(t) = 20 n (1 - exp(-t / 150)) from t = 0 to 400, batches of 20 time units, small noise: the total grows
  // significantly (well above delta) but ever more slowly, as a stable system started empty does.
  const s = replicationStreamState(14, 0);
  const n = 10;
  const levels = Array.from({ length: 21 }, (_, b) => 20 * n * (1 - Math.exp(-(20 * b) / 150)) + 0.5 * (nextUniform53(s) - 0.5));
  const v = stabilityVerdict(batchesFrom(levels, 20), n);
  assert.ok(v.growthRatePerQueueCi95[0] > v.tolerance, "the growth alone would say unstable");
  assert.equal(v.verdict, "inconclusive", v.reason);
  assert.equal(v.transient, true);
  assert.match(v.reason, /still filling/);
  // Halves: batches 0-9 against 10-19 (exact rates 0.1 e^{-t/150} averaged over each half).
  const rate = (a: number, b: number): number => (20 * (Math.exp(-a / 150) - Math.exp(-b / 150))) / (b - a);
  assert.ok(Math.abs(v.firstHalfGrowthPerQueue - rate(0, 200)) < 0.005, `${v.firstHalfGrowthPerQueue}`);
  assert.ok(Math.abs(v.secondHalfGrowthPerQueue - rate(200, 400)) < 0.005, `${v.secondHalfGrowthPerQueue}`);
});

test("persistence clause: at most its 2.5% one-sided error on random walks with drift, and it catches noisy filling (2000 trials each)", () => {
  // Random walk with drift g = 0.05 per queue per unit time and batch-rate noise sd 0.08 (n = 1, 20 batches of
  // duration 1): the batch rates r_j are iid normal, so u_j = 0.8 r_j - r_(j+10) are iid normal with mean
  // -0.2 g < 0, and the 95% t interval of u lies above 0 with probability at most 2.5%. Bound: count <= 2.5% of N
  // plus 4 binomial standard deviations (exceeded with probability below 1e-4 when the clause is right).
  const s = replicationStreamState(15, 0);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - nextUniform53(s))) * Math.cos(2 * Math.PI * nextUniform53(s));
  const trials = 2000;
  let significant = 0;
  let flagged = 0;
  for (let t = 0; t < trials; t++) {
    const walk = [0];
    for (let b = 0; b < 20; b++) walk.push(walk[b]! + 0.05 + 0.08 * gauss());
    const v = stabilityVerdict(batchesFrom(walk, 1), 1);
    if (v.growthRatePerQueueCi95[0] > v.tolerance) {
      significant += 1;
      if (v.verdict !== "unstable") flagged += 1;
    }
  }
  assert.ok(significant > trials / 2, `${significant} significant walks`);
  const bound = 0.025 * significant + 4 * Math.sqrt(significant * 0.025 * 0.975);
  assert.ok(flagged <= bound, `${flagged} of ${significant} drifting walks called still filling (bound ${bound.toFixed(1)})`);
  // Power: a level filling as 1 - e^{-t/10} over 20 batches of duration 1 (rates from 0.095 down to 0.014 per
  // unit time; halves 0.063 and 0.023) with batch-rate noise sd 0.01: u has mean about 0.028 and its 95%
  // half-width is about 0.011, so nearly every run whose growth is significant is called still filling
  // (asserted: more than 95%).
  let fillingSignificant = 0;
  let caught = 0;
  for (let t = 0; t < trials; t++) {
    const level = [0];
    for (let b = 0; b < 20; b++) level.push(level[b]! + (Math.exp(-b / 10) - Math.exp(-(b + 1) / 10)) + 0.01 * gauss());
    const v = stabilityVerdict(batchesFrom(level, 1), 1);
    if (v.growthRatePerQueueCi95[0] > v.tolerance) {
      fillingSignificant += 1;
      if (v.transient) caught += 1;
    }
  }
  assert.ok(fillingSignificant > trials / 2, `${fillingSignificant} significant filling runs`);
  assert.ok(caught > 0.95 * fillingSignificant, `${caught} of ${fillingSignificant} filling runs caught`);
});

test("probability intervals are clipped to [0, 1], and clipping never changes whether p is covered", () => {
  // Hand-worked: [0, 0, 1e-5] has mean 3.33e-6 and t interval [-1.10e-5, 1.77e-5]: the lower bound becomes 0.
  const raw = meanConfidenceInterval([0, 0, 1e-5]);
  const clipped = probabilityInterval(raw);
  assert.ok(raw.ci95[0] < 0);
  assert.deepEqual(clipped.ci95, [0, raw.ci95[1]]);
  assert.equal(clipped.clipped, true);
  assert.equal(clipped.halfWidth, raw.halfWidth);
  assert.equal(probabilityInterval(meanConfidenceInterval([0.999, 1, 1])).ci95[1], 1);
  assert.equal(probabilityInterval(meanConfidenceInterval([0.4, 0.5, 0.6])).clipped, false);
  assert.deepEqual(probabilityInterval(meanConfidenceInterval([0.5])).ci95, [NaN, NaN]);
  // Coverage: for p in [0, 1], p in [lo, hi] exactly when p in [max(lo, 0), min(hi, 1)] (checked on 2000 random
  // samples of 4 Bernoulli(p) means of 50 draws, p near 0 where the t interval often dips below 0).
  const s = replicationStreamState(16, 0);
  let clippedCount = 0;
  for (let t = 0; t < 2000; t++) {
    const p = 0.002 + 0.05 * nextUniform53(s);
    const means = Array.from({ length: 4 }, () => {
      let hits = 0;
      for (let k = 0; k < 50; k++) if (nextUniform53(s) < p) hits += 1;
      return hits / 50;
    });
    const e = meanConfidenceInterval(means);
    const c = probabilityInterval(e);
    if (c.clipped) clippedCount += 1;
    assert.equal(p >= c.ci95[0] && p <= c.ci95[1], p >= e.ci95[0] && p <= e.ci95[1]);
    assert.ok(!(c.ci95[0] < 0) && !(c.ci95[1] > 1));
  }
  assert.ok(clippedCount > 100, `${clippedCount} clipped`);
});
