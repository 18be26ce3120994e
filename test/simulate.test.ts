/**
 * The simulator against closed forms (M/M/1, the supermarket fixed point, M^K/M/1), invariants (fast-check),
 * determinism, worker independence, early stops and input validation. Exact small-system checks are in
 * simulate-exact.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ParameterError } from "../src/model/parameterError";
import { abounce, customPolicy, mbounce, noSharing, shortestOfD, type PolicySpec } from "../src/model/policy";
import type { SystemParams } from "../src/model/system";
import { runSimulation, simulateReplication, type ReplicationResult, type SimulationOptions, type SimulationReport } from "../src/simulate/index";
import type { SamplingScheme } from "../src/model/sampling";
import { shortestSampleThresholds, shortestSampledLevel } from "../src/simulate/shortestSampledLevel";
import { shortestSampleLaw } from "../src/model/shortestSample";

const mm1 = (lambda: number, n = 1): SystemParams => ({ queues: n, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() });

test("no sharing: each queue is M/M/1, P(Q >= i) = lambda^i, mean delay 1/(1 - lambda), sojourn quantiles -ln(1-p)/(1-lambda)", async () => {
  // Closed forms of the M/M/1 queue (e.g. Kleinrock, Queueing Systems I, section 3.2): the number in system is
  // geometric, P(Q >= i) = lambda^i; the sojourn time of a FIFO job is Exp(1 - lambda).
  const report = await runSimulation(mm1(0.5, 4), { events: 1_000_000, replications: 4, workers: 1, seed: 11 });
  for (let i = 1; i <= 6; i++) {
    const [lo, hi] = report.tailCi95![i]!;
    const half = (hi - lo) / 2;
    // Tolerance: 2 half-widths of the 95% interval (t with 3 degrees of freedom): about 6 standard errors.
    assert.ok(Math.abs(report.tail[i]! - 0.5 ** i) < 2 * half, `P(Q >= ${i}) = ${report.tail[i]} vs ${0.5 ** i}`);
  }
  assert.ok(Math.abs(report.meanDelay.mean - 2) < 2 * report.meanDelay.halfWidth, `mean delay ${report.meanDelay.mean}`);
  assert.ok(Math.abs(report.meanQueueLength.mean - 1) < 2 * report.meanQueueLength.halfWidth);
  // Quantiles: sampling error of a p-quantile with N ~ 1.3e6 jobs is below 1%, the histogram resolution 0.4%.
  for (const { p, value } of report.delayQuantiles) {
    const exact = -Math.log(1 - p) / 0.5;
    assert.ok(Math.abs(value / exact - 1) < 0.02, `p${p} = ${value} vs ${exact}`);
  }
  assert.equal(report.migrationFraction.mean, 0);
  assert.ok(Math.abs(report.throughput.mean - 0.5) < 2 * report.throughput.halfWidth);
  assert.equal(report.stability.verdict, "stable");
});

test("free migration SQ(d) with K = 1 approaches the supermarket fixed point s_i = lambda^(((d+1)^i - 1)/d) at large n", () => {
  // Own queue plus d = 1 uniform sample is the supermarket model with 2 choices (Mitzenmacher 1996;
  // Vvedenskaya, Dobrushin and Karpelevich 1996): s_i = lambda^(2^i - 1). Finite-n gap: O(1/n); measured with
  // 4 x 1e7 events at n = 1000, lambda = 0.8 it is below 1.5e-3 at every level. Sampling error of this run
  // (4e6 events): about 2e-3 (95% half-width measured over replications). Tolerance 5e-3 at levels 1-4 and
  // 30% relative at level 5 (s_5 = 0.00099), far from no sharing (P(Q >= 3) = 0.512 vs s_3 = 0.210).
  const lambda = 0.8;
  const r = simulateReplication({ queues: 1000, arrivalRate: lambda, migrationPenalty: 1, policy: shortestOfD(1) },
    { events: 4_000_000, seed: 5, clock: "events", trackDelays: false });
  const s = (i: number): number => lambda ** (2 ** i - 1);
  for (let i = 1; i <= 4; i++) assert.ok(Math.abs(r.tail[i]! - s(i)) < 5e-3, `level ${i}: ${r.tail[i]} vs ${s(i)}`);
  assert.ok(Math.abs(r.tail[5]! / s(5) - 1) < 0.3, `level 5: ${r.tail[5]} vs ${s(5)}`);
});

test("always migrate with d = 1: each queue is M^K/M/1; mean units rho(K+1)/(2(1-rho)), mean delay that plus K", async () => {
  // Every arrival sends K units to a uniform other queue, so each queue receives a Poisson(lambda) stream of
  // K-batches (thinning and superposition of Poisson processes) independent of its state: an M^X/M/1 queue with
  // X = K, rho = lambda K, mean units L = (rho + lambda E[X(X-1)]/2) / (1 - rho) = rho (K + 1) / (2 (1 - rho)).
  // A job's delay ends with its LAST unit: by PASTA it finds L units on average ahead of it (FIFO), and the
  // server then serves those and its own K units, each exp(1): E[delay] = L + K. (The mean sojourn of a unit,
  // by Little, is L / (lambda K) = (K + 1) / (2 (1 - rho)), a different quantity.)
  const lambda = 0.3;
  const K = 2;
  const rho = lambda * K;
  const L = (rho * (K + 1)) / (2 * (1 - rho));
  const always: PolicySpec = { kind: "custom", samples: 1, shouldMigrate: () => true, label: "always" };
  const report = await runSimulation({ queues: 10, arrivalRate: lambda, migrationPenalty: K, policy: always }, { events: 4_000_000, seed: 3 });
  assert.equal(report.migrationFraction.mean, 1);
  assert.ok(Math.abs(report.meanQueueLength.mean - L) < 2 * report.meanQueueLength.halfWidth, `L = ${report.meanQueueLength.mean} vs ${L}`);
  assert.ok(Math.abs(report.meanDelay.mean - (L + K)) < 2 * report.meanDelay.halfWidth, `delay ${report.meanDelay.mean} vs ${L + K}`);
  assert.ok(Math.abs(report.effectiveLoad.mean - rho) < 1e-12);
});

test("stability verdicts: M/M/1 at lambda = 0.5 is stable, at lambda = 1.2 unstable", async () => {
  const stable = await runSimulation(mm1(0.5), { events: 2_000_000, seed: 1, trackDelays: false });
  assert.equal(stable.stability.verdict, "stable", stable.stability.reason);
  const unstable = await runSimulation(mm1(1.2), { events: 2_000_000, seed: 1, trackDelays: false });
  assert.equal(unstable.stability.verdict, "unstable", unstable.stability.reason);
  // Growth of an overloaded M/M/1: lambda - 1 = 0.2 per unit time.
  const [lo, hi] = unstable.stability.growthRatePerQueueCi95;
  assert.ok(lo < 0.2 + 0.02 && hi > 0.2 - 0.02, `growth CI [${lo}, ${hi}]`);
});

test("ABOUNCE(2,10), n = 100, K = 2: stable at lambda = 0.77, unstable at 0.79 (what the simulator finds; Figure 3 reads the same)", async () => {
  // Measured with 2 x 5e7 events (seed 2024): at 0.77 growth 1.7e-6 per queue per unit time, 95% CI
  // [-2.9e-5, 3.3e-5], effective load 0.9726; at 0.79 growth 6.1e-3 [5.7e-3, 6.5e-3], effective load 1.0062 > 1.
  // 5e6 events suffice for the verdicts (checked on seeds 1-3): the intervals are far from delta = 1e-3.
  const system = (lambda: number): SystemParams => ({ queues: 100, arrivalRate: lambda, migrationPenalty: 2, policy: abounce(2, 10) });
  const options = { events: 5_000_000, seed: 1, clock: "events" as const, trackDelays: false };
  const low = await runSimulation(system(0.77), options);
  assert.equal(low.stability.verdict, "stable", low.stability.reason);
  const high = await runSimulation(system(0.79), options);
  assert.equal(high.stability.verdict, "unstable", high.stability.reason);
  assert.ok(high.effectiveLoad.ci95[0] > 1, `effective load ${high.effectiveLoad.mean}`);
});

const randomSystem = fc.record({
  n: fc.integer({ min: 2, max: 12 }),
  lambda: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
  K: fc.integer({ min: 1, max: 4 }),
  kind: fc.constantFrom("none", "abounce", "mbounce", "sqd", "custom"),
  d: fc.constantFrom(1, 2, 3, 7, Infinity),
  events: fc.integer({ min: 1, max: 20_000 }),
  warmup: fc.integer({ min: 0, max: 3000 }),
  clock: fc.constantFrom("time" as const, "events" as const),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
});

function buildParams(x: { n: number; lambda: number; K: number; kind: string; d: number }): SystemParams {
  let policy: PolicySpec;
  let K = x.K;
  switch (x.kind) {
    case "abounce": policy = abounce(K + 1, x.d); break;
    case "mbounce": policy = mbounce(1.5, x.d); break;
    case "sqd": policy = shortestOfD(x.d); K = 1; break;
    case "custom": policy = customPolicy((own, target) => own > 2 * target, x.d); break;
    default: policy = noSharing();
  }
  return { queues: x.n, arrivalRate: x.lambda, migrationPenalty: K, policy };
}

const stripWall = (r: ReplicationResult): unknown => ({ ...r, wallSeconds: 0, eventsPerSecond: 0 });

test("properties: work is conserved, queues never go negative, tails are proper, same seed same trajectory", () => {
  fc.assert(fc.property(randomSystem, (x) => {
    const params = buildParams(x);
    const options = { events: x.events, warmup: x.warmup, seed: x.seed, clock: x.clock, pathPoints: 16 };
    const r = simulateReplication(params, options);
    const K = params.migrationPenalty;
    // Work conservation over the measured part: total after = total before + arrivals + (K-1) migrations - departures.
    const before = r.records.startTotal[0] ?? r.finalTotalQueueLength;
    assert.equal(before + r.arrivals + (K - 1) * r.migrations - r.unitsServed, r.finalTotalQueueLength);
    // Over the whole run, from the empty start: the path's first point is 0 and its totals are never negative.
    assert.equal(r.path.totalQueueLength[0], 0);
    for (const q of r.path.totalQueueLength) assert.ok(q >= 0);
    // Tail: 1 at 0, non-increasing, within [0, 1]; and the sorted structure agrees with the unit count:
    // sum_{l >= 1} P(Q >= l) (from the level counts) = mean queue length (from the total, event by event).
    // A negative queue or a broken swap would break this identity.
    assert.equal(r.tail[0], 1);
    for (let l = 1; l < r.tail.length; l++) assert.ok(r.tail[l]! <= r.tail[l - 1]! + 1e-12 && r.tail[l]! >= 0);
    const fromTail = r.tail.slice(1).reduce((s, v) => s + v, 0);
    const fromTotal = r.records.queueLengthSum.reduce((s, v) => s + v, 0) / (params.queues * r.events);
    assert.ok(Math.abs(fromTail - fromTotal) <= 1e-9 * Math.max(1, fromTotal), `${fromTail} vs ${fromTotal}`);
    assert.equal(r.records.events.reduce((s, v) => s + v, 0), r.events);
    assert.equal(r.events, x.events);
    assert.equal(r.totalEvents, x.events + x.warmup);
    if (params.policy.kind === "none") assert.equal(r.migrations, 0);
    // Delays: every completed job was counted once, and no more jobs completed than arrived (plus those in system at the warm-up).
    assert.ok(r.jobsCompleted <= r.arrivals + (r.records.startTotal[0] ?? 0));
    // Same seed, same trajectory, bit for bit.
    assert.deepEqual(stripWall(simulateReplication(params, options)), stripWall(r));
  }), { numRuns: 60, seed: 20240521 });
});

test("different seeds and replications give different trajectories; time budgets end at the requested time", () => {
  const p = { queues: 5, arrivalRate: 0.7, migrationPenalty: 2, policy: abounce(2, 2) };
  const a = simulateReplication(p, { events: 10_000, seed: 1 });
  const b = simulateReplication(p, { events: 10_000, seed: 2 });
  const c = simulateReplication(p, { events: 10_000, seed: 1 }, 1);
  assert.notDeepEqual(a.path.totalQueueLength, b.path.totalQueueLength);
  assert.notDeepEqual(a.path.totalQueueLength, c.path.totalQueueLength);
  const t = simulateReplication(p, { time: 500, warmup: 50, seed: 1 });
  assert.ok(Math.abs(t.simulatedTime - 500) < 1e-9);
  assert.ok(Math.abs(t.warmupTime - 50) < 1e-9);
  // About n (lambda + 1) events per unit time: 5 x 1.7 x 550 = 4675 (Poisson, sd 68).
  assert.ok(Math.abs(t.totalEvents - 4675) < 5 * 68, `${t.totalEvents} events`);
  // Events clock: event k happens at k / (n (lambda + 1)) exactly; the run ends after the last event <= 550.3.
  const e = simulateReplication(p, { time: 500.3, warmup: 50, seed: 1, clock: "events" });
  assert.equal(e.totalEvents, Math.floor(550.3 * 5 * 1.7));
});

test("results do not depend on the number of worker threads", async () => {
  const p = { queues: 20, arrivalRate: 0.8, migrationPenalty: 2, policy: mbounce(2, 3) };
  const options = { events: 50_000, replications: 3, seed: 9 };
  const strip = (r: SimulationReport): unknown => ({
    ...r, wallSeconds: 0, eventsPerSecond: 0, options: { ...r.options, workers: 0 },
    perReplication: r.perReplication.map((x) => ({ ...x, eventsPerSecond: 0 })),
  });
  const one = await runSimulation(p, { ...options, workers: 1 });
  const two = await runSimulation(p, { ...options, workers: 2 });
  assert.deepEqual(strip(two), strip(one));
});

test("an unstable system stops early with a reason; delay tracking stops and says so instead of exhausting memory", async () => {
  const r = simulateReplication(mm1(2), { events: 1e9, seed: 1, maxQueueLength: 2000, maxTrackedJobs: 1024 });
  assert.equal(r.stoppedEarly, true);
  assert.match(r.stopReason!, /maxQueueLength = 2000/);
  assert.ok(r.totalEvents < 1e6);
  assert.equal(r.delayTracking.complete, false);
  assert.match(r.delayTracking.reason!, /maxTrackedJobs = 1024/);
  const report = await runSimulation(mm1(2), { events: 1e9, warmup: 1000, seed: 1, maxQueueLength: 20_000, maxTrackedJobs: 1024 });
  assert.equal(report.stoppedEarly, true);
  assert.ok(Number.isNaN(report.meanDelay.mean));
  assert.ok(report.notes.some((s) => /delay tracking stopped/.test(s)));
  assert.equal(report.stability.verdict, "unstable");
});

test("progress is reported with fractions rising to 1", async () => {
  const fractions: number[] = [];
  await runSimulation(mm1(0.5), { events: 5_000_000, workers: 1, seed: 1, clock: "events", trackDelays: false, onProgress: (p) => fractions.push(p.fraction) });
  assert.ok(fractions.length >= 2);
  for (let k = 1; k < fractions.length; k++) assert.ok(fractions[k]! >= fractions[k - 1]!);
  assert.equal(fractions[fractions.length - 1], 1);
});

test("bad input: every parameter is validated before any work, and the error names it", async () => {
  const good: SystemParams = { queues: 10, arrivalRate: 0.5, migrationPenalty: 2, policy: abounce(2, 3) };
  const big = { events: 2 ** 50 }; // would run for hours if validation came after work
  const cases: Array<[Partial<SystemParams> | null, Record<string, unknown>, RegExp]> = [
    [{ queues: 0 }, big, /queues \(n\) = 0/],
    [{ queues: 1 }, big, /queues \(n\) = 1/],
    [{ arrivalRate: -0.5 }, big, /arrivalRate \(lambda\) = -0.5/],
    [{ arrivalRate: NaN }, big, /arrivalRate \(lambda\) = NaN/],
    [{ migrationPenalty: 0 }, big, /migrationPenalty \(K\) = 0/],
    [{ policy: abounce(1, 3) }, big, /threshold \(C\) = 1/],
    [{ policy: abounce(2, 0) }, big, /samples \(d\) = 0/],
    [{ policy: mbounce(0.5, 3) }, big, /ratio \(alpha\) = 0.5/],
    [{ policy: shortestOfD(2) }, big, /migrationPenalty \(K\) = 2/],
    [null, { events: 0 }, /events = 0/],
    [null, { events: 1.5 }, /events = 1.5/],
    [null, { time: -1 }, /time = -1/],
    [null, { events: 10, time: 10 }, /time = 10/],
    [null, { ...big, warmup: -1 }, /warmup = -1/],
    [null, { ...big, clock: "wall" }, /clock = "wall"/],
    [null, { ...big, replications: 0 }, /replications = 0/],
    [null, { ...big, seed: 2 ** 32 }, /seed = 4294967296/],
    [null, { ...big, workers: 0 }, /workers = 0/],
    [null, { ...big, trackDelays: "yes" }, /trackDelays = "yes"/],
    [null, { ...big, delayQuantiles: [0.5, 1] }, /delayQuantiles\[1\] = 1/],
    [null, { ...big, pathPoints: 5 }, /pathPoints = 5/],
    [null, { ...big, maxQueueLength: 0 }, /maxQueueLength = 0/],
    [null, { ...big, maxTrackedJobs: 10 }, /maxTrackedJobs = 10/],
    [null, { ...big, stabilityTolerance: 0 }, /stabilityTolerance = 0/],
    [null, { ...big, onProgress: 5 }, /onProgress = 5/],
  ];
  for (const [change, options, pattern] of cases) {
    const params = { ...good, ...(change ?? {}) } as SystemParams;
    const started = performance.now();
    assert.throws(() => simulateReplication(params, options), (e: unknown) => e instanceof ParameterError && pattern.test(e.message), String(pattern));
    await assert.rejects(runSimulation(params, options), (e: unknown) => e instanceof ParameterError && pattern.test(e.message));
    assert.ok(performance.now() - started < 1000, `${pattern} took too long: work started before validation`);
  }
  assert.throws(() => simulateReplication(good, { events: 10 }, -1), /replication = -1/);
});

test("the direct draw of the shortest sample reproduces shortestSampleLaw exactly (to 2^-32) under every sampling scheme, spread queues included", () => {
  // For every level l, the words giving a minimum >= l are exactly [0, threshold(c_l)): check the draw at both
  // edges of each threshold, and that threshold / 2^32 is the law's P(min >= l) from src/model/shortestSample.ts
  // over the scheme's candidates (the others, or all n under "all").
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 2, maxLength: 9 }),
    fc.constantFrom(1, 2, 3, 10, Infinity),
    fc.constantFrom<SamplingScheme>("others", "all", "others-without-replacement"),
    fc.nat(),
    (lengths, dRequested, scheme, pick) => {
      const n = lengths.length;
      const d = scheme === "others-without-replacement" && dRequested !== Infinity ? Math.min(dRequested, n - 1) : dRequested;
      const own = pick % n;
      const ownExcluded = scheme === "all" ? 0 : 1;
      const maxLevel = Math.max(...lengths);
      const order = lengths.map((_, j) => j).sort((a, b) => lengths[a]! - lengths[b]!);
      const levelStart = new Int32Array(maxLevel + 2);
      for (let l = 0; l <= maxLevel + 1; l++) levelStart[l] = order.findIndex((j) => lengths[j]! >= l) === -1 ? n : order.findIndex((j) => lengths[j]! >= l);
      const thresholds = shortestSampleThresholds(n, d, 2 ** 32, scheme);
      const candidates = scheme === "all" ? lengths : lengths.filter((_, j) => j !== own);
      const law = shortestSampleLaw(candidates, d, scheme);
      const shortest = lengths[order[0]!]!;
      const draw = (word: number): number => shortestSampledLevel(word, lengths[own]!, shortest, maxLevel, n, levelStart, thresholds, ownExcluded);
      let atLeast = 1;
      for (let l = 0; l < law.length; l++) {
        // P(min >= l) from the law vs the draw's word range.
        const c = n - levelStart[l]! - (lengths[own]! >= l ? ownExcluded : 0);
        const T = thresholds[c]!;
        assert.ok(Math.abs(T / 2 ** 32 - atLeast) <= 2 ** -32 + 1e-15, `${scheme} l=${l}: ${T / 2 ** 32} vs ${atLeast}`);
        if (l > 0 && T > 0) assert.ok(draw(T - 1) >= l);
        if (l > 0 && T < 2 ** 32) assert.ok(draw(T) < l);
        atLeast -= law[l]!;
      }
    }), { numRuns: 400, seed: 7 });
});

test("sampling \"all\": a draw that picks the own queue keeps the job (always-migrate rule, d = 1: migration fraction (n - 1) / n)", () => {
  // With d = 1 the one sample is uniform over all n queues, so it is the own queue with probability 1/n, and a
  // rule that always migrates then migrates with probability (n - 1)/n exactly; under "others" always.
  // About 1.2e5 arrivals: standard deviation sqrt(0.75 x 0.25 / 1.2e5) = 0.0013; tolerance 0.006 (4.7 sd).
  const always: PolicySpec = { kind: "custom", samples: 1, shouldMigrate: () => true };
  const system = (sampling: SamplingScheme): SystemParams => ({ queues: 4, arrivalRate: 0.2, migrationPenalty: 1, policy: always, sampling });
  const all = simulateReplication(system("all"), { events: 720_000, seed: 3, clock: "events", trackDelays: false });
  assert.ok(Math.abs(all.migrations / all.arrivals - 0.75) < 0.006, `${all.migrations / all.arrivals}`);
  const others = simulateReplication(system("others"), { events: 100_000, seed: 3, clock: "events", trackDelays: false });
  assert.equal(others.migrations, others.arrivals);
});

test("SQ(1) under sampling \"all\" (JSQ(2) with replacement from all n) approaches the supermarket fixed point lambda^(2^i - 1) at large n", () => {
  // The own queue and one uniform queue of all n, independently uniform, the job joining the shorter: the
  // supermarket model with 2 choices (Mitzenmacher 1996; Vvedenskaya, Dobrushin and Karpelevich 1996), whose
  // mean-field fixed point is s_i = lambda^(2^i - 1). Finite-n gap O(1/n); sampling error of this run about
  // 2e-3 (as in the "others" test above). Tolerance 5e-3 at levels 1-4, 30% relative at level 5; no sharing
  // gives P(Q >= 3) = 0.512 vs s_3 = 0.210.
  const lambda = 0.8;
  const r = simulateReplication({ queues: 1000, arrivalRate: lambda, migrationPenalty: 1, policy: shortestOfD(1), sampling: "all" },
    { events: 4_000_000, seed: 6, clock: "events", trackDelays: false });
  const s = (i: number): number => lambda ** (2 ** i - 1);
  for (let i = 1; i <= 4; i++) assert.ok(Math.abs(r.tail[i]! - s(i)) < 5e-3, `level ${i}: ${r.tail[i]} vs ${s(i)}`);
  assert.ok(Math.abs(r.tail[5]! / s(5) - 1) < 0.3, `level 5: ${r.tail[5]} vs ${s(5)}`);
});

test("initialState: a drain under no sharing follows the M/M/1 transient mean, and work is conserved from the loaded start", async () => {
  // Each queue is M/M/1 started at 8 units. E[Q(t)] for the M/M/1 queue from Q(0) = k solves
  // dE[Q]/dt = lambda - P(Q(t) > 0); it is computed here independently of the simulator, by integrating the
  // forward equations of the birth-death chain (truncated at 200 units, mass there < 1e-30) with RK4, step 1e-3.
  const lambda = 0.5;
  const k = 8;
  const n = 50;
  const transientMean = (times: number[]): number[] => {
    const N = 200;
    let p = new Float64Array(N + 1);
    p[k] = 1;
    const deriv = (x: Float64Array): Float64Array => {
      const out = new Float64Array(N + 1);
      for (let i = 0; i <= N; i++) {
        const pi = x[i]!;
        if (i < N) { out[i]! -= lambda * pi; out[i + 1]! += lambda * pi; }
        if (i > 0) { out[i]! -= pi; out[i - 1]! += pi; }
      }
      return out;
    };
    const h = 1e-3;
    const means: number[] = [];
    let t = 0;
    for (const target of times) {
      while (t < target - 1e-12) {
        const k1 = deriv(p);
        const k2 = deriv(p.map((v, i) => v + (h / 2) * k1[i]!));
        const k3 = deriv(p.map((v, i) => v + (h / 2) * k2[i]!));
        const k4 = deriv(p.map((v, i) => v + h * k3[i]!));
        p = p.map((v, i) => v + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
        t += h;
      }
      means.push(p.reduce((s, v, i) => s + v * i, 0));
    }
    return means;
  };
  const times = [1, 2, 4, 8];
  const exact = transientMean(times);
  // 40 replications of 50 queues: the mean queue length at time t averages 2000 queues; its standard error,
  // estimated from the replications, is about 0.03 at these times. Tolerance: 4.5 standard errors.
  const runs = Array.from({ length: 40 }, (_, r) => simulateReplication(
    { queues: n, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() },
    { time: 8, warmup: 0, seed: 12, initialState: new Array(n).fill(k), pathPoints: 1_000_000, trackDelays: false }, r));
  times.forEach((target, m) => {
    const at = runs.map((run) => {
      // The state holding at `target`: the last path point (every event is a point here) at or before it.
      let idx = 0;
      while (idx + 1 < run.path.time.length && run.path.time[idx + 1]! <= target) idx++;
      return run.path.meanQueueLength[idx]!;
    });
    const mean = at.reduce((s, v) => s + v, 0) / at.length;
    const sd = Math.sqrt(at.reduce((s, v) => s + (v - mean) ** 2, 0) / (at.length - 1));
    const se = sd / Math.sqrt(at.length);
    assert.ok(Math.abs(mean - exact[m]!) < 4.5 * se, `t = ${target}: simulated ${mean} (se ${se}) vs M/M/1 transient ${exact[m]}`);
  });
  for (const run of runs) {
    assert.equal(run.path.totalQueueLength[0], n * k);
    assert.equal(n * k + run.arrivals - run.unitsServed, run.finalTotalQueueLength); // warm-up 0: the whole run
  }
});

test("initialState: the empty state given explicitly is the default, bit for bit; units present at time 0 are not counted as delays", () => {
  const p: SystemParams = { queues: 7, arrivalRate: 0.8, migrationPenalty: 2, policy: abounce(2, 3) };
  const options = { events: 50_000, seed: 4 };
  assert.deepEqual(stripWall(simulateReplication(p, { ...options, initialState: new Array(7).fill(0) })), stripWall(simulateReplication(p, options)));
  // From a loaded start with no warm-up, every counted job arrived during the run: at most the arrivals.
  const loaded = simulateReplication(p, { events: 20_000, warmup: 0, seed: 4, initialState: [30, 0, 5, 0, 0, 12, 1] });
  assert.ok(loaded.jobsCompleted <= loaded.arrivals);
  assert.equal(loaded.path.totalQueueLength[0], 48);
  assert.equal(loaded.records.startTotal[0], 48);
});

test("initialState is validated before any work: its length, and each entry, named with its index", () => {
  const p: SystemParams = { queues: 3, arrivalRate: 0.5, migrationPenalty: 2, policy: abounce(2, 2) };
  const big = { events: 2 ** 50 };
  const cases: Array<[unknown, RegExp]> = [
    [[1, 2], /initialState = "an array of length 2" is out of range: an array of n = 3/],
    ["1,2,3", /initialState = "1,2,3"/],
    [[1, -1, 0], /initialState\[1\] = -1/],
    [[0, 0, 1.5], /initialState\[2\] = 1.5/],
    [[0, 1_000_000, 0], /initialState\[1\] = 1000000 is out of range: an integer in \[0, 999999\]/],
    [[0, NaN, 0], /initialState\[1\] = NaN/],
  ];
  for (const [initialState, pattern] of cases) {
    assert.throws(() => simulateReplication(p, { ...big, initialState } as SimulationOptions), (e: unknown) => e instanceof ParameterError && pattern.test(e.message), String(pattern));
  }
  assert.throws(() => simulateReplication(p, { ...big, maxQueueLength: 10, initialState: [0, 10, 0] }), /initialState\[1\] = 10 is out of range: an integer in \[0, 9\]/);
});
