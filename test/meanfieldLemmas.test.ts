import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { abounce, mbounce } from "../src/model/policy";
import {
  buildMeanFieldSystem, lemma1TailExponent, lemma2TailExponent, meanFieldFixedPoint, tailLemmaComparison,
} from "../src/theory/index";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

test("Lemma 1 and Lemma 2 exponents as printed", () => {
  // alpha = 2, d = 3: log_2 4 = 2, so e(i) = (i^2 - 1)/3
  for (const i of [1, 2, 4, 7]) close(lemma1TailExponent(i, 2, 3), (i * i - 1) / 3, 1e-12, `Lemma 1, i = ${i}`);
  // alpha = d + 1: e(i) = (i - 1)/d, geometric like no sharing
  close(lemma1TailExponent(9, 3, 2), 4, 1e-12, "alpha = d + 1");
  // K = 2: floor(i / 6); d = 10
  assert.equal(lemma2TailExponent(5, 2, 10), 0);
  assert.equal(lemma2TailExponent(6, 2, 10), 1);
  assert.equal(lemma2TailExponent(12, 2, 10), 12);
  assert.equal(lemma2TailExponent(18, 2, 10), 133);
  const named = (name: string) => (e: unknown): boolean => e instanceof ParameterError && e.parameter === name;
  assert.throws(() => lemma1TailExponent(3, 1, 2), named("ratio (alpha)"));
  assert.throws(() => lemma1TailExponent(0, 2, 2), named("level (i)"));
  assert.throws(() => lemma2TailExponent(3, 2, 0), named("samples (d)"));
});

test("computed tails beside the lemmas: the ratio ln s_i / (e(i) ln lambda) ends above 1 (printed and derived)", () => {
  const lambda = 0.75;
  for (const variant of ["derived", "printed"] as const) {
    for (const d of [2, 10]) {
      const mb = meanFieldFixedPoint(buildMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 2, policy: mbounce(2, d) }, variant), { tailTolerance: 1e-200 });
      const rows1 = tailLemmaComparison(mb, { arrivalRate: lambda, samples: d, ratio: 2 });
      const last1 = rows1[rows1.length - 1]!;
      assert.ok(rows1.length >= 5 && last1.ratio > 1, `${mb.label}: Lemma 1 ratio ${last1.ratio} at level ${last1.level}`);
      close(last1.margin, last1.logTail - last1.exponent * Math.log(lambda * 1.01), 1e-9, "margin definition");
      const ab = meanFieldFixedPoint(buildMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 2, policy: abounce(2, d) }, variant), { tailTolerance: 1e-200 });
      const rows2 = tailLemmaComparison(ab, { arrivalRate: lambda, samples: d, migrationPenalty: 2 }, { lemma: 2 });
      const last2 = rows2[rows2.length - 1]!;
      assert.ok(last2.exponent === 0 || last2.ratio > 1, `${ab.label}: Lemma 2 ratio ${last2.ratio} at level ${last2.level}`);
    }
  }
  assert.throws(() => tailLemmaComparison({ occupancy: Float64Array.from([1, 0.5]) }, { arrivalRate: 0.5, samples: 2 }, { lemma: 1 }),
    (e: unknown) => e instanceof ParameterError && e.parameter === "ratio (alpha)");
});
