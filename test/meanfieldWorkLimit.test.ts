/**
 * The mean-field fixed point's work limit: the computation counts its work and stops at the limit with a
 * failure that says so (converged false says nothing about existence there), instead of running for minutes;
 * `force` lifts it. References: no sharing's fixed point is the M/M/1 law s_i = lambda^i (mean lambda / (1 - lambda)).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { noSharing } from "../src/model/policy";
import { ParameterError } from "../src/model/parameterError";
import { derivedMeanFieldSystem } from "../src/theory/meanfield/derivedMeanFieldSystem";
import { MEAN_FIELD_WORK_LIMIT, meanFieldFixedPoint } from "../src/theory/meanfield/meanFieldFixedPoint";

const mm1 = (lambda: number) => derivedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() });

test("mean field: the work is counted, and a limit below what a fixed point needs stops it, saying so", () => {
  // No sharing at lambda = 0.8 needs about 2.2e8 units (a tail of 190 levels); with maxWork 1e7 it stops early.
  const full = meanFieldFixedPoint(mm1(0.8));
  assert.equal(full.converged, true);
  assert.equal(full.workLimitReached, false);
  assert.ok(full.work > 1e7 && full.work < MEAN_FIELD_WORK_LIMIT, `work ${full.work}`);
  assert.ok(Math.abs(full.metrics.meanQueueLength - 4) < 1e-8, `${full.metrics.meanQueueLength}`); // 0.8 / 0.2
  const started = performance.now();
  const cut = meanFieldFixedPoint(mm1(0.8), { maxWork: 1e7 });
  assert.equal(cut.converged, false);
  assert.equal(cut.workLimitReached, true);
  assert.match(cut.failure ?? "", /work limit reached .* says nothing about whether a fixed point exists; pass force: true/);
  assert.ok(cut.work < full.work);
  assert.ok(performance.now() - started < 2000, "stopped early");
  // force lifts the limit: the same answer as without a limit.
  const forced = meanFieldFixedPoint(mm1(0.8), { maxWork: 1e7, force: true });
  assert.equal(forced.converged, true);
  assert.equal(forced.metrics.meanQueueLength, full.metrics.meanQueueLength);
  assert.throws(() => meanFieldFixedPoint(mm1(0.8), { maxWork: 0 }), (e: unknown) => e instanceof ParameterError && e.parameter === "maxWork");
  assert.throws(() => meanFieldFixedPoint(mm1(0.8), { force: 1 as unknown as boolean }), (e: unknown) => e instanceof ParameterError && e.parameter === "force");
});

test("mean field: a tail longer than maxLevels is reported as such, not as a front of busy queues rising (no sharing, lambda = 0.99)", () => {
  // The M/M/1 tail 0.99^i needs some 2750 levels to fall below 1e-12; with maxLevels = 64 the integration
  // reaches the top level. The rule of no sharing is translation invariant, but this is
  // not ABOUNCE's escaping front ("unit load above 1"), which would be false at lambda = 0.99.
  const fp = meanFieldFixedPoint(mm1(0.99), { maxLevels: 64 });
  assert.equal(fp.converged, false);
  assert.equal(fp.workLimitReached, false);
  assert.match(fp.failure ?? "", /the mass reached maxLevels = 64/);
  assert.doesNotMatch(fp.failure ?? "", /unit load above 1/);
});
