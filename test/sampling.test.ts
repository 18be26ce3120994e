/**
 * The sampling schemes (src/model/sampling.ts) in the model's exact one-step law: exact drift against brute-force
 * enumeration of every sampled tuple under each scheme, and the Monte Carlo stepper (explicit samples) against
 * the exact drift.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { ParameterError } from "../src/model/parameterError";
import { type PolicySpec, abounce, mbounce, migrationRule, shortestOfD } from "../src/model/policy";
import { type SamplingScheme, allSamplesAtLeast, validateSampling } from "../src/model/sampling";
import { shortestSampleLaw } from "../src/model/shortestSample";
import { type SystemParams, validateSystem } from "../src/model/system";
import { embeddedChainStepper, exactDrift, lyapunovFromFunction, monteCarloDrift } from "../src/theory/index";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

/** A V that is not permutation invariant, so which tied queue is i* matters. */
const asymmetric = lyapunovFromFunction(
  (q) => q.reduce((acc, x, i) => acc + (i + 1) * (i + 2) * x, 0) + (q[0] as number) * (q[q.length - 1] as number),
  { label: "asymmetric test V" },
);

/** Every ordered d-tuple of candidates (with or without repetition), each equally likely. */
function tuples(candidates: number[], d: number, distinct: boolean): number[][] {
  if (d === 0) return [[]];
  const out: number[][] = [];
  for (const rest of tuples(candidates, d - 1, distinct)) {
    for (const c of candidates) if (!distinct || !rest.includes(c)) out.push([...rest, c]);
  }
  return out;
}

/** E[V(q(1))] - V(q) by enumeration: i* = the first sampled queue of minimal length; i* = own means stay. */
function bruteForceDrift(V: (q: readonly number[]) => number, q: readonly number[], params: SystemParams, scheme: SamplingScheme): number {
  const n = params.queues;
  const lambda = params.arrivalRate;
  const K = params.migrationPenalty;
  const rule = migrationRule(params.policy, K);
  const d = (params.policy as { samples: number }).samples;
  const moved = (i: number, delta: number): number => {
    const r = q.slice();
    r[i] = (r[i] as number) + delta;
    return V(r);
  };
  let expected = 0;
  for (let i = 0; i < n; i++) {
    const candidates = Array.from({ length: n }, (_, j) => j).filter((j) => scheme === "all" || j !== i);
    const all = tuples(candidates, d, scheme === "others-without-replacement");
    let arrival = 0;
    for (const t of all) {
      let target = t[0] as number;
      for (const j of t) if ((q[j] as number) < (q[target] as number)) target = j;
      arrival += (target !== i && rule(q[i] as number, q[target] as number) ? moved(target, K) : moved(i, 1)) / all.length;
    }
    expected += (lambda / (n * (lambda + 1))) * arrival;
    expected += (1 / (n * (lambda + 1))) * ((q[i] as number) > 0 ? moved(i, -1) : V(q));
  }
  return expected - V(q);
}

test("allSamplesAtLeast: with and without replacement against counting", () => {
  close(allSamplesAtLeast(3, 4, 2, "others"), 9 / 16, 1e-15, "with replacement");
  close(allSamplesAtLeast(3, 4, 2, "all"), 9 / 16, 1e-15, "all (same law; the population differs)");
  close(allSamplesAtLeast(3, 4, 2, "others-without-replacement"), 3 / 6, 1e-15, "C(3,2)/C(4,2)");
  assert.equal(allSamplesAtLeast(1, 4, 2, "others-without-replacement"), 0);
  assert.equal(allSamplesAtLeast(4, 4, Infinity, "others"), 1);
  assert.equal(allSamplesAtLeast(3, 4, Infinity, "all"), 0);
  assert.ok(Number.isNaN(allSamplesAtLeast(5, 4, 2, "others")));
  // The law sums to one under every scheme.
  for (const scheme of ["others", "all", "others-without-replacement"] as const) {
    const law = shortestSampleLaw([3, 0, 5, 5, 1, 3], 3, scheme);
    close(law.reduce((s, p) => s + p, 0), 1, 1e-15, scheme);
  }
});

test("exact drift equals brute-force enumeration of sampled tuples under every sampling scheme", () => {
  const states = [[9, 2, 2, 5], [0, 0, 7, 3], [4, 4, 4, 4], [12, 1, 1, 0]];
  const policies: [PolicySpec, number][] = [[abounce(2, 1), 2], [abounce(2, 2), 2], [abounce(3, 3), 3], [mbounce(1.5, 2), 2], [shortestOfD(2), 1]];
  for (const scheme of ["others", "all", "others-without-replacement"] as const) {
    for (const q of states) {
      for (const [policy, K] of policies) {
        const params: SystemParams = { queues: 4, arrivalRate: 0.8, migrationPenalty: K, policy, sampling: scheme };
        const what = `${scheme} ${JSON.stringify(q)} ${JSON.stringify(policy)}`;
        close(exactDrift(asymmetric, q, params), bruteForceDrift(asymmetric.value, q, params, scheme), 1e-10, what);
      }
    }
  }
});

test("the Monte Carlo stepper (explicit samples) agrees with the exact drift under every scheme (99.9% intervals)", () => {
  for (const scheme of ["all", "others-without-replacement"] as const) {
    const params: SystemParams = { queues: 4, arrivalRate: 0.9, migrationPenalty: 2, policy: abounce(2, 2), sampling: scheme };
    const q = [9, 2, 2, 5];
    const exact = exactDrift(asymmetric, q, params);
    const mc = monteCarloDrift(asymmetric, q, params, { samples: 200_000, seed: 11, level: 0.999 });
    assert.ok(mc.ci95[0] <= exact && exact <= mc.ci95[1], `${scheme}: exact ${exact} outside [${mc.ci95[0]}, ${mc.ci95[1]}]`);
  }
  // Under "all" a queue never migrates to itself: with every queue equally long nothing migrates.
  const step = embeddedChainStepper({ queues: 3, arrivalRate: 5, migrationPenalty: 2, policy: abounce(2, 3), sampling: "all" });
  const rng = xoroshiro128plus(3);
  for (let k = 0; k < 200; k++) {
    const s = [20, 20, 20];
    const move = step(s, rng);
    assert.ok(move.delta !== 2, "a balanced state never migrates");
  }
});

test("sampling: bad names and d too large without replacement are refused, naming the parameter", () => {
  assert.throws(() => validateSampling("some"), (e: unknown) => e instanceof ParameterError && e.parameter === "sampling" && /"all"/.test(e.message));
  assert.throws(
    () => validateSystem({ queues: 3, arrivalRate: 0.5, migrationPenalty: 2, policy: abounce(2, 3), sampling: "others-without-replacement" }),
    (e: unknown) => e instanceof ParameterError && e.parameter === "samples (d)",
  );
  assert.equal(validateSampling(undefined), "others");
});
