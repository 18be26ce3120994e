import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { abounce, mbounce, noSharing } from "../src/model/policy";
import { runSimulation } from "../src/simulate/runSimulation";
import { simulationPoint } from "../src/experiments/simulationPoint";
import { simulatePoints } from "../src/experiments/simulatePoints";
import {
  estimateDifference, meanFieldTailReference, mm1Agreement, policyTailFigure, referenceAgreement,
  simulateIndependentPoints, tailOverlaySeries,
} from "../src/experiments/figures/index";

const directory = mkdtempSync(join(tmpdir(), "mp-figures-"));

test("meanFieldTailReference: no sharing gives the M/M/1 tail lambda^i and no printed system or lemma", () => {
  const r = meanFieldTailReference({ arrivalRate: 0.6, migrationPenalty: 2, policy: noSharing() });
  // Closed form (Section III: independent M/M/1 queues): s_i = lambda^i. The fixed point is that of the
  // system truncated at L with s_L < 1e-12 (a buffer of L units), whose exact solution is
  // s_i = (lambda^i - lambda^(L+1)) / (1 - lambda^(L+1)), within lambda^(L+1) < 1e-12 of lambda^i at every level:
  // tolerance 2e-12 absolute plus 1e-12 relative (the Newton solve's level balances).
  assert.ok(r.derived.tail.length > 40);
  r.derived.tail.forEach((s, i) => {
    assert.ok(Math.abs(s - 0.6 ** i) <= 2e-12 + 1e-12 * 0.6 ** i, `level ${i}: ${s} vs ${0.6 ** i}`);
  });
  // E[Q] = lambda / (1 - lambda) = 1.5, to the truncation (s_L < 1e-12).
  assert.ok(Math.abs(r.derived.meanQueueLength - 1.5) < 1e-9);
  assert.equal(r.printed, null);
  assert.match(r.printedNote, /no mean-field system/);
  assert.equal(r.lemma, null);
});

test("meanFieldTailReference: which printed system and which lemma, with exponents computed by hand", () => {
  const a = meanFieldTailReference({ arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(3, 10) }, { lemmaLevels: 20 });
  assert.equal(a.lemma?.lemma, 2);
  // Lemma 2, e(i) = ((d+1)^floor(i/(2(K+1))) - 1)/d with K = 2, d = 10: 0 for i < 6, 1 for 6..11, (121-1)/10 = 12 for 12..17.
  assert.deepEqual([5, 6, 11, 12, 17].map((i) => a.lemma?.exponent[i]), [0, 1, 1, 12, 12]);
  assert.ok(Math.abs((a.lemma?.rate[12] as number) - (0.75 * 1.01) ** 12) < 1e-15);
  assert.ok(Number.isNaN(a.lemma?.rate[0]));
  assert.equal(a.lemma?.rate.length, 21);
  // The printed system (2) has no C: the same fixed point as for C = 2.
  const a2 = meanFieldTailReference({ arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) });
  assert.deepEqual(a.printed?.tail, a2.printed?.tail);
  assert.ok((a.printed?.unaccountedArrivalProbability as number) > 0.1, "printed (2) loses arrivals (findings: 17.4%)");
  assert.ok(Math.abs(a.derived.unaccountedArrivalProbability) < 1e-9, "the derived system keeps every arrival");

  const m = meanFieldTailReference({ arrivalRate: 0.75, migrationPenalty: 2, policy: mbounce(2, 10) });
  // Lemma 1, e(i) = (i^(log_alpha(d+1)) - 1)/d; alpha = 2, i = 4: 4^(log_2 11) = 11^2 = 121, so e(4) = 12.
  assert.ok(Math.abs((m.lemma?.exponent[4] as number) - 12) < 1e-9);
  assert.equal(m.lemma?.lemma, 1);
  assert.match(m.printedNote, /eq\. \(1\)/);
  // The deepest checkpoint restates its row: ratio = ln s_i / (e(i) ln lambda), with e(i) from the formula above.
  const c = m.lemma?.deepest.derived;
  assert.ok(c !== null && c !== undefined && c.tail > 0 && c.level >= 10, "the default deep tolerance resolves the tail past level 10");
  assert.ok(Math.abs(c.exponent - (c.level ** Math.log2(11) - 1) / 10) < 1e-9 * c.exponent);
  assert.ok(Math.abs(c.ratio - Math.log(c.tail) / (c.exponent * Math.log(0.75))) < 1e-12 * c.ratio);
  // Printed (2) ends below level 2(K+1) = 6, where Lemma 2's exponent is 0: nothing to compare.
  assert.ok(a.printed !== null && a.printed.tail.length <= 6);
  assert.equal(a.lemma?.deepest.printed, null);
  const m15 = meanFieldTailReference({ arrivalRate: 0.75, migrationPenalty: 2, policy: mbounce(1.5, 10) });
  assert.equal(m15.printed, null);
  assert.match(m15.printedNote, /integer alpha/);
  assert.throws(() => meanFieldTailReference({ arrivalRate: 1, migrationPenalty: 2, policy: noSharing() }), /arrivalRate/);
  assert.throws(() => meanFieldTailReference({ arrivalRate: 0.5, migrationPenalty: 2, policy: noSharing() }, { epsilon: 0 }), /epsilon/);
});

test("tailOverlaySeries: floors, error bars, one series per curve", () => {
  const ref = meanFieldTailReference({ arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) });
  const point = {
    policy: "ABOUNCE(2,10)", queues: 100, tail: [1, 0.9, 0.7, 0.4, 0.1, 0.01, 1e-12, 0],
    tailCi95: [[1, 1], [0.89, 0.91], [0.69, 0.71], [0.39, 0.41], [0.09, 0.11], [0.009, 0.011], [0, 2e-12], [0, 0]] as Array<readonly [number, number]>,
  };
  const series = tailOverlaySeries(point, ref, { floor: 1e-10 });
  assert.deepEqual(series.map((s) => s.dash), ["solid", "dash", "dot", "dashdot"]);
  const sim = series[0]!;
  const levels = sim.tail.length;
  assert.ok(series.every((s) => s.tail.length === levels), "every series spans the same levels");
  // 1e-12 is below the floor: a gap; error bars are half the interval widths where the point is drawn.
  assert.ok(Number.isNaN(sim.tail[6] as number));
  assert.ok(Math.abs((sim.errorY?.[1] as number) - 0.01) < 1e-12);
  assert.ok(Number.isNaN(sim.errorY?.[6] as number));
  // The derived curve is drawn down to the floor: s_6 = 6.0e-7 >= 1e-10, s_7 = 3.7e-16 < 1e-10.
  assert.ok((series[1]!.tail[6] as number) > 1e-7 && Number.isNaN(series[1]!.tail[7] as number));
  const only = tailOverlaySeries(point, ref, { printed: false, lemma: false, levels: 4 });
  assert.equal(only.length, 2);
  assert.equal(only[0]!.tail.length, 4);
  assert.throws(() => tailOverlaySeries(point, ref, { floor: 0 }), /floor/);
});

test("referenceAgreement: Bonferroni widening with exact t quantiles", () => {
  // t quantiles (@stdlib, checked against standard tables): t_{0.975,4} = 2.7764, t_{0.9975,4} = 5.5976.
  // Two checks at family-wise 0.99: each at 0.995, quantile 1 - 0.005/2 = 0.9975, widening 5.5976 / 2.7764 = 2.0161.
  const checks = [
    { label: "a", estimate: { mean: 1, ci95: [0.9, 1.1] as const }, reference: 1.2 },
    { label: "b", estimate: { mean: 1, ci95: [0.9, 1.1] as const }, reference: 1.25 },
  ];
  const r = referenceAgreement(checks, { degreesOfFreedom: 4 });
  assert.ok(Math.abs(r.widening - 5.5976 / 2.7764) < 2e-4, `widening ${r.widening}`);
  assert.ok(Math.abs(r.perCheckLevel - 0.995) < 1e-12);
  assert.deepEqual(r.rows.map((x) => x.within), [true, false], "half-width 0.2016: 1.2 inside, 1.25 outside");
  assert.equal(r.allWithin, false);
  assert.ok(Math.abs(r.rows[0]!.tStatistic - -0.2 / (0.1 / 2.7764)) < 1e-3);
  assert.throws(() => referenceAgreement([], { degreesOfFreedom: 4 }), /checks/);
  assert.throws(() => referenceAgreement([{ label: "x", estimate: { mean: 1, ci95: [NaN, NaN] }, reference: 1 }], { degreesOfFreedom: 4 }), /interval/);
});

test("mm1Agreement: a simulated M/M/1 system passes; the same data against another lambda fails", async () => {
  // n = 20 independent M/M/1 queues at lambda = 0.6, 8 replications of 1e6 events (about 0.5 s). The check's
  // family-wise confidence is 99% and the seed is fixed, so the pass is reproducible.
  const report = await runSimulation(
    { queues: 20, arrivalRate: 0.6, migrationPenalty: 1, policy: noSharing() },
    { events: 1e6, replications: 8, seed: 11, workers: 1, clock: "events" },
  );
  const point = simulationPoint(report);
  const ok = mm1Agreement(point);
  assert.equal(ok.allWithin, true, ok.summary);
  assert.equal(ok.rows.length, 13 + 2, "levels 1..13 (0.6^13 >= 1e-3 > 0.6^14), E[Q], E[delay]");
  // The same estimates read as lambda = 0.62: P(Q >= 1) would be 0.62 against an estimate near 0.600 whose
  // 95% half-width is about 0.002 here; the check must fail.
  const wrong = mm1Agreement({ ...point, arrivalRate: 0.62 });
  assert.equal(wrong.allWithin, false, wrong.summary);
  assert.throws(() => mm1Agreement({ ...point, policyKind: "abounce" }), /policyKind/);
  assert.throws(() => mm1Agreement({ ...point, replications: 1 }), /replications/);
});

test("estimateDifference: root-sum-square half-width and its verdict", () => {
  const d = estimateDifference({ mean: 2, ci95: [1.97, 2.03] }, { mean: 2.1, ci95: [2.06, 2.14] });
  // sqrt(0.03^2 + 0.04^2) = 0.05 (a 3-4-5 triangle).
  assert.ok(Math.abs(d.halfWidth - 0.05) < 1e-12);
  assert.equal(d.verdict, "first lower");
  assert.equal(estimateDifference({ mean: 2, ci95: [1.9, 2.1] }, { mean: 2.05, ci95: [1.95, 2.15] }).verdict, "no significant difference");
  assert.equal(estimateDifference({ mean: 3, ci95: [2.9, 3.1] }, { mean: 2, ci95: [1.9, 2.1] }).verdict, "second lower");
  assert.throws(() => estimateDifference({ mean: NaN, ci95: [0, 1] }, { mean: 1, ci95: [0, 2] }), /first/);
});

test("policyTailFigure: one colour per group, groups in order, dash kept", () => {
  const fig = policyTailFigure([
    { series: [{ name: "a sim", tail: [1, 0.5, 0.25], errorY: [0, 0.01, 0.01] }, { name: "a mf", tail: [1, 0.5, 0.2], dash: "dash" }] },
    { series: [{ name: "b sim", tail: [1, 0.4] }], color: "#000000" },
    { series: [{ name: "c sim", tail: [1, 0.3] }] },
  ]);
  assert.deepEqual(fig.data.map((t) => t.name), ["a sim", "a mf", "b sim", "c sim"]);
  assert.deepEqual(fig.data.map((t) => t.line?.color), ["#1f77b4", "#1f77b4", "#000000", "#ff7f0e"]);
  assert.equal(fig.data[1]?.line?.dash, "dash");
  assert.equal(fig.data[0]?.error_y?.["color"], "#1f77b4");
  assert.equal(fig.layout.yaxis?.type, "log");
  assert.throws(() => policyTailFigure([]), /groups/);
});

test("simulateIndependentPoints: each configuration runs with its own seed, as simulatePoints would", async () => {
  const system = { queues: 10, arrivalRate: 0.5, migrationPenalty: 2, policy: noSharing() };
  const options = { events: 2e5, replications: 2, workers: 1, clock: "events" as const, cache: { directory } };
  const [a, b] = await simulateIndependentPoints("independent", [{ system, seed: 7 }, { system, seed: 8 }], options);
  const [same] = await simulatePoints("independent", [system], { ...options, seed: 7 });
  assert.deepEqual(a?.tail, same?.tail, "seed 7 gives what simulatePoints gives with seed 7");
  assert.notDeepEqual(a?.tail, b?.tail, "another seed gives other streams");
  await assert.rejects(simulateIndependentPoints("independent", [{ system, seed: 7 }, { system, seed: 7 }], options), /seed no other/);
  const entries = (): number => readdirSync(directory).length;
  const before = entries();
  await assert.rejects(
    simulateIndependentPoints("independent", [{ system, seed: 9 }, { system: { ...system, queues: 0 }, seed: 10 }], options),
    /queues/,
  );
  assert.equal(entries(), before, "a bad configuration is refused before any simulation (nothing cached for seed 9)");
});
