import { requireInteger } from "../../model/parameterError";
import { exactTwoQueueThreshold } from "./exactTwoQueueThreshold";
import { theorem1ArrivalRateBound } from "./theoremBounds";
import { requireIntegerThreshold, theorem2LambdaStar } from "./theorem2LambdaStar";

/** One row of the comparison of the paper's thresholds with the exact two-queue threshold. */
export interface ThresholdComparisonRow {
  /** K. */
  readonly migrationPenalty: number;
  /** C. */
  readonly threshold: number;
  /** Theorem 1's stability bound 1/K. */
  readonly theorem1Bound: number;
  /** Theorem 2's lambda*(K, C) as printed. */
  readonly lambdaStar: number;
  /** The exact threshold lambda_c of ABOUNCE(C, infinity), n = 2 (`exactTwoQueueThreshold`). */
  readonly exactThreshold: number;
  /** lambda_c - lambda*: positive means the system is stable on (lambda*, lambda_c), against Theorem 2. */
  readonly exactMinusLambdaStar: number;
  /** True when lambda_c <= lambda* (to 1e-9), i.e. Theorem 2's instability claim is consistent with lambda_c. */
  readonly theorem2Consistent: boolean;
  /** True when 1/K <= lambda_c, i.e. Theorem 1 is consistent with lambda_c. */
  readonly theorem1Consistent: boolean;
  /** Sign changes of f on the single-crossing check grid (1 expected). */
  readonly signChangesOnGrid: number;
}

/**
 * Compares Theorem 1's bound 1/K, Theorem 2's lambda*(K, C) and the exact two-queue threshold on a grid of
 * (K, C) (pairs with C < K are skipped: ABOUNCE requires C >= K). Plain records for a notebook table.
 * Cost O(sum over pairs of (C + K) * 250).
 *
 * @param penalties the K values, integers >= 1
 * @param thresholds the C values, integers >= 1
 * @returns one row per pair with C >= K, in the order K-major
 * @throws ParameterError naming "migrationPenalty (K)" or "threshold (C)" for a non-integer entry
 * @example
 * thresholdComparisonTable([2], [2])[0]
 * // => { migrationPenalty: 2, threshold: 2, theorem1Bound: 0.5, lambdaStar: 0.88661..., exactThreshold: 0.89410...,
 * //      exactMinusLambdaStar: 0.00748..., theorem2Consistent: false, theorem1Consistent: true, signChangesOnGrid: 1 }
 */
export function thresholdComparisonTable(penalties: readonly number[], thresholds: readonly number[]): ThresholdComparisonRow[] {
  for (const K of penalties) requireInteger("migrationPenalty (K)", K, 1);
  for (const C of thresholds) requireInteger("threshold (C)", C, 1);
  const rows: ThresholdComparisonRow[] = [];
  for (const K of penalties) {
    for (const C of thresholds) {
      if (C < K) continue;
      requireIntegerThreshold(C, K);
      const exact = exactTwoQueueThreshold(K, C);
      const lambdaStar = theorem2LambdaStar(K, C);
      const bound = theorem1ArrivalRateBound(K);
      rows.push({
        migrationPenalty: K,
        threshold: C,
        theorem1Bound: bound,
        lambdaStar,
        exactThreshold: exact.criticalArrivalRate,
        exactMinusLambdaStar: exact.criticalArrivalRate - lambdaStar,
        theorem2Consistent: exact.criticalArrivalRate <= lambdaStar + 1e-9,
        theorem1Consistent: bound <= exact.criticalArrivalRate,
        signChangesOnGrid: exact.signChangesOnGrid,
      });
    }
  }
  return rows;
}
