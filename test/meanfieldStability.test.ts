import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { abounce, mbounce } from "../src/model/policy";
import {
  buildMeanFieldSystem, meanFieldFixedPoint, meanFieldFrontMotion, meanFieldStabilityBoundary,
} from "../src/theory/index";

const abounce210 = (lambda: number, variant: "derived" | "printed" = "derived") =>
  buildMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 2, policy: abounce(2, 10) }, variant);

test("fronts of busy queues: ABOUNCE(2,10), K = 2 descends at 0.70, ascends at 0.80 (derived)", () => {
  const down = meanFieldFrontMotion(abounce210(0.7));
  assert.equal(down.motion, "descending");
  assert.ok(down.averageVelocity < 0);
  const up = meanFieldFrontMotion(abounce210(0.8));
  assert.equal(up.motion, "ascending");
  // far from empty the front's speed is the effective load minus 1: lambda (1 + (K-1) p_mig) - 1 > 0
  const sys = abounce210(0.8);
  const { stay, migrate } = sys.arrivalOutcomes(up.profile);
  assert.ok(0.8 * (stay + 2 * migrate) - 1 > 0, "effective load above 1 on the ascending front");
  // the printed system (2) never escapes: it loses arrivals
  assert.equal(meanFieldFrontMotion(abounce210(0.95, "printed")).motion, "descending");
});

test("the mean-field boundary of ABOUNCE(2,10), K = 2 is bracketed and consistent with the fixed points", () => {
  const b = meanFieldStabilityBoundary({ migrationPenalty: 2, policy: abounce(2, 10) }, { tolerance: 0.01, pinningInterval: false });
  assert.ok(b.smallestEscaping - b.largestFiniteMean <= 0.01);
  assert.ok(b.largestFiniteMean < b.smallestEscaping);
  // the bracket ends are what the front says they are
  assert.notEqual(meanFieldFrontMotion(abounce210(b.largestFiniteMean)).motion, "ascending");
  assert.equal(meanFieldFrontMotion(abounce210(b.smallestEscaping)).motion, "ascending");
  // above the bracket the integration from empty finds no fixed point; well below it, one with effective load < 1
  assert.equal(meanFieldFixedPoint(abounce210(b.smallestEscaping + 0.005)).converged, false);
  const below = meanFieldFixedPoint(abounce210(b.largestFiniteMean - 0.01));
  assert.ok(below.converged && below.metrics.unitArrivalRate < 1);
  // regression guard (not an independent truth): lambda_2 in [0.78294, 0.78300] at tolerance 1e-4
  assert.ok(b.largestFiniteMean <= 0.7830 && b.smallestEscaping >= 0.7829, `[${b.largestFiniteMean}, ${b.smallestEscaping}]`);
});

test("stability boundary: bad input names the parameter", () => {
  const named = (name: string) => (e: unknown): boolean => e instanceof ParameterError && e.parameter === name;
  assert.throws(() => meanFieldStabilityBoundary({ migrationPenalty: 2, policy: mbounce(2, 10) }), named("policy"));
  assert.throws(() => meanFieldStabilityBoundary({ migrationPenalty: 2, policy: abounce(1, 10) }), named("threshold (C)"));
  assert.throws(() => meanFieldStabilityBoundary({ migrationPenalty: 2, policy: abounce(2, 10) }, { tolerance: 0 }), named("tolerance"));
  assert.throws(() => meanFieldStabilityBoundary({ migrationPenalty: 2, policy: abounce(2, 10) }, { lower: 0.9, upper: 0.8 }), named("upper"));
  assert.throws(() => meanFieldFrontMotion(abounce210(0.7), { window: 5 }), named("window"));
});
