import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { abounce, mbounce, noSharing, shortestOfD } from "../src/model/policy";
import {
  buildMeanFieldSystem, derivedMeanFieldSystem, integrateMeanField, meanFieldDrift, meanFieldFixedPoint,
} from "../src/theory/index";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

const systems = [
  buildMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) }, "derived"),
  buildMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) }, "printed"),
  buildMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 2, policy: mbounce(2, 10) }, "derived"),
  buildMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 2, policy: mbounce(2, 10) }, "printed"),
  buildMeanFieldSystem({ arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(1.5, 2) }, "derived"),
  buildMeanFieldSystem({ arrivalRate: 0.6, migrationPenalty: 3, policy: abounce(4, 3) }, "derived"),
];

test("a fixed point is a zero of the right-hand side", () => {
  for (const sys of systems) {
    const fp = meanFieldFixedPoint(sys);
    assert.ok(fp.converged, `${sys.label}: ${fp.failure}`);
    const drift = meanFieldDrift(sys, fp.occupancy);
    for (let i = 1; i < drift.length; i++) {
      // absolute balance to 1e-14 and relative balance (per level, against its outflow) to 1e-10
      close(drift[i]!, 0, 1e-14, `${sys.label} level ${i}`);
      assert.ok(Math.abs(drift[i]!) <= 1e-10 * fp.occupancy[i]!, `${sys.label} level ${i} relative`);
    }
    assert.ok(fp.residual <= 1e-14 && fp.relativeResidual <= 1e-10);
    for (let i = 1; i < fp.occupancy.length; i++) assert.ok(fp.occupancy[i]! < fp.occupancy[i - 1]!, "strictly decreasing");
  }
});

test("the truncation error estimate bounds the distance to a much larger truncation", () => {
  // loose tolerances so the estimate is not trivially 0; the reference is the exact mean or a deep truncation
  const noShare = derivedMeanFieldSystem({ arrivalRate: 0.9, migrationPenalty: 2, policy: noSharing() });
  const loose = meanFieldFixedPoint(noShare, { tailTolerance: 1e-3, meanTolerance: 1e-2 });
  assert.ok(loose.converged, loose.failure);
  const exactMean = 0.9 / (1 - 0.9); // M/M/1
  const err = Math.abs(loose.metrics.meanQueueLength - exactMean);
  assert.ok(err > 1e-4, `the loose truncation has a visible error (${err})`);
  assert.ok(err <= loose.truncationErrorEstimate, `error ${err} <= estimate ${loose.truncationErrorEstimate}`);

  for (const sys of [systems[0]!, systems[4]!]) {
    const coarse = meanFieldFixedPoint(sys, { tailTolerance: 1e-4, meanTolerance: 1e-3 });
    const deep = meanFieldFixedPoint(sys, { tailTolerance: 1e-200, meanTolerance: 1e-14 });
    assert.ok(coarse.converged && deep.converged);
    assert.ok(deep.truncationLevel > coarse.truncationLevel);
    const diff = Math.abs(coarse.metrics.meanQueueLength - deep.metrics.meanQueueLength);
    assert.ok(diff <= coarse.truncationErrorEstimate + 1e-15, `${sys.label}: ${diff} <= ${coarse.truncationErrorEstimate}`);
    // the default truncation is within its own estimate of the deep one too
    const normal = meanFieldFixedPoint(sys);
    const d2 = Math.abs(normal.metrics.meanQueueLength - deep.metrics.meanQueueLength);
    assert.ok(d2 <= normal.truncationErrorEstimate + 1e-14, `${sys.label}: ${d2} <= ${normal.truncationErrorEstimate}`);
  }
});

test("time integration from the empty state converges to the fixed point", () => {
  for (const sys of [systems[0]!, systems[2]!, systems[3]!]) {
    const fp = meanFieldFixedPoint(sys);
    const traj = integrateMeanField(sys, { times: [0, 1, 10, 100, 1000], levels: fp.truncationLevel + 10 });
    assert.equal(traj.meanQueueLength[0], 0);
    const last = traj.occupancy[traj.occupancy.length - 1]!;
    for (let i = 1; i <= fp.truncationLevel; i++) close(last[i]!, fp.occupancy[i]!, 1e-7, `${sys.label} level ${i} at t = 1000`);
    assert.ok(traj.topLevelMax < 1e-12);
    // from empty the mean rises towards the fixed point's
    assert.ok(traj.meanQueueLength[1]! < traj.meanQueueLength[3]!);
  }
});

test("the integrator reproduces a closed-form transient (buffer of one unit, no sharing)", () => {
  // levels = 1: ds_1/dt = lambda (1 - s_1) - s_1, so s_1(t) = lambda/(1+lambda) (1 - exp(-(1+lambda) t)).
  const lambda = 0.6;
  const sys = derivedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() });
  const times = [0.1, 0.5, 1, 2, 5];
  const traj = integrateMeanField(sys, { times, levels: 1, relativeTolerance: 1e-12 });
  times.forEach((t, k) => close(traj.occupancy[k]![1]!, (lambda / (1 + lambda)) * (1 - Math.exp(-(1 + lambda) * t)), 1e-11, `t=${t}`));
  // M/M/1 fluid from empty: sum_i s_i(t) is E[Q(t)] of an M/M/1 queue started empty, which has d/dt E[Q] = lambda - P(Q>0)
  const mm1 = integrateMeanField(derivedMeanFieldSystem({ arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }), { times: [200], levels: 80 });
  close(mm1.meanQueueLength[0]!, 1, 1e-9, "M/M/1 mean at t = 200 (lambda = 0.5)");
});

test("no fixed point of finite mean: ABOUNCE(2,10), K = 2 at lambda = 0.79 (derived)", () => {
  const fp = meanFieldFixedPoint(derivedMeanFieldSystem({ arrivalRate: 0.79, migrationPenalty: 2, policy: abounce(2, 10) }));
  assert.equal(fp.converged, false);
  assert.match(fp.failure ?? "", /busy/);
  assert.equal(fp.truncationErrorEstimate, Infinity);
  // the escaping state has effective load above 1
  assert.ok(fp.metrics.unitArrivalRate > 1);
});

test("MBOUNCE(2,10), K = 2 at lambda = 0.95: every queue busy, levels near 1 balanced through 1 - s_i", () => {
  const lambda = 0.95;
  const sys = derivedMeanFieldSystem({ arrivalRate: lambda, migrationPenalty: 2, policy: mbounce(2, 10) });
  const fp = meanFieldFixedPoint(sys);
  assert.ok(fp.converged, fp.failure);
  const u = fp.occupancyComplement;
  assert.ok(u[1]! > 0 && u[1]! < 1e-12, `fraction of empty queues ${u[1]}`);
  // all busy: s_1 = 1 to double precision, so conservation lambda (1 + (K-1) p_mig) = s_1 forces p_mig = 1/lambda - 1
  close(fp.metrics.migrationProbability, 1 / lambda - 1, 1e-12, "p_mig");
  // each level balances relative to its own outflow, also where s_i - s_{i+1} is far below 1e-16
  const drift = meanFieldDrift(sys, fp.occupancy, undefined, u);
  for (let i = 1; i < fp.occupancy.length; i++) {
    const down = i + 1 < fp.occupancy.length && fp.occupancy[i + 1]! >= 0.5 ? u[i + 1]! - u[i]! : fp.occupancy[i]! - (fp.occupancy[i + 1] ?? 0);
    assert.ok(down > 0 && Math.abs(drift[i]!) <= 1e-9 * down, `level ${i}: drift ${drift[i]} vs outflow ${down}`);
  }
});

test("SQ(2) with K = 1 at lambda = 0.95: deep truncation by the level balance", () => {
  const fp = meanFieldFixedPoint(derivedMeanFieldSystem({ arrivalRate: 0.95, migrationPenalty: 1, policy: shortestOfD(2) }));
  assert.ok(fp.converged, fp.failure);
  // lambda^((3^i - 1)/2): the mean is sum_i lambda^((3^i-1)/2), summed here directly (independent of the solver)
  let mean = 0;
  for (let i = 1; i < 40; i++) mean += Math.exp(Math.log(0.95) * (3 ** i - 1) / 2);
  close(fp.metrics.meanQueueLength, mean, 1e-10, "mean");
});

test("bad options name the option", () => {
  const sys = systems[0]!;
  const named = (name: string) => (e: unknown): boolean => e instanceof ParameterError && e.parameter === name;
  assert.throws(() => meanFieldFixedPoint(sys, { tailTolerance: 0 }), named("tailTolerance"));
  assert.throws(() => meanFieldFixedPoint(sys, { maxLevels: 2 }), named("maxLevels"));
  assert.throws(() => meanFieldFixedPoint(sys, { initialGuess: Float64Array.from([0.5, 0.2, 0.1]) }), named("initialGuess"));
  assert.throws(() => integrateMeanField(sys, { times: [1, 0.5] }), named("times"));
  assert.throws(() => integrateMeanField(sys, { times: [1], levels: 0 }), named("levels"));
  assert.throws(() => integrateMeanField(sys, { times: [1], initial: [1, 0.2, 0.5] }), named("initial"));
});
