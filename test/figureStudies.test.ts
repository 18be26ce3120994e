/**
 * The helpers of the figure studies, by role: mean-field tail references (theory), agreement with closed forms
 * and differences of estimates (statistics), tail figures, parameter tables and study progress (display), tail
 * comparisons and DataFrames (study).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { abounce, mbounce, noSharing } from "../src/model/policy";
import { runSimulation } from "../src/simulate/runSimulation";
import { simulationPoint } from "../src/study/simulationPoint";
import { meanFieldTailReference } from "../src/theory/meanfield/meanFieldTailReference";
import { estimateDifference } from "../src/statistics/estimateDifference";
import { mm1Agreement } from "../src/statistics/mm1Agreement";
import { referenceAgreement } from "../src/statistics/referenceAgreement";
import { parameterRows } from "../src/display/parameterRows";
import { policyTailFigure } from "../src/display/policyTailFigure";
import { studyProgressReporter } from "../src/display/studyProgressReporter";
import { tailOverlaySeries } from "../src/display/tailOverlaySeries";
import { dataFrame } from "../src/study/dataFrame";
import { tailDifference } from "../src/study/tailDifference";
import { tailLighterFrom } from "../src/study/tailLighterFrom";
import * as mp from "../src/index";

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

test("tailLighterFrom: the first level of an uninterrupted run of disjoint intervals down to the deepest level", () => {
  const ref = { tail: [1, 0.75, 0.56, 0.42, 0.32], tailCi95: [[1, 1], [0.74, 0.76], [0.55, 0.57], [0.41, 0.43], [0.31, 0.33]] as Array<readonly [number, number]> };
  // Level 1 overlaps (0.9 > 0.76), levels 2-4 are disjoint and below: lighter from 2.
  const a = { tail: [1, 0.9, 0.3, 0.1, 0.01], tailCi95: [[1, 1], [0.89, 0.91], [0.29, 0.31], [0.09, 0.11], [0.009, 0.011]] as Array<readonly [number, number]> };
  assert.equal(tailLighterFrom(a, ref), 2);
  // A level never reached counts as 0 with interval [0, 0]: the same tail cut after level 2 is lighter from 2 as well.
  assert.equal(tailLighterFrom({ tail: [1, 0.9, 0.3], tailCi95: a.tailCi95.slice(0, 3) }, ref), 2);
  // An overlap at the deepest level gives NaN, whatever happens above it.
  const b = { ...a, tailCi95: [...a.tailCi95.slice(0, 4), [0.2, 0.4]] as Array<readonly [number, number]> };
  assert.ok(Number.isNaN(tailLighterFrom(b, ref)));
  // maxLevel 4 ignores level 4, so b is lighter from 2 again.
  assert.equal(tailLighterFrom(b, ref, 4), 2);
  assert.throws(() => tailLighterFrom({ tail: [1, 0.5], tailCi95: null }, ref), (e: unknown) => e instanceof ParameterError && e.parameter === "tail.tailCi95");
  assert.throws(() => tailLighterFrom(a, ref, 1), (e: unknown) => e instanceof ParameterError && e.parameter === "maxLevel");
});

test("tailDifference: root-sum-square interval of two tails at one level; unreached levels count as 0", () => {
  const first = { tail: [1, 0.5, 0.1], tailCi95: [[1, 1], [0.47, 0.53], [0.06, 0.14]] as Array<readonly [number, number]> };
  const second = { tail: [1, 0.6, 0.1, 0.05], tailCi95: [[1, 1], [0.56, 0.64], [0.07, 0.13], [0.04, 0.06]] as Array<readonly [number, number]> };
  const d1 = tailDifference(first, second, 1);
  // Half-widths 0.03 and 0.04: sqrt(0.03^2 + 0.04^2) = 0.05 (a 3-4-5 triangle); -0.1 +- 0.05.
  assert.ok(Math.abs(d1.difference + 0.1) < 1e-12 && Math.abs(d1.halfWidth - 0.05) < 1e-12);
  assert.equal(d1.verdict, "first lower");
  assert.equal(tailDifference(first, second, 2).verdict, "no significant difference");
  // Level 3: first never reached it (0, [0, 0]); second 0.05 +- 0.01.
  const d3 = tailDifference(first, second, 3);
  assert.ok(Math.abs(d3.difference + 0.05) < 1e-12 && Math.abs(d3.halfWidth - 0.01) < 1e-12);
  assert.throws(() => tailDifference({ tail: [1, 0.5], tailCi95: null }, second, 1), (e: unknown) => e instanceof ParameterError && e.parameter === "first");
  assert.throws(() => tailDifference(first, second, -1), (e: unknown) => e instanceof ParameterError && e.parameter === "level");
});

test("parameterRows: one row per key, policies by label, nested values spelled out", () => {
  const rows = parameterRows({ queues: 100, policies: [abounce(2, 10), noSharing()], search: { lower: 0.75, upper: 0.83 }, mode: "quick", on: true });
  assert.deepEqual(rows, [
    { parameter: "queues", value: "100" },
    { parameter: "policies", value: "[ABOUNCE(2,10), no sharing]" },
    { parameter: "search", value: "{ lower: 0.75, upper: 0.83 }" },
    { parameter: "mode", value: "quick" },
    { parameter: "on", value: "true" },
  ]);
  assert.throws(() => parameterRows([1, 2] as unknown as Record<string, unknown>), (e: unknown) => e instanceof ParameterError && e.parameter === "parameters");
});

test("dataFrame: from columns or rows, through the package; unequal columns refused", () => {
  const byColumns = dataFrame({ i: [0, 1, 2], tail: [1, 0.5, 0.25] });
  assert.deepEqual(byColumns.shape, [3, 2]);
  assert.deepEqual(byColumns.columns, ["i", "tail"]);
  const byRows = dataFrame([{ i: 0, tail: 1 }, { i: 1, tail: 0.5 }]);
  assert.deepEqual(byRows.values, [[0, 1], [1, 0.5]]);
  assert.throws(() => dataFrame({ i: [0, 1], tail: [1] }), (e: unknown) => e instanceof ParameterError && e.parameter === "data.tail");
  assert.throws(() => dataFrame([]), (e: unknown) => e instanceof ParameterError && e.parameter === "data");
  assert.equal(mp.dataFrame, dataFrame, "exported by the package");
});

test("studyProgressReporter: one line per round, counting cells, the last line exactly once", () => {
  const lines: string[] = [];
  const report = studyProgressReporter("Fig", { target: "script", interactive: false, intervalMs: 0, write: (t) => lines.push(t), now: () => 0 });
  report({ fraction: 0, total: 4 });
  report({ fraction: 0.5, total: 4 });
  report({ fraction: 1, total: 4 });
  report({ fraction: 1, total: 4 });
  report({ fraction: 1, total: 2, round: 1 });
  assert.deepEqual(lines, [
    "Fig, cells simulated: 0 / 4 (0.0%), 0.0 s elapsed\n",
    "Fig, cells simulated: 2 / 4 (50.0%), 0.0 s elapsed, about 0.0 s left\n",
    "Fig, cells simulated: 4 / 4 (100%), done in 0.0 s\n",
    "Fig, refinement 1, cells simulated: 2 / 2 (100%), done in 0.0 s\n",
  ]);
});
