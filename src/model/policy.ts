import { ParameterError } from "./parameterError";
import type { MigrationRule, PaperForms, PolicyProperties, PolicySpec } from "./policies/policyDeclaration";
import { policyDeclaration } from "./policies/registry";

/**
 * The routing policies, read through their declarations (src/model/policies/: one file per policy, each with
 * its constructor, label, validation, rule, properties and command-line parameters). Built in:
 *
 * - `none`: no sharing; each queue is an M/M/1 queue (Section III).
 * - `abounce`: ABOUNCE(C, d): an arrival at i migrates to i* when q_i > q_i* + C. The paper requires C >= K.
 * - `mbounce`: MBOUNCE(alpha, d): migrate when q_i > max(alpha q_i*, q_i* + K). The paper requires alpha > 1.
 * - `sqd`: the free-migration baseline, SQ(d) with the arrival's own queue included: K must be 1 and the
 *   job joins the shortest of q_i and the d sampled queues (it moves only when q_i* < q_i strictly).
 * - `custom`: a rule given by the user, `shouldMigrate(own, target, K)`, called with q_i and q_i* (integers).
 *
 * `samples` is d, the number of queues sampled (by the system's sampling scheme, src/model/sampling.ts;
 * `Infinity`: i* is the shortest of the other n - 1 queues). Values of q_i are taken just before the event,
 * q_i(t-1) in the paper.
 */
export type {
  MigrationRule, PaperForms, PolicyDeclaration, PolicyParameter, PolicyProperties, PolicySpec,
} from "./policies/policyDeclaration";
export { makePolicy, policyDeclaration, policyDeclarations } from "./policies/registry";
export { noSharing, type NoSharingSpec } from "./policies/none";
export { abounce, type AbounceSpec } from "./policies/abounce";
export { mbounce, type MbounceSpec } from "./policies/mbounce";
export { shortestOfD, type ShortestOfDSpec } from "./policies/sqd";
export { customPolicy, type CustomPolicySpec } from "./policies/custom";
export { switchingCurve, type SwitchingCurveSpec } from "./policies/switchingCurve";

/**
 * A short human label, for example "ABOUNCE(2,10)", "MBOUNCE(1.5,inf)", "no sharing".
 *
 * @throws ParameterError for an undeclared kind
 * @example
 * policyLabel(abounce(2, Infinity)) // => "ABOUNCE(2,inf)"
 */
export function policyLabel(policy: PolicySpec): string {
  return policyDeclaration(policy).label(policy);
}

/**
 * d of a policy (0 for a policy that samples nothing, such as no sharing).
 *
 * @example
 * sampleCount(noSharing()) // => 0
 */
export function sampleCount(policy: PolicySpec): number {
  return policyDeclaration(policy).sampled ? (policy.samples as number) : 0;
}

/**
 * Validates a policy against the migration penalty K through its declaration. The paper's own constraints
 * (C >= K for ABOUNCE, alpha > 1 for MBOUNCE, K = 1 for the free-migration baseline) are enforced unless
 * `allowOutsidePaper` is true, in which case only what keeps the model well defined is checked
 * (C >= 0, alpha > 0). Cost O(1) (a custom rule is called three times as a probe). Throws `ParameterError`.
 *
 * @example
 * validatePolicy(abounce(2, 10), 2) // => { kind: "abounce", threshold: 2, samples: 10 }
 */
export function validatePolicy<S extends PolicySpec>(policy: S, migrationPenalty: number, allowOutsidePaper = false): S {
  if (policy === null || typeof policy !== "object" || typeof (policy as { kind?: unknown }).kind !== "string") {
    throw new ParameterError("policy", policy, "a policy: an object with a declared kind (see policyDeclarations())");
  }
  policyDeclaration(policy).validate(policy, migrationPenalty, allowOutsidePaper);
  return policy;
}

/**
 * The decision rule of a validated policy, as a closure over its constants: the single copy read by the
 * simulator, the exact drift and the mean-field derivations. Cost O(1) per call (custom: the user's cost; a
 * custom rule's answer is checked to be a boolean, else ParameterError naming the rule and what it returned).
 *
 * @example
 * const rule = migrationRule(abounce(2, 10), 2);
 * rule(5, 2) // => true  (5 > 2 + 2)
 * rule(4, 2) // => false
 */
export function migrationRule(policy: PolicySpec, migrationPenalty: number): MigrationRule {
  return policyDeclaration(policy).rule(policy, migrationPenalty);
}

/**
 * The declared properties of a validated policy's rule (monotone in the target, translation invariant, mean
 * field supported), which test/policies.test.ts checks against the rule.
 *
 * @example
 * policyProperties(mbounce(2, 10), 2).translationInvariant // => false
 */
export function policyProperties(policy: PolicySpec, migrationPenalty: number): PolicyProperties {
  return policyDeclaration(policy).properties(policy, migrationPenalty);
}

/**
 * Whether a policy is plain data that can be cached and sent to worker threads (false for a custom rule).
 *
 * @example
 * isTransferable(abounce(2, 10)) // => true
 */
export function isTransferable(policy: PolicySpec): boolean {
  return policyDeclaration(policy).transferable;
}

/**
 * The policy's own parameters as a plain record (for tables and JSON), for example { threshold: 2 }.
 *
 * @example
 * policyParameters(mbounce(1.5, 10)) // => { ratio: 1.5 }
 */
export function policyParameters(policy: PolicySpec): Record<string, number | readonly number[]> {
  const out: Record<string, number | readonly number[]> = {};
  for (const p of policyDeclaration(policy).parameters) out[p.name] = policy[p.name] as number | readonly number[];
  return out;
}

/**
 * What the paper prints for a policy (its mean-field system of Section IV and its tail lemma), or undefined when
 * the paper prints nothing for it (every policy but ABOUNCE and MBOUNCE).
 *
 * @example
 * paperFormsOf(mbounce(2, 10)) // => { meanFieldEquation: 1, tailLemma: 1, ratio: 2 }
 */
export function paperFormsOf(policy: PolicySpec): PaperForms | undefined {
  return policyDeclaration(policy).paperForms?.(policy);
}

/** Differences scanned by additiveThreshold: a rule that never migrates within them is taken as never migrating. */
const ADDITIVE_SCAN = 1 << 20;

/**
 * The additive threshold C of a rule that migrates exactly when own - target > C, or undefined when the rule is
 * not of that form. A rule declared translation invariant and monotone in the target depends on own - target
 * only and is nondecreasing in it, so it is [own - target > C] for the integer C found by scanning
 * rule(delta, 0) for the smallest delta that migrates (ABOUNCE(2.5, d) gives 2, SQ(d) gives 0). A rule that
 * never migrates within 2^20 gives Infinity. Cost O(C).
 *
 * @example
 * additiveThreshold(abounce(2.5, Infinity), 2) // => 2
 * additiveThreshold(mbounce(2, Infinity), 2)   // => undefined
 */
export function additiveThreshold(policy: PolicySpec, migrationPenalty: number): number | undefined {
  const props = policyProperties(policy, migrationPenalty);
  if (!props.translationInvariant || !props.monotoneInTarget) return undefined;
  const rule = migrationRule(policy, migrationPenalty);
  for (let delta = 0; delta <= ADDITIVE_SCAN; delta++) if (rule(delta, 0)) return delta - 1;
  return Infinity;
}
