/**
 * The mean-field numbers the README's Theory section states, recomputed: fixed points of the printed and derived
 * systems (K = 2, d = 10), the arrivals the printed systems lose, and the refined (1/n) values. Each stated
 * number must round to the computed one at its last stated digit, so a change of the code that moves a number
 * in the README fails here. (The simulated numbers beside them in the README come from long runs and are not
 * rerun; the simulator is checked against the mean field in test/meanfieldRefinedSimulation.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { abounce, mbounce, shortestOfD } from "../src/model/policy";
import type { PolicySpec } from "../src/model/policy";
import { buildMeanFieldSystem } from "../src/theory/meanfield/buildMeanFieldSystem";
import { meanFieldFixedPoint } from "../src/theory/meanfield/meanFieldFixedPoint";
import type { MeanFieldVariant } from "../src/theory/meanfield/meanFieldSystem";
import { refinedMeanField } from "../src/theory/meanfield/refinedMeanField";
import type { SamplingScheme } from "../src/model/sampling";

/** `actual` rounds to `stated` at the last digit stated ("6.0e-7" to two significant digits). */
function roundsTo(actual: number, stated: string, what: string): void {
  const [mantissa, exponent] = stated.toLowerCase().split("e");
  const decimals = ((mantissa as string).split(".")[1] ?? "").length;
  const halfUnit = 0.5 * 10 ** (Number(exponent ?? 0) - decimals);
  assert.ok(Math.abs(actual - Number(stated)) <= halfUnit * (1 + 1e-9), `${what}: computed ${actual}, stated ${stated}`);
}

function fixedPoint(lambda: number, policy: PolicySpec, variant: MeanFieldVariant) {
  const fp = meanFieldFixedPoint(buildMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 2, policy }, variant));
  assert.ok(fp.converged, fp.failure);
  return fp;
}

function tailIs(occupancy: Float64Array, stated: readonly string[], what: string): void {
  stated.forEach((s, i) => roundsTo(occupancy[i] ?? 0, s, `${what} s_${i}`));
}

test("lambda = 0.75: derived ABOUNCE(2,10) and MBOUNCE(2,10) share the bulk; printed (2) and (1) lose 17.4% and 23.0% of arrivals", () => {
  const derivedTail = ["1", "0.93973", "0.74960", "0.41747", "0.12358", "0.0049826", "6.0e-7"];
  for (const policy of [abounce(2, 10), mbounce(2, 10)]) {
    const fp = fixedPoint(0.75, policy, "derived");
    tailIs(fp.occupancy, derivedTail, `derived ${policy.kind}`);
    roundsTo(fp.metrics.meanQueueLength, "2.2354", `derived ${policy.kind} mean`);
    roundsTo(fp.metrics.migrationProbability, "0.2530", `derived ${policy.kind} migration probability`);
    assert.ok(fp.metrics.unaccountedArrivalProbability < 1e-12, "the derived systems lose nothing");
  }
  const two = fixedPoint(0.75, abounce(2, 10), "printed");
  tailIs(two.occupancy, ["1", "0.89356", "0.54011", "0.0011264", "2.8e-33"], "printed (2)");
  roundsTo(two.metrics.meanQueueLength, "1.4348", "printed (2) mean");
  roundsTo(100 * two.metrics.unaccountedArrivalProbability, "17.4", "printed (2) arrivals lost, %");
  const one = fixedPoint(0.75, mbounce(2, 10), "printed");
  tailIs(one.occupancy, ["1", "0.98263", "0.86528", "0.46314", "1.9e-4"], "printed (1)");
  roundsTo(one.metrics.meanQueueLength, "2.3112", "printed (1) mean");
  roundsTo(100 * one.metrics.unaccountedArrivalProbability, "23.0", "printed (1) arrivals lost, %");
});

test("lambda = 0.9, MBOUNCE(2,10): derived, every queue busy and p_mig within 4e-7 of 1/lambda - 1; printed (1) loses 32.8% with mean 2.47", () => {
  const fp = fixedPoint(0.9, mbounce(2, 10), "derived");
  roundsTo(fp.occupancyComplement[1] ?? NaN, "3.0e-7", "1 - s_1");
  roundsTo(fp.occupancy[2] ?? NaN, "0.999997", "s_2");
  roundsTo(fp.occupancy[7] ?? NaN, "0.88882", "s_7");
  roundsTo(fp.occupancy[8] ?? NaN, "0.73318", "s_8");
  roundsTo(fp.occupancy[9] ?? NaN, "0.56148", "s_9");
  roundsTo(fp.metrics.migrationProbability, "0.11111", "migration probability");
  // units are conserved: lambda (1 + (K - 1) p_mig) = s_1, and s_1 falls short of 1 by 3.0e-7 only
  assert.ok(Math.abs(0.9 * (1 + fp.metrics.migrationProbability) - (fp.occupancy[1] ?? NaN)) < 1e-12, "unit load = s_1");
  roundsTo(fp.metrics.meanQueueLength, "9.087", "mean");
  roundsTo(fp.metrics.meanJobDelayFifo, "9.42", "FIFO job delay");
  const one = fixedPoint(0.9, mbounce(2, 10), "printed");
  roundsTo(one.metrics.meanQueueLength, "2.47", "printed (1) mean");
  roundsTo(100 * one.metrics.unaccountedArrivalProbability, "32.8", "printed (1) arrivals lost, %");
});

test("refined mean field: the plain and refined means and the coefficients the README states", () => {
  const cases: ReadonlyArray<{ policy: PolicySpec; K: number; lambda: number; n: number; sampling?: SamplingScheme; plain: string; refined: string; sumV?: string }> = [
    { policy: shortestOfD(1), K: 1, lambda: 0.9, n: 10, plain: "2.3527", refined: "2.6301" },
    { policy: shortestOfD(1), K: 1, lambda: 0.9, n: 100, plain: "2.3527", refined: "2.3804" },
    { policy: shortestOfD(1), K: 1, lambda: 0.9, n: 10, sampling: "all", plain: "2.3527", refined: "2.7513", sumV: "3.98643" },
    { policy: abounce(2, 10), K: 2, lambda: 0.75, n: 10, plain: "2.2354", refined: "3.2416" },
    { policy: abounce(2, 10), K: 2, lambda: 0.75, n: 100, plain: "2.2354", refined: "2.3360" },
    { policy: mbounce(2, 10), K: 2, lambda: 0.75, n: 10, plain: "2.2354", refined: "3.242" },
    { policy: mbounce(2, 10), K: 2, lambda: 0.9, n: 10, plain: "9.087", refined: "8.864", sumV: "-2.24" },
  ];
  for (const c of cases) {
    const what = `${c.policy.kind} lambda ${c.lambda} n ${c.n} ${c.sampling ?? "others"}`;
    const r = refinedMeanField({ arrivalRate: c.lambda, migrationPenalty: c.K, policy: c.policy }, { queues: c.n, sampling: c.sampling ?? "others" });
    assert.ok(r.converged, `${what}: ${r.failure}`);
    roundsTo(r.plain.meanQueueLength, c.plain, `${what} plain`);
    roundsTo(r.meanQueueLength, c.refined, `${what} refined`);
    if (c.sumV !== undefined) roundsTo(r.meanQueueLengthCorrection, c.sumV, `${what} sum V`);
  }
});
