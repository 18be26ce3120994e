/**
 * The helpers of the delay and mean-field studies: intervals at other confidence levels, tails and sample paths
 * against references, shrinking gaps (statistics); M/M/1 relaxation, mean-field delays and relaxation times
 * (theory); cached mean-field delays, precision-driven cells and the best-of-family search (study).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { ParameterError } from "../src/model/parameterError";
import { type PolicySpec, abounce, mbounce, noSharing, shortestOfD } from "../src/model/policy";
import type { SystemParams } from "../src/model/system";
import { compareTailWithReference } from "../src/statistics/compareTailWithReference";
import { intervalAtConfidence } from "../src/statistics/intervalAtConfidence";
import { tailGapShrinkage } from "../src/statistics/tailGapShrinkage";
import { bestOfFamilyDelay } from "../src/study/bestOfFamilyDelay";
import { compareSamplePathWithMeanField } from "../src/study/compareSamplePathWithMeanField";
import { MEAN_FIELD_DELAY_STUDY, meanFieldDelays } from "../src/study/meanFieldDelays";
import { precisionSimulation } from "../src/study/precisionSimulation";
import { runStudy } from "../src/study/runStudy";
import { studyCells } from "../src/study/studyGrid";
import { derivedMeanFieldSystem } from "../src/theory/meanfield/derivedMeanFieldSystem";
import { integrateMeanField } from "../src/theory/meanfield/integrateMeanField";
import { meanFieldJobDelay } from "../src/theory/meanfield/meanFieldJobDelay";
import { meanFieldRelaxationTime } from "../src/theory/meanfield/meanFieldRelaxationTime";
import { mm1RelaxationTime } from "../src/theory/queueing/mm1RelaxationTime";

const tmp = mkdtempSync(join(tmpdir(), "mp-delay-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const cache = { directory: join(tmp, "cache") };

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

test("mm1RelaxationTime is the inverse spectral gap of the M/M/1 generator (numerical eigenvalues of a long truncation)", () => {
  // The generator of the birth-death chain truncated at N, symmetrized by the detailed-balance weights, has
  // eigenvalues 0 > -gap_N > ...; gap_N decreases to (1 - sqrt(lambda))^2 as N grows (by about pi^2 sqrt(lambda) / N^2).
  const gap = (lambda: number, N: number): number => {
    const m = new Matrix(N + 1, N + 1);
    for (let i = 0; i <= N; i++) {
      m.set(i, i, -((i < N ? lambda : 0) + (i > 0 ? 1 : 0)));
      if (i < N) {
        m.set(i, i + 1, Math.sqrt(lambda));
        m.set(i + 1, i, Math.sqrt(lambda));
      }
    }
    const ev = new EigenvalueDecomposition(m, { assumeSymmetric: true }).realEigenvalues.sort((a, b) => b - a);
    assert.ok(Math.abs(ev[0] as number) < 1e-12, "0 is an eigenvalue (the stationary law)");
    return -(ev[1] as number);
  };
  for (const lambda of [0.5, 0.8]) {
    const g300 = gap(lambda, 300);
    const g600 = gap(lambda, 600);
    const exact = 1 / mm1RelaxationTime(lambda);
    assert.ok(g300 > g600 && g600 > exact, `gaps fall towards the limit: ${g300}, ${g600}, ${exact}`);
    assert.ok((g600 - exact) / exact < 0.005, `lambda = ${lambda}: gap ${g600} against ${exact}`);
  }
  assert.equal(mm1RelaxationTime(1), Infinity);
  assert.throws(() => mm1RelaxationTime(-0.5), (e: unknown) => e instanceof ParameterError && /arrivalRate/.test(e.message));
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

test("meanFieldDelays: one cache entry per configuration, shared across calls; NaN kept; bad input refused before any work", async () => {
  const dir = { directory: join(tmp, "mf-cache") };
  const configs = [
    { arrivalRate: 0.9, migrationPenalty: 2, policy: abounce(2, 10) },
    { arrivalRate: 0.9, migrationPenalty: 2, policy: abounce(10, 10) },
  ];
  const first = await meanFieldDelays(configs, dir);
  const entries = readdirSync(dir.directory).filter((f) => f.startsWith(MEAN_FIELD_DELAY_STUDY));
  assert.equal(entries.length, 2);
  const again = await meanFieldDelays([configs[1]!, configs[0]!], dir);
  assert.equal(readdirSync(dir.directory).filter((f) => f.startsWith(MEAN_FIELD_DELAY_STUDY)).length, 2, "a reordered request reuses both entries");
  for (const [x, y] of [[first[0], again[1]], [first[1], again[0]]] as const) assert.deepEqual(y, x);
  assert.equal(first[0]?.converged, false);
  assert.ok(Number.isNaN(first[0]?.meanJobDelay));
  assert.equal(first[1]?.meanJobDelay, meanFieldJobDelay(configs[1]!).meanJobDelay);
  await assert.rejects(meanFieldDelays([{ ...configs[0]!, arrivalRate: 1 }], dir), /arrivalRate \(lambda\) = 1/);
  await assert.rejects(meanFieldDelays([configs[0]!, { ...configs[0]!, policy: abounce(1, 10) }], dir),
    (e: unknown) => e instanceof ParameterError && /configuration 1/.test(e.message));
  await assert.rejects(meanFieldDelays([], dir), /configurations/);
});

test("precisionSimulation: warm-up of whole relaxation times, at most the given fraction of a replication; bad plans refused", () => {
  const system = { queues: 100, arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, 10) };
  const o = precisionSimulation(system, { relativeHalfWidth: 0.02, maxEvents: 1e9 });
  // 3 M/M/1 relaxation times (1/(1 - sqrt(0.9))^2 = 379.7) at n (lambda + 1) = 190 events per unit time.
  assert.equal(o.warmup, Math.ceil(3 * mm1RelaxationTime(0.9) * 190));
  assert.ok((o.warmup as number) <= 0.1 * ((o.warmup as number) + (o.events as number)) + 1);
  assert.deepEqual(o.precision, { relativeHalfWidth: 0.02, of: "meanDelay" });
  assert.equal(o.trackDelays, true);
  assert.equal(o.clock, "events");
  // A short relaxation leaves the floor of post-warm-up events.
  const low = precisionSimulation({ ...system, arrivalRate: 0.3 }, { relativeHalfWidth: 0.02, maxEvents: 1e9, minEvents: 123_456, of: "meanQueueLength" });
  assert.equal(low.events, 123_456);
  assert.equal(low.trackDelays, false);
  assert.throws(() => precisionSimulation(system, { relativeHalfWidth: 0.02, maxEvents: 1e5 }), (e: unknown) => e instanceof ParameterError && e.parameter === "maxEvents");
  assert.throws(() => precisionSimulation({ ...system, arrivalRate: 1 }, { relativeHalfWidth: 0.02, maxEvents: 1e9 }), /arrivalRate/);
  assert.throws(() => precisionSimulation(system, { relativeHalfWidth: 1, maxEvents: 1e9 }), /relativeHalfWidth = 1/);
  assert.throws(() => precisionSimulation(system, { relativeHalfWidth: 0.1, maxEvents: 1e9, maxWarmupFraction: 1 }), /maxWarmupFraction = 1/);
});

test("a precision-driven study cell: M/M/1 delay reaches 1% and contains 1/(1 - lambda) at 99.9%", async () => {
  const system = { queues: 50, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() };
  const plan = { relativeHalfWidth: 0.01, replications: 4, minEvents: 20_000, maxEvents: 4e7 };
  const study = await runStudy({ name: "mm1-precision", cells: studyCells([system]), simulation: (c) => precisionSimulation(c.system, plan), seed: 11, cache });
  const p = study.cells[0]!.point;
  assert.ok(p.precision?.reached, p.precision?.reason);
  assert.ok(p.meanDelay.relativeHalfWidth <= 0.01);
  // 99.9% interval around the exact M/M/1 sojourn time 2 (a fixed seed; fails with probability 1e-3 if the code is right).
  const wide = intervalAtConfidence(p.meanDelay, p.degreesOfFreedom, 0.999);
  assert.ok(Math.abs(p.meanDelay.mean - 2) <= wide.halfWidth, `${p.meanDelay.mean} +- ${wide.halfWidth}`);
});

test("compareTailWithReference: M/M/1 tails pass against lambda^i and fail against a wrong reference", async () => {
  const study = await runStudy({ name: "mm1-tail", cells: studyCells([{ queues: 50, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }]),
    simulation: { events: 400_000, replications: 8, trackDelays: false }, seed: 5, cache });
  const point = study.cells[0]!.point;
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

test("bestOfFamilyDelay: searches advance together, avoid a near-no-sharing member, and confirm on independent seeds", async () => {
  // lambda = 0.5, K = 2, d = 2, n = 30: ABOUNCE(50, 2) almost never migrates (delay near 1/(1 - lambda) = 2), ABOUNCE(2, 2)
  // balances (mean field 1.77); MBOUNCE(1.5, 2) and MBOUNCE(2, 2) decide alike at these lengths. Scores are the mean field's.
  const system = { queues: 30, arrivalRate: 0.5, migrationPenalty: 2 };
  const abounces: PolicySpec[] = [abounce(2, 2), abounce(3, 2), abounce(50, 2)];
  const mbounces: PolicySpec[] = [mbounce(1.5, 2), mbounce(2, 2), mbounce(40, 2)];
  const score = async (ps: typeof abounces) => (await meanFieldDelays(ps.map((policy) => ({ arrivalRate: 0.5, migrationPenalty: 2, policy })), cache)).map((d) => d.meanJobDelay);
  const plan = { relativeHalfWidth: 0.02, replications: 4, minEvents: 20_000, maxEvents: 4e7 };
  const rounds: string[] = [];
  const [a, m] = await bestOfFamilyDelay({
    name: "family-test", cache, seed: 3, confirmationSeed: 103, candidates: 1, maxExtensions: 1,
    searches: [{ system, members: abounces, meanField: await score(abounces) }, { system, members: mbounces, meanField: await score(mbounces) }],
    selection: (s) => precisionSimulation(s, plan),
    confirmation: (s) => precisionSimulation(s, { ...plan, relativeHalfWidth: 0.015 }),
    onProgress: (round) => { if (!rounds.includes(round)) rounds.push(round); },
  });
  assert.deepEqual(rounds, ["selection", "extension 1", "confirmation"]);
  for (const r of [a!, m!]) {
    assert.equal(r.members.length, 3);
    assert.equal(r.members.filter((x) => x.selection !== null).length, 2, "the best ranked plus one neighbour");
    assert.equal(r.extensions, 1);
    assert.notEqual(r.confirmation.seed, 3, "the confirmation does not reuse the selection's seed");
    assert.ok(r.confirmation.point.precision?.target === 0.015);
    assert.equal(r.members[r.chosenIndex]?.policy, r.chosen);
  }
  assert.notEqual(a!.chosenLabel, "ABOUNCE(50,2)");
  assert.notEqual(m!.chosenLabel, "MBOUNCE(40,2)");
  for (const x of [...a!.members, ...m!.members]) if (x.selection) assert.equal(x.selection.seed, 3, "selection runs share the seed");
  assert.notEqual(a!.confirmation.seed, m!.confirmation.seed, "confirmations are independent of each other");
  const options = { name: "family-test", seed: 3, confirmationSeed: 9, selection: (s: SystemParams) => precisionSimulation(s, plan), confirmation: (s: SystemParams) => precisionSimulation(s, plan) };
  await assert.rejects(bestOfFamilyDelay({ ...options, searches: [{ system, members: abounces, meanField: [1, 2] }] }), /meanField/);
  await assert.rejects(bestOfFamilyDelay({ ...options, searches: [{ system, members: [], meanField: [] }] }), /members/);
  await assert.rejects(bestOfFamilyDelay({ ...options, searches: [{ system: { ...system, arrivalRate: 1.1 }, members: abounces, meanField: [1, 2, 3] }] }), /arrivalRate/);
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
