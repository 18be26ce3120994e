import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { abounce, mbounce, noSharing, shortestOfD } from "../src/model/policy";
import { derivedMeanFieldSystem } from "../src/theory/meanfield/derivedMeanFieldSystem";
import { integrateMeanField } from "../src/theory/meanfield/integrateMeanField";
import {
  bestOfFamilyDelay, compareSamplePathWithMeanField, compareTailWithReference, intervalAtConfidence,
  meanFieldFamilyDelays, meanFieldJobDelay, meanFieldRelaxationTime, pointDegreesOfFreedom, simulateDelayToPrecision, tailGapShrinkage,
} from "../src/experiments/delay/index";
import { simulatePoints } from "../src/experiments/simulatePoints";

const directory = mkdtempSync(join(tmpdir(), "mp-delay-"));
const cache = { directory };

test("intervalAtConfidence rescales by the ratio of t quantiles (printed t table)", () => {
  // t table (e.g. Montgomery & Runger, Table V): t_{0.995,15} = 2.947, t_{0.975,15} = 2.131; ratio 1.3829 (table rounding ~3e-4).
  const b = intervalAtConfidence({ mean: 10, ci95: [9, 11] }, 15, 0.99);
  assert.ok(Math.abs(b.halfWidth - 2.947 / 2.131) < 1e-3, `${b.halfWidth}`);
  assert.equal(b.lower, 10 - b.halfWidth);
  assert.equal(b.level, 0.99);
  // At 95% nothing changes.
  assert.ok(Math.abs(intervalAtConfidence({ mean: 3, ci95: [2, 4] }, 7, 0.95).halfWidth - 1) < 1e-12);
  assert.throws(() => intervalAtConfidence({ mean: 0, ci95: [-1, 1] }, 0, 0.99), /degreesOfFreedom = 0/);
  assert.throws(() => intervalAtConfidence({ mean: 0, ci95: [-1, 1] }, 3, 1), /level = 1/);
});

test("pointDegreesOfFreedom: replications - 1, or 19 batch means", () => {
  assert.equal(pointDegreesOfFreedom({ replications: 8 }), 7);
  assert.equal(pointDegreesOfFreedom({ replications: 1 }), 19);
});

test("meanFieldJobDelay: no sharing gives 1/(1 - lambda); SQ(1) gives Little's law on the closed-form fixed point", () => {
  // M/M/1: the derived no-sharing system has s_i = lambda^i, FIFO sojourn 1/(1 - lambda).
  assert.ok(Math.abs(meanFieldJobDelay({ arrivalRate: 0.8, migrationPenalty: 2, policy: noSharing() }).meanJobDelay - 5) < 1e-8);
  // K = 1, own queue + 1 sample: s_i = lambda^(2^i - 1) (Vvedenskaya et al. 1996); jobs = units, so the delay is
  // sum_{i>=1} s_i / lambda by Little's law.
  const lambda = 0.5;
  let mean = 0;
  for (let i = 1; i < 12; i++) mean += lambda ** (2 ** i - 1);
  const d = meanFieldJobDelay({ arrivalRate: lambda, migrationPenalty: 1, policy: shortestOfD(1) });
  assert.ok(d.converged);
  assert.ok(Math.abs(d.meanJobDelay - mean / lambda) < 1e-8, `${d.meanJobDelay} vs ${mean / lambda}`);
  // Beyond the mean-field stability boundary of ABOUNCE(2,10), K = 2 (about 0.783) there is no delay.
  const none = meanFieldJobDelay({ arrivalRate: 0.9, migrationPenalty: 2, policy: abounce(2, 10) });
  assert.equal(none.converged, false);
  assert.ok(Number.isNaN(none.meanJobDelay) && typeof none.failure === "string");
});

test("meanFieldFamilyDelays keeps NaN through the cache", async () => {
  const system = { arrivalRate: 0.9, migrationPenalty: 2, samples: 10 };
  const first = await meanFieldFamilyDelays("family-mf", system, "abounce", [2, 10], cache);
  const again = await meanFieldFamilyDelays("family-mf", system, "abounce", [2, 10], cache);
  for (const d of [first, again]) {
    assert.equal(d[0]?.converged, false);
    assert.ok(Number.isNaN(d[0]?.meanJobDelay));
    assert.ok(d[1]?.converged && Number.isFinite(d[1].meanJobDelay));
  }
  assert.deepEqual(again[1], first[1]);
  await assert.rejects(meanFieldFamilyDelays("family-mf", { ...system, arrivalRate: 1 }, "abounce", [2]), /arrivalRate \(lambda\) = 1/);
  await assert.rejects(meanFieldFamilyDelays("family-mf", system, "abounce", [1]), /threshold|C/);
});

test("simulateDelayToPrecision: M/M/1 delay 1/(1 - lambda) within its interval; stages grow; budget limits are reported", async () => {
  const system = { queues: 50, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() };
  const [p] = await simulateDelayToPrecision("mm1-precision", [system],
    { requiredRelativeHalfWidth: 0.01, pilotEvents: 20_000, maxEvents: 2_000_000, replications: 8, seed: 11, cache });
  assert.ok(p && p.reached, p?.reason);
  const est = p.point.meanDelay;
  assert.ok(est.relativeHalfWidth <= 0.01);
  // 99.9% interval around the exact M/M/1 sojourn time 2 (a fixed seed; fails with probability 1e-3 if the code is right).
  const wide = intervalAtConfidence(est, pointDegreesOfFreedom(p.point), 0.999);
  assert.ok(Math.abs(est.mean - 2) <= wide.halfWidth, `${est.mean} +- ${wide.halfWidth}`);
  for (let k = 1; k < p.stages.length; k++) assert.ok(p.stages[k]!.events > p.stages[k - 1]!.events);
  assert.deepEqual(p.stages.map((s) => s.seed), p.stages.map((_, k) => 11 + k));

  const [capped] = await simulateDelayToPrecision("mm1-precision", [system],
    { requiredRelativeHalfWidth: 0.001, pilotEvents: 5_000, maxEvents: 5_000, replications: 4, seed: 1, cache });
  assert.equal(capped?.reached, false);
  assert.match(capped!.reason, /budget exhausted/);

  await assert.rejects(simulateDelayToPrecision("x", [system], { requiredRelativeHalfWidth: 1, pilotEvents: 1e4, maxEvents: 1e5, replications: 4, seed: 1 }), /requiredRelativeHalfWidth = 1/);
  await assert.rejects(simulateDelayToPrecision("x", [system], { requiredRelativeHalfWidth: 0.1, pilotEvents: 1e4, maxEvents: 1e3, replications: 4, seed: 1 }), /maxEvents = 1000/);
  await assert.rejects(simulateDelayToPrecision("x", [system], { requiredRelativeHalfWidth: 0.1, pilotEvents: 1e4, maxEvents: 1e5, replications: 1, seed: 1 }), /replications = 1/);
  await assert.rejects(simulateDelayToPrecision("x", [{ ...system, arrivalRate: 1.2 }], { requiredRelativeHalfWidth: 0.1, pilotEvents: 1e4, maxEvents: 1e5, replications: 4, seed: 1 }), /arrivalRate/);
});

test("compareTailWithReference: M/M/1 tails pass against lambda^i and fail against a wrong reference", async () => {
  const [point] = await simulatePoints("mm1-tail", [{ queues: 50, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }],
    { events: 400_000, replications: 8, seed: 5, workers: 1, trackDelays: false, cache });
  assert.ok(point);
  const exact = Array.from({ length: 60 }, (_, i) => 0.5 ** i);
  // Family-wise 99.9% over the compared levels: a fixed seed, fails with probability <= 1e-3 if the simulator is right.
  // Levels below 1e-4 (about 8 queue-events in 50 x 400000 per replication) are too rare for replication t-intervals.
  const ok = compareTailWithReference(point, exact, { familyLevel: 0.999, negligible: 1e-4 });
  assert.deepEqual(ok.failingLevels, [], JSON.stringify(ok.rows.slice(0, 4)));
  assert.ok(ok.rows.length >= 10 && ok.rows[0]!.level === 1);
  assert.ok(ok.maxAbsDifference < 0.02);
  // lambda^(i/2) is far from the M/M/1 tail (0.707 vs 0.5 at level 1): every early level fails.
  const wrong = compareTailWithReference(point, exact.map((_, i) => 0.5 ** (i / 2)));
  assert.ok(wrong.failingLevels.includes(1) && wrong.failingLevels.includes(2));
  assert.equal(wrong.levelOfMax, 2); // 0.5 vs 0.25
  assert.ok(wrong.significantAtMax);
  // A bias allowance larger than every difference makes it pass.
  assert.deepEqual(compareTailWithReference(point, exact.map((_, i) => 0.5 ** (i / 2)), { biasAllowance: 0.5 }).failingLevels, []);
  assert.throws(() => compareTailWithReference({ ...point, tailCi95: null, replications: 1 }, exact), /tailCi95/);
});

test("bestOfFamilyDelay: picks a low-threshold ABOUNCE over a near-no-sharing one and confirms it on its own seed", async () => {
  // lambda = 0.5, K = 2, d = 2, n = 30: ABOUNCE(50, 2) almost never migrates (delay near 1/(1 - lambda) = 2), ABOUNCE(2, 2)
  // balances (mean field 1.77); the search must not choose C = 50.
  const r = await bestOfFamilyDelay("family", { queues: 30, arrivalRate: 0.5, migrationPenalty: 2, samples: 2 },
    { family: "abounce", grid: [2, 3, 50], candidates: 1, maxExtensions: 1, requiredRelativeHalfWidth: 0.02,
      pilotEvents: 20_000, maxEvents: 400_000, replications: 4, seed: 3, confirmationSeed: 103, confirmationRelativeHalfWidth: 0.015, cache });
  assert.notEqual(r.chosen, 50);
  assert.equal(r.members.length, 3);
  assert.equal(r.members.filter((m) => m.selection !== null).length, 2); // the mean field's best plus one neighbour
  assert.equal(r.confirmation.stages[0]?.seed, 103);
  assert.equal(r.confirmation.requiredRelativeHalfWidth, 0.015);
  assert.ok(r.members[2]!.meanField.meanJobDelay > r.members[0]!.meanField.meanJobDelay);
  await assert.rejects(bestOfFamilyDelay("family", { queues: 30, arrivalRate: 0.5, migrationPenalty: 2, samples: 2 },
    { family: "abounce", grid: [3, 2], requiredRelativeHalfWidth: 0.02, pilotEvents: 2e4, maxEvents: 4e5, replications: 4, seed: 3, confirmationSeed: 9 }), /grid\[1\] = 2/);
  await assert.rejects(bestOfFamilyDelay("family", { queues: 30, arrivalRate: 0.5, migrationPenalty: 2, samples: 2 },
    { family: "xbounce" as "abounce", grid: [2], requiredRelativeHalfWidth: 0.02, pilotEvents: 2e4, maxEvents: 4e5, replications: 4, seed: 3, confirmationSeed: 9 }), /family/);
});

test("meanFieldRelaxationTime: the M/M/1 fluid settles where integrateMeanField says, with mean lambda/(1 - lambda)", () => {
  const system = derivedMeanFieldSystem({ arrivalRate: 0.6, migrationPenalty: 1, policy: noSharing() });
  const r = meanFieldRelaxationTime(system, { tolerance: 1e-3 });
  assert.ok(r.reached);
  assert.ok(Math.abs(r.fixedPointMean - 1.5) < 1e-8); // M/M/1: lambda / (1 - lambda)
  const before = r.time / 2 ** (1 / 8);
  const m = integrateMeanField(system, { times: [before, r.time, 2 * r.time], levels: 200 }).meanQueueLength;
  assert.ok(Math.abs((m[0] as number) - 1.5) > 1.5e-3, `not yet settled at ${before}: ${m[0]}`);
  assert.ok(Math.abs((m[1] as number) - 1.5) <= 1.5e-3 && Math.abs((m[2] as number) - 1.5) <= 1.5e-3);
  assert.throws(() => meanFieldRelaxationTime(system, { tolerance: 0 }), /tolerance = 0/);
});

test("compareSamplePathWithMeanField: a path equal to the ODE has no gap; a path must start at time 0", () => {
  const system = derivedMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 2, policy: mbounce(2, 10) });
  const time = [0, 1, 2, 5, 10, 20];
  const ode = Array.from(integrateMeanField(system, { times: time }).meanQueueLength);
  const c = compareSamplePathWithMeanField({ path: { time, meanQueueLength: ode } }, system);
  assert.ok(c.maxAbsDifference < 1e-9);
  const shifted = compareSamplePathWithMeanField({ path: { time, meanQueueLength: ode.map((v, k) => (k === 3 ? v + 0.1 : v)) } }, system);
  assert.ok(Math.abs(shifted.maxAbsDifference - 0.1) < 1e-9);
  assert.equal(shifted.timeOfMax, 5);
  assert.throws(() => compareSamplePathWithMeanField({ path: { time: [1, 2], meanQueueLength: [0, 0] } }, system), /path/);
});

test("tailGapShrinkage: shrinking, overshooting and unresolved gaps", () => {
  // Synthetic comparisons against a reference r = 0.5 at level 3; 8 replications (7 degrees of freedom).
  const run = (queues: number, difference: number, halfWidth: number) => {
    const simulated = 0.5 + difference;
    const row = { level: 3, simulated, ci95: [simulated - halfWidth, simulated + halfWidth] as const, reference: 0.5, difference,
      halfWidth95: halfWidth, familyHalfWidth: halfWidth, excess: 0 };
    return { queues, point: { replications: 8 }, comparison: { rows: [row], maxAbsDifference: Math.abs(difference), levelOfMax: 3,
      halfWidthAtMax: halfWidth, significantAtMax: true, maxExcess: 0, failingLevels: [], perLevelConfidence: 0.99, biasAllowance: 0 } };
  };
  const clear = tailGapShrinkage(run(100, 0.03, 0.004), run(1000, 0.003, 0.001));
  assert.equal(clear.level, 3);
  assert.ok(clear.shrinks);
  assert.ok(Math.abs(clear.reduction.difference - 0.027) < 1e-12);
  assert.ok(clear.consistentWithOneOverN); // predicted 0.003 exactly
  // The large gap overshoots to the other side with a larger magnitude: not shrinking although a - b > 0.
  const overshoot = tailGapShrinkage(run(100, 0.01, 0.001), run(1000, -0.02, 0.001));
  assert.equal(overshoot.reduction.verdict, "second lower");
  assert.equal(overshoot.overshootMargin.verdict, "first lower");
  assert.equal(overshoot.shrinks, false);
  // A negative small gap is handled by its sign.
  assert.ok(tailGapShrinkage(run(100, -0.03, 0.004), run(1000, -0.003, 0.001)).shrinks);
  // An interval at the larger n wider than the small gap: not shown.
  const unresolved = tailGapShrinkage(run(1000, 0.0025, 0.004), run(10000, 0.003, 0.008));
  assert.equal(unresolved.shrinks, false);
  assert.ok(unresolved.consistentWithOneOverN);
  assert.throws(() => tailGapShrinkage(run(1000, 0.01, 0.001), run(100, 0.001, 0.001)), /large.queues = 100/);
});
