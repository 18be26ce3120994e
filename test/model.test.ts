import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ParameterError, abounce, mbounce, migrationRule, noSharing, shortestOfD, shortestSampleLaw, validateSystem,
  meanConfidenceInterval,
} from "../src/index";

test("decision rules follow Section II", () => {
  const a = migrationRule(abounce(2, 10), 2);
  assert.equal(a(5, 2), true); // 5 > 2 + 2
  assert.equal(a(4, 2), false);
  const m = migrationRule(mbounce(2, 10), 2);
  assert.equal(m(7, 3), true); // 7 > max(6, 5)
  assert.equal(m(6, 3), false); // 6 = 2*3
  assert.equal(m(3, 0), true); // 3 > max(0, 2)
  assert.equal(m(2, 0), false); // 2 = 0 + K
  const s = migrationRule(shortestOfD(2), 1);
  assert.equal(s(1, 0), true);
  assert.equal(s(1, 1), false);
  assert.equal(migrationRule(noSharing(), 2)(100, 0), false);
});

test("the shortest-of-d law matches enumeration of all d-tuples", () => {
  const others = [0, 3, 1, 1, 4];
  for (const d of [1, 2, 3]) {
    const law = shortestSampleLaw(others, d);
    const counts = new Float64Array(law.length);
    const tuples = others.length ** d;
    for (let t = 0; t < tuples; t++) {
      let min = Infinity;
      let x = t;
      for (let j = 0; j < d; j++) { min = Math.min(min, others[x % others.length]!); x = Math.floor(x / others.length); }
      counts[min]! += 1 / tuples;
    }
    for (let l = 0; l < law.length; l++) assert.ok(Math.abs(law[l]! - counts[l]!) < 1e-12, `d=${d} l=${l}`);
  }
  assert.deepEqual(Array.from(shortestSampleLaw(others, Infinity)), [1, 0, 0, 0, 0]);
});

test("bad parameters name the parameter, its value and the range", () => {
  const base = { queues: 10, arrivalRate: 0.5, migrationPenalty: 2, policy: abounce(2, 10) };
  assert.throws(() => validateSystem({ ...base, queues: 0 }), (e: unknown) => e instanceof ParameterError && /queues \(n\) = 0/.test(e.message));
  assert.throws(() => validateSystem({ ...base, arrivalRate: -1 }), /arrivalRate \(lambda\) = -1/);
  assert.throws(() => validateSystem({ ...base, arrivalRate: NaN }), /arrivalRate \(lambda\) = NaN/);
  assert.throws(() => validateSystem({ ...base, migrationPenalty: 1.5 }), /migrationPenalty \(K\) = 1.5 is out of range: an integer in \[1, 1000000\]/);
  assert.throws(() => validateSystem({ ...base, policy: abounce(1, 10) }), /threshold \(C\) = 1 is out of range: a finite number >= K = 2/);
  assert.doesNotThrow(() => validateSystem({ ...base, policy: abounce(1, 10), allowOutsidePaper: true }));
  assert.throws(() => validateSystem({ ...base, policy: mbounce(1, 10) }), /ratio \(alpha\) = 1/);
  assert.throws(() => validateSystem({ ...base, policy: abounce(2, 0) }), /samples \(d\) = 0/);
  assert.throws(() => validateSystem({ ...base, policy: shortestOfD(2) }), /migrationPenalty \(K\) = 2/);
  assert.throws(() => validateSystem({ ...base, queues: 1 }), /queues \(n\) = 1/);
});

test("t interval uses the exact Student-t quantile", () => {
  // t_{0.975,3} = 3.182446305284263 (published tables give 3.182); s = sqrt(5/3)
  const est = meanConfidenceInterval([1, 2, 3, 4]);
  assert.ok(Math.abs(est.halfWidth - 3.182446305284263 * Math.sqrt(5 / 3) / 2) < 1e-9);
  assert.ok(Number.isNaN(meanConfidenceInterval([1]).halfWidth));
});
