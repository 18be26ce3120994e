import { ParameterError } from "../parameterError";
import type { PolicyDeclaration, PolicySpec } from "./policyDeclaration";
import { formatSamples, requireSamples } from "./samples";

/**
 * The free-migration baseline SQ(d) (Section I): the job joins the shortest of its own queue and d sampled ones
 * (it moves only when q_i* < q_i strictly). Meant for K = 1.
 */
export interface ShortestOfDSpec extends PolicySpec {
  readonly kind: "sqd";
  readonly samples: number;
}

/**
 * The free-migration baseline SQ(d) (use with K = 1).
 *
 * @param d queues sampled: an integer >= 1 or Infinity
 * @example
 * shortestOfD(2) // => { kind: "sqd", samples: 2 }
 */
export const shortestOfD = (d: number): ShortestOfDSpec => ({ kind: "sqd", samples: d });

export const declaration: PolicyDeclaration<ShortestOfDSpec> = {
  kind: "sqd",
  title: "SQ(d)",
  summary: "free migration: join the shortest of the own queue and d sampled ones (K = 1)",
  sampled: true,
  transferable: true,
  parameters: [],
  create: (_values, samples) => shortestOfD(samples),
  label: (spec) => `SQ(${formatSamples(spec.samples)})`,
  validate(spec, K, allowOutsidePaper) {
    requireSamples(spec.samples);
    if (!allowOutsidePaper && K !== 1) {
      throw new ParameterError("migrationPenalty (K)", K, "exactly 1 for the free-migration baseline sqd",
        "pass allowOutsidePaper to run SQ(d) with a penalty");
    }
  },
  rule: () => (own, target) => own > target,
  properties: () => ({ monotoneInTarget: true, translationInvariant: true, meanField: true }),
  examples: () => [shortestOfD(1), shortestOfD(2), shortestOfD(10), shortestOfD(Infinity)],
};
