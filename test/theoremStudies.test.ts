import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ParameterError } from "../src/model/parameterError";
import { abounce } from "../src/model/policy";
import { cellKey } from "../src/study/studyGrid";
import { cellSeed } from "../src/study/cellSeed";
import { requireCheck } from "../src/study/requireCheck";
import { exactStationary } from "../src/theory/exact/exactStationary";
import {
  exactTwoQueueThreshold, theorem2LambdaStar, theorem3CrossingTotal, theorem3NoMigrationDrift, thresholdComparisonTable,
  twoQueueDifferenceLaw,
} from "../src/theory/index";
import {
  type Theorem2VerdictRow, markdownParagraphs, theorem2ConditionOneStudy, theorem2SimulationVerdicts, theorem2ThresholdStudy,
  theorem3DriftStudy, theorem3SimulationStudy, twoQueueExactMeanStudy, twoQueueThresholdSimulationCheck,
} from "../src/paper";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

const namesParameter = (name: string) => (e: unknown): boolean =>
  e instanceof ParameterError && e.parameter === name;

const OFF = { mode: "off" } as const;

test("requireCheck passes silently and throws 'check failed: ...' with the description", () => {
  assert.equal(requireCheck(true, "fine"), undefined);
  assert.throws(() => requireCheck(false, "1 > 2"), (e: unknown) => e instanceof Error && e.message === "check failed: 1 > 2");
});

test("markdownParagraphs joins non-empty paragraphs and escapes the asterisk of λ* and S* but not bold markers", () => {
  assert.equal(markdownParagraphs(["λ* = 0.8866", "", "  ", "**fails** at S* = 78, **S**"]), "λ\\* = 0.8866\n\n**fails** at S\\* = 78, **S**");
});

test("theorem2ThresholdStudy: the rows of thresholdComparisonTable and the claims they decide", () => {
  const s = theorem2ThresholdStudy({ penalties: [2, 3], thresholds: [1, 2, 5] });
  // (2, 1) is skipped (C < K); the rows are the theory's table.
  assert.deepEqual(s.rows, thresholdComparisonTable([2, 3], [1, 2, 5]));
  assert.deepEqual(s.rows.map((r) => [r.migrationPenalty, r.threshold]), [[2, 2], [2, 5], [3, 5]]);
  const [threshold, example] = s.claims;
  // Independent values: lambda*(2,2) = (5 + sqrt(265))/24 by hand, lambda_c(2,2) = 0.8941043369681516 (test/theory.test.ts).
  const smallest = Math.min(...s.rows.map((r) => r.exactThreshold - r.lambdaStar));
  close(threshold!.measured.mean, smallest, 1e-15, "smallest gap");
  close(threshold!.measured.mean, 0.8941043369681516 - (5 + Math.sqrt(265)) / 24, 1e-9, "the (2, 2) gap is the smallest here");
  assert.equal(threshold!.verdict, "fails");
  close(example!.measured.mean, 0.8941043369681516, 1e-9, "lambda_c(2,2)");
  assert.equal(example!.verdict, "fails");
  assert.equal(s.table.rows.length, 3);
  assert.equal(s.figure.data.length, 4);
  assert.match(s.details, /λ\\\* = 0\.886618/);
  assert.throws(() => theorem2ThresholdStudy({ penalties: [1, 2], thresholds: [2] }), namesParameter("penalties"));
  assert.throws(() => theorem2ThresholdStudy({ penalties: [5], thresholds: [2, 3] }), namesParameter("penalties"));
});

test("twoQueueExactMeanStudy: exactStationary at each rate, the blow-up like 1/(lambda_c - lambda) and its pole at lambda_c", async () => {
  const rates = [0.5, 0.8, 0.84, 0.86, 0.87];
  const s = await twoQueueExactMeanStudy({ migrationPenalty: 2, threshold: 2, rates, tolerance: 1e-4, cache: OFF });
  const lambdaC = exactTwoQueueThreshold(2, 2).criticalArrivalRate;
  const lambdaStar = theorem2LambdaStar(2, 2);
  rates.forEach((lambda, k) => {
    const direct = exactStationary({ queues: 2, arrivalRate: lambda, migrationPenalty: 2, policy: abounce(2, Infinity) }, { tolerance: 1e-4 });
    const row = s.rows[k]!;
    assert.equal(row.meanQueueLength, direct.meanQueueLength);
    assert.equal(row.truncation, direct.truncation);
    assert.equal(row.region, "below λ*");
    assert.equal(row.note, "");
    close(row.distanceTimesMean, (lambdaC - lambda) * direct.meanQueueLength, 1e-12, `product at ${lambda}`);
  });
  // Below lambda_c the work of long queues drifts down at a rate proportional to lambda_c - lambda, so
  // (lambda_c - lambda) E[Q] settles (0.476-0.479 on [0.8, 0.885], see the README); the pole of 1/E[Q] fitted
  // on the 4 largest rates must lie much nearer lambda_c than Theorem 2's lambda* (a quarter of their gap).
  for (const r of s.rows.slice(1)) close(r.distanceTimesMean, 0.477, 0.01, `(lambda_c - lambda) E[Q] at ${r.arrivalRate}`);
  assert.deepEqual(s.poleRates, [0.8, 0.84, 0.86, 0.87]);
  assert.ok(Math.abs(s.pole - lambdaC) < (lambdaC - lambdaStar) / 4, `pole ${s.pole}`);
  const [law, pole] = s.claims;
  assert.equal(law!.verdict, "undetermined"); // no rate above lambda* was asked for
  assert.equal(pole!.verdict, "fails");
  close(pole!.measured.mean, s.pole, 0, "pole claim");
  assert.equal(s.figures.length, 2);
  await assert.rejects(() => twoQueueExactMeanStudy({ migrationPenalty: 2, threshold: 2, rates: [0.5, 0.9], cache: OFF }), namesParameter("rates"));
  await assert.rejects(() => twoQueueExactMeanStudy({ migrationPenalty: 2, threshold: 2, rates: [0.6, 0.5], cache: OFF }), namesParameter("rates"));
  await assert.rejects(() => twoQueueExactMeanStudy({ migrationPenalty: 2, threshold: 1, rates: [0.5], cache: OFF }), namesParameter("threshold (C)"));
});

test("twoQueueExactMeanStudy: beyond the state limit, the answer at the largest truncation with its own bound, or none", async () => {
  // 1000 lumped states: T <= 43 for n = 2. At 0.8 a 1e-4 tolerance needs T = 63 (E[Q] = 5.08), so the answer
  // comes from T = 43 with a looser bound; at 0.893 (E[Q] about 400) the error does not contract at T = 43.
  const s = await twoQueueExactMeanStudy({ migrationPenalty: 2, threshold: 2, rates: [0.5, 0.8, 0.893], tolerance: 1e-4, maxStates: 1000, cache: OFF });
  const [low, mid, high] = s.rows as [typeof s.rows[0], typeof s.rows[0], typeof s.rows[0]];
  assert.equal(low.note, "");
  assert.equal(mid.truncation, 43);
  assert.match(mid.note, /not reachable within 1000 states: answer at T = 43/);
  const reference = exactStationary({ queues: 2, arrivalRate: 0.8, migrationPenalty: 2, policy: abounce(2, Infinity) }, { tolerance: 1e-6 });
  assert.ok(mid.meanQueueLengthBound > 1e-4 * mid.meanQueueLength, "the looser bound is reported");
  assert.ok(Math.abs(mid.meanQueueLength - reference.meanQueueLength) <= mid.meanQueueLengthBound, `bound ${mid.meanQueueLengthBound} covers the error`);
  assert.equal(high.region, "between λ* and λ_c");
  assert.ok(Number.isNaN(high.meanQueueLength) && /no bounded answer/.test(high.note));
  assert.equal(s.claims[0]!.verdict, "undetermined"); // the only rate above lambda* has no answer
});

test("theorem2ConditionOneStudy: condition (I) fails exactly on the diagonal, where the drift is -C(1 - lambda)/(1 + lambda)", () => {
  const s = theorem2ConditionOneStudy({ pairs: [[2, 2], [3, 5]], conditionMaxTotal: 40, heatmapMaxTotal: 20, rateScanMaxTotal: 20 });
  for (const [k, r] of s.reports.entries()) {
    // The diagonal states (1, 1) .. (20, 20) are the only failures on q1 + q2 <= 40.
    assert.equal(r.conditionI.failingStates, 20);
    assert.ok(r.conditionI.worst.every((w) => w.q1 === w.q2));
    const p = s.pairs[k]!;
    close(p.midpoint, (theorem2LambdaStar(p.migrationPenalty, p.threshold) + exactTwoQueueThreshold(p.migrationPenalty, p.threshold).criticalArrivalRate) / 2, 1e-15, "midpoint");
  }
  const claim = s.claims[0]!;
  assert.equal(claim.verdict, "fails");
  const lambda = s.pairs[0]!.midpoint;
  close(claim.measured.mean, (-2 * (1 - lambda)) / (1 + lambda), 1e-12, "diagonal drift, hand formula");
  assert.equal(s.heatmaps.length, 2);
  assert.equal(s.tables.length, 3);
  assert.throws(() => theorem2ConditionOneStudy({ pairs: [[3, 5]], conditionMaxTotal: 9, heatmapMaxTotal: 20, rateScanMaxTotal: 20 }), namesParameter("conditionMaxTotal"));
  assert.throws(() => theorem2ConditionOneStudy({ pairs: [], conditionMaxTotal: 40, heatmapMaxTotal: 20, rateScanMaxTotal: 20 }), namesParameter("pairs"));
});

test("twoQueueThresholdSimulationCheck: from long queues the total falls below lambda_c and grows above it, at the predicted rate", () => {
  // 2e6 events per rate (lambda_c = 0.894). Predicted slopes -0.0562 and +0.0413 per event; the batch-means
  // standard error is about 0.0008, so the sign is decided at > 40 standard errors and the 0.006 tolerance on
  // the slope is about 7 standard errors. The migrating fraction's standard error is about 0.001 (tolerance 0.004).
  const rows = twoQueueThresholdSimulationCheck({ migrationPenalty: 2, threshold: 2, arrivalRates: [0.8, 0.97], events: 2e6, batches: 20, seed: 11 });
  const [below, above] = rows;
  assert.ok(below !== undefined && above !== undefined);
  assert.equal(below.simulatedSign, -1);
  assert.equal(above.simulatedSign, 1);
  for (const r of rows) {
    assert.ok(Math.abs(r.simulatedDriftPerEvent - r.predictedDriftPerEvent) < 0.006, JSON.stringify(r));
    assert.equal(r.eventsWithAnEmptyQueue, 0);
    close(r.migratingArrivalFraction, r.predictedMigratingArrivalFraction, 0.004, "migrating fraction");
  }
});

test("theorem2SimulationVerdicts places the rates, sizes the budgets, seeds by cell and checks the long-queue predictions", async () => {
  const directory = mkdtempSync(join(tmpdir(), "mp-theorem2-"));
  try {
    const options = {
      pairs: [[3, 5]] as [number, number][], gapFractions: [0.5], aboveOffsets: [0.05], eventsTimesDistance: 1000, aboveEvents: 400_000,
      minEvents: 200_000, replications: 2, seed: 3, longQueueEvents: 2e6, agreementHalfWidths: 4, cache: { directory },
    };
    const s = await theorem2SimulationVerdicts(options);
    assert.equal(s.rows.length, 2);
    const [between, above] = s.rows as [Theorem2VerdictRow, Theorem2VerdictRow];
    const lambdaStar = theorem2LambdaStar(3, 5);
    const lambdaC = exactTwoQueueThreshold(3, 5).criticalArrivalRate;
    close(between.arrivalRate, (lambdaStar + lambdaC) / 2, 1e-15, "midpoint");
    assert.equal(between.region, "between");
    // 1000 / (lambda_c - lambda) = 1000 / 0.01027 = 97,330 events: below the floor of 200,000.
    assert.equal(between.eventsPerReplication, 200_000);
    assert.equal(between.point.events, 200_000 * 2);
    close(above.arrivalRate, lambdaC + 0.05, 1e-15, "above");
    assert.equal(above.eventsPerReplication, 400_000);
    // Seeds derive from (study seed, cell key).
    const system = { queues: 2, arrivalRate: between.arrivalRate, migrationPenalty: 3, policy: abounce(5, Infinity) };
    assert.equal(between.seed, cellSeed(3, cellKey(system)));
    assert.ok(!between.fromCache);
    // Predictions from the D-chain law: < 0 below lambda_c, > 0 above.
    const law = twoQueueDifferenceLaw(above.arrivalRate, 3, 5);
    close(above.predictedGrowthPerQueue, (law.workInflowRate - 2) / 2, 1e-15, "growth");
    assert.ok(between.predictedGrowthPerQueue < 0 && above.predictedGrowthPerQueue > 0);
    // 50 times the band above lambda_c: unstable (the study checks the agreement itself and would have thrown).
    assert.equal(above.point.stability.verdict, "unstable");
    // From long queues at the midpoint: predicted -0.0057 per event, standard error about 7e-4 with 2e6 events.
    const long = between.longQueue!;
    assert.equal(long.simulatedSign, -1);
    close(long.predictedDriftPerEvent, between.predictedGrowthPerQueue / (between.arrivalRate + 1), 1e-12, "per event = per queue per unit time / (lambda + 1)");
    assert.equal(above.longQueue, null);
    const ids = s.claims.map((c) => c.id);
    assert.deepEqual(ids, ["thm2-sim-K3-C5", "thm2-long-queues", "thm2-shrinkage"]);
    const expected = between.point.stability.verdict === "stable" ? "fails" : between.point.stability.verdict === "unstable" ? "holds" : "undetermined";
    assert.equal(s.claims[0]!.verdict, expected);
    assert.equal(s.claims[1]!.verdict, "fails");
    assert.equal(s.claims[2]!.verdict, "holds");
    // The same cells from the cache, with an agreement band too narrow to pass: the independent check throws.
    await assert.rejects(() => theorem2SimulationVerdicts({ ...options, longQueueEvents: 0, agreementHalfWidths: 1e-9 }),
      (e: unknown) => e instanceof Error && /^check failed: .*growth/.test(e.message));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  await assert.rejects(() => theorem2SimulationVerdicts({ pairs: [[2, 1]], gapFractions: [0.5], aboveOffsets: [], eventsTimesDistance: 1, aboveEvents: 1 }),
    namesParameter("threshold (C)"));
  await assert.rejects(() => theorem2SimulationVerdicts({ pairs: [[2, 2]], gapFractions: [], aboveOffsets: [0.2], eventsTimesDistance: 1, aboveEvents: 1 }),
    namesParameter("aboveOffsets"));
  await assert.rejects(() => theorem2SimulationVerdicts({ pairs: [[2, 2]], gapFractions: [0.5], aboveOffsets: [], eventsTimesDistance: 1, aboveEvents: 1, longQueueEvents: 10 }),
    namesParameter("longQueueEvents"));
});

test("theorem3DriftStudy: the drift never exceeds the no-migration closed form under MBOUNCE and grows under ABOUNCE", () => {
  const s = theorem3DriftStudy({
    migrationPenalty: 2, epsilon: 0.01, totals: [10, 100, 1000],
    mbounce: [{ queues: 2, arrivalRate: 0.95, ratio: 2, samples: Infinity }, { queues: 3, arrivalRate: 0.99, ratio: 1.5, samples: 2 }],
    abounce: [{ queues: 2, arrivalRate: 0.95, threshold: 2, samples: Infinity, ratio: 2 }],
    randomStates: 5, restarts: 1, surveySeed: 7, exhaustiveQueues: 3, exhaustiveMaxStates: 1e5,
  });
  const [m2, m3, a2] = s.configurations;
  // S* by hand: 2 * 1.95 * (1 + 1 + 0.01) / (2 * 0.05) = 78.39, where the closed form reaches -epsilon.
  close(m2!.crossing, 78.39, 1e-12, "S* by hand");
  close(theorem3NoMigrationDrift({ queues: 3, arrivalRate: 0.99, ratio: 1.5, total: m3!.crossing }), -0.01, 1e-9, "closed form at S*");
  close(m3!.crossing, theorem3CrossingTotal({ queues: 3, arrivalRate: 0.99, ratio: 1.5, epsilon: 0.01 }), 0, "S* from theory");
  assert.ok(m2!.survey.bySize.some((r) => r.targetTotal === 78) && m2!.survey.bySize.some((r) => r.targetTotal === 79), "floor and ceil of S* surveyed");
  assert.equal(m2!.crossesAtClosedForm, true);
  assert.equal(m2!.lastAboveMinusEpsilon, 78);
  // The exhaustive maxima (n <= 3) never exceed the closed form by more than rounding.
  for (const c of [m2!, m3!]) for (const r of c.exhaustive!.rows.filter((x) => x.total >= c.queues)) assert.ok(r.excessOverNoMigration <= 1e-9, `${c.label} S=${r.total}`);
  // ABOUNCE with the same V: at S = 1000 some state has a drift far above the closed form.
  assert.ok(a2!.exhaustive!.rows.find((r) => r.total === 1000)!.maxDrift > 100);
  assert.deepEqual(s.claims.map((c) => [c.id, c.verdict]), [
    ["thm3-drift-below-epsilon", "holds"], ["thm3-eq3", "holds"], ["thm3-crossing", "holds"], ["abounce-drift", "holds"],
  ]);
  assert.equal(s.tables.length, 3);
  assert.equal(s.figures.length, 2);
  assert.deepEqual(s.figures[0]!.layout.yaxis?.range, [-12, 12]);
  assert.throws(() => theorem3DriftStudy({ migrationPenalty: 2, epsilon: 0.01, totals: [], mbounce: [{ queues: 2, arrivalRate: 0.9, ratio: 2, samples: 2 }], abounce: [],
    randomStates: 1, restarts: 0, surveySeed: 1, exhaustiveQueues: 0, exhaustiveMaxStates: 1 }), namesParameter("totals"));
  assert.throws(() => theorem3DriftStudy({ migrationPenalty: 2, epsilon: 0.01, totals: [10], mbounce: [], abounce: [],
    randomStates: 1, restarts: 0, surveySeed: 1, exhaustiveQueues: 0, exhaustiveMaxStates: 1 }), namesParameter("mbounce"));
});

test("theorem3SimulationStudy: one claim per run, MBOUNCE expected stable and ABOUNCE unstable", async () => {
  const s = await theorem3SimulationStudy({
    rates: [0.95], migrationPenalty: 2, replications: 2, seed: 5, cache: OFF,
    configurations: [{ queues: 2, ratio: 2, samples: Infinity, events: 4e5 }, { queues: 2, threshold: 2, samples: Infinity, events: 4e5 }],
  });
  assert.deepEqual(s.families, ["MBOUNCE", "ABOUNCE"]);
  const [mb, ab] = s.cells;
  assert.equal(mb!.point.policy, "MBOUNCE(2,inf)");
  // ABOUNCE(2, inf), n = 2 at 0.95 lies far above its exact threshold 0.894: the predicted long-queue growth
  // per queue is about 0.06 per unit time, 60 times the band.
  assert.equal(ab!.point.stability.verdict, "unstable");
  assert.equal(s.claims[1]!.verdict, "holds");
  const expected = mb!.point.stability.verdict === "stable" ? "holds" : mb!.point.stability.verdict === "unstable" ? "fails" : "undetermined";
  assert.equal(s.claims[0]!.verdict, expected);
  assert.equal(s.claims[0]!.id, "thm3-sim-MBOUNCE2inf-n2-0.95");
  await assert.rejects(() => theorem3SimulationStudy({ rates: [0.9], migrationPenalty: 2, configurations: [{ queues: 2, ratio: 2, threshold: 2, samples: 2, events: 1e4 }] }),
    namesParameter("configurations"));
  await assert.rejects(() => theorem3SimulationStudy({ rates: [1.2], migrationPenalty: 2, configurations: [{ queues: 2, ratio: 2, samples: 2, events: 1e4 }] }),
    namesParameter("rates"));
});
