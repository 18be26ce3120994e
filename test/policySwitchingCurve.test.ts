/**
 * The switching-curve policy (src/model/policies/switchingCurve.ts), declared in one file: reachable by name
 * through the registry and the simulator without any other change. Independent references: the table
 * m(t) = t + C + 1 is ABOUNCE(C) decision for decision, so the simulator must give the same trajectory from the
 * same seed; the exact drift must agree too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { abounce, makePolicy, switchingCurve, migrationRule, policyDeclaration, policyLabel, policyProperties, validatePolicy } from "../src/model/policy";
import { runSimulation } from "../src/simulate/runSimulation";
import { exactDrift, theorem3LyapunovFunction } from "../src/theory/index";

const table = (C: number) => makePolicy("switching", { migrateFrom: [C + 1] }, 10);

test("the table m(t) = t + C + 1 decides as ABOUNCE(C) at every pair of lengths", () => {
  for (const C of [2, 3, 7]) {
    const a = migrationRule(abounce(C, 10), 2);
    const s = migrationRule(table(C), 2);
    for (let own = 0; own < 80; own++) for (let t = 0; t < 80; t++) assert.equal(s(own, t), a(own, t), `C=${C} own=${own} t=${t}`);
    assert.deepEqual(policyProperties(table(C), 2), { monotoneInTarget: true, translationInvariant: true, meanField: true });
  }
  assert.equal(policyLabel(table(2)), "SWITCH([3],10)");
  assert.equal(policyDeclaration("switching").kind, "switching");
});

test("simulated from the same seed, SWITCH([3],10) and ABOUNCE(2,10) give the same trajectory", async () => {
  const system = { queues: 20, arrivalRate: 0.8, migrationPenalty: 2 };
  const options = { events: 200_000, replications: 2, seed: 5, workers: 2 };
  const a = await runSimulation({ ...system, policy: abounce(2, 10) }, options);
  const s = await runSimulation({ ...system, policy: table(2) }, options);
  assert.deepEqual(s.tail, a.tail);
  assert.deepEqual(s.meanQueueLength.mean, a.meanQueueLength.mean);
  assert.deepEqual(s.path.totalQueueLength, a.path.totalQueueLength);
});

test("the exact drift of a non-monotone table equals the drift under the same rule written as ABOUNCE where they agree", () => {
  const params = { queues: 3, arrivalRate: 0.9, migrationPenalty: 2, policy: makePolicy("switching", { migrateFrom: [3, 4, 5] }, 2) };
  const same = { ...params, policy: abounce(2, 2) };
  const V = theorem3LyapunovFunction(2);
  for (const q of [[7, 1, 0], [2, 2, 9], [0, 0, 0], [11, 4, 2]]) {
    assert.ok(Math.abs(exactDrift(V, q, params) - exactDrift(V, q, same)) < 1e-12, JSON.stringify(q));
  }
});

test("bad tables are refused, naming the entry", () => {
  assert.throws(() => validatePolicy(makePolicy("switching", { migrateFrom: [] }, 2), 2), (e: unknown) => e instanceof ParameterError && e.parameter === "migrateFrom");
  assert.throws(() => validatePolicy(makePolicy("switching", { migrateFrom: [3, 2.5] }, 2), 2),
    (e: unknown) => e instanceof ParameterError && e.parameter === "migrateFrom[1]");
  assert.throws(() => validatePolicy(switchingCurve([3], 2, " "), 2), (e: unknown) => e instanceof ParameterError && e.parameter === "label");
});

test("a label names the table in place of its entries, and Infinity entries never migrate", () => {
  assert.equal(policyLabel(switchingCurve([3, 7, Infinity], 10, "optimal(0.5,2)")), "optimal(0.5,2)(d=10)");
  assert.equal(policyLabel(switchingCurve([3, 7, Infinity], Infinity)), "SWITCH([3,7,inf],inf)");
  assert.deepEqual(switchingCurve([3], 2), { kind: "switching", migrateFrom: [3], samples: 2 }); // no label field when none is given
  const rule = migrationRule(validatePolicy(switchingCurve([3, 7, Infinity], 10), 2), 2);
  assert.deepEqual([rule(3, 0), rule(6, 1), rule(7, 1), rule(1000, 2), rule(10 ** 9, 50)], [true, false, true, false, false]);
});
