import { formatNumber } from "../display/formatNumber";
import { heatmapFigure } from "../display/heatmapFigure";
import type { PlotlyFigure } from "../display/plotlyFigure";
import { ParameterError, requireInteger } from "../model/parameterError";
import { type Claim, exactClaim } from "../study/claims";
import { requireCheck } from "../study/requireCheck";
import { type Theorem2ConditionReport, theorem2ConditionCheck } from "../theory/lyapunov/theorem2ConditionCheck";
import { type Theorem2ConditionOneRates, theorem2ConditionOneRates } from "../theory/lyapunov/theorem2ConditionOneRates";
import { theorem2DriftGrid } from "../theory/lyapunov/theorem2DriftGrid";
import { exactTwoQueueThreshold } from "../theory/thresholds/exactTwoQueueThreshold";
import { requireIntegerThreshold, theorem2LambdaStar } from "../theory/thresholds/theorem2LambdaStar";
import { type PaperTable, markdownParagraphs } from "./paperOutput";

/** A (K, C) pair of the study with its two thresholds and the rate the drift is evaluated at. */
export interface Theorem2Pair {
  readonly migrationPenalty: number;
  readonly threshold: number;
  readonly lambdaStar: number;
  readonly exactThreshold: number;
  /** (lambda* + lambda_c)/2: where Theorem 2 and the exact threshold disagree. */
  readonly midpoint: number;
}

/** What `theorem2ConditionOneStudy` returns. */
export interface Theorem2ConditionOneStudy {
  readonly pairs: readonly Theorem2Pair[];
  /** Conditions (I)-(III) at the midpoint, per pair. */
  readonly reports: readonly Theorem2ConditionReport[];
  /** The arrival rates at which (I) holds, per pair and set. */
  readonly rateScans: readonly Theorem2ConditionOneRates[];
  /** Set by set at the midpoint; conditions (I)-(III); the rates where (I) holds. */
  readonly tables: readonly PaperTable[];
  /** The drift over the state plane at the midpoint, one heatmap per pair. */
  readonly heatmaps: readonly PlotlyFigure[];
  readonly checks: readonly string[];
  readonly claims: readonly Claim[];
  readonly details: string;
}

/** The positive root of (K+1)(C+2) x^2 - ((K+1)C + 2) x - 2: where (I) starts to hold deep in the set A (hand derivation below). */
function setABoundary(K: number, C: number): number {
  const a = (K + 1) * (C + 2);
  const b = (K + 1) * C + 2;
  return (b + Math.sqrt(b * b + 8 * a)) / (2 * a);
}

function intervalsText(intervals: readonly { readonly from: number; readonly to: number }[]): string {
  return intervals.length === 0 ? "nowhere in the scan" : intervals.map((i) => `[${i.from.toFixed(6)}, ${i.to.toFixed(6)}]`).join(" ∪ ");
}

/**
 * Condition (I) of the proof of Theorem 2 (Delta V(q) >= 0 outside E_0 = {0}, for the paper's test function
 * V(q) = q1 + q2 + ((1 - lambda)/(1 + lambda)) sum_{l=0..C} ||q1 - q2| - l|) over the state plane of two-queue
 * ABOUNCE(C, infinity), by exact drifts (no simulation): set by set and conditions (I)-(III) at
 * lambda = (lambda* + lambda_c)/2 on q1 + q2 <= conditionMaxTotal, heatmaps of the drift on q1 + q2 <=
 * heatmapMaxTotal, and the arrival rates at which (I) holds on each set (`theorem2ConditionOneRates`, on q1 + q2
 * <= rateScanMaxTotal).
 *
 * Independent checks (hand derivations, beta = (1 - lambda)/(1 + lambda); each throws Error when it fails): on the
 * diagonal q1 = q2 > 0 every event moves |D| to 1, so Delta V = -C (1 - lambda)/(1 + lambda) at every state (to
 * 1e-12); on B_l, 1 <= l <= C, Delta V = 0 (to 1e-12); deep in A, Delta V = a (K + 1)(1 - beta (C + 1)) - 2 s with
 * a = lambda/(2(lambda + 1)), s = 1/(2(lambda + 1)), which is >= 0 exactly from the positive root of
 * (K + 1)(C + 2) x^2 - ((K + 1) C + 2) x - 2: the scanned boundary on A must equal it (to 1e-6).
 * Cost O(pairs x (conditionMaxTotal^2 + 100 x rateScanMaxTotal^2)) exact drifts: about a second for three pairs
 * at 150 and 40.
 *
 * @param options pairs: [K, C] with K an integer >= 2 and C an integer >= K; conditionMaxTotal, heatmapMaxTotal,
 *   rateScanMaxTotal: integers in [C + K + 2, 500] (the region must reach deep into A)
 * @returns the pairs, reports, scans, tables, heatmaps, passed checks, claims and details
 * @throws ParameterError naming the option at fault; Error when a check fails
 * @example
 * const s = theorem2ConditionOneStudy({ pairs: [[2, 2]], conditionMaxTotal: 40, heatmapMaxTotal: 20, rateScanMaxTotal: 20 });
 * s.reports[0]!.conditionI.failingStates // => 20  (the diagonal states (1, 1) .. (20, 20))
 * s.claims[0]!.verdict                   // => "fails"
 */
export function theorem2ConditionOneStudy(options: {
  readonly pairs: readonly (readonly [number, number])[];
  readonly conditionMaxTotal: number;
  readonly heatmapMaxTotal: number;
  readonly rateScanMaxTotal: number;
}): Theorem2ConditionOneStudy {
  if (!Array.isArray(options.pairs) || options.pairs.length === 0) throw new ParameterError("pairs", options.pairs, "a non-empty array of [K, C] pairs");
  const pairs: Theorem2Pair[] = options.pairs.map(([k, c]) => {
    const K = requireInteger("migrationPenalty (K)", k, 2);
    const C = requireIntegerThreshold(c, K);
    const lambdaStar = theorem2LambdaStar(K, C);
    const exactThreshold = exactTwoQueueThreshold(K, C).criticalArrivalRate;
    return { migrationPenalty: K, threshold: C, lambdaStar, exactThreshold, midpoint: (lambdaStar + exactThreshold) / 2 };
  });
  const deepest = Math.max(...pairs.map((p) => p.threshold + p.migrationPenalty + 2));
  const conditionMaxTotal = requireInteger("conditionMaxTotal", options.conditionMaxTotal, deepest, 500);
  const heatmapMaxTotal = requireInteger("heatmapMaxTotal", options.heatmapMaxTotal, deepest, 500);
  const rateScanMaxTotal = requireInteger("rateScanMaxTotal", options.rateScanMaxTotal, deepest, 500);

  const reports = pairs.map((p) => theorem2ConditionCheck({
    arrivalRate: p.midpoint, migrationPenalty: p.migrationPenalty, threshold: p.threshold, maxTotal: conditionMaxTotal,
  }));
  for (const r of reports) {
    const C = r.threshold;
    const diagonal = (-C * (1 - r.arrivalRate)) / (1 + r.arrivalRate);
    const b0 = r.bySet.find((s) => s.set === "B_0");
    requireCheck(b0 !== undefined && Math.abs(b0.minDrift - diagonal) <= 1e-12 && Math.abs(b0.maxDrift - diagonal) <= 1e-12,
      `diagonal drift = -C(1 - lambda)/(1 + lambda) = ${diagonal} (K=${r.migrationPenalty}, C=${C}): got [${b0?.minDrift}, ${b0?.maxDrift}]`);
    for (const s of r.bySet.filter((x) => /^B_[1-9]/.test(x.set))) {
      requireCheck(Math.abs(s.minDrift) <= 1e-12 && Math.abs(s.maxDrift) <= 1e-12, `drift 0 on ${s.set} (K=${r.migrationPenalty}, C=${C}): [${s.minDrift}, ${s.maxDrift}]`);
    }
  }
  const rateScans = pairs.map((p) => theorem2ConditionOneRates({ migrationPenalty: p.migrationPenalty, threshold: p.threshold, maxTotal: rateScanMaxTotal }));
  for (const s of rateScans) {
    const A = s.bySet.find((x) => x.set === "A")?.holdingIntervals ?? [];
    const root = setABoundary(s.migrationPenalty, s.threshold);
    requireCheck(A.length === 1 && Math.abs((A[0] as { from: number }).from - root) <= 1e-6,
      `the boundary of (I) on A equals the root ${root} of (K+1)(C+2)x^2 - ((K+1)C+2)x - 2 (K=${s.migrationPenalty}, C=${s.threshold}): got ${intervalsText(A)}`);
  }
  const checks = [
    `diagonal drift = −C(1 − λ)/(1 + λ) and drift 0 on B_1..B_C, to 1e-12, on every state with q1 + q2 ≤ ${conditionMaxTotal}`,
    "the boundary of (I) on A equals the hand-derived root to 1e-6 for every pair",
  ];

  const pairText = (r: { migrationPenalty: number; threshold: number }): string => `${r.migrationPenalty}, ${r.threshold}`;
  const tables: PaperTable[] = [
    {
      caption: `Condition (I), ΔV(q) ≥ 0, set by set on q1 + q2 ≤ ${conditionMaxTotal} at λ = (λ* + λ_c)/2 (tolerance 1e-9)`,
      significantDigits: 5,
      rows: reports.flatMap((r) => r.bySet.map((s) => ({
        "K, C": pairText(r), λ: r.arrivalRate, set: s.set, states: s.states, "(I) holds": s.holding, "(I) fails": s.failing,
        "min ΔV": s.minDrift, at: `(${s.minDriftState.join(", ")})`, "max ΔV": s.maxDrift, "at ": `(${s.maxDriftState.join(", ")})`,
      }))),
    },
    {
      caption: "Conditions (I)-(III) with E_0 = {0} at λ = (λ* + λ_c)/2",
      significantDigits: 5,
      rows: reports.map((r) => ({
        "K, C": pairText(r), λ: r.arrivalRate,
        "(I) on region": r.conditionI.holds ? "holds" : `fails at ${r.conditionI.failingStates} of ${r.conditionI.states} states`,
        "(II)": r.conditionII.holds ? "holds" : "fails", "(II) witness q*": `(${r.conditionII.witness.join(", ")})`,
        "V(q*)": r.conditionII.witnessValue, "V(0)": r.conditionII.valueAtOrigin,
        "(III)": r.conditionIII.holds ? "holds" : "fails", "V bounded below by": r.conditionIII.analyticLowerBound,
        "E|ΔV| at 0": r.conditionIII.meanAbsoluteChangeAtOrigin,
      })),
    },
    {
      caption: `Arrival rates at which condition (I) holds on q1 + q2 ≤ ${rateScanMaxTotal}. The scan covers λ = 0.01, 0.02, ..., 0.99: an interval starting at 0.01 or ending at 0.99 extends to that end of the scan; B_2..B_C behave as B_1.`,
      significantDigits: 6,
      rows: rateScans.flatMap((s) => s.bySet.filter((x) => ["A", "B_0", "B_1", "U"].includes(x.set)).map((x) => ({
        "K, C": pairText(s), "λ*": s.lambdaStar, "λ_c": s.exactThreshold, set: x.set, "(I) holds for λ in": intervalsText(x.holdingIntervals),
      }))),
    },
  ];
  const heatmaps = pairs.map((p) => {
    const grid = theorem2DriftGrid({ arrivalRate: p.midpoint, migrationPenalty: p.migrationPenalty, threshold: p.threshold, maxTotal: heatmapMaxTotal });
    return heatmapFigure({ x: grid.x, y: grid.y, z: grid.drift, colorTitle: "ΔV(q)" },
      { title: `ΔV(q), K = ${p.migrationPenalty}, C = ${p.threshold}, λ = ${p.midpoint.toFixed(4)} = (λ* + λ_c)/2`, xTitle: "q1", yTitle: "q2", height: 520 });
  });

  const first = reports[0] as Theorem2ConditionReport;
  const firstDiagonal = first.bySet.find((s) => s.set === "B_0")?.minDrift ?? NaN;
  const diagonalNever = rateScans.every((s) => (s.bySet.find((x) => x.set === "B_0")?.holdingIntervals.length ?? 1) === 0);
  const otherSets = rateScans.map((s) => {
    const firstFrom = (set: string): number => s.bySet.find((x) => x.set === set)?.holdingIntervals[0]?.from ?? NaN;
    const from = Math.max(...s.bySet.filter((x) => x.set !== "B_0").map((x) => (x.holdingIntervals.length === 1 ? (x.holdingIntervals[0] as { from: number }).from : NaN)));
    return { s, from, A: firstFrom("A"), U: firstFrom("U") };
  });
  const claims: Claim[] = [
    exactClaim(
      { id: "thm2-condition-I", statement: "(I) For all q ∉ E_0, ΔV(q) ≥ 0. [...] set E_0 = {0}. [...] By separately considering the drift (ΔV)(q) in each of these sets, it can be verified that for λ > λ*, condition (I) also holds.", source: "Section III, proof of Theorem 2" },
      { quantity: `ΔV on the diagonal q1 = q2 > 0, K = ${first.migrationPenalty}, C = ${first.threshold}, λ = ${first.arrivalRate.toFixed(4)}`, mean: firstDiagonal },
      reports.every((r) => r.conditionI.holds),
      `(I) fails at ${reports.map((r) => `${r.conditionI.failingStates} of ${r.conditionI.states} states (K = ${r.migrationPenalty}, C = ${r.threshold})`).join(", ")} at λ = (λ* + λ_c)/2: on the whole diagonal, where ΔV = −C(1 − λ)/(1 + λ) < 0 for every λ < 1 (hand derivation, checked to 1e-12)${diagonalNever ? "; the scan finds no rate in 0.01..0.99 where (I) holds on the diagonal" : ""}. The diagonal is infinite, so no finite E_0 removes it: the proof as written does not go through (a failed proof does not by itself make the theorem false)`,
    ),
  ];
  const details = markdownParagraphs([
    `**The proof.** With E_0 = {0}, condition (I) ${diagonalNever ? `fails on the diagonal q1 = q2 > 0 at every arrival rate of the scan (0.01 to 0.99) and, by the formula, at every λ < 1, for all ${rateScans.length} pairs` : "holds on the diagonal at some rates (unexpected: see the table)"}: there ΔV = −C(1 − λ)/(1 + λ) (checked to 1e-12), e.g. ${formatNumber(firstDiagonal, 4)} for K = ${first.migrationPenalty}, C = ${first.threshold} at λ = ${first.arrivalRate.toFixed(4)}. The diagonal is infinite, so no finite E_0 removes the failure: **the proof as written does not go through.** ` +
      `On the other sets (A, B_1..B_C and the states U that the paper's sets omit) (I) holds on the scanned region for ${otherSets.map((o) => `λ ≥ ${o.from.toFixed(4)} (K = ${o.s.migrationPenalty}, C = ${o.s.threshold}: A from ${o.A.toFixed(4)}, U from ${o.U.toFixed(4)}, λ* = ${o.s.lambdaStar.toFixed(4)})`).join("; ")}` +
      `${otherSets.every((o) => o.from < o.s.lambdaStar) ? ", so λ* is not the rate at which (I) starts to hold on those sets either" : ""}. This is about the proof: a failed proof does not by itself make the theorem false.`,
  ]);
  return { pairs, reports, rateScans, tables, heatmaps, checks, claims, details };
}
