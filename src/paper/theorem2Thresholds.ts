import { formatNumber } from "../display/formatNumber";
import { lineFigure } from "../display/lineFigure";
import type { PlotlyFigure } from "../display/plotlyFigure";
import { ParameterError } from "../model/parameterError";
import { type Claim, exactClaim } from "../study/claims";
import { requireCheck } from "../study/requireCheck";
import { exactTwoQueueThreshold } from "../theory/thresholds/exactTwoQueueThreshold";
import { theorem2LambdaStar } from "../theory/thresholds/theorem2LambdaStar";
import { type ThresholdComparisonRow, thresholdComparisonTable } from "../theory/thresholds/thresholdComparisonTable";
import { twoQueueDifferenceLaw } from "../theory/thresholds/twoQueueDifferenceLaw";
import { type PaperTable, markdownParagraphs } from "./paperOutput";

/** Theorem 2's statement, quoted (Section III). */
export const THEOREM2_STATEMENT = "Theorem 2: If n=2, the ABOUNCE (C,∞) system is null recurrent or transient if λ > λ*";
/** Where the paper makes it. */
export const THEOREM2_SOURCE = "Section III, Theorem 2";

/** What `theorem2ThresholdStudy` returns. */
export interface Theorem2ThresholdStudy {
  /** One row per (K, C) with C >= K, from `thresholdComparisonTable`. */
  readonly rows: readonly ThresholdComparisonRow[];
  readonly table: PaperTable;
  /** lambda* (dashed) and lambda_c (solid) against C, one pair of lines per K. */
  readonly figure: PlotlyFigure;
  /** The independent checks that passed, in words (a failed one throws). */
  readonly checks: readonly string[];
  readonly claims: readonly Claim[];
  /** Markdown: the findings with their numbers. */
  readonly details: string;
}

/**
 * Theorem 2's lambda*(K, C) as printed beside the exact stability threshold lambda_c of two-queue
 * ABOUNCE(C, infinity) (`exactTwoQueueThreshold`) over a grid of (K, C), with the claims this decides: the
 * theorem's threshold and the paper's example "instability when λ > 0.89" for K = C = 2.
 *
 * Independent checks (each throws Error "check failed: ..." when it fails): lambda*(2, 2) = (5 + sqrt(265))/24
 * and lambda*(3, 4) = 0.875 (by hand from the printed formula, to 1e-12); K = 1 gives lambda* = lambda_c = 1 (no
 * work is created); for every pair, the work-balance function has one sign change on a 200-point grid, and at
 * lambda_c the law of the difference chain satisfies its balance equations (residual <= 1e-12) and brings in
 * exactly the service capacity 2 of work per unit time (to 1e-9).
 * Cost O(pairs x (C + K) x 200): milliseconds.
 *
 * @param options penalties: K values, integers >= 2; thresholds: C values, integers >= 1 (pairs with C < K are
 *   skipped, as ABOUNCE requires C >= K); at least one pair must remain
 * @returns the rows, table, figure, passed checks, claims and details
 * @throws ParameterError naming the parameter at fault (from `thresholdComparisonTable`, or "penalties" for a
 *   K < 2 or a grid without a pair); Error when an independent check fails
 * @example
 * const s = theorem2ThresholdStudy({ penalties: [2], thresholds: [2, 3] });
 * s.rows.map((r) => Number(r.exactMinusLambdaStar.toFixed(5))) // => [0.00749, 0.01194]
 * s.claims.map((c) => c.verdict)                                // => ["fails", "fails"]
 */
export function theorem2ThresholdStudy(options: { readonly penalties: readonly number[]; readonly thresholds: readonly number[] }): Theorem2ThresholdStudy {
  if (!Array.isArray(options.penalties) || options.penalties.some((K) => !(Number.isInteger(K) && K >= 2))) {
    throw new ParameterError("penalties", options.penalties, "an array of integers K >= 2 (K = 1 creates no work)");
  }
  const rows = thresholdComparisonTable(options.penalties, options.thresholds);
  if (rows.length === 0) throw new ParameterError("penalties", options.penalties, "K values with at least one threshold C >= K");

  requireCheck(Math.abs(theorem2LambdaStar(2, 2) - (5 + Math.sqrt(265)) / 24) <= 1e-12, "lambda*(2,2) = (5 + sqrt(265))/24 to 1e-12");
  requireCheck(Math.abs(theorem2LambdaStar(3, 4) - 0.875) <= 1e-12, "lambda*(3,4) = 0.875 to 1e-12");
  requireCheck(Math.abs(theorem2LambdaStar(1, 3) - 1) <= 1e-12 && exactTwoQueueThreshold(1, 3).criticalArrivalRate === 1, "K = 1: lambda* = lambda_c = 1");
  for (const r of rows) {
    const pair = `K=${r.migrationPenalty}, C=${r.threshold}`;
    requireCheck(r.signChangesOnGrid === 1, `the work balance has one sign change for ${pair} (got ${r.signChangesOnGrid})`);
    const law = twoQueueDifferenceLaw(r.exactThreshold, r.migrationPenalty, r.threshold);
    requireCheck(law.balanceResidual <= 1e-12, `difference-chain balance residual ${law.balanceResidual} <= 1e-12 at lambda_c (${pair})`);
    requireCheck(Math.abs(law.workInflowRate - 2) <= 1e-9, `work inflow ${law.workInflowRate} = 2 at lambda_c (${pair})`);
  }
  const checks = [
    `λ* hand values (1e-12), K = 1 (λ* = λ_c = 1), one crossing, difference-chain balance and work inflow 2 at λ_c for ${rows.length} pairs`,
  ];

  const table: PaperTable = {
    caption: "Theorem 2's λ* and the exact threshold λ_c of ABOUNCE(C, ∞), n = 2",
    significantDigits: 6,
    rows: rows.map((r) => ({
      K: r.migrationPenalty, C: r.threshold, "Theorem 1: 1/K": r.theorem1Bound, "Theorem 2: λ*": r.lambdaStar,
      "exact λ_c": r.exactThreshold, "λ_c − λ*": r.exactMinusLambdaStar, "sign changes of f": r.signChangesOnGrid,
    })),
  };
  const penalties = [...new Set(rows.map((r) => r.migrationPenalty))];
  const figure = lineFigure(penalties.flatMap((K) => {
    const own = rows.filter((r) => r.migrationPenalty === K);
    const C = own.map((r) => r.threshold);
    return [
      { name: `K = ${K}: exact λ_c`, x: C, y: own.map((r) => r.exactThreshold), mode: "lines+markers" as const },
      { name: `K = ${K}: Theorem 2's λ*`, x: C, y: own.map((r) => r.lambdaStar), dash: "dash" as const, mode: "lines+markers" as const },
    ];
  }), { title: "λ* (dashed) against the exact threshold λ_c (solid)", xTitle: "threshold C", yTitle: "arrival rate per queue" });

  const smallest = rows.reduce((a, b) => (b.exactMinusLambdaStar < a.exactMinusLambdaStar ? b : a));
  const largest = rows.reduce((a, b) => (b.exactMinusLambdaStar > a.exactMinusLambdaStar ? b : a));
  const above = rows.filter((r) => r.exactMinusLambdaStar > 0).length;
  const example = exactTwoQueueThreshold(2, 2).criticalArrivalRate;
  const exampleStar = theorem2LambdaStar(2, 2);
  const claims: Claim[] = [
    exactClaim(
      { id: "thm2-threshold", statement: THEOREM2_STATEMENT, source: THEOREM2_SOURCE },
      { quantity: `smallest λ_c − λ* over ${rows.length} pairs (K ≥ 2, C ≥ K)`, mean: smallest.exactMinusLambdaStar },
      smallest.exactMinusLambdaStar <= 0,
      `the exact threshold λ_c exceeds λ* for ${above} of ${rows.length} pairs, by ${formatNumber(smallest.exactMinusLambdaStar, 4)} (K = ${smallest.migrationPenalty}, C = ${smallest.threshold}) to ${formatNumber(largest.exactMinusLambdaStar, 4)} (K = ${largest.migrationPenalty}, C = ${largest.threshold})${above > 0 ? ": below λ_c the work of long queues shrinks, so on (λ*, λ_c) the system is positive recurrent, not null recurrent or transient (λ_c is derived here; the exact stationary laws and the simulations check it)" : ": λ* is at or above the exact threshold everywhere, as the theorem needs"}`,
    ),
    exactClaim(
      { id: "thm2-example", statement: "In a system with n=2 and K=2 under the ABOUNCE(2, ∞) policy, for example, Theorems 1 and Theorem 2 indicate stability when λ < 0.5 and instability when λ > 0.89.", source: "Section III, after Theorem 2" },
      { quantity: "exact threshold λ_c, K = C = 2", mean: example },
      example <= 0.89,
      `λ_c = ${formatNumber(example, 6)} > 0.89 (λ* = ${formatNumber(exampleStar, 6)}): the instability claim fails on (0.89, ${formatNumber(example, 5)}); stability below 0.5 (Theorem 1) is consistent with λ_c`,
    ),
  ];
  const details = markdownParagraphs([
    `**Thresholds.** For ${above === rows.length ? "every one" : above} of the ${rows.length} pairs (K ≥ 2, C ≥ K) of the grid, the exact threshold λ_c ${above > 0 ? "exceeds" : "does not exceed"} Theorem 2's λ*; λ_c − λ* ranges from ${formatNumber(smallest.exactMinusLambdaStar, 4)} (K = ${smallest.migrationPenalty}, C = ${smallest.threshold}) to ${formatNumber(largest.exactMinusLambdaStar, 4)} (K = ${largest.migrationPenalty}, C = ${largest.threshold}). For the paper's example K = C = 2: λ* = ${formatNumber(exampleStar, 6)}, λ_c = ${formatNumber(example, 6)}. λ_c is our derivation (\`exactTwoQueueThreshold\`), not the paper's; the exact stationary laws, the long-queue simulations and the runs below check it.`,
  ]);
  return { rows, table, figure, checks, claims, details };
}
