import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { type PolicySpec, mbounce, migrationRule, policyLabel } from "../../model/policy";
import { type SystemParams, validateSystem } from "../../model/system";
import { exactDriftOfValidated } from "./exactDrift";
import { theorem3LyapunovFunction } from "./theorem3LyapunovFunction";

/** The families of states the survey evaluates. */
export type Theorem3StateFamily =
  | "balanced"
  | "one-long"
  | "one-short"
  | "at-threshold"
  | "over-threshold"
  | "random"
  | "adversarial";

/** The drift of Theorem 3's V = V1 + V2 at one state. */
export interface Theorem3DriftRecord {
  readonly family: Theorem3StateFamily;
  readonly queues: number;
  readonly arrivalRate: number;
  /** alpha of V2's constant 1/(alpha - 1). */
  readonly ratio: number;
  readonly policy: string;
  /** The size asked for; `total` is the state's actual sum (they differ only for the threshold families). */
  readonly targetTotal: number;
  readonly total: number;
  readonly state: readonly number[];
  /** (Delta V)(q), exact, per event of the chain uniformized at rate n(lambda + 1). */
  readonly drift: number;
  /** drift / total: tends to -2(1 - lambda)/(n(1 + lambda)) on balanced states. */
  readonly driftPerJob: number;
  /**
   * drift minus the balanced-state closed form at the same total, 2 S (lambda - 1)/(n (lambda + 1)) + 1 +
   * (n - 1)/(alpha - 1): bounded in S when V's drift is dominated by the no-sharing term, as the Appendix argues.
   */
  readonly excessOverBalancedFormula: number;
}

/** The survey: every record, the worst drift at each size, and where the drift is not yet below -epsilon. */
export interface Theorem3DriftSurvey {
  readonly records: readonly Theorem3DriftRecord[];
  /** The largest drift found at each target total, with its family and state. */
  readonly bySize: readonly { readonly targetTotal: number; readonly worstDrift: number; readonly worstFamily: Theorem3StateFamily; readonly worstState: readonly number[] }[];
  readonly epsilon: number;
  /** The largest target total whose worst drift is > -epsilon (NaN when every size is already below). */
  readonly largestTotalNotBelowMinusEpsilon: number;
  /** True when even the largest total scanned has a drift > -epsilon (the survey did not reach the negative regime). */
  readonly notBelowAtLargestTotal: boolean;
}

/**
 * Surveys the exact drift of Theorem 3's Lyapunov function V = V1 + V2 (Appendix) against the size of the
 * state, over families of states: balanced (as equal as possible), one-long (S, 0, ..., 0), one-short (one
 * empty queue, the others equal), at-threshold (the shortest queue at x, all others at the largest length
 * that does NOT migrate to x under the policy's rule), over-threshold (all others one job longer, so every
 * arrival at them migrates), random (uniform compositions of S), and adversarial (hill climbing on the drift at
 * fixed total, moving t = S/2, S/4, ..., 1 jobs between queues, started from the worst of the other families and
 * from `restarts` random states). Theorem 3 claims Delta V <= -epsilon for all large S under MBOUNCE(alpha, d)
 * with lambda < 1; the policy can be ABOUNCE for contrast (same V).
 *
 * Reference point (derived in test/theory.test.ts): on a balanced state with every q_i = m > 0 under MBOUNCE,
 * Delta V = 2m (lambda - 1)/(lambda + 1) + 1 + (n - 1)/(alpha - 1).
 *
 * Cost per total: (6 + randomStates + restarts * (climb length) * 9 n(n - 1)) exact drifts of O(n^2) moves at
 * O(n) each, so O(n^3) per drift; n = 10 with defaults takes well under a second per total.
 *
 * @param options queues: n, integer in [2, 200]; arrivalRate: lambda in (0, 1); migrationPenalty: K, integer
 *   >= 1; ratio: alpha > 1 for V; policy (default mbounce(alpha, Infinity)); totals: positive integers;
 *   randomStates: integer >= 0 (default 20); restarts: integer >= 0 (default 2); seed: integer in
 *   [0, 2^31 - 1] (default 1); epsilon > 0 (default 0.01)
 * @returns plain records for a notebook table or plot, and a summary by size
 * @throws ParameterError naming the parameter at fault
 * @example
 * const s = theorem3DriftSurvey({ queues: 3, arrivalRate: 0.95, migrationPenalty: 2, ratio: 2, totals: [30, 300, 3000] });
 * s.bySize.map((r) => r.worstDrift) // => [2.487..., -2.128..., -48.28...] (none above the balanced closed form)
 */
export function theorem3DriftSurvey(options: {
  readonly queues: number;
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly ratio: number;
  readonly policy?: PolicySpec;
  readonly totals: readonly number[];
  readonly randomStates?: number;
  readonly restarts?: number;
  readonly seed?: number;
  readonly epsilon?: number;
}): Theorem3DriftSurvey {
  const n = requireInteger("queues (n)", options.queues, 2, 200);
  const lambda = requireNumber("arrivalRate (lambda)", options.arrivalRate, 0, 1);
  const K = requireInteger("migrationPenalty (K)", options.migrationPenalty, 1);
  const alpha = requireNumber("ratio (alpha)", options.ratio, 1, Infinity);
  const policy = options.policy ?? mbounce(alpha, Infinity);
  const params: SystemParams = validateSystem({ queues: n, arrivalRate: lambda, migrationPenalty: K, policy });
  if (!Array.isArray(options.totals) || options.totals.length === 0) {
    throw new ParameterError("totals", options.totals, "a non-empty array of positive integers");
  }
  for (const S of options.totals) requireInteger("totals", S, 1, 1e12);
  const randomStates = requireInteger("randomStates", options.randomStates ?? 20, 0, 1e6);
  const restarts = requireInteger("restarts", options.restarts ?? 2, 0, 1000);
  const seed = requireInteger("seed", options.seed ?? 1, 0, 2 ** 31 - 1);
  const epsilon = requireNumber("epsilon", options.epsilon ?? 0.01, 0, Infinity);

  const V = theorem3LyapunovFunction(alpha);
  const rule = migrationRule(policy, K);
  const label = policyLabel(policy);
  const drift = (q: readonly number[]): number => exactDriftOfValidated(V, q, params);
  const generator = xoroshiro128plus(seed);
  const records: Theorem3DriftRecord[] = [];
  const add = (family: Theorem3StateFamily, targetTotal: number, state: readonly number[]): number => {
    const total = state.reduce((x, y) => x + y, 0);
    const value = drift(state);
    records.push({
      family, queues: n, arrivalRate: lambda, ratio: alpha, policy: label, targetTotal, total,
      state: state.slice(), drift: value, driftPerJob: value / total,
      excessOverBalancedFormula: value - ((2 * total * (lambda - 1)) / (n * (lambda + 1)) + 1 + (n - 1) / (alpha - 1)),
    });
    return value;
  };

  // The largest length y >= x that does not migrate to x (rule(y, x) false), or Infinity if none migrates.
  const lastNonMigrating = (x: number): number => {
    if (!rule(x + 2 ** 40, x)) return Infinity;
    let lo = x;
    let hi = x + 1;
    while (!rule(hi, x)) { lo = hi; hi = x + 2 * (hi - x); }
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (rule(mid, x)) hi = mid;
      else lo = mid;
    }
    return lo;
  };

  for (const S of options.totals) {
    const even = (parts: number, total: number): number[] =>
      Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
    const seeds: { value: number; state: number[] }[] = [];
    const consider = (family: Theorem3StateFamily, state: number[]): void => {
      seeds.push({ value: add(family, S, state), state });
    };
    consider("balanced", even(n, S));
    consider("one-long", [S, ...new Array<number>(n - 1).fill(0)]);
    consider("one-short", [...even(n - 1, S), 0]);
    // At threshold: the shortest at x, the others at the last non-migrating length; x as large as fits in S.
    if (Number.isFinite(lastNonMigrating(0))) {
      let lo = 0;
      let hi = S;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (mid + (n - 1) * lastNonMigrating(mid) <= S) lo = mid;
        else hi = mid;
      }
      const y = lastNonMigrating(lo);
      if (lo + (n - 1) * y <= S) {
        consider("at-threshold", [...new Array<number>(n - 1).fill(y), lo]);
        consider("over-threshold", [...new Array<number>(n - 1).fill(y + 1), lo]);
      }
    }
    for (let r = 0; r < randomStates; r++) consider("random", randomComposition(S, n, generator));

    const climb = (start: number[]): { value: number; state: number[] } => {
      let state = start.slice();
      let value = drift(state);
      for (let t = Math.max(1, Math.floor(S / 2)); t >= 1; t = Math.floor(t / 2)) {
        let improved = true;
        while (improved) {
          improved = false;
          for (let i = 0; i < n; i++) {
            if ((state[i] as number) < t) continue;
            for (let j = 0; j < n; j++) {
              if (j === i) continue;
              const next = state.slice();
              next[i] = (next[i] as number) - t;
              next[j] = (next[j] as number) + t;
              const v = drift(next);
              if (v > value + 1e-12) { state = next; value = v; improved = true; }
            }
          }
        }
        if (t === 1) break;
      }
      return { value, state };
    };
    const starts = [seeds.reduce((b, s) => (s.value > b.value ? s : b)).state];
    for (let r = 0; r < restarts; r++) starts.push(randomComposition(S, n, generator));
    let best: { value: number; state: number[] } | undefined;
    for (const s of starts) {
      const found = climb(s);
      if (best === undefined || found.value > best.value) best = found;
    }
    if (best !== undefined) add("adversarial", S, best.state);
  }

  const bySize = options.totals.map((S) => {
    const rows = records.filter((r) => r.targetTotal === S);
    const worst = rows.reduce((b, r) => (r.drift > b.drift ? r : b));
    return { targetTotal: S, worstDrift: worst.drift, worstFamily: worst.family, worstState: worst.state };
  });
  const above = bySize.filter((r) => r.worstDrift > -epsilon).map((r) => r.targetTotal);
  const largestTotal = Math.max(...options.totals);
  const largestAbove = above.length > 0 ? Math.max(...above) : NaN;
  return {
    records,
    bySize,
    epsilon,
    largestTotalNotBelowMinusEpsilon: largestAbove,
    notBelowAtLargestTotal: largestAbove === largestTotal,
  };
}

/** A uniform composition of S into n non-negative parts (stars and bars: n - 1 distinct bars among S + n - 1 slots). */
function randomComposition(S: number, n: number, generator: RandomGenerator): number[] {
  const bars = new Set<number>();
  while (bars.size < n - 1) bars.add(uniformInt(generator, 0, S + n - 2));
  const sorted = [...bars].sort((x, y) => x - y);
  const parts: number[] = [];
  let previous = -1;
  for (const b of sorted) { parts.push(b - previous - 1); previous = b; }
  parts.push(S + n - 2 - previous);
  return parts;
}
