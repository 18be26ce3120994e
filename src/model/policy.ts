import { ParameterError, requireInteger, requireNumber } from "./parameterError";

/**
 * The routing policies of the paper (Section II) and the free-migration baseline.
 *
 * - `none`: no sharing; each queue is an M/M/1 queue (Section III).
 * - `abounce`: ABOUNCE(C, d): an arrival at i migrates to i* when q_i > q_i* + C. The paper requires C >= K.
 * - `mbounce`: MBOUNCE(alpha, d): migrate when q_i > max(alpha q_i*, q_i* + K). The paper requires alpha > 1.
 * - `sqd`: the free-migration baseline, SQ(d) with the arrival's own queue included: K must be 1 and the
 *   job joins the shortest of q_i and the d sampled queues (it moves only when q_i* < q_i strictly).
 * - `custom`: a rule given by the user, `shouldMigrate(own, target, K)`, called with q_i and q_i* (integers).
 *
 * `samples` is d, the number of other queues sampled uniformly with replacement (`Infinity`: i* is the
 * shortest of the other n - 1 queues). Values of q_i are taken just before the event, q_i(t-1) in the paper.
 */
export type PolicySpec =
  | { readonly kind: "none" }
  | { readonly kind: "abounce"; readonly threshold: number; readonly samples: number }
  | { readonly kind: "mbounce"; readonly ratio: number; readonly samples: number }
  | { readonly kind: "sqd"; readonly samples: number }
  | {
      readonly kind: "custom";
      readonly samples: number;
      readonly shouldMigrate: (own: number, target: number, migrationPenalty: number) => boolean;
      readonly label?: string;
    };

export type PolicyKind = PolicySpec["kind"];

/** A decision rule: true when an arrival at a queue of length `own` migrates to a sampled queue of length `target`. */
export type MigrationRule = (own: number, target: number) => boolean;

/** Constructors that read like the paper. */
export const noSharing = (): PolicySpec => ({ kind: "none" });
/** ABOUNCE(C, d). */
export const abounce = (C: number, d: number): PolicySpec => ({ kind: "abounce", threshold: C, samples: d });
/** MBOUNCE(alpha, d). */
export const mbounce = (alpha: number, d: number): PolicySpec => ({ kind: "mbounce", ratio: alpha, samples: d });
/** The free-migration baseline SQ(d) (use with K = 1). */
export const shortestOfD = (d: number): PolicySpec => ({ kind: "sqd", samples: d });

/** A short human label, for example "ABOUNCE(2,10)", "MBOUNCE(1.5,inf)", "no sharing". */
export function policyLabel(policy: PolicySpec): string {
  const d = (x: number): string => (x === Infinity ? "inf" : String(x));
  switch (policy.kind) {
    case "none":
      return "no sharing";
    case "abounce":
      return `ABOUNCE(${policy.threshold},${d(policy.samples)})`;
    case "mbounce":
      return `MBOUNCE(${policy.ratio},${d(policy.samples)})`;
    case "sqd":
      return `SQ(${d(policy.samples)})`;
    case "custom":
      return `${policy.label ?? "custom"}(d=${d(policy.samples)})`;
  }
}

/** d of a policy (0 for no sharing, which samples nothing). */
export function sampleCount(policy: PolicySpec): number {
  return policy.kind === "none" ? 0 : policy.samples;
}

/**
 * Validates a policy against the migration penalty K. The paper's own constraints (C >= K for ABOUNCE,
 * alpha > 1 for MBOUNCE, K = 1 for the free-migration baseline) are enforced unless
 * `allowOutsidePaper` is true, in which case only what keeps the model well defined is checked
 * (C >= 0, alpha > 0). Throws `ParameterError`.
 */
export function validatePolicy(policy: PolicySpec, migrationPenalty: number, allowOutsidePaper = false): PolicySpec {
  if (policy === null || typeof policy !== "object" || typeof (policy as { kind?: unknown }).kind !== "string") {
    throw new ParameterError("policy", policy, 'one of "none", "abounce", "mbounce", "sqd", "custom"');
  }
  const kind = (policy as { kind: string }).kind;
  if (kind === "none") return policy;
  if (!["abounce", "mbounce", "sqd", "custom"].includes(kind)) {
    throw new ParameterError("policy", kind, 'one of "none", "abounce", "mbounce", "sqd", "custom"');
  }
  const d = (policy as { samples: unknown }).samples;
  if (d !== Infinity) requireInteger("samples (d)", d, 1);
  switch (policy.kind) {
    case "abounce": {
      const note = "ABOUNCE requires C >= K; pass allowOutsidePaper to explore other thresholds";
      if (allowOutsidePaper) requireNumber("threshold (C)", policy.threshold, 0, Infinity, { loInclusive: true });
      else if (typeof policy.threshold !== "number" || !Number.isFinite(policy.threshold) || policy.threshold < migrationPenalty) {
        throw new ParameterError("threshold (C)", policy.threshold, `a finite number >= K = ${migrationPenalty}`, note);
      }
      return policy;
    }
    case "mbounce": {
      if (allowOutsidePaper) requireNumber("ratio (alpha)", policy.ratio, 0, Infinity);
      else if (typeof policy.ratio !== "number" || !Number.isFinite(policy.ratio) || !(policy.ratio > 1)) {
        throw new ParameterError("ratio (alpha)", policy.ratio, "a finite number > 1",
          "MBOUNCE requires alpha > 1; pass allowOutsidePaper to explore other ratios");
      }
      return policy;
    }
    case "sqd":
      if (!allowOutsidePaper && migrationPenalty !== 1) {
        throw new ParameterError("migrationPenalty (K)", migrationPenalty, "exactly 1 for the free-migration baseline sqd",
          "pass allowOutsidePaper to run SQ(d) with a penalty");
      }
      return policy;
    case "custom":
      if (typeof policy.shouldMigrate !== "function") {
        throw new ParameterError("shouldMigrate", policy.shouldMigrate, "a function (own, target, K) => boolean");
      }
      return policy;
    default:
      return policy;
  }
}

/**
 * The decision rule of a validated policy, as a closure over its constants: the single copy read by the
 * simulator, the exact drift and the mean-field derivations. Cost O(1) per call (custom: the user's cost).
 *
 * @example
 * const rule = migrationRule(abounce(2, 10), 2);
 * rule(5, 2) // => true  (5 > 2 + 2)
 * rule(4, 2) // => false
 */
export function migrationRule(policy: PolicySpec, migrationPenalty: number): MigrationRule {
  const K = migrationPenalty;
  switch (policy.kind) {
    case "none":
      return () => false;
    case "abounce": {
      const C = policy.threshold;
      return (own, target) => own > target + C;
    }
    case "mbounce": {
      const a = policy.ratio;
      return (own, target) => own > a * target && own > target + K;
    }
    case "sqd":
      return (own, target) => own > target;
    case "custom": {
      const f = policy.shouldMigrate;
      return (own, target) => f(own, target, K) === true;
    }
  }
}
