import { ParameterError, requireNumber } from "../parameterError";
import type { PolicyDeclaration, PolicySpec } from "./policyDeclaration";
import { formatSamples, requireSamples } from "./samples";

/** ABOUNCE(C, d) (Section II): an arrival at i migrates to the shortest sampled queue i* when q_i > q_i* + C. */
export interface AbounceSpec extends PolicySpec {
  readonly kind: "abounce";
  /** C, the additive threshold. The paper requires C >= K. */
  readonly threshold: number;
  readonly samples: number;
}

/**
 * ABOUNCE(C, d).
 *
 * @param C the additive threshold (the paper requires C >= K)
 * @param d queues sampled: an integer >= 1 or Infinity
 * @example
 * abounce(2, 10) // => { kind: "abounce", threshold: 2, samples: 10 }
 */
export const abounce = (C: number, d: number): AbounceSpec => ({ kind: "abounce", threshold: C, samples: d });

export const declaration: PolicyDeclaration<AbounceSpec> = {
  kind: "abounce",
  title: "ABOUNCE(C, d)",
  summary: "migrate K jobs to the shortest of d sampled queues when q_i > q_i* + C (Section II)",
  sampled: true,
  transferable: true,
  parameters: [{
    name: "threshold", symbol: "C", type: "number", defaultValue: (K) => K,
    description: "ABOUNCE threshold: migrate when q_i > q_i* + C; the paper requires C >= K",
  }],
  create: (values, samples) => abounce(values["threshold"] as number, samples),
  label: (spec) => `ABOUNCE(${spec.threshold},${formatSamples(spec.samples)})`,
  validate(spec, K, allowOutsidePaper) {
    requireSamples(spec.samples);
    if (allowOutsidePaper) requireNumber("threshold (C)", spec.threshold, 0, Infinity, { loInclusive: true });
    else if (typeof spec.threshold !== "number" || !Number.isFinite(spec.threshold) || spec.threshold < K) {
      throw new ParameterError("threshold (C)", spec.threshold, `a finite number >= K = ${K}`,
        "ABOUNCE requires C >= K; pass allowOutsidePaper to explore other thresholds");
    }
  },
  rule(spec) {
    const C = spec.threshold;
    return (own, target) => own > target + C;
  },
  properties: () => ({ monotoneInTarget: true, translationInvariant: true, meanField: true }),
  examples: (K) => [abounce(K, 1), abounce(K + 1, 2), abounce(K + 0.5, 10), abounce(2 * K + 3, Infinity)],
  paperForms: () => ({ meanFieldEquation: 2, tailLemma: 2 }),
};
