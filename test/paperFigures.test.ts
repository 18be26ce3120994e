/**
 * The paper studies of Figures 3-5 on small systems (n = 20, short runs): their claims must follow from the
 * cells they rest on (recomputed here from the cells with the statistics layer), their texts must not print
 * empty sets or undefined values, and the exact mean-field parts must give the values known for the paper's
 * setting (λ = 0.75, K = 2, d = 10), which do not depend on the simulation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ParameterError } from "../src/model/parameterError";
import { policyLabel } from "../src/model/policy";
import { welchDifference } from "../src/statistics/differenceOfMeans";
import { tailLighterFrom } from "../src/study/tailLighterFrom";
import { figure3Stability } from "../src/paper/figure3Stability";
import { figure4AbounceTails } from "../src/paper/figure4AbounceTails";
import { figure5MbounceTails } from "../src/paper/figure5MbounceTails";

const tmp = mkdtempSync(join(tmpdir(), "mp-paper-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const cache = { directory: tmp };

/** Texts a study must never print: empty sets and lists, undefined values, NaN where a number is expected. */
function assertCleanText(text: string, what: string): void {
  assert.doesNotMatch(text, /\{\s*\}|\[\s*\]|undefined|NaN%|: ,|, \./, `${what} prints an empty set or an undefined value:\n${text}`);
}

const verdictOf = (v: "stable" | "unstable" | "inconclusive", expected: "stable" | "unstable"): string =>
  v === "inconclusive" ? "undetermined" : v === expected ? "holds" : "fails";

test("figure3Stability: claims follow the cells' verdicts; tables, figures and details are complete", async () => {
  const f3 = await figure3Stability({
    queues: 20, sweepRates: [0.75, 0.83], search: { lower: 0.75, upper: 0.83, tolerance: 0.04 },
    events: 2e5, replications: 2, seed: 3003, meanFieldTolerance: 0.01, frontDisplacement: 3, cache, progress: false,
  });
  const cells = f3.search.cells;
  const at = (l: number) => cells.find((c) => c.axes.arrivalRate === l);
  assert.ok(at(0.77) && at(0.79), "the paper's two rates are always simulated");
  assert.deepEqual(f3.claims.map((c) => c.id), ["stable-0.77", "unstable-0.79", "unstable-from-0.79", "region-smaller"]);
  assert.equal(f3.claims[0]?.verdict, verdictOf(at(0.77)!.point.stability.verdict, "stable"));
  assert.equal(f3.claims[1]?.verdict, verdictOf(at(0.79)!.point.stability.verdict, "unstable"));
  const above = cells.filter((c) => c.axes.arrivalRate >= 0.79).map((c) => c.point.stability.verdict);
  assert.equal(f3.claims[2]?.verdict, above.includes("stable") ? "fails" : above.includes("inconclusive") ? "undetermined" : "holds");
  assert.equal(f3.claims[3]?.verdict, cells.some((c) => c.axes.arrivalRate < 1 && c.point.stability.verdict === "unstable") ? "holds" : "undetermined");
  for (const c of f3.claims) assert.match(c.measured.quantity, /n = 20/, "the claim names the configuration simulated");

  assert.equal(f3.sweep.rows.length, cells.length);
  assert.equal(f3.paths.rows.length, 2);
  assert.equal(f3.thresholds.rows.length, 5);
  assert.equal(f3.samplePathFigure.data.length, 2);
  assert.equal(f3.growthFigure.data[0]?.x?.length, cells.length);
  // Derived mean field of ABOUNCE(2,10), K = 2: lambda_2 in [0.78294, 0.78300] (theory findings, tolerance 1e-4),
  // so a bracket of width <= 0.01 must hold it.
  const mf = f3.meanFieldBoundary;
  assert.ok(mf.largestFiniteMean <= 0.78294 && mf.smallestEscaping >= 0.783 && mf.smallestEscaping - mf.largestFiniteMean <= 0.01 + 1e-12);
  assertCleanText(f3.details, "figure 3 details");
  for (const c of f3.claims) assertCleanText(c.evidence, `claim ${c.id}`);
  await assert.rejects(figure3Stability({ sweepRates: [], search: { lower: 0.75, upper: 0.83, tolerance: 0.01 }, events: 1e4, replications: 2, seed: 1, meanFieldTolerance: 0.01, frontDisplacement: 3 }),
    (e: unknown) => e instanceof ParameterError && e.parameter === "sweepRates");
});

test("figures 4 and 5: shared cells, the M/M/1 check, claims recomputed from the cells, the exact lemma values", async () => {
  const simulation = { queues: 20, events: 4e5, replications: 4, seed: 4500, cache, progress: false };
  const f4 = await figure4AbounceTails(simulation);
  assert.deepEqual(f4.claims.map((c) => c.id), ["no-sharing-mm1", "improvement-ABOUNCE-2-10", "improvement-ABOUNCE-3-10", "improvement-ABOUNCE-4-10", "lemma-2"]);
  assert.equal(f4.tails.mm1.allWithin, true, "the study throws otherwise");
  const none = f4.tails.noSharing;
  f4.tails.cells.forEach((c, k) => {
    const delay = welchDifference(c.point.perReplication.meanDelay, none.point.perReplication.meanDelay);
    const length = welchDifference(c.point.perReplication.meanQueueLength, none.point.perReplication.meanQueueLength);
    const from = tailLighterFrom(c.point, none.point, 20);
    const expected = delay.ci95[1] < 0 && length.ci95[1] < 0 && Number.isFinite(from) ? "holds" : delay.ci95[0] > 0 || length.ci95[0] > 0 ? "fails" : "undetermined";
    const claim = f4.claims[1 + k];
    assert.equal(claim?.verdict, expected, `${policyLabel(c.system.policy)}: ${claim?.evidence}`);
    assert.deepEqual(claim?.measured.ci95, delay.ci95);
  });
  // System (2) as printed at lambda = 0.75, K = 2, d = 10 ends at level 4 (s_4 = 2.8e-33; theory findings), below
  // 2(K+1) = 6 where Lemma 2's exponent first exceeds 0: the bound holds at every computed level.
  assert.equal(f4.claims[4]?.measured.mean, 4);
  assert.equal(f4.claims[4]?.verdict, "holds");
  // One group per policy (simulation + derived fixed point), then printed (2) and Lemma 2's rate in black.
  assert.equal(f4.figure.data.length, 4 * 2 + 2);
  assertCleanText(f4.details, "figure 4 details");

  const f5 = await figure5MbounceTails(simulation);
  const cached = f5.tails.study.cells.filter((c) => c.fromCache).map((c) => policyLabel(c.system.policy));
  assert.deepEqual(cached, ["no sharing", "ABOUNCE(2,10)", "ABOUNCE(3,10)", "ABOUNCE(4,10)"], "Figure 4's cells are read back");
  assert.deepEqual(f5.claims.map((c) => c.id), [
    "no-sharing-mm1", "improvement-MBOUNCE-1.5-10", "improvement-MBOUNCE-2-10", "improvement-MBOUNCE-3-10",
    "multiplicative-better", "abounce-lighter-tails", "lemma-1",
  ]);
  const mult = f5.tails.cells.slice(0, 3);
  const add = f5.tails.cells.slice(3);
  const best = (cs: typeof mult) => [...cs].sort((x, y) => x.point.meanDelay.mean - y.point.meanDelay.mean)[0]!;
  const d = welchDifference(best(mult).point.perReplication.meanDelay, best(add).point.perReplication.meanDelay);
  assert.equal(f5.claims[4]?.verdict, d.ci95[1] < 0 ? "holds" : d.ci95[0] > 0 ? "fails" : "undetermined");
  assert.equal(f5.pairTable.rows.length, 9);
  // Lemma 1 on the fixed points of (1) (integer alpha: 2 and 3): the smallest ratio is MBOUNCE(2,10)'s, 9.04 at
  // i = 9 (theory findings: the lemma holds with room at every computed fixed point).
  assert.equal(f5.claims[6]?.verdict, "holds");
  assert.ok(Math.abs((f5.claims[6]?.measured.mean ?? NaN) - 9.037) < 0.01, `${f5.claims[6]?.measured.mean}`);
  assert.equal(f5.tailTable.rows.length > 0, true);
  assertCleanText(f5.details, "figure 5 details");
  for (const c of [...f4.claims, ...f5.claims]) assertCleanText(c.evidence, `claim ${c.id}`);
  await assert.rejects(figure5MbounceTails({ ...simulation, ratios: [1] }), (e: unknown) => e instanceof ParameterError && e.parameter === "ratios[0]");
});
