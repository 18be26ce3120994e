import { ParameterError } from "../parameterError";
import type { PolicyDeclaration, PolicySpec } from "./policyDeclaration";
import { formatSamples, requireSamples } from "./samples";

/**
 * A rule given by the user as a function, `shouldMigrate(own, target, K)`, called with q_i and the length of the
 * shortest sampled queue (integers). It must return a boolean. A function cannot be cached or sent to worker
 * threads, so such a policy runs on the calling thread and studies refuse it; to make a rule a first-class
 * policy, declare it in a file of src/model/policies/.
 */
export interface CustomPolicySpec extends PolicySpec {
  readonly kind: "custom";
  readonly samples: number;
  readonly shouldMigrate: (own: number, target: number, migrationPenalty: number) => boolean;
  readonly label?: string;
}

/**
 * A custom rule.
 *
 * @param shouldMigrate (own, target, K) => boolean
 * @param d queues sampled: an integer >= 1 or Infinity
 * @param label a name for tables (default "custom")
 * @example
 * const p = customPolicy((own, target) => own > 2 * target + 1, 2, "double plus one");
 * policyLabel(p) // => "double plus one(d=2)"
 */
export const customPolicy = (
  shouldMigrate: CustomPolicySpec["shouldMigrate"], d: number, label?: string,
): CustomPolicySpec => ({ kind: "custom", samples: d, shouldMigrate, ...(label !== undefined ? { label } : {}) });

function ruleName(spec: CustomPolicySpec): string {
  return `shouldMigrate of ${spec.label ?? "custom"}`;
}

/** Throws unless the rule's answer is a boolean (1, "yes", undefined or a Promise are not "never migrate"). */
function requireBoolean(spec: CustomPolicySpec, answer: unknown, own: number, target: number): boolean {
  if (typeof answer === "boolean") return answer;
  const shown = answer instanceof Promise ? "a Promise (the rule must be synchronous)" : answer;
  throw new ParameterError(ruleName(spec), shown, "true or false", `returned for own = ${own}, target = ${target}`);
}

export const declaration: PolicyDeclaration<CustomPolicySpec> = {
  kind: "custom",
  title: "custom rule",
  summary: "a rule given as a function shouldMigrate(own, target, K) => boolean (API only)",
  sampled: true,
  transferable: false,
  parameters: [],
  create: () => {
    throw new ParameterError("policy", "custom", "a declared policy (a custom rule is a function: build it with customPolicy)");
  },
  label: (spec) => `${spec.label ?? "custom"}(d=${formatSamples(spec.samples)})`,
  validate(spec, K) {
    if (typeof spec.shouldMigrate !== "function") {
      throw new ParameterError("shouldMigrate", spec.shouldMigrate, "a function (own, target, K) => boolean");
    }
    requireSamples(spec.samples);
    // Probe the rule before any work, so that a rule returning 1, "yes" or undefined fails at once.
    for (const [own, target] of [[1, 0], [0, 0], [K + 2, 0]] as const) requireBoolean(spec, spec.shouldMigrate(own, target, K), own, target);
  },
  rule(spec, K) {
    const f = spec.shouldMigrate;
    return (own, target) => requireBoolean(spec, f(own, target, K), own, target);
  },
  // Nothing is assumed of a user's function.
  properties: () => ({ monotoneInTarget: false, translationInvariant: false, meanField: true }),
  examples: (K) => [customPolicy((own, target) => own > 2 * target + K, 2, "double plus K")],
};
