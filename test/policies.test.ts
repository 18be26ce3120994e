/**
 * Every policy declaration (src/model/policies/) against its own rule: the declared properties hold on a grid
 * of lengths (and a property declared false is really false, unless the policy's rule is the user's), specs
 * round-trip through their parameters and through structured cloning (worker threads), and the mean field
 * applies where it is declared to.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import {
  type PolicySpec, customPolicy, makePolicy, migrationRule, policyDeclaration, policyDeclarations, policyLabel,
  policyParameters, policyProperties, sampleCount, validatePolicy,
} from "../src/model/policy";
import { derivedMeanFieldSystem } from "../src/theory/meanfield/derivedMeanFieldSystem";
import { meanFieldFixedPoint } from "../src/theory/meanfield/meanFieldFixedPoint";

const GRID = 60;

/** The first (own, target) pair at which `holds` fails on the grid, or null. */
function counterexample(holds: (own: number, target: number) => boolean): [number, number] | null {
  for (let own = 0; own <= GRID; own++) for (let t = 0; t <= GRID; t++) if (!holds(own, t)) return [own, t];
  return null;
}

const cases = (): Array<{ spec: PolicySpec; K: number }> =>
  policyDeclarations().flatMap((declaration) => [1, 2, 3].flatMap((K) => declaration.examples(K).map((spec) => ({ spec, K }))))
    .filter(({ spec, K }) => {
      try {
        validatePolicy(spec, K);
        return true;
      } catch {
        return false; // an example for another K (for example SQ(d) needs K = 1)
      }
    });

test("the registry finds every built-in policy, each with examples", () => {
  const kinds = policyDeclarations().map((d) => d.kind);
  for (const kind of ["none", "abounce", "mbounce", "sqd", "custom"]) assert.ok(kinds.includes(kind), kind);
  for (const d of policyDeclarations()) assert.ok(d.examples(d.kind === "sqd" ? 1 : 2).length > 0, `${d.kind} has examples`);
  assert.throws(() => policyDeclaration("nonesuch"), (e: unknown) => e instanceof ParameterError && /"abounce"/.test(e.message));
});

test("declared properties hold for the rule on a grid of lengths; false ones have a counterexample", () => {
  for (const { spec, K } of cases()) {
    const rule = migrationRule(spec, K);
    const props = policyProperties(spec, K);
    const what = `${policyLabel(spec)}, K = ${K}`;
    const monotone = counterexample((own, t) => !rule(own, t) || t === 0 || rule(own, t - 1));
    const invariant = counterexample((own, t) => rule(own + 1, t + 1) === rule(own, t));
    const userRule = !policyDeclaration(spec).transferable;
    if (props.monotoneInTarget) assert.equal(monotone, null, `${what}: declared monotone in the target, fails at ${monotone}`);
    else if (!userRule) assert.notEqual(monotone, null, `${what}: declared not monotone but is on the grid`);
    if (props.translationInvariant) assert.equal(invariant, null, `${what}: declared translation invariant, fails at ${invariant}`);
    else if (!userRule) assert.notEqual(invariant, null, `${what}: declared not translation invariant but is on the grid`);
  }
});

test("specs round-trip through their parameters and through structured cloning (worker threads)", () => {
  for (const { spec, K } of cases()) {
    const declaration = policyDeclaration(spec);
    if (!declaration.transferable) {
      assert.throws(() => structuredClone(spec), "a rule given as a function cannot cross threads");
      continue;
    }
    const rebuilt = declaration.create(policyParameters(spec), spec.samples ?? 0);
    if (declaration.sampled) assert.deepEqual(rebuilt, spec, policyLabel(spec));
    else assert.equal(policyLabel(rebuilt), policyLabel(spec));
    const clone = structuredClone(spec);
    const a = migrationRule(spec, K);
    const b = migrationRule(clone, K);
    assert.equal(counterexample((own, t) => a(own, t) === b(own, t)), null, `${policyLabel(spec)}: the clone decides alike`);
    assert.equal(sampleCount(clone), sampleCount(spec));
  }
});

test("the derived mean field applies where declared: a fixed point at lambda = 0.5 that balances work", () => {
  for (const { spec, K } of cases()) {
    if (!policyProperties(spec, K).meanField) continue;
    const fp = meanFieldFixedPoint(derivedMeanFieldSystem({ arrivalRate: 0.5, migrationPenalty: K, policy: spec }));
    assert.ok(fp.converged, `${policyLabel(spec)}, K = ${K}: fixed point converged`);
  }
});

test("makePolicy builds any declared kind by name and names a missing parameter", () => {
  assert.deepEqual(makePolicy("mbounce", { ratio: 3 }, 10), { kind: "mbounce", ratio: 3, samples: 10 });
  assert.throws(() => makePolicy("abounce", {}, 10), (e: unknown) => e instanceof ParameterError && e.parameter === "threshold");
});

test("a custom rule that returns a non-boolean is refused, naming the rule and the value", () => {
  for (const bad of [1, "yes", undefined, Promise.resolve(true)]) {
    const spec = customPolicy(() => bad as unknown as boolean, 2, "sloppy");
    assert.throws(() => validatePolicy(spec, 2), (e: unknown) => e instanceof ParameterError && e.parameter === "shouldMigrate of sloppy",
      `returned ${String(bad)}`);
  }
  // A rule that goes wrong only later is caught when it is called.
  const late = customPolicy((own) => (own > 5 ? (1 as unknown as boolean) : false), 2, "late");
  validatePolicy(late, 2);
  assert.throws(() => migrationRule(late, 2)(9, 0), (e: unknown) => e instanceof ParameterError && /own = 9/.test(e.message));
});
