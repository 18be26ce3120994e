import { requireInteger, requireNumber } from "../../model/parameterError";
import { abounce } from "../../model/policy";
import type { SystemParams } from "../../model/system";
import { requireIntegerThreshold, theorem2LambdaStar } from "../thresholds/theorem2LambdaStar";
import { transitionsOfValidated } from "./embeddedChainTransitions";
import { exactDriftOfValidated } from "./exactDrift";
import { theorem2LyapunovFunction } from "./theorem2LyapunovFunction";

/**
 * The sets of the proof of Theorem 2 (E_0 = {0}): "A" = {|q1 - q2| > C}, "B_l" = {|q1 - q2| = l, q1 > 0, q2 > 0}
 * for 0 <= l <= C, and "U" = {|q1 - q2| <= C, exactly one queue empty}: states the proof's sets do not cover.
 */
export type Theorem2Set = string;

/** The drift of Theorem 2's V at one state. */
export interface Theorem2StateDrift {
  readonly q1: number;
  readonly q2: number;
  readonly set: Theorem2Set;
  readonly drift: number;
}

/** Condition (I) on one set of states. */
export interface Theorem2SetSummary {
  readonly set: Theorem2Set;
  /** Number of states of the set in the region. */
  readonly states: number;
  /** States where (I) holds: drift >= -tolerance. */
  readonly holding: number;
  /** States where (I) fails. */
  readonly failing: number;
  /** The smallest drift on the set and a state attaining it. */
  readonly minDrift: number;
  readonly minDriftState: readonly [number, number];
  /** The largest drift on the set and a state attaining it. */
  readonly maxDrift: number;
  readonly maxDriftState: readonly [number, number];
}

/** Conditions (I)-(III) of the proof of Theorem 2 evaluated on the region {q : q1 + q2 <= N}. */
export interface Theorem2ConditionReport {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly threshold: number;
  /** N: the region is every q with q1 + q2 <= N. */
  readonly maxTotal: number;
  /** A drift counts as >= 0 when it is >= -tolerance (rounding of the probabilities). */
  readonly tolerance: number;
  /** Theorem 2's lambda*(K, C), for comparison. */
  readonly lambdaStar: number;
  /** (I): Delta V(q) >= 0 for every q != 0 in the region. */
  readonly conditionI: {
    readonly holds: boolean;
    readonly states: number;
    readonly failingStates: number;
    /** The `worstCount` states with the smallest drift, smallest first. */
    readonly worst: readonly Theorem2StateDrift[];
  };
  /** (I) set by set. */
  readonly bySet: readonly Theorem2SetSummary[];
  /** (II): some q* outside E_0 with V(q*) > V(q) for all q in E_0 = {0}; the witness is the argmax of V on the region. */
  readonly conditionII: { readonly holds: boolean; readonly witness: readonly [number, number]; readonly witnessValue: number; readonly valueAtOrigin: number };
  /**
   * (III): V bounded below (for lambda < 1 every term of V is >= 0, so V >= 0: `analyticLowerBound` 0; the
   * minimum over the region is also reported) and E|V(q(1)) - V(q)| finite on E_0 (the value at q = 0).
   */
  readonly conditionIII: {
    readonly holds: boolean;
    readonly analyticLowerBound: number;
    readonly minValueOnRegion: number;
    readonly meanAbsoluteChangeAtOrigin: number;
  };
  /** Every state's drift (only when `includeStates` is true; otherwise empty). */
  readonly states: readonly Theorem2StateDrift[];
}

/** The set of the proof of Theorem 2 that q belongs to (q != 0). */
export function theorem2SetOf(q1: number, q2: number, threshold: number): Theorem2Set {
  const gap = Math.abs(q1 - q2);
  if (gap > threshold) return "A";
  if (q1 > 0 && q2 > 0) return `B_${gap}`;
  return "U";
}

/**
 * Evaluates conditions (I)-(III) of the proof of Theorem 2 (n = 2, ABOUNCE(C, infinity), test function
 * `theorem2LyapunovFunction`, E_0 = {0}) at one arrival rate, on every state with q1 + q2 <= N, using the exact
 * drift (`exactDrift`). Reports where (I) holds and fails, set by set (A, B_0..B_C, and U: states with
 * |q1 - q2| <= C and one empty queue, which the proof's sets omit), with the worst states.
 *
 * What the computation shows (hand derivation in test/theory.test.ts): on B_0 (q1 = q2 > 0) every event moves
 * |D| to 1, so Delta V = (lambda - 1)/(lambda + 1) + beta (h(1) - h(0)) = -C (1 - lambda)/(1 + lambda) < 0 for
 * every lambda < 1 and C >= 1: condition (I) fails on the whole diagonal whatever lambda* is.
 *
 * Cost O(N^2) exact drifts of O(1) moves each.
 *
 * @param options arrivalRate: lambda in (0, 1); migrationPenalty: K, integer >= 1; threshold: C, integer >= K;
 *   maxTotal: N, integer in [1, 5000]; tolerance >= 0 (default 1e-9); worstCount: integer >= 0 (default 10);
 *   includeStates (default false)
 * @returns the report
 * @throws ParameterError naming the parameter at fault
 * @example
 * const r = theorem2ConditionCheck({ arrivalRate: 0.95, migrationPenalty: 2, threshold: 2, maxTotal: 50 });
 * r.conditionI.holds // => false (lambda = 0.95 > lambda* = 0.887)
 * r.bySet.find((s) => s.set === "B_0")!.maxDrift // => -0.0512... (-2 (1 - 0.95) / 1.95)
 */
export function theorem2ConditionCheck(options: {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly threshold: number;
  readonly maxTotal: number;
  readonly tolerance?: number;
  readonly worstCount?: number;
  readonly includeStates?: boolean;
}): Theorem2ConditionReport {
  const lambda = requireNumber("arrivalRate (lambda)", options.arrivalRate, 0, 1);
  const K = requireInteger("migrationPenalty (K)", options.migrationPenalty, 1);
  const C = requireIntegerThreshold(options.threshold, K);
  const N = requireInteger("maxTotal (N)", options.maxTotal, 1, 5000);
  const tolerance = requireNumber("tolerance", options.tolerance ?? 1e-9, 0, Infinity, { loInclusive: true });
  const worstCount = requireInteger("worstCount", options.worstCount ?? 10, 0);
  const V = theorem2LyapunovFunction(lambda, C);
  const params: SystemParams = { queues: 2, arrivalRate: lambda, migrationPenalty: K, policy: abounce(C, Infinity) };

  const summaries = new Map<Theorem2Set, { states: number; holding: number; min: number; minAt: [number, number]; max: number; maxAt: [number, number] }>();
  const order: Theorem2Set[] = ["A", ...Array.from({ length: C + 1 }, (_, l) => `B_${l}`), "U"];
  for (const set of order) summaries.set(set, { states: 0, holding: 0, min: Infinity, minAt: [0, 0], max: -Infinity, maxAt: [0, 0] });
  const all: Theorem2StateDrift[] = [];
  let failing = 0;
  let count = 0;
  let best: [number, number] = [0, 0];
  let bestValue = -Infinity;
  let minValue = Infinity;
  for (let total = 0; total <= N; total++) {
    for (let q1 = total; q1 >= 0; q1--) {
      const q = [q1, total - q1];
      const value = V.value(q);
      if (value > bestValue) { bestValue = value; best = [q1, total - q1]; }
      minValue = Math.min(minValue, value);
      if (total === 0) continue;
      const drift = exactDriftOfValidated(V, q, params);
      const set = theorem2SetOf(q1, total - q1, C);
      const sum = summaries.get(set)!;
      sum.states += 1;
      count += 1;
      if (drift >= -tolerance) sum.holding += 1;
      else failing += 1;
      if (drift < sum.min) { sum.min = drift; sum.minAt = [q1, total - q1]; }
      if (drift > sum.max) { sum.max = drift; sum.maxAt = [q1, total - q1]; }
      all.push({ q1, q2: total - q1, set, drift });
    }
  }
  const worst = all.slice().sort((x, y) => x.drift - y.drift).slice(0, worstCount);
  const bySet: Theorem2SetSummary[] = order
    .map((set) => ({ set, s: summaries.get(set)! }))
    .filter(({ s }) => s.states > 0)
    .map(({ set, s }) => ({
      set, states: s.states, holding: s.holding, failing: s.states - s.holding,
      minDrift: s.min, minDriftState: s.minAt, maxDrift: s.max, maxDriftState: s.maxAt,
    }));
  const origin = [0, 0];
  let meanAbs = 0;
  for (const m of transitionsOfValidated(origin, params, "representative")) {
    if (m.index >= 0) meanAbs += m.probability * Math.abs(V.increment(origin, m.index, m.delta));
  }
  const valueAtOrigin = V.value(origin);
  return {
    arrivalRate: lambda,
    migrationPenalty: K,
    threshold: C,
    maxTotal: N,
    tolerance,
    lambdaStar: theorem2LambdaStar(K, C),
    conditionI: { holds: failing === 0, states: count, failingStates: failing, worst },
    bySet,
    conditionII: { holds: bestValue > valueAtOrigin, witness: best, witnessValue: bestValue, valueAtOrigin },
    conditionIII: { holds: Number.isFinite(meanAbs), analyticLowerBound: 0, minValueOnRegion: minValue, meanAbsoluteChangeAtOrigin: meanAbs },
    states: options.includeStates === true ? all : [],
  };
}
