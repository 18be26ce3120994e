import { requireNumber } from "../../model/parameterError";
import { type Theorem2ConditionReport, theorem2ConditionCheck } from "./theorem2ConditionCheck";

/** The exact drift of Theorem 2's test function over the state plane, ready for a heatmap. */
export interface Theorem2DriftGrid {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly threshold: number;
  /** N: the states drawn are every q != 0 with q1 + q2 <= N. */
  readonly maxTotal: number;
  /** q1 = 0..N (the columns). */
  readonly x: readonly number[];
  /** q2 = 0..N (the rows). */
  readonly y: readonly number[];
  /** drift[q2][q1] = (Delta V)(q1, q2) per event; NaN at the origin (E_0) and where q1 + q2 > N. */
  readonly drift: readonly (readonly number[])[];
  /**
   * sign[q2][q1]: +1 where the drift is > tolerance, 0 where |drift| <= tolerance, -1 where it is < -tolerance
   * (condition (I) asks for >= 0, i.e. +1 or 0); NaN where `drift` is NaN.
   */
  readonly sign: readonly (readonly number[])[];
  /** A drift within +-tolerance counts as 0 (rounding of the transition probabilities). */
  readonly tolerance: number;
  /** Conditions (I)-(III) on the same region (`theorem2ConditionCheck`, without the per-state list). */
  readonly report: Theorem2ConditionReport;
}

/**
 * The exact drift (Delta V)(q) of the test function of the proof of Theorem 2,
 * V(q) = q1 + q2 + ((1 - lambda)/(1 + lambda)) sum_{l=0..C} ||q1 - q2| - l|, under ABOUNCE(C, infinity) with
 * n = 2, at every state of the triangle {q != 0 : q1 + q2 <= N}, laid out as a grid for `heatmapFigure`
 * (x = q1, y = q2, z = drift or its sign), together with the set-by-set report of conditions (I)-(III) on the
 * same states (`theorem2ConditionCheck`, which computes the drifts with `exactDrift`).
 * Cost O(N^2) exact drifts (milliseconds for N = 60) and O(N^2) memory.
 *
 * @param options arrivalRate: lambda in (0, 1); migrationPenalty: K, an integer >= 1; threshold: C, an integer
 *   >= K; maxTotal: N, an integer in [1, 500]; tolerance >= 0 (default 1e-9)
 * @returns the grids (outer index q2, inner index q1) and the report
 * @throws ParameterError naming the parameter at fault (from `theorem2ConditionCheck`, or "maxTotal (N)" above 500)
 * @example
 * const g = theorem2DriftGrid({ arrivalRate: 0.95, migrationPenalty: 2, threshold: 2, maxTotal: 10 });
 * g.drift[3]![3]  // => -0.05128205128205138  (= -C (1 - lambda)/(1 + lambda) on the diagonal)
 * g.sign[1]![3]   // => 0  (|q1 - q2| = 2 <= C: the drift is exactly 0)
 * g.sign[0]![5]   // => 1  (|q1 - q2| = 5 > C)
 */
export function theorem2DriftGrid(options: {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly threshold: number;
  readonly maxTotal: number;
  readonly tolerance?: number;
}): Theorem2DriftGrid {
  requireNumber("maxTotal (N)", options.maxTotal, 0, 500, { hiInclusive: true });
  const full = theorem2ConditionCheck({
    arrivalRate: options.arrivalRate,
    migrationPenalty: options.migrationPenalty,
    threshold: options.threshold,
    maxTotal: options.maxTotal,
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
    includeStates: true,
  });
  const N = full.maxTotal;
  const tolerance = full.tolerance;
  const drift = Array.from({ length: N + 1 }, () => new Array<number>(N + 1).fill(NaN));
  const sign = Array.from({ length: N + 1 }, () => new Array<number>(N + 1).fill(NaN));
  for (const s of full.states) {
    (drift[s.q2] as number[])[s.q1] = s.drift;
    (sign[s.q2] as number[])[s.q1] = s.drift > tolerance ? 1 : s.drift < -tolerance ? -1 : 0;
  }
  const axis = Array.from({ length: N + 1 }, (_, k) => k);
  return {
    arrivalRate: full.arrivalRate,
    migrationPenalty: full.migrationPenalty,
    threshold: full.threshold,
    maxTotal: N,
    x: axis,
    y: axis.slice(),
    drift,
    sign,
    tolerance,
    report: { ...full, states: [] },
  };
}
