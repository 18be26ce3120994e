import { ParameterError, requireNumber } from "../parameterError";
import type { PolicyDeclaration, PolicySpec } from "./policyDeclaration";
import { formatSamples, requireSamples } from "./samples";

/**
 * MFLOOR(alpha, C, d): a threshold on the ratio of the lengths with an additive floor. An arrival at i migrates
 * (K units) to the shortest sampled queue i* when q_i > max(alpha q_i*, q_i* + C). MBOUNCE(alpha, d) is the case
 * C = K (Section II); a larger floor C keeps migrations away from queues that are nearly as long as the own one
 * even when the target is short. Not in the paper: C >= K and alpha > 1 are required, as for the paper's rules,
 * unless allowOutsidePaper.
 */
export interface MfloorSpec extends PolicySpec {
  readonly kind: "mfloor";
  /** alpha, the ratio. */
  readonly ratio: number;
  /** C, the additive floor. */
  readonly threshold: number;
  readonly samples: number;
}

/**
 * MFLOOR(alpha, C, d).
 *
 * @param alpha the ratio (> 1 unless allowOutsidePaper)
 * @param C the additive floor (>= K unless allowOutsidePaper)
 * @param d queues sampled: an integer >= 1 or Infinity
 * @example
 * mfloor(2, 4, 10) // => { kind: "mfloor", ratio: 2, threshold: 4, samples: 10 }
 */
export const mfloor = (alpha: number, C: number, d: number): MfloorSpec => ({ kind: "mfloor", ratio: alpha, threshold: C, samples: d });

export const declaration: PolicyDeclaration<MfloorSpec> = {
  kind: "mfloor",
  title: "MFLOOR(alpha, C, d)",
  summary: "migrate K jobs to the shortest of d sampled queues when q_i > max(alpha q_i*, q_i* + C): a ratio with an additive floor",
  sampled: true,
  transferable: true,
  parameters: [
    { name: "ratio", symbol: "alpha", type: "number", defaultValue: () => 2, description: "the ratio alpha of q_i > max(alpha q_i*, q_i* + C); > 1" },
    { name: "threshold", symbol: "C", type: "number", defaultValue: (K) => K, description: "the additive floor C of q_i > max(alpha q_i*, q_i* + C); >= K" },
  ],
  create: (values, samples) => mfloor(values["ratio"] as number, values["threshold"] as number, samples),
  label: (spec) => `MFLOOR(${spec.ratio},${spec.threshold},${formatSamples(spec.samples)})`,
  validate(spec, K, allowOutsidePaper) {
    requireSamples(spec.samples);
    if (allowOutsidePaper) {
      requireNumber("ratio (alpha)", spec.ratio, 0, Infinity);
      requireNumber("threshold (C)", spec.threshold, 0, Infinity, { loInclusive: true });
      return;
    }
    if (typeof spec.ratio !== "number" || !Number.isFinite(spec.ratio) || !(spec.ratio > 1)) {
      throw new ParameterError("ratio (alpha)", spec.ratio, "a finite number > 1", "pass allowOutsidePaper to explore other ratios");
    }
    if (typeof spec.threshold !== "number" || !Number.isFinite(spec.threshold) || spec.threshold < K) {
      throw new ParameterError("threshold (C)", spec.threshold, `a finite number >= K = ${K}`,
        "a floor below K would send K units to a queue that ends up longer than the own one; pass allowOutsidePaper to allow it");
    }
  },
  rule(spec) {
    const a = spec.ratio;
    const C = spec.threshold;
    return (own, target) => own > a * target && own > target + C;
  },
  // Both tests get harder as the target grows. For alpha <= 1 the ratio test is implied by the floor (alpha t <=
  // t < t + C for t >= 0), so the rule is own - target > C and translation invariant; for alpha > 1 it is not.
  properties: (spec) => ({ monotoneInTarget: true, translationInvariant: spec.ratio <= 1, meanField: true }),
  examples: (K) => [mfloor(2, K, 10), mfloor(1.5, K + 2, 2), mfloor(3, K + 5, Infinity)],
};
