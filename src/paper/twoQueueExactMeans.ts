import { formatNumber } from "../display/formatNumber";
import { lineFigure } from "../display/lineFigure";
import type { PlotlyFigure } from "../display/plotlyFigure";
import { type CacheOptions, cachedStudy } from "../study/cache/resultCache";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { abounce } from "../model/policy";
import type { SystemParams } from "../model/system";
import { linearRegression, mean } from "../statistics/simpleStatistics";
import { type Claim, claim, exactClaim } from "../study/claims";
import { requireCheck } from "../study/requireCheck";
import { MAX_EXACT_STATES, maxExactTruncation } from "../theory/exact/exactLimits";
import { type ExactStationary, exactStationary } from "../theory/exact/exactStationary";
import { exactTwoQueueThreshold } from "../theory/thresholds/exactTwoQueueThreshold";
import { requireIntegerThreshold, theorem2LambdaStar } from "../theory/thresholds/theorem2LambdaStar";
import { type PaperTable, markdownParagraphs } from "./paperOutput";
import { THEOREM2_SOURCE, THEOREM2_STATEMENT } from "./theorem2Thresholds";

/** The exact stationary answer of two-queue ABOUNCE(C, infinity) at one arrival rate. */
export interface TwoQueueExactMeanRow {
  readonly arrivalRate: number;
  /** Where lambda lies: below Theorem 2's lambda*, or between lambda* and the exact threshold lambda_c. */
  readonly region: "below λ*" | "between λ* and λ_c";
  /** T, the truncation the answer was computed at (NaN when there is no bounded answer). */
  readonly truncation: number;
  /** E[Q] per queue, units (NaN when there is no bounded answer). */
  readonly meanQueueLength: number;
  /** Bound on |E[Q] at T - E[Q]| (see `exactStationary`). */
  readonly meanQueueLengthBound: number;
  /** Bound on the error of every tail probability. */
  readonly tailBound: number;
  /** P(an arrival migrates). */
  readonly migrationFraction: number;
  /** (lambda_c - lambda) E[Q]: about constant when E[Q] blows up like 1/(lambda_c - lambda). */
  readonly distanceTimesMean: number;
  /** The decay per level of the truncation error (tends to 1 at the threshold). */
  readonly decayRatio: number;
  /** "" when the tolerance was met; otherwise what was done instead. */
  readonly note: string;
}

/** What `twoQueueExactMeanStudy` returns. */
export interface TwoQueueExactMeanStudy {
  readonly migrationPenalty: number;
  readonly threshold: number;
  readonly lambdaStar: number;
  readonly exactThreshold: number;
  readonly rows: readonly TwoQueueExactMeanRow[];
  /**
   * Where the least-squares line through (lambda, 1/E[Q]) at the `poleFit` largest solved rates meets 0: the rate
   * at which the exact mean blows up (NaN with fewer than 2 solved rates).
   */
  readonly pole: number;
  /** The rates of that fit. */
  readonly poleRates: readonly number[];
  readonly table: PaperTable;
  /** E[Q] against lambda (log scale) with lambda* and lambda_c; 1/E[Q] with the fitted line to its zero. */
  readonly figures: readonly PlotlyFigure[];
  readonly checks: readonly string[];
  readonly claims: readonly Claim[];
  readonly details: string;
}

/** One rate solved as a cache entry: plain numbers. */
type Solved = Omit<TwoQueueExactMeanRow, "region" | "distanceTimesMean"> & { readonly tail1: number; readonly migrationBound: number };

function solvedFrom(r: ExactStationary, note: string): Solved {
  const e = r.truncationError;
  return {
    arrivalRate: r.system.arrivalRate, truncation: r.truncation, meanQueueLength: r.meanQueueLength,
    meanQueueLengthBound: e.bound.meanQueueLength, tailBound: e.bound.tail, migrationFraction: r.migrationFraction,
    migrationBound: e.bound.migrationFraction, decayRatio: e.decayRatio, tail1: r.tail[1] ?? NaN, note,
  };
}

/** exactStationary at the tolerance; if that cannot be met within the state limit, the answer at the largest truncation with its own bound. */
function solveRate(system: SystemParams, tolerance: number, maxStates: number): Solved {
  try {
    return solvedFrom(exactStationary(system, { tolerance, maxStates }), "");
  } catch (error) {
    if (!(error instanceof ParameterError) || error.parameter !== "tolerance") throw error;
  }
  const T = maxExactTruncation(system.queues, maxStates);
  try {
    return solvedFrom(exactStationary(system, { truncation: T, tolerance: 0.5, maxStates }), `tolerance ${tolerance} not reachable within ${maxStates} states: answer at T = ${T} with its own bound`);
  } catch (error) {
    if (!(error instanceof ParameterError) || error.parameter !== "truncation (T)") throw error;
    return {
      arrivalRate: system.arrivalRate, truncation: NaN, meanQueueLength: NaN, meanQueueLengthBound: NaN, tailBound: NaN,
      migrationFraction: NaN, migrationBound: NaN, decayRatio: NaN, tail1: NaN,
      note: `no bounded answer at T = ${T} (the largest truncation): the error does not contract`,
    };
  }
}

/**
 * The exact mean queue length of two-queue ABOUNCE(C, infinity) against the arrival rate, up to the exact
 * stability threshold lambda_c, beside Theorem 2's lambda*: where the stationary law exists and where its mean
 * blows up. Each rate is solved by `exactStationary` (embedded chain, truncated at T units per queue, with a
 * bounded truncation error; the bound assumes the error keeps falling geometrically in T, see its doc comment) at
 * `tolerance`; a rate so close to lambda_c that the tolerance cannot be met within the state limit (`maxStates`
 * lumped states: T <= 705 for n = 2 by default) is solved at the largest truncation and reported with its own, larger bound; a rate where even that
 * bound is infinite is reported without an answer (NaN). Each rate is cached (data/cache, study
 * "two-queue-exact-means").
 *
 * The pole: below lambda_c the total work of long queues is a random walk with drift proportional to
 * lambda_c - lambda, so E[Q] should grow like c/(lambda_c - lambda); the least-squares line through
 * (lambda, 1/E[Q]) at the `poleFit` largest solved rates meets 0 at the rate where the mean blows up.
 *
 * Independent check (throws Error when it fails): work conservation at every solved rate, P(Q >= 1) =
 * lambda (1 + (K - 1) P(migrate)) within the answer's bounds.
 * Cost: per rate, the solves of `exactStationary` (milliseconds at lambda = 0.5; about 4-15 s at T = 705 on a
 * shared 2-core machine), or one file read when cached.
 *
 * @param options migrationPenalty: K, an integer >= 2; threshold: C, an integer >= K; rates: arrival rates in
 *   (0, lambda_c), increasing; tolerance in [1e-9, 0.5] (default 2e-3: probabilities to 2e-3, E[Q] to 0.2%);
 *   poleFit: an integer >= 2 (default 4); maxStates: the state limit, an integer in [2, 250000] (default
 *   250000); cache; onProgress(done, total)
 * @returns the rows, the pole, a table, two figures (E[Q] on a log scale; 1/E[Q] near lambda_c with the fitted line), the
 *   passed checks, claims and details
 * @throws ParameterError naming the option at fault (a rate at or above lambda_c, where no stationary law
 *   exists, included) before any work, or "rates" when no rate has a bounded answer; Error when a check fails
 * @example
 * const s = await twoQueueExactMeanStudy({ migrationPenalty: 2, threshold: 2, rates: [0.7, 0.8, 0.85] });
 * s.rows.map((r) => Number(r.meanQueueLength.toFixed(3))) // => [2.382, 5.076, 10.841]
 * Number(s.pole.toFixed(3))                               // => 0.891  (three low rates; with rates up to 0.8875: 0.8942, lambda_c = 0.8941)
 */
export async function twoQueueExactMeanStudy(options: {
  readonly migrationPenalty: number;
  readonly threshold: number;
  readonly rates: readonly number[];
  readonly tolerance?: number;
  readonly poleFit?: number;
  readonly maxStates?: number;
  readonly cache?: CacheOptions;
  readonly onProgress?: (done: number, total: number) => void;
}): Promise<TwoQueueExactMeanStudy> {
  const K = requireInteger("migrationPenalty (K)", options.migrationPenalty, 2);
  const C = requireIntegerThreshold(options.threshold, K);
  const tolerance = requireNumber("tolerance", options.tolerance ?? 2e-3, 1e-9, 0.5, { loInclusive: true, hiInclusive: true });
  const poleFit = requireInteger("poleFit", options.poleFit ?? 4, 2);
  const maxStates = requireInteger("maxStates", options.maxStates ?? MAX_EXACT_STATES, 2, MAX_EXACT_STATES);
  const lambdaStar = theorem2LambdaStar(K, C);
  const lambdaC = exactTwoQueueThreshold(K, C).criticalArrivalRate;
  if (!Array.isArray(options.rates) || options.rates.length === 0) throw new ParameterError("rates", options.rates, "a non-empty array of arrival rates");
  options.rates.forEach((lambda, k) => {
    requireNumber("rates", lambda, 0, lambdaC);
    if (k > 0 && !(lambda > (options.rates[k - 1] as number))) throw new ParameterError("rates", options.rates, "increasing arrival rates");
  });

  const solved: Solved[] = [];
  options.onProgress?.(0, options.rates.length);
  for (const lambda of options.rates) {
    const system: SystemParams = { queues: 2, arrivalRate: lambda, migrationPenalty: K, policy: abounce(C, Infinity) };
    const entry = await cachedStudy("two-queue-exact-means", { system, tolerance, maxStates }, () => solveRate(system, tolerance, maxStates), options.cache);
    solved.push(entry.result);
    options.onProgress?.(solved.length, options.rates.length);
  }
  for (const s of solved) {
    if (Number.isNaN(s.meanQueueLength)) continue;
    const work = s.arrivalRate * (1 + (K - 1) * s.migrationFraction);
    const allowed = s.tailBound + s.arrivalRate * (K - 1) * s.migrationBound + 1e-12;
    requireCheck(Math.abs(s.tail1 - work) <= allowed, `work conservation at λ = ${s.arrivalRate}: P(Q >= 1) = ${s.tail1} vs λ(1 + (K - 1)p) = ${work} (allowed ${allowed})`);
  }
  const rows: TwoQueueExactMeanRow[] = solved.map(({ tail1: _t, migrationBound: _m, ...s }) => ({
    ...s, region: s.arrivalRate > lambdaStar ? "between λ* and λ_c" : "below λ*", distanceTimesMean: (lambdaC - s.arrivalRate) * s.meanQueueLength,
  }));
  const answered = rows.filter((r) => Number.isFinite(r.meanQueueLength));
  const fitted = answered.slice(-poleFit);
  let pole = NaN;
  if (fitted.length >= 2) {
    const line = linearRegression(fitted.map((r) => [r.arrivalRate, 1 / r.meanQueueLength] as const));
    pole = -line.b / line.m;
  }
  const checks = [`work conservation P(Q ≥ 1) = λ(1 + (K − 1) p_mig) within the bounds at ${answered.length} rates`];

  const table: PaperTable = {
    caption: `Exact stationary mean queue length of ABOUNCE(${C}, ∞), n = 2, K = ${K} (λ* = ${formatNumber(lambdaStar, 6)}, λ_c = ${formatNumber(lambdaC, 6)})`,
    significantDigits: 5,
    rows: rows.map((r) => ({
      λ: r.arrivalRate, where: r.region, T: r.truncation, "E[Q] per queue": r.meanQueueLength, "error bound": r.meanQueueLengthBound,
      "(λ_c − λ) E[Q]": r.distanceTimesMean, "1 / E[Q]": 1 / r.meanQueueLength, "migrating fraction": r.migrationFraction,
      "tail error bound": r.tailBound, "decay per level": r.decayRatio, note: r.note,
    })),
  };
  if (answered.length === 0) throw new ParameterError("rates", options.rates, "rates with a bounded exact answer (lower rates: every rate given is too close to λ_c)");
  const constant = fitted.length > 0 ? mean(fitted.map((r) => r.distanceTimesMean)) : NaN;
  const top = Math.max(...answered.map((r) => r.meanQueueLength), 1);
  // The reference curve c/(lambda_c - lambda), drawn up to three times the largest exact mean.
  const curveEnd = Math.max(answered[0]!.arrivalRate, lambdaC - constant / (3 * top));
  const grid = Array.from({ length: 60 }, (_, k) => answered[0]!.arrivalRate + ((curveEnd - answered[0]!.arrivalRate) * k) / 59);
  // The second figure shows the rates within twice the span of the fit below its first rate.
  const from = fitted.length > 0 ? 2 * (fitted[0] as TwoQueueExactMeanRow).arrivalRate - lambdaC : -Infinity;
  const near = answered.filter((r) => r.arrivalRate >= from);
  const figures = [
    lineFigure([
      { name: "exact E[Q] per queue", x: answered.map((r) => r.arrivalRate), y: answered.map((r) => r.meanQueueLength), errorY: answered.map((r) => r.meanQueueLengthBound), mode: "lines+markers" },
      { name: `${formatNumber(constant, 3)} / (λ_c − λ)`, x: grid, y: grid.map((l) => constant / (lambdaC - l)), dash: "dash" },
      { name: `Theorem 2's λ* = ${formatNumber(lambdaStar, 6)}`, x: [lambdaStar, lambdaStar], y: [0.1, 10 * top], dash: "dot" },
      { name: `exact λ_c = ${formatNumber(lambdaC, 6)}`, x: [lambdaC, lambdaC], y: [0.1, 10 * top], dash: "dashdot" },
    ], { title: `ABOUNCE(${C}, ∞), n = 2, K = ${K}: the exact mean blows up at λ_c, not at λ*`, xTitle: "arrival rate λ", yTitle: "E[Q] per queue (log)", logY: true }),
    lineFigure([
      { name: "exact 1 / E[Q]", x: near.map((r) => r.arrivalRate), y: near.map((r) => 1 / r.meanQueueLength), mode: "markers" },
      { name: `least squares on the ${fitted.length} largest rates, zero at ${formatNumber(pole, 5)}`, x: [fitted[0]?.arrivalRate ?? NaN, pole], y: [fitted[0] ? 1 / fitted[0].meanQueueLength : NaN, 0], dash: "dash" },
      { name: `Theorem 2's λ*`, x: [lambdaStar, lambdaStar], y: [0, 1 / near[0]!.meanQueueLength], dash: "dot" },
      { name: `exact λ_c`, x: [lambdaC, lambdaC], y: [0, 1 / near[0]!.meanQueueLength], dash: "dashdot" },
    ], { title: "Near λ_c: 1 / E[Q] reaches 0 where the stationary law ceases to exist", xTitle: "arrival rate λ", yTitle: "1 / E[Q]" }),
  ];

  const beyond = answered.filter((r) => r.arrivalRate > lambdaStar);
  const last = beyond[beyond.length - 1];
  const spread = fitted.length > 0 ? [Math.min(...fitted.map((r) => r.distanceTimesMean)), Math.max(...fitted.map((r) => r.distanceTimesMean))] : [NaN, NaN];
  const base = { statement: THEOREM2_STATEMENT, source: THEOREM2_SOURCE };
  const claims: Claim[] = [
    last
      ? exactClaim({ id: "thm2-exact-law", ...base },
        { quantity: `exact E[Q] per queue at λ = ${last.arrivalRate} ∈ (λ*, λ_c), error ≤ ${formatNumber(last.meanQueueLengthBound, 2)}`, mean: last.meanQueueLength },
        false,
        `the truncated chains converge to a stationary law at ${beyond.length} rate(s) above λ* = ${formatNumber(lambdaStar, 6)} (largest: λ = ${last.arrivalRate}, T = ${last.truncation}, E[Q] = ${formatNumber(last.meanQueueLength, 5)} ± ${formatNumber(last.meanQueueLengthBound, 2)}, tail error ≤ ${formatNumber(last.tailBound, 2)}); a null recurrent or transient chain has none. The bound assumes the truncation error keeps falling geometrically in T (exact for no sharing, checked against larger truncations in the tests, not proved for ABOUNCE)`)
      : claim({ id: "thm2-exact-law", ...base }, { quantity: "exact E[Q] per queue above λ*", mean: NaN }, "undetermined",
        `no rate above λ* = ${formatNumber(lambdaStar, 6)} was solved with a bounded error; add rates in (λ*, λ_c)`),
    claim({ id: "thm2-exact-pole", ...base },
      { quantity: `zero of the line through 1/E[Q] at λ = ${fitted.map((r) => r.arrivalRate).join(", ")}`, mean: pole },
      !Number.isFinite(pole) ? "undetermined" : pole <= lambdaStar ? "holds" : pole - lambdaStar > (lambdaC - lambdaStar) / 2 ? "fails" : "undetermined",
      Number.isFinite(pole)
        ? `1/E[Q] extrapolates to 0 at ${formatNumber(pole, 5)}, ${formatNumber(Math.abs(pole - lambdaC), 2)} from λ_c = ${formatNumber(lambdaC, 6)} and ${formatNumber(pole - lambdaStar, 2)} above λ* = ${formatNumber(lambdaStar, 6)}; (λ_c − λ) E[Q] stays within [${formatNumber(spread[0]!, 4)}, ${formatNumber(spread[1]!, 4)}] there: the mean blows up like 1/(λ_c − λ). Verdict rule: holds if the zero is at or below λ*, fails if it is nearer λ_c than λ*, undetermined in between`
        : "fewer than two rates were solved: no line to extrapolate",
    ),
  ];
  const products = answered.map((r) => r.distanceTimesMean);
  const details = markdownParagraphs([
    `**Exact stationary laws** (ABOUNCE(${C}, ∞), n = 2, K = ${K}). The mean queue length grows from ${formatNumber(answered[0]!.meanQueueLength, 4)} at λ = ${answered[0]!.arrivalRate} to ${formatNumber(answered[answered.length - 1]!.meanQueueLength, 5)} at λ = ${answered[answered.length - 1]!.arrivalRate}, and (λ_c − λ) E[Q] lies in [${formatNumber(Math.min(...products), 4)}, ${formatNumber(Math.max(...products), 4)}] over the solved rates (within [${formatNumber(spread[0]!, 4)}, ${formatNumber(spread[1]!, 4)}] at the ${fitted.length} largest): E[Q] ≈ ${formatNumber(constant, 3)}/(λ_c − λ), and 1/E[Q] extrapolates to 0 at λ = ${formatNumber(pole, 5)}, against λ_c = ${formatNumber(lambdaC, 6)} and λ* = ${formatNumber(lambdaStar, 6)}.` +
      (last ? ` Above λ* the law still exists: at λ = ${last.arrivalRate}, E[Q] = ${formatNumber(last.meanQueueLength, 5)} with truncation error ≤ ${formatNumber(last.meanQueueLengthBound, 2)} (T = ${last.truncation}).` : " No rate above λ* was solved."),
    rows.some((r) => r.note !== "") ? `Rates near λ_c: ${rows.filter((r) => r.note !== "").map((r) => `λ = ${r.arrivalRate}: ${r.note}${Number.isFinite(r.meanQueueLength) ? ` (E[Q] = ${formatNumber(r.meanQueueLength, 4)} ± ${formatNumber(r.meanQueueLengthBound, 2)})` : ""}`).join("; ")}.` : "",
  ]);
  return { migrationPenalty: K, threshold: C, lambdaStar, exactThreshold: lambdaC, rows, pole, poleRates: fitted.map((r) => r.arrivalRate), table, figures, checks, claims, details };
}
