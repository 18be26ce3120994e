/**
 * The paper studies of open question 2 (src/paper/optimalRuleTwoQueues.ts, optimalRuleManyQueues.ts) on small
 * grids and short runs: their claims must follow from the exact ranking and from the cells they rest on
 * (recomputed here with the theory and statistics layers), the figures must draw the families' closed-form
 * boundaries, the checks must throw when a reference is wrong, and their texts must not print empty sets or
 * undefined values.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ParameterError } from "../src/model/parameterError";
import { pairedDifference } from "../src/statistics/differenceOfMeans";
import { compareTwoQueueRules } from "../src/theory/optimal/compareTwoQueueRules";
import { type OptimalRulePair, optimalRuleTwoQueues } from "../src/paper/optimalRuleTwoQueues";
import { optimalRuleManyQueues } from "../src/paper/optimalRuleManyQueues";

const tmp = mkdtempSync(join(tmpdir(), "mp-optimal-paper-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const cache = { directory: tmp };

function assertCleanText(text: string, what: string): void {
  assert.doesNotMatch(text, /\{\s*\}|\[\s*\]|undefined|NaN%|: ,|, \./, `${what} prints an empty set or an undefined value:\n${text}`);
}

test("optimalRuleTwoQueues: claims follow the exact ranking; tables, figures and pairs are what the theory gives; cached", async () => {
  const parameters = { pairs: [[0.5, 2], [0.5, 3]] as [number, number][], truncation: 40, cache };
  const two = await optimalRuleTwoQueues(parameters);
  assert.deepEqual(two.claims.map((c) => c.id), ["optimal-boundary", "multiplicative-vs-additive-0.5-2", "multiplicative-vs-additive-0.5-3"]);
  assert.equal(two.claims[0]?.verdict, "holds");
  for (const [k, [lambda, K]] of parameters.pairs.entries()) {
    // The reference: the theory's own ranking, with the families read from the labels.
    const ranking = compareTwoQueueRules(lambda, K, { truncation: 40 }).ranking;
    const best = (prefix: string): { label: string; value: number } => {
      const rows = ranking.filter((r) => r.policy.startsWith(prefix) && r.status === "exact");
      const row = rows.reduce((w, r) => (r.meanQueueLength < w.meanQueueLength ? r : w));
      return { label: row.policy, value: row.meanQueueLength };
    };
    const a = best("ABOUNCE");
    const m = best("MBOUNCE");
    const claim = two.claims[k + 1]!;
    assert.equal(claim.verdict, m.value < a.value ? "holds" : "fails", `λ = ${lambda}, K = ${K}`);
    assert.ok(Math.abs(claim.measured.mean - (m.value - a.value)) < 1e-12);
    const pair = two.pairs[k]!;
    assert.equal(`ABOUNCE(${pair.bestAdditive?.threshold},inf)`, a.label);
    assert.equal(`MBOUNCE(${pair.bestMultiplicative?.ratio},inf)`, m.label);
    // Figures: the families' boundaries are the closed forms t + C + 1 and floor(max(alpha t, t + K)) + 1.
    const figure = two.curveFigures[k]!;
    const additive = figure.data.find((t) => String(t.name).startsWith("best ABOUNCE"))!;
    const multiplicative = figure.data.find((t) => String(t.name).startsWith("best MBOUNCE"))!;
    const C = pair.bestAdditive!.threshold;
    const alpha = pair.bestMultiplicative!.ratio;
    (additive.x as number[]).forEach((t, i) => assert.equal((additive.y as number[])[i], t + C + 1));
    (multiplicative.x as number[]).forEach((t, i) => assert.equal((multiplicative.y as number[])[i], Math.floor(Math.max(alpha * t, t + K)) + 1));
    const optimal = figure.data[0]!;
    assert.deepEqual(optimal.y, [...pair.switchingTable]);
  }
  assert.deepEqual(two.pairs.map((p) => p.switchingTable), [[3, 7, 12, 19], [6, 13, 23]]); // README, and the grid 40
  // The ranking table: one row per rule, one column per pair; ABOUNCE(2,inf) does not exist for K = 3.
  assert.equal(two.ranking.rows.length, 2 + 9 + 6);
  assert.equal(two.ranking.rows.find((r) => r["rule"] === "ABOUNCE(2,inf)")?.["λ = 0.5, K = 3"], "— (C < K)");
  assert.match(String(two.ranking.rows.find((r) => r["rule"] === "ABOUNCE(6,inf)")?.["λ = 0.5, K = 3"]), /^\+0\.185% \(2\)$/);
  assertCleanText(two.details, "two-queue details");
  for (const c of two.claims) assertCleanText(c.evidence, `claim ${c.id}`);
  assert.equal(two.shape.rows.length, 4 + 3);

  const again = await optimalRuleTwoQueues(parameters);
  assert.deepEqual(again.optimum.rows.map((r) => r["from cache"]), [true, true]);
  assert.deepEqual(again.claims, two.claims);
});

test("optimalRuleTwoQueues refuses bad parameters before any work, and passes on the solver's refusal", async () => {
  const refused = async (p: object, parameter: string): Promise<void> => {
    await assert.rejects(optimalRuleTwoQueues(p as never), (e: unknown) => e instanceof ParameterError && e.parameter === parameter, parameter);
  };
  await refused({ pairs: [] }, "pairs");
  await refused({ pairs: [[1, 2]] }, "pairs[0][0] (λ)");
  await refused({ pairs: [[0.5, 0]] }, "pairs[0][1] (K)");
  await refused({ pairs: [[0.5, 2], [0.5, 2]] }, "pairs[1]");
  await refused({ pairs: [[0.5, 2]], truncation: 40, ruleTruncation: 30 }, "ruleTruncation");
  await refused({ pairs: [[0.5, 2]], ratios: [1] }, "ratios[0]");
  await refused({ pairs: [[0.5, 4]], maxThreshold: 3 }, "maxThreshold");
  // The pooled M/M/2 bound refuses N = 50 at λ = 0.9; the worker's ParameterError comes back as one.
  await refused({ pairs: [[0.9, 2]], truncation: 50, cache: { mode: "off" } }, "truncation (N)");
});

/** A pair as optimalRuleTwoQueues gives it at λ = 0.7, K = 2 on the grid 40 (its table and best rules). */
async function pairAt07(): Promise<OptimalRulePair> {
  const two = await optimalRuleTwoQueues({ pairs: [[0.7, 2]], truncation: 40, cache });
  return two.pairs[0]!;
}

test("optimalRuleManyQueues: common random numbers, paired differences as compareCells gives them, claims from the cells", async () => {
  const pair = await pairAt07();
  const many = await optimalRuleManyQueues({
    rules: [pair], queues: 10, samples: [9], events: 100_000, replications: 3, seed: 5,
    check: { events: 200_000, replications: 3 }, cache, progress: false,
  });
  // optimal, best ABOUNCE, best MBOUNCE at d = 9, no sharing, and the n = 2 check
  assert.equal(many.cells.length, 5);
  assert.deepEqual([...new Set(many.cells.map((c) => c.seed))], [5]);
  const role = (r: string) => many.cells.find((c) => c.axes.role === r)!;
  assert.equal(role("check n = 2").system.queues, 2);
  const optimal = role("optimal");
  const additive = role("best ABOUNCE");
  const row = many.differences.rows.find((r) => String(r["comparison"]).startsWith(optimal.point.policy) && String(r["comparison"]).includes("ABOUNCE"))!;
  const reference = pairedDifference([...optimal.point.perReplication.meanQueueLength], [...additive.point.perReplication.meanQueueLength]);
  assert.equal(row["difference"], reference.mean);
  assert.deepEqual(row["95% CI"], reference.ci95);
  assert.equal(row["method"], "paired");

  assert.deepEqual(many.claims.map((c) => c.id), ["optimal-stable-n10", "optimal-vs-abounce-d9", "optimal-vs-mbounce-d9"]);
  const stable = many.claims[0]!;
  const verdict = optimal.point.stability.verdict;
  assert.equal(stable.verdict, verdict === "stable" ? "holds" : verdict === "unstable" ? "fails" : "undetermined");
  const vsA = many.claims[1]!;
  const bothStable = optimal.point.stability.verdict === "stable" && additive.point.stability.verdict === "stable";
  const expected = !bothStable ? vsA.verdict : reference.ci95[1] < 0 ? "holds" : reference.ci95[0] > 0 ? "fails" : "undetermined";
  assert.equal(vsA.verdict, expected);
  assert.equal(many.checks.rows.length, 2);
  assertCleanText(many.details, "many-queue details");
  for (const c of many.claims) assertCleanText(c.evidence, `claim ${c.id}`);
});

test("optimalRuleManyQueues throws when the table policy at n = 2 disagrees with its exact value, and refuses bad parameters", async () => {
  const pair = await pairAt07();
  const wrong: OptimalRulePair = { ...pair, tableRule: { ...pair.tableRule, meanQueueLength: 1.5 * pair.tableRule.meanQueueLength } };
  await assert.rejects(
    optimalRuleManyQueues({ rules: [wrong], queues: 10, samples: [9], events: 20_000, replications: 2, seed: 5, check: { events: 200_000, replications: 3 }, cache, progress: false }),
    /table policy simulated at n = 2 disagrees with its exact value/,
  );
  const base = { rules: [pair], events: 10_000, replications: 2, seed: 1 };
  for (const [p, parameter] of [
    [{ ...base, rules: [] }, "rules"], [{ ...base, samples: [0] }, "samples[0]"], [{ ...base, samples: [100] }, "samples[0]"],
    [{ ...base, events: 10 }, "events"], [{ ...base, replications: 1 }, "replications"], [{ ...base, familywiseLevel: 1 }, "familywiseLevel"],
  ] as const) {
    await assert.rejects(optimalRuleManyQueues(p as never), (e: unknown) => e instanceof ParameterError && e.parameter === parameter, parameter);
  }
});

test("a table that decides as ABOUNCE on every visited state gives identical runs, reported as such and left undetermined", async () => {
  // m(t) = t + 3 for t < 40 is ABOUNCE(2) wherever the shorter queue is below 40, which at λ = 0.5 it always is.
  const pair: OptimalRulePair = {
    arrivalRate: 0.5, migrationPenalty: 2, truncation: 40, switchingTable: Array.from({ length: 40 }, (_, t) => t + 3),
    optimalMeanQueueLength: NaN, tableRule: { meanQueueLength: NaN, migrationFraction: NaN },
    bestAdditive: { threshold: 2, meanQueueLength: NaN }, bestMultiplicative: null,
  };
  // The n = 2 check needs the table's exact value: ABOUNCE(2, inf) on the two-queue grid (the README's 0.9698).
  const checked = { ...pair, tableRule: { meanQueueLength: 0.96980702694669, migrationFraction: NaN } };
  const many = await optimalRuleManyQueues({ rules: [checked], queues: 10, samples: [9], events: 50_000, replications: 3, seed: 2, cache, progress: false });
  const row = many.differences.rows.find((r) => String(r["comparison"]).includes("ABOUNCE"))!;
  assert.equal(row["outcome"], "identical");
  assert.equal(row["difference"], 0);
  const vsA = many.claims.find((c) => c.id === "optimal-vs-abounce-d9")!;
  assert.equal(vsA.verdict, "undetermined");
  assert.match(vsA.evidence, /same value in every replication/);
  assert.match(many.details, /Identical runs/);
});
