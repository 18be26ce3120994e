import { lineFigure, type FigureSeries } from "../display/lineFigure";
import type { PlotlyFigure } from "../display/plotlyFigure";
import { progressReporter } from "../display/progressReporter";
import type { CacheOptions } from "../study/cache/resultCache";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { type PolicySpec, mbounce, noSharing, policyLabel } from "../model/policy";
import { intervalAtConfidence } from "../statistics/intervalAtConfidence";
import { type Claim, claim, precisionPhrase } from "../study/claims";
import { compareCells } from "../study/compareCells";
import { meanFieldDelays } from "../study/meanFieldDelays";
import { type PrecisionPlan, precisionSimulation } from "../study/precisionSimulation";
import { type StudyCellResult, type StudyProgress, type StudyResult, runStudy } from "../study/runStudy";
import { studyGrid } from "../study/studyGrid";
import { ci, num, wordList } from "./numberText";
import type { PaperTable } from "./paperOutput";

/** Parameters of {@link figure6MbounceDelays}. */
export interface Figure6Parameters {
  /** n: an integer >= 2; default 100. */
  readonly queues?: number;
  /** K: an integer >= 1; default 2. */
  readonly migrationPenalty?: number;
  /** d: an integer >= 1; default 10. */
  readonly samples?: number;
  /** The arrival rates, each in (0, 1), at least one. */
  readonly lambdas: readonly number[];
  /** The ratios alpha of MBOUNCE(alpha, d), each > 1, at least one. */
  readonly alphas: readonly number[];
  /** How each (lambda, policy) cell is simulated: the mean delay's precision target, warm-up and budget. */
  readonly precision: Omit<PrecisionPlan, "of">;
  /** The study seed; every cell uses it (common random numbers across policies). Default 604. */
  readonly seed?: number;
  /** Family-wise confidence of the no-sharing check against 1/(1 - lambda): in (0, 1); default 0.99. */
  readonly checkFamilyLevel?: number;
  readonly cache?: CacheOptions;
  /** Show a progress line while the study runs (default false). */
  readonly progress?: boolean;
}

/** One simulated point of Figure 6 with its mean-field delay. */
export interface Figure6Point {
  readonly lambda: number;
  readonly policy: PolicySpec;
  readonly label: string;
  readonly cell: StudyCellResult;
  /** The mean-field FIFO delay (1/(1 - lambda) without sharing; NaN without a fixed point). */
  readonly meanField: number;
}

/** What {@link figure6MbounceDelays} returns: plain data for the notebook. */
export interface Figure6MbounceDelays {
  readonly claims: readonly Claim[];
  /** The findings in markdown, written from the numbers. */
  readonly details: string;
  /** The independent check: simulated no-sharing delays against 1/(1 - lambda). */
  readonly checkTable: PaperTable;
  /** Every point: mean delay with its interval and precision, mean field, migration fraction, replications. */
  readonly table: PaperTable;
  /** Figure 6: simulated delays with 95% error bars, mean-field curves, 1/(1 - lambda). */
  readonly figure: PlotlyFigure;
  readonly points: readonly Figure6Point[];
  readonly study: StudyResult;
  /** Wall-clock seconds of the call (simulations and mean field, cached cells read). */
  readonly seconds: number;
}

const IMPROVEMENT = "Simulation results, as well as a formal mean-field analysis strongly suggest that this algorithm affords improvements in waiting time as well as lighter queue-tails than the no-sharing case.";
const NO_SHARING = "Here, the system trivially splits into n independent M/M/1 queues with arrival rate λ and service rate 1.";

function requireList(name: string, values: unknown, lo: number, hi: number): readonly number[] {
  if (!Array.isArray(values) || values.length === 0) throw new ParameterError(name, values, "a non-empty array of numbers");
  values.forEach((v, k) => requireNumber(`${name}[${k}]`, v, lo, hi));
  if (new Set(values).size !== values.length) throw new ParameterError(name, values, "distinct values");
  return values as number[];
}

/** "λ ∈ {0.5, 0.6}" for a non-empty list (callers leave empty lists out). */
const rates = (values: readonly number[]): string => `λ ∈ {${values.join(", ")}}`;

/**
 * Figure 6 of the paper (Section V): the expected per-job delay of MBOUNCE(alpha, d) against no sharing at
 * n = 100, K = 2, d = 10, for each alpha and lambda. Every (lambda, policy) cell runs to a stated relative
 * precision of its mean delay (precisionSimulation: runSimulation adds independent replications in rounds
 * until the 95% half-width is at most the target, or the budget is spent); all cells run at once on the
 * worker pool, with common random numbers across policies, while the mean-field delays (meanFieldDelays)
 * are computed on the calling thread.
 *
 * Independent check (throws when it fails): without sharing each queue is M/M/1, whose mean sojourn time is
 * 1/(1 - lambda); every simulated no-sharing delay must contain it in its interval at the Bonferroni level
 * 1 - (1 - checkFamilyLevel)/|lambdas|, so a correct simulator fails the check with probability at most
 * 1 - checkFamilyLevel.
 *
 * Claims: the M/M/1 check; for each alpha, "improves waiting time" (holds when at every lambda the 95%
 * interval of MBOUNCE - no sharing lies below 0, fails when at some lambda it lies above 0; compareCells:
 * paired when both cells ran the same replications on the common seed, Welch otherwise); the mean-field half
 * of the same sentence (exact: every mean-field delay below 1/(1 - lambda)).
 *
 * Cost: the cells' simulations (about 5e8 events at 2% for 8 rates and 5 policies), plus one mean-field fixed
 * point per MBOUNCE cell (cached).
 *
 * @param parameters rates, ratios, precision plan, seed, check level
 * @returns claims, details, tables, the figure, the points and the study
 * @throws ParameterError for a bad parameter (before any simulation); Error when the M/M/1 check fails
 * @example
 * const f6 = await figure6MbounceDelays({ lambdas: [0.5, 0.9], alphas: [2, 8],
 *   precision: { relativeHalfWidth: 0.05, replications: 4, minEvents: 5e4, maxEvents: 4e7 } });
 * f6.claims.map((c) => c.verdict) // => ["holds", "holds", "holds", "holds"]
 */
export async function figure6MbounceDelays(parameters: Figure6Parameters): Promise<Figure6MbounceDelays> {
  const started = performance.now();
  if (parameters === null || typeof parameters !== "object") throw new ParameterError("parameters", parameters, "the parameters of Figure 6");
  const n = requireInteger("queues", parameters.queues ?? 100, 2);
  const K = requireInteger("migrationPenalty", parameters.migrationPenalty ?? 2, 1);
  const d = requireInteger("samples", parameters.samples ?? 10, 1);
  const lambdas = requireList("lambdas", parameters.lambdas, 0, 1);
  const alphas = requireList("alphas", parameters.alphas, 1, Infinity);
  const seed = requireInteger("seed", parameters.seed ?? 604, 0, 0xffffffff);
  const level = requireNumber("checkFamilyLevel", parameters.checkFamilyLevel ?? 0.99, 0, 1);
  const plan: PrecisionPlan = { ...parameters.precision, of: "meanDelay" };
  const policies = [noSharing(), ...alphas.map((a) => mbounce(a, d))];
  const cells = studyGrid({ lambda: lambdas, policy: policies }, ({ lambda, policy }) =>
    ({ queues: n, arrivalRate: lambda, migrationPenalty: K, policy }));
  cells.forEach((c) => precisionSimulation(c.system, plan));

  const progress = parameters.progress ? progressReporter("Figure 6: cells simulated", cells.length) : undefined;
  const running = runStudy({
    name: "figure6-delay",
    cells,
    simulation: (cell) => precisionSimulation(cell.system, plan),
    seed,
    commonRandomNumbers: true,
    ...(parameters.cache !== undefined ? { cache: parameters.cache } : {}),
    ...(progress ? { onProgress: (p: StudyProgress) => progress(Math.round(10 * p.fraction * p.total) / 10, p.total) } : {}),
  });
  const sharing = cells.filter((c) => c.system.policy.kind !== "none");
  const delays = await meanFieldDelays(sharing.map((c) => ({ arrivalRate: c.system.arrivalRate, migrationPenalty: K, policy: c.system.policy })), parameters.cache);
  const study = await running;
  const meanFieldOf = new Map(sharing.map((c, k) => [c.key, delays[k]?.converged ? (delays[k]?.meanJobDelay as number) : NaN]));
  const points: Figure6Point[] = study.cells.map((cell) => ({
    lambda: cell.system.arrivalRate,
    policy: cell.system.policy,
    label: policyLabel(cell.system.policy),
    cell,
    meanField: meanFieldOf.get(cell.key) ?? 1 / (1 - cell.system.arrivalRate),
  }));
  const at = (lambda: number, label: string): Figure6Point => points.find((p) => p.lambda === lambda && p.label === label) as Figure6Point;
  const none = policyLabel(noSharing());

  // Independent check: no sharing against the M/M/1 sojourn time.
  const perCheck = 1 - (1 - level) / lambdas.length;
  const checks = lambdas.map((lambda) => {
    const p = at(lambda, none).cell.point;
    const wide = intervalAtConfidence(p.meanDelay, p.degreesOfFreedom, perCheck);
    const reference = 1 / (1 - lambda);
    return { lambda, p, wide, reference, within: Math.abs(p.meanDelay.mean - reference) <= wide.halfWidth };
  });
  const checkTable: PaperTable = {
    caption: `No sharing: simulated mean delay against 1/(1 − λ), intervals at ${num(100 * perCheck, 4)}% each (Bonferroni, ${num(100 * level)}% family-wise)`,
    rows: checks.map((c) => ({
      λ: c.lambda, "simulated mean delay": c.p.meanDelay.mean, "95% CI": ci(c.p.meanDelay.ci95, 4), "1/(1 − λ)": c.reference,
      "checked interval": ci([c.wide.lower, c.wide.upper], 4), replications: c.p.replications, within: c.within,
    })),
  };
  const failed = checks.filter((c) => !c.within);
  if (failed.length > 0) {
    throw new Error(`Figure 6: the no-sharing delay misses 1/(1 - lambda) at ${failed.map((c) => `lambda = ${c.lambda} (${num(c.p.meanDelay.mean, 4)}, checked interval ${ci([c.wide.lower, c.wide.upper], 4)})`).join("; ")}`);
  }
  const mm1Claim = claim(
    { id: "no-sharing-mm1", statement: NO_SHARING, source: "Section III" },
    { quantity: `largest |simulated − 1/(1 − λ)| / checked half-width over ${lambdas.length} rates`, mean: Math.max(...checks.map((c) => Math.abs(c.p.meanDelay.mean - c.reference) / c.wide.halfWidth)) },
    "holds",
    `every simulated no-sharing mean delay contains 1/(1 − λ) in its interval at ${num(100 * perCheck, 4)}% (Bonferroni over ${lambdas.length} rates, ${num(100 * level)}% family-wise)`,
  );

  // Each alpha against no sharing.
  const comparisons = alphas.map((alpha) => {
    const label = policyLabel(mbounce(alpha, d));
    const rows = lambdas.map((lambda) => {
      const s = at(lambda, label);
      const b = at(lambda, none);
      return { lambda, s, b, diff: compareCells(s.cell, b.cell, "meanDelay") };
    });
    return { alpha, label, rows };
  });
  const improvements = comparisons.map(({ label, rows }) => {
    const faster = rows.filter((r) => r.diff.verdict === "first lower").map((r) => r.lambda);
    const slower = rows.filter((r) => r.diff.verdict === "second lower").map((r) => r.lambda);
    const same = rows.filter((r) => r.diff.verdict === "no significant difference").map((r) => r.lambda);
    const worst = rows.reduce((w, r) => (r.diff.mean / r.b.cell.point.meanDelay.mean > w.diff.mean / w.b.cell.point.meanDelay.mean ? r : w));
    const verdict = slower.length > 0 ? "fails" : same.length === 0 ? "holds" : "undetermined";
    const text = [
      faster.length > 0 ? `faster than no sharing at ${rates(faster)}` : "",
      slower.length > 0 ? `**slower** at ${rates(slower)}` : "",
      same.length > 0 ? `not distinguishable at ${rates(same)}` : "",
    ].filter((t) => t !== "").join("; ");
    const c = claim(
      { id: `improvement-${label.replace(/[^A-Za-z0-9.]+/g, "-").replace(/-$/, "")}`, statement: IMPROVEMENT, source: "Section VI; Fig. 6 (simulation)" },
      { quantity: `${label} − no sharing, mean delay at λ = ${worst.lambda} (the worst rate relative to no sharing)`, mean: worst.diff.mean, ci95: worst.diff.ci95 },
      verdict,
      `95% intervals of ${label} − no sharing at each rate: ${text.replace(/\*\*/g, "")}` + (verdict === "undetermined" ? `; undetermined ${precisionPhrase()}` : ""),
    );
    return { label, rows, text, claim: c };
  });
  const improvementClaims = improvements.map((x) => x.claim);

  // The mean-field half of the sentence: exact numbers, no sampling error.
  const mfSlower = points.filter((p) => p.policy.kind !== "none" && !(p.meanField < 1 / (1 - p.lambda)));
  const mfClaim = claim(
    { id: "improvement-mean-field", statement: IMPROVEMENT, source: "Section VI; Section IV (mean field of the derived system)" },
    { quantity: "largest mean-field MBOUNCE delay × (1 − λ) over the rates and ratios", mean: Math.max(...points.filter((p) => p.policy.kind !== "none").map((p) => p.meanField * (1 - p.lambda))) },
    mfSlower.length === 0 ? "holds" : "fails",
    mfSlower.length === 0
      ? `every mean-field MBOUNCE delay lies below 1/(1 − λ) (exact fixed points of the derived systems)`
      : `the mean-field delay is not below 1/(1 − λ) for ${wordList(mfSlower.map((p) => `${p.label} at λ = ${p.lambda} (${num(p.meanField, 4)} against ${num(1 / (1 - p.lambda), 4)})`))}`,
  );

  const table: PaperTable = {
    caption: `Figure 6: mean per-job delay (n = ${n}, K = ${K}, d = ${d}) with 95% intervals, and the mean-field delay`,
    rows: points.map((p) => {
      const pt = p.cell.point;
      return {
        λ: p.lambda, policy: p.label, "mean delay": pt.meanDelay.mean, "95% CI": ci(pt.meanDelay.ci95, 4),
        "rel. half-width %": 100 * pt.meanDelay.relativeHalfWidth, "mean field": p.meanField, "migration fraction": pt.migrationFraction.mean,
        replications: pt.replications, "events/replication": (pt.precision?.eventsSimulated ?? pt.events) / pt.replications, stability: pt.stability.verdict,
        precision: pt.precision?.reached ? "reached" : pt.precision?.reason ?? "no precision target",
      };
    }),
  };

  const series: FigureSeries[] = policies.flatMap((policy): FigureSeries[] => {
    const label = policyLabel(policy);
    const pts = lambdas.map((lambda) => at(lambda, label).cell.point.meanDelay);
    const sim: FigureSeries = { name: `${label} (simulation)`, x: lambdas, y: pts.map((e) => e.mean), errorY: pts.map((e) => (e.ci95[1] - e.ci95[0]) / 2), mode: "markers" };
    if (policy.kind === "none") return [sim, { name: "no sharing: 1/(1 − λ)", x: lambdas, y: lambdas.map((l) => 1 / (1 - l)), dash: "dot" }];
    return [sim, { name: `${label} (mean field)`, x: lambdas, y: lambdas.map((l) => at(l, label).meanField), dash: "dash" }];
  });
  const figure = lineFigure(series, {
    title: `Figure 6: expected per-job delay, MBOUNCE(α,${d}) vs no sharing (n = ${n}, K = ${K})`,
    xTitle: "arrival rate λ", yTitle: "mean delay (time units)", logY: true, height: 520,
  });

  const lines: string[] = [`**Figure 6** (n = ${n}, K = ${K}, d = ${d}; per-job delay, 95% intervals of MBOUNCE − no sharing):`];
  for (const { label, rows, text } of improvements) {
    const top = rows.reduce((t, r) => (r.lambda > t.lambda ? r : t));
    lines.push(`- ${label}: ${text}. ` +
      `At λ = ${top.lambda}: ${num(top.s.cell.point.meanDelay.mean, 4)} ${ci(top.s.cell.point.meanDelay.ci95, 4)} against no sharing ` +
      `${num(top.b.cell.point.meanDelay.mean, 4)} ${ci(top.b.cell.point.meanDelay.ci95, 4)} (1/(1 − λ) = ${num(1 / (1 - top.lambda), 4)}).`);
  }
  const slowest = points.filter((p) => p.policy.kind !== "none")
    .map((p) => ({ p, ratio: p.cell.point.meanDelay.mean / at(p.lambda, none).cell.point.meanDelay.mean }))
    .reduce((w, x) => (x.ratio > w.ratio ? x : w));
  if (improvementClaims.some((c) => c.verdict === "fails")) {
    const pt = slowest.p.cell.point;
    lines.push("", `Where MBOUNCE is slower, migrations cost more than they balance: each turns one job into K = ${K} units of work. ` +
      `At λ = ${slowest.p.lambda}, ${slowest.p.label} migrates ${num(100 * pt.migrationFraction.mean)}% of arrivals, so work arrives at ` +
      `λ(1 + (K − 1) p_mig) = ${num(pt.effectiveLoad.mean, 5)} ${ci(pt.effectiveLoad.ci95, 5)} units per queue per unit time instead of ${slowest.p.lambda}, ` +
      `against a service capacity of 1; its delay is ${num(slowest.ratio)} times that of no sharing.`);
  }
  const gaps = points.filter((p) => p.policy.kind !== "none" && Number.isFinite(p.meanField)).map((p) => {
    const e = p.cell.point.meanDelay;
    return { p, rel: (e.mean - p.meanField) / p.meanField, outside: Math.abs(e.mean - p.meanField) > (e.ci95[1] - e.ci95[0]) / 2 };
  });
  if (gaps.length > 0) {
    const worst = gaps.reduce((w, g) => (Math.abs(g.rel) > Math.abs(w.rel) ? g : w));
    lines.push("", `**Mean field against simulation (n = ${n}):** the mean-field per-job delay is within ${num(100 * Math.abs(worst.rel), 2)}% of every simulated ` +
      `MBOUNCE delay (largest gap at λ = ${worst.p.lambda}, ${worst.p.label}: simulated ${num(worst.p.cell.point.meanDelay.mean, 4)} ${ci(worst.p.cell.point.meanDelay.ci95, 4)}, ` +
      `mean field ${num(worst.p.meanField, 4)}). ${gaps.filter((g) => g.outside).length} of ${gaps.length} simulated MBOUNCE delays differ from the mean field by more ` +
      `than their 95% half-width (about 5% would by chance alone if n = ${n} behaved like the limit). ` +
      (mfSlower.length === 0 ? "Every mean-field MBOUNCE delay lies below 1/(1 − λ)." : `The mean-field delay is not below 1/(1 − λ) for ${wordList(mfSlower.map((p) => `${p.label} at λ = ${p.lambda}`))}.`));
  }
  const worstPrecision = points.reduce((w, p) => (p.cell.point.meanDelay.relativeHalfWidth > w.cell.point.meanDelay.relativeHalfWidth ? p : w));
  const missed = points.filter((p) => !p.cell.point.precision?.reached);
  const replications = points.map((p) => p.cell.point.replications);
  lines.push("", `**Precision** (target: 95% half-width ≤ ${num(100 * plan.relativeHalfWidth)}% of every mean delay, the simulator's sequential rule): largest relative half-width ` +
    `${num(100 * worstPrecision.cell.point.meanDelay.relativeHalfWidth, 3)}% (λ = ${worstPrecision.lambda}, ${worstPrecision.label}); ` +
    (missed.length === 0 ? "every point reached the target" : `**not reached** at ${wordList(missed.map((p) => `λ = ${p.lambda} ${p.label} (${p.cell.point.precision?.reason ?? "no target"})`))}`) +
    `; ${Math.min(...replications) === Math.max(...replications) ? Math.min(...replications) : `${Math.min(...replications)}-${Math.max(...replications)}`} replications per point, ${num(points.reduce((t, p) => t + (p.cell.point.precision?.eventsSimulated ?? p.cell.point.events), 0), 3)} events in all. ` +
    `**Independent check:** every simulated no-sharing mean delay contains 1/(1 − λ) in its interval at ${num(100 * perCheck, 4)}% (Bonferroni over ${lambdas.length} rates, ${num(100 * level)}% family-wise).`);
  const seconds = (performance.now() - started) / 1000;
  lines.push("", `Compute: ${num(seconds)} s (${study.cells.filter((c) => c.fromCache).length} of ${study.cells.length} cells read from the cache).`);
  return {
    claims: [mm1Claim, ...improvementClaims, mfClaim],
    details: lines.join("\n"),
    checkTable,
    table,
    figure,
    points,
    study,
    seconds,
  };
}
