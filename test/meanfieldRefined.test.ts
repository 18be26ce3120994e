import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Matrix, solve } from "ml-matrix";
import { ParameterError } from "../src/model/parameterError";
import { type PolicySpec, abounce, mbounce, migrationRule, noSharing, sampleCount, shortestOfD } from "../src/model/policy";
import { type SamplingScheme, allSamplesAtLeast } from "../src/model/sampling";
import { derivedMeanFieldSystem } from "../src/theory/meanfield/derivedMeanFieldSystem";
import { meanFieldDrift } from "../src/theory/meanfield/meanFieldDrift";
import type { MeanFieldParams } from "../src/theory/meanfield/meanFieldSystem";
import { refinedDriftExpansion } from "../src/theory/meanfield/refinedDriftExpansion";
import { refinedMeanField } from "../src/theory/meanfield/refinedMeanField";

const maxAbs = (v: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i] as number));
  return m;
};
const sum = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] as number;
  return s;
};

/** A state with moderate levels (finite differences of every entry are well conditioned there). */
const moderate = Float64Array.of(1, 0.85, 0.6, 0.35, 0.15, 0.05, 0.01);
const complementOf = (s: Float64Array): Float64Array => s.map((v, i) => (i === 0 ? 0 : 1 - v));

/**
 * The exact drift of the n-queue system as a function of the occupancy x (truncated at L, units above L lost),
 * from the sampling module's exact law of the shortest sample: an arrival at a queue with j units sees, among
 * its candidates, n x_l - [j >= l] queues with >= l units ("others" schemes, n - 1 candidates) or n x_l ("all",
 * n candidates, the own queue possibly the chosen target, in which case the job stays). Written independently
 * of refinedDriftExpansion: a direct sum over (own length, shortest length) with the exact probabilities.
 */
function exactFiniteDrift(params: MeanFieldParams, x: Float64Array, n: number, scheme: SamplingScheme): Float64Array {
  const L = x.length - 1;
  const K = params.migrationPenalty;
  const lambda = params.arrivalRate;
  const d = sampleCount(params.policy);
  const rule = migrationRule(params.policy, K);
  const X = (l: number): number => (l <= 0 ? 1 : l > L ? 0 : (x[l] as number));
  const out = new Float64Array(L + 1);
  const population = scheme === "all" ? n : n - 1;
  for (let j = 0; j <= L; j++) {
    const pj = X(j) - X(j + 1);
    const G = (l: number): number => {
      if (d === 0) return l <= L ? 1 : 0; // no samples: the derived system's convention (min = L, never migrates)
      const count = scheme === "all" ? n * X(l) : n * X(l) - (j >= l ? 1 : 0);
      return allSamplesAtLeast(Math.min(population, Math.max(0, count)), population, d, scheme);
    };
    for (let m = 0; m <= L; m++) {
      const Pm = G(m) - G(m + 1);
      let migrate = rule(j, m) ? Pm : 0;
      let stay = Pm - migrate;
      if (scheme === "all" && m === j && migrate > 0 && pj > 0) {
        const own = 1 / (n * pj); // the chosen queue of length j is the arrival's own
        stay += migrate * own;
        migrate -= migrate * own;
      }
      const rate = lambda * pj;
      for (let level = m + 1; level <= Math.min(L, m + K); level++) out[level] = (out[level] as number) + rate * migrate;
      if (j + 1 <= L) out[j + 1] = (out[j + 1] as number) + rate * stay;
    }
  }
  for (let i = 1; i <= L; i++) out[i] = (out[i] as number) - (X(i) - X(i + 1));
  return out;
}

const policies: [string, MeanFieldParams][] = [
  ["SQ(2)", { arrivalRate: 0.7, migrationPenalty: 1, policy: shortestOfD(2) }],
  ["ABOUNCE(2,3), K=2", { arrivalRate: 0.6, migrationPenalty: 2, policy: abounce(2, 3) }],
  ["MBOUNCE(1.5,4), K=3", { arrivalRate: 0.6, migrationPenalty: 3, policy: mbounce(1.5, 4) }],
  ["custom own >= target, K=2", {
    arrivalRate: 0.5, migrationPenalty: 2,
    policy: { kind: "custom", samples: 2, shouldMigrate: (own: number, target: number) => own >= target && own >= 2 } as PolicySpec,
  }],
];

test("refined expansion: the analytic drift equals meanFieldDrift, and the Jacobian central differences of it (steps 1e-5 and 1e-6 agree)", () => {
  for (const [name, params] of policies) {
    const system = derivedMeanFieldSystem(params);
    const e = refinedDriftExpansion(params, moderate, complementOf(moderate), "others");
    const f = meanFieldDrift(system, moderate);
    assert.ok(maxAbs(f.subarray(1).map((v, i) => v - (e.drift[i] as number))) < 1e-15, name);
    const L = moderate.length - 1;
    for (const h of [1e-5, 1e-6]) {
      let worst = 0;
      for (let k = 1; k <= L; k++) {
        const up = Float64Array.from(moderate);
        const down = Float64Array.from(moderate);
        up[k] = (up[k] as number) + h;
        down[k] = (down[k] as number) - h;
        const fu = meanFieldDrift(system, up);
        const fd = meanFieldDrift(system, down);
        for (let i = 1; i <= L; i++) {
          const numeric = ((fu[i] as number) - (fd[i] as number)) / (2 * h);
          worst = Math.max(worst, Math.abs(numeric - (e.jacobian[(i - 1) * L + k - 1] as number)));
        }
      }
      // central differences: error O(h^2) (third derivatives are O(d^3) here) plus rounding O(1e-16 / h)
      assert.ok(worst < 2e-8, `${name}, h = ${h}: max |J - FD| = ${worst}`);
    }
  }
});

test("refined expansion: the second-derivative contraction sum_kl F^i_kl W_kl against mixed central differences (two steps)", () => {
  const L = moderate.length - 1;
  const W = new Float64Array(L * L);
  for (let k = 0; k < L; k++) for (let l = 0; l < L; l++) W[k * L + l] = 1 / (1 + k + l) + (k === l ? 0.5 : 0);
  for (const [name, params] of policies) {
    const system = derivedMeanFieldSystem(params);
    const e = refinedDriftExpansion(params, moderate, complementOf(moderate), "others");
    const analytic = e.hessianContraction(W);
    const at = (dk: number, k: number, dl: number, l: number): Float64Array => {
      const y = Float64Array.from(moderate);
      y[k] = (y[k] as number) + dk;
      y[l] = (y[l] as number) + dl;
      return meanFieldDrift(system, y);
    };
    const estimates = [1e-3, 5e-4].map((h) => {
      const T = new Float64Array(L);
      for (let k = 1; k <= L; k++) {
        for (let l = 1; l <= L; l++) {
          const pp = at(h, k, h, l);
          const pm = at(h, k, -h, l);
          const mp = at(-h, k, h, l);
          const mm = at(-h, k, -h, l);
          for (let i = 1; i <= L; i++) {
            const second = ((pp[i] as number) - (pm[i] as number) - (mp[i] as number) + (mm[i] as number)) / (4 * h * h);
            T[i - 1] = (T[i - 1] as number) + second * (W[(k - 1) * L + l - 1] as number);
          }
        }
      }
      return T;
    });
    for (const [index, T] of estimates.entries()) {
      const err = maxAbs(T.map((v, i) => v - (analytic[i] as number)));
      assert.ok(err < 2e-4, `${name}, step ${index}: max error ${err}`);
    }
    // the two steps agree with each other better than with zero (the check is not vacuous)
    assert.ok(maxAbs(analytic) > 0.05, `${name}: contraction too small to test`);
  }
});

test("refined expansion: the 1/n drift term is lim n (f^n - f) of the exact finite-n drift, for every scheme (Richardson at n = 1e5, 2e5)", () => {
  const L = moderate.length - 1;
  for (const [name, params] of policies) {
    const system = derivedMeanFieldSystem(params);
    const f = meanFieldDrift(system, moderate);
    for (const scheme of ["others", "all", "others-without-replacement"] as const) {
      const e = refinedDriftExpansion(params, moderate, complementOf(moderate), scheme);
      const scaled = (n: number): Float64Array => exactFiniteDrift(params, moderate, n, scheme).map((v, i) => n * (v - (f[i] as number)));
      const a = scaled(1e5);
      const b = scaled(2e5);
      let worst = 0;
      let size = 0;
      for (let i = 1; i <= L; i++) {
        const limit = 2 * (b[i] as number) - (a[i] as number);
        worst = Math.max(worst, Math.abs(limit - (e.samplingDrift[i - 1] as number)));
        size = Math.max(size, Math.abs(limit));
      }
      assert.ok(worst < 1e-5, `${name}, ${scheme}: max error ${worst}`);
      if (scheme !== "all" || name.startsWith("custom")) assert.ok(size > 1e-3, `${name}, ${scheme}: the term should not vanish`);
      else assert.equal(maxAbs(e.samplingDrift), 0, `${name}: "all" with a rule that never targets its own length has no 1/n drift`);
    }
  }
});

test("refined mean field vs rmf_tool's published values for the supermarket model (two and three choices = SQ(1), SQ(2) under 'all')", () => {
  // Reference: rmf_tool (N. Gast, https://github.com/ngast/rmf_tool), file output_tests/d_choice.pickle of commit
  // 1b29365 (2019-03-19, "basic regression test on the two-choice model"), generated by test_twoChoice.py from
  // meanFieldExpansionSteadyState(order=1) of the DDPP x -> x + e_k/N at rate rho (x_{k-1}^c - x_k^c),
  // x -> x - e_k/N at rate x_k - x_{k+1}, buffer 20 levels, c choices: the 1/N coefficients V (levels 1, 2, ...)
  // and their sum. Values read from the pickle; c choices = own queue + d = c - 1 samples of all n.
  const references = [
    { rho: 0.9, choices: 2, sumV: 3.98642698718, V: [3.846087855e-16, 0.1306378698, 0.6586071623, 1.552031647, 1.405352342, 0.2374442387, 0.002352322755, 1.404824045e-6] },
    { rho: 0.7, choices: 2, sumV: 0.849065537709, V: [1.794547377e-17, 0.2192460117, 0.449361444, 0.1745609701, 0.005885769629, 1.134215874e-5, 1.219829309e-10] },
    { rho: 0.6, choices: 3, sumV: 0.506614690465, V: [1.254043585e-17, 0.4347616633, 0.07184931736, 3.709857969e-6, 3.216453626e-18] },
    { rho: 0.8, choices: 3, sumV: 1.69945647244, V: [-8.485917667e-17, 0.5767809171, 1.091558055, 0.03111745388, 4.622036738e-8] },
    { rho: 0.9, choices: 3, sumV: 4.11354221122, V: [-1.959700215e-16, 0.433498487, 2.283049901, 1.393961815, 0.003032007915, 2.300822698e-11] },
  ];
  for (const ref of references) {
    const r = refinedMeanField({ arrivalRate: ref.rho, migrationPenalty: 1, policy: shortestOfD(ref.choices - 1) }, { queues: 10, sampling: "all" });
    assert.ok(r.converged, r.failure);
    assert.ok(Math.abs(r.meanQueueLengthCorrection - ref.sumV) < 1e-8, `rho ${ref.rho}, ${ref.choices} choices: sum V ${r.meanQueueLengthCorrection} vs ${ref.sumV}`);
    ref.V.forEach((v, k) => assert.ok(Math.abs((r.correction[k + 1] ?? 0) - v) < 1e-8, `rho ${ref.rho}, level ${k + 1}: ${r.correction[k + 1]} vs ${v}`));
    assert.equal(maxAbs(r.correctionParts.samplingDrift), 0, "under 'all' the SQ(d) drift does not depend on n");
    assert.ok(Math.abs(r.meanQueueLength - (r.plain.meanQueueLength + ref.sumV / 10)) < 1e-9);
  }
});

test("refined mean field: no sharing has no correction (the drift is linear: independent M/M/1 queues at every n)", () => {
  for (const sampling of ["others", "all"] as const) {
    const r = refinedMeanField({ arrivalRate: 0.6, migrationPenalty: 2, policy: noSharing() }, { queues: 5, sampling });
    assert.ok(r.converged, r.failure);
    assert.ok(maxAbs(r.correction) < 1e-12);
    assert.ok(Math.abs(r.meanQueueLength - 0.6 / 0.4) < 1e-9);
    assert.equal(r.tail[0], 1);
  }
});

test("refined mean field: the scheme's drift part is lim n (pi_n - pi), pi_n the fixed point of the exact finite-n drift (Newton, n = 1e4 and 2e4)", () => {
  // pi_n solves f^n(pi_n) = 0 with f^n = f + g/n + O(1/n^2), so n (pi_n - pi) -> -A^{-1} g = the samplingDrift part of V.
  for (const [params, scheme] of [
    [{ arrivalRate: 0.7, migrationPenalty: 1, policy: shortestOfD(2) }, "others"],
    [{ arrivalRate: 0.6, migrationPenalty: 2, policy: abounce(2, 3) }, "others-without-replacement"],
  ] as const) {
    const r = refinedMeanField(params, { queues: 10, sampling: scheme });
    assert.ok(r.converged, r.failure);
    const pi = Float64Array.from(r.plain.tail);
    const L = pi.length - 1;
    const fixedAt = (n: number): Float64Array => {
      const x = Float64Array.from(pi);
      for (let iteration = 0; iteration < 20; iteration++) {
        const f = exactFiniteDrift(params, x, n, scheme);
        const J = new Matrix(L, L);
        for (let k = 1; k <= L; k++) {
          const h = 1e-7 * Math.max(x[k] as number, 1e-30);
          const y = Float64Array.from(x);
          y[k] = (y[k] as number) + h;
          const fy = exactFiniteDrift(params, y, n, scheme);
          for (let i = 1; i <= L; i++) J.set(i - 1, k - 1, ((fy[i] as number) - (f[i] as number)) / h);
        }
        const step = solve(J, Matrix.columnVector(Array.from(f.subarray(1)).map((v) => -v)));
        for (let i = 1; i <= L; i++) x[i] = (x[i] as number) + step.get(i - 1, 0);
      }
      return x;
    };
    const a = fixedAt(1e4);
    const b = fixedAt(2e4);
    for (let i = 1; i <= L; i++) {
      if ((pi[i] as number) < 1e-6) continue; // deep levels: below the accuracy of the finite-difference Newton
      const limit = 2 * 2e4 * ((b[i] as number) - (pi[i] as number)) - 1e4 * ((a[i] as number) - (pi[i] as number));
      assert.ok(Math.abs(limit - (r.correctionParts.samplingDrift[i] as number)) < 1e-3 * (1 + Math.abs(limit)),
        `${scheme} level ${i}: ${limit} vs ${r.correctionParts.samplingDrift[i]}`);
    }
  }
});

test("refined mean field: with K = 1 the fraction of busy queues is exactly lambda at every n, so V_1 = 0 (every scheme, random parameters)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.2, max: 0.9, noNaN: true }),
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom<SamplingScheme>("others", "all", "others-without-replacement"),
      (lambda, d, sampling) => {
        const r = refinedMeanField({ arrivalRate: lambda, migrationPenalty: 1, policy: shortestOfD(d) }, { queues: 20, sampling });
        return r.converged && Math.abs(r.correction[1] as number) < 1e-9 && Math.abs((r.tail[1] as number) - lambda) < 1e-9;
      },
    ),
    { numRuns: 25, seed: 3 },
  );
});

test("refined mean field: as n grows the refined values tend to the plain ones like V / n (property over random parameters)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.3, max: 0.8, noNaN: true }),
      fc.integer({ min: 2, max: 6 }),
      fc.constantFrom<SamplingScheme>("others", "all"),
      (lambda, d, sampling) => {
        const params = { arrivalRate: lambda, migrationPenalty: 2, policy: mbounce(2, d) };
        const gaps = [10, 1000, 1e6].map((n) => {
          const r = refinedMeanField(params, { queues: n, sampling });
          return { n, r, gap: r.meanQueueLength - r.plain.meanQueueLength };
        });
        const first = gaps[0]!.r;
        if (!first.converged) return false;
        // n (refined - plain) is the same coefficient at every n, and |refined - plain| shrinks to 0
        return gaps.every(({ n, r, gap }) =>
          r.converged && Math.abs(n * gap - first.meanQueueLengthCorrection) < 1e-6 * (1 + Math.abs(first.meanQueueLengthCorrection)) &&
          r.tail.every((v, i) => Math.abs(v - (r.plain.tail[i] as number)) <= (maxAbs(r.correction) / n) * (1 + 1e-9) + 1e-15)) &&
          Math.abs(gaps[2]!.gap) < Math.abs(gaps[0]!.gap) / 1e4;
      },
    ),
    { numRuns: 8, seed: 5 },
  );
});

test("refined mean field: truncation is checked (the coefficients changed by less than the tolerance since a smaller truncation)", () => {
  const r = refinedMeanField({ arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, 10) }, { queues: 50 });
  assert.ok(r.converged, r.failure);
  assert.ok(r.truncation.previousLevel < r.truncation.level);
  assert.ok(r.truncation.correctionChange <= r.truncation.tolerance);
  assert.ok(r.truncation.tailAtTruncation < 1e-12);
  assert.ok(r.lyapunov.residual < 1e-12);
  assert.ok(r.driftCheck < 1e-12);
  // an explicitly larger truncation (smaller tail tolerance) gives the same coefficients to the tolerance
  const finer = refinedMeanField({ arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, 10) }, { queues: 50, tailTolerance: 1e-16 });
  assert.ok(finer.truncation.level > r.truncation.level);
  assert.ok(Math.abs(finer.meanQueueLengthCorrection - r.meanQueueLengthCorrection) < 1e-6);
});

test("refined mean field: no fixed point (ABOUNCE above its mean-field boundary) gives converged false and NaN, not an exception", () => {
  const r = refinedMeanField({ arrivalRate: 0.9, migrationPenalty: 2, policy: abounce(2, 10) }, { queues: 20 });
  assert.equal(r.converged, false);
  assert.match(r.failure ?? "", /no plain fixed point/);
  assert.ok(Number.isNaN(r.meanQueueLength));
});

test("refined mean field: bad input throws a ParameterError naming the parameter, before any work", () => {
  const ok: MeanFieldParams = { arrivalRate: 0.7, migrationPenalty: 1, policy: shortestOfD(2) };
  const parameterOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof ParameterError, String(e));
      return e.parameter;
    }
    return "no error";
  };
  assert.equal(parameterOf(() => refinedMeanField(ok, { queues: 1 })), "queues (n)");
  assert.equal(parameterOf(() => refinedMeanField(ok, { queues: 2.5 })), "queues (n)");
  assert.equal(parameterOf(() => refinedMeanField(ok, { queues: Number.NaN })), "queues (n)");
  assert.equal(parameterOf(() => refinedMeanField(ok, undefined as unknown as { queues: number })), "options");
  assert.equal(parameterOf(() => refinedMeanField({ ...ok, policy: shortestOfD(Infinity) }, { queues: 10 })), "samples (d)");
  assert.equal(parameterOf(() => refinedMeanField({ ...ok, arrivalRate: 1 }, { queues: 10 })), "arrivalRate (lambda)");
  assert.equal(parameterOf(() => refinedMeanField({ ...ok, policy: { kind: "jsq" } as unknown as PolicySpec }, { queues: 10 })), "policy");
  assert.equal(parameterOf(() => refinedMeanField(ok, { queues: 10, sampling: "some" as SamplingScheme })), "sampling");
  assert.equal(parameterOf(() => refinedMeanField({ ...ok, policy: shortestOfD(5) }, { queues: 5, sampling: "others-without-replacement" })), "samples (d)");
  assert.equal(parameterOf(() => refinedMeanField(ok, { queues: 10, correctionTolerance: 0 })), "correctionTolerance");
  assert.equal(parameterOf(() => refinedMeanField(ok, { queues: 10, maxLevels: 3 })), "maxLevels");
  assert.equal(parameterOf(() => refinedMeanField({ ...ok, migrationPenalty: 2 }, { queues: 10 })), "migrationPenalty (K)");
});
