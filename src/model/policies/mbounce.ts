import { ParameterError, requireNumber } from "../parameterError";
import type { PolicyDeclaration, PolicySpec } from "./policyDeclaration";
import { formatSamples, requireSamples } from "./samples";

/** MBOUNCE(alpha, d) (Section II): migrate to the shortest sampled queue i* when q_i > max(alpha q_i*, q_i* + K). */
export interface MbounceSpec extends PolicySpec {
  readonly kind: "mbounce";
  /** alpha, the multiplicative threshold. The paper requires alpha > 1. */
  readonly ratio: number;
  readonly samples: number;
}

/**
 * MBOUNCE(alpha, d).
 *
 * @param alpha the ratio (the paper requires alpha > 1)
 * @param d queues sampled: an integer >= 1 or Infinity
 * @example
 * mbounce(2, 10) // => { kind: "mbounce", ratio: 2, samples: 10 }
 */
export const mbounce = (alpha: number, d: number): MbounceSpec => ({ kind: "mbounce", ratio: alpha, samples: d });

export const declaration: PolicyDeclaration<MbounceSpec> = {
  kind: "mbounce",
  title: "MBOUNCE(alpha, d)",
  summary: "migrate K jobs to the shortest of d sampled queues when q_i > max(alpha q_i*, q_i* + K) (Section II)",
  sampled: true,
  transferable: true,
  parameters: [{
    name: "ratio", symbol: "alpha", type: "number", defaultValue: () => 2,
    description: "MBOUNCE ratio: migrate when q_i > max(alpha q_i*, q_i* + K); the paper requires alpha > 1",
  }],
  create: (values, samples) => mbounce(values["ratio"] as number, samples),
  label: (spec) => `MBOUNCE(${spec.ratio},${formatSamples(spec.samples)})`,
  validate(spec, _K, allowOutsidePaper) {
    requireSamples(spec.samples);
    if (allowOutsidePaper) requireNumber("ratio (alpha)", spec.ratio, 0, Infinity);
    else if (typeof spec.ratio !== "number" || !Number.isFinite(spec.ratio) || !(spec.ratio > 1)) {
      throw new ParameterError("ratio (alpha)", spec.ratio, "a finite number > 1",
        "MBOUNCE requires alpha > 1; pass allowOutsidePaper to explore other ratios");
    }
  },
  rule(spec, K) {
    const a = spec.ratio;
    return (own, target) => own > a * target && own > target + K;
  },
  // For alpha > 0 the ratio test and the floor both get harder as the target grows. Not translation invariant:
  // q_i > alpha q_i* depends on the lengths themselves, not only on their difference.
  properties: () => ({ monotoneInTarget: true, translationInvariant: false, meanField: true }),
  examples: () => [mbounce(1.5, 2), mbounce(2, 10), mbounce(3, 1), mbounce(8, Infinity)],
  paperForms: (spec) => ({ meanFieldEquation: 1, tailLemma: 1, ratio: spec.ratio }),
};
