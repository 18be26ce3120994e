import { lineFigure, type FigureSeries } from "../display/lineFigure";
import type { PlotlyFigure } from "../display/plotlyFigure";
import { progressReporter } from "../display/progressReporter";
import type { CacheOptions } from "../study/cache/resultCache";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { type PolicySpec, policyLabel } from "../model/policy";
import { type SamplingScheme, validateSampling } from "../model/sampling";
import { type Claim, type ClaimVerdict, claim, precisionPhrase } from "../study/claims";
import { precisionSimulation } from "../study/precisionSimulation";
import { type StudyCellResult, type StudyProgress, type StudyResult, runStudy } from "../study/runStudy";
import { studyGrid } from "../study/studyGrid";
import { derivedMeanFieldSystem } from "../theory/meanfield/derivedMeanFieldSystem";
import { meanFieldRelaxationTime } from "../theory/meanfield/meanFieldRelaxationTime";
import { type RefinedMeanField, refinedMeanField } from "../theory/meanfield/refinedMeanField";
import { ci, num, wordList } from "./numberText";
import type { PaperTable } from "./paperOutput";

/** One configuration of {@link refinedMeanFieldGap}. */
export interface RefinedGapCase {
  readonly policy: PolicySpec;
  /** K: an integer >= 1 (SQ(d) needs K = 1). */
  readonly migrationPenalty: number;
  /** lambda in (0, 1). */
  readonly lambda: number;
  /** This case's budget per cell (default the study's maxEvents), for a case whose gap is known to need more than is affordable. */
  readonly maxEvents?: number;
}

/** Parameters of {@link refinedMeanFieldGap}. */
export interface RefinedGapParameters {
  readonly cases: readonly RefinedGapCase[];
  /** The system sizes n, increasing integers >= 2. */
  readonly queues: readonly number[];
  /**
   * How arrivals sample (src/model/sampling.ts), for the simulation and the refined correction alike; default
   * "others", the paper's. A scheme the simulator does not run is refused by it (ParameterError naming `sampling`).
   */
  readonly sampling?: SamplingScheme;
  /**
   * Each cell runs until the 95% half-width of its mean queue length is at most `resolution` x |V| / n, the
   * distance between the mean field and its refinement (so that the interval can tell which is closer):
   * in (0, 1); default 0.25.
   */
  readonly resolution?: number;
  /** The relative precision target is never looser than this: in (0, 1); default 0.05. */
  readonly maxRelativeHalfWidth?: number;
  /** Replications of the first round: an integer >= 2; default 6. */
  readonly replications?: number;
  /** Warm-up of each replication in mean-field relaxation times; default 5. */
  readonly warmupRelaxations?: number;
  /** Largest fraction of a replication the warm-up may take (sets the replication length): in (0, 1); default 0.05. */
  readonly maxWarmupFraction?: number;
  /** Post-warm-up events per replication, at least; default 200000. */
  readonly minEvents?: number;
  /** Budget of each cell, events of all replications and warm-ups: where it runs out the verdict can stay open. */
  readonly maxEvents: number;
  /** Study seed (each cell's seed derives from it and its system); default 727. */
  readonly seed?: number;
  readonly cache?: CacheOptions;
  readonly progress?: boolean;
}

/** Which of the two approximations the simulation is closer to at one n. */
export type CloserVerdict = "refined closer" | "mean field closer" | "undetermined";

/** One (case, n) of the study. */
export interface RefinedGapPoint {
  readonly n: number;
  readonly cell: StudyCellResult;
  /** The mean field (n -> infinity) and the refined value plain + V / n, mean units per queue. */
  readonly plain: number;
  readonly refined: number;
  /**
   * Where the simulated mean lies between the two: t = (simulated - plain) / (V / n), so 0 is the mean field
   * and 1 the refined value; the refined value is closer exactly when t > 1/2. With its 95% interval (from the
   * simulation's; the approximations are exact numbers).
   */
  readonly position: { readonly mean: number; readonly ci95: readonly [number, number] };
  readonly verdict: CloserVerdict;
}

/** One case: its refined mean field and its points. */
export interface RefinedGapCaseResult {
  readonly label: string;
  readonly case: RefinedGapCase;
  readonly refined: RefinedMeanField;
  /** V = sum_i V_i: E[mean queue length] = plain + V / n + o(1/n). NaN without a refined value. */
  readonly correction: number;
  readonly points: readonly RefinedGapPoint[];
}

/** What {@link refinedMeanFieldGap} returns: plain data for the notebook. */
export interface RefinedMeanFieldGap {
  readonly claims: readonly Claim[];
  readonly details: string;
  readonly table: PaperTable;
  /** n (E[Q] - mean field) against n: the simulation with 95% error bars, the refined value V, the mean field 0. */
  readonly figure: PlotlyFigure;
  readonly cases: readonly RefinedGapCaseResult[];
  readonly study: StudyResult | null;
  readonly seconds: number;
}

const STATEMENT = "E[m_i/n] = s_i + V_i/n + o(1/n): the refined mean field is a more accurate approximation of the n-queue system than the mean field";

/**
 * The mean field against its 1/n refinement (refinedMeanField: Gast and Van Houdt 2017) and the simulation,
 * against n: the mean number of units per queue of n-queue systems, for each case, beside the fixed point of
 * the derived system (n -> infinity) and the refined value plain + V/n. The refinement's V does not depend on
 * n (the expansion's first-order term), so it is computed once per case. Warm-ups are `warmupRelaxations`
 * mean-field relaxation times (meanFieldRelaxationTime; the M/M/1 one at the same lambda if it does not settle).
 *
 * Each (case, n) cell runs until its 95% half-width is at most `resolution` x |V| / n (precisionSimulation on
 * the mean queue length; replications of at least 20 warm-ups, each warm-up 5 mean-field relaxation times by
 * default), within `maxEvents` (raised to two replications where one round of two does not fit): the gap between the
 * two approximations shrinks like 1/n, so the events needed grow like n^2 and large n may stay undetermined.
 * The simulation is closer to the refined value when the whole 95% interval lies beyond the midpoint
 * plain + V/(2n) on the refined side, closer to the mean field when it lies on the other side, undetermined
 * otherwise.
 *
 * Claims: one per case, "the refined value is closer at every n": holds when it is shown closer at every n,
 * fails when the mean field is shown closer at some n, undetermined otherwise (a case without a refined value,
 * for example ABOUNCE above its mean-field stability boundary, is undetermined and not simulated).
 *
 * Cost: one refined mean field and one relaxation time per case (milliseconds to seconds), plus the cells'
 * simulations.
 *
 * @param parameters cases, sizes, sampling scheme, resolution and budgets
 * @returns claims, details, the table, the figure and the points
 * @throws ParameterError for a bad parameter (before any simulation)
 * @example
 * const r = await refinedMeanFieldGap({ cases: [{ policy: shortestOfD(1), migrationPenalty: 1, lambda: 0.9 }], queues: [10, 20], maxEvents: 1e8 });
 * r.cases[0].points.map((p) => p.verdict) // => ["refined closer", "refined closer"]
 */
export async function refinedMeanFieldGap(parameters: RefinedGapParameters): Promise<RefinedMeanFieldGap> {
  const started = performance.now();
  if (parameters === null || typeof parameters !== "object") throw new ParameterError("parameters", parameters, "the parameters of the refined mean-field study");
  const queues = parameters.queues;
  if (!Array.isArray(queues) || queues.length === 0) throw new ParameterError("queues", queues, "a non-empty, increasing array of integers >= 2");
  queues.forEach((n, k) => requireInteger(`queues[${k}]`, n, k === 0 ? 2 : (queues[k - 1] as number) + 1));
  if (!Array.isArray(parameters.cases) || parameters.cases.length === 0) throw new ParameterError("cases", parameters.cases, "a non-empty array of { policy, migrationPenalty, lambda }");
  const sampling = validateSampling(parameters.sampling);
  const resolution = requireNumber("resolution", parameters.resolution ?? 0.25, 0, 1);
  const loosest = requireNumber("maxRelativeHalfWidth", parameters.maxRelativeHalfWidth ?? 0.05, 0, 1);
  const seed = requireInteger("seed", parameters.seed ?? 727, 0, 0xffffffff);

  const cases = parameters.cases.map((c, k) => {
    requireNumber(`cases[${k}].lambda`, c?.lambda, 0, 1);
    const params = { arrivalRate: c.lambda, migrationPenalty: c.migrationPenalty, policy: c.policy };
    const refined = refinedMeanField(params, { queues: queues[0] as number, sampling });
    const relaxation = refined.converged ? meanFieldRelaxationTime(derivedMeanFieldSystem(params)) : null;
    return { c, label: `${policyLabel(c.policy)}, K = ${c.migrationPenalty}, λ = ${c.lambda}`, refined, relaxation, V: refined.converged ? refined.meanQueueLengthCorrection : NaN };
  });
  const simulated = cases.map((x, index) => ({ ...x, index })).filter((x) => x.refined.converged);
  const planOf = (index: number, n: number): Parameters<typeof precisionSimulation>[1] => {
    const x = cases[index] as (typeof cases)[number];
    const refinedMean = x.refined.plain.meanQueueLength + x.V / n;
    const target = Math.min(loosest, (resolution * Math.abs(x.V)) / n / refinedMean);
    const budget = x.c.maxEvents ?? parameters.maxEvents;
    const plan = {
      relativeHalfWidth: target > 0 ? target : loosest, of: "meanQueueLength" as const,
      warmupRelaxations: parameters.warmupRelaxations ?? 5,
      maxWarmupFraction: parameters.maxWarmupFraction ?? 0.05,
      ...(parameters.minEvents !== undefined ? { minEvents: parameters.minEvents } : {}),
      ...(x.relaxation?.reached ? { relaxationTime: x.relaxation.time } : {}),
    };
    // The first round shrinks to what the budget affords, but never below two replications (the budget then grows to two).
    const one = precisionSimulation({ queues: n, arrivalRate: x.c.lambda, migrationPenalty: x.c.migrationPenalty, policy: x.c.policy },
      { ...plan, replications: 2, maxEvents: 2 ** 52 });
    const perReplication = (one.events as number) + (one.warmup as number);
    const replications = Math.max(2, Math.min(parameters.replications ?? 6, Math.floor(budget / perReplication)));
    return { ...plan, replications, maxEvents: Math.max(budget, replications * perReplication) };
  };
  const cells = simulated.length === 0 ? [] : studyGrid({ index: simulated.map((x) => x.index), n: queues }, ({ index, n }) => {
    const x = cases[index] as (typeof cases)[number];
    return { queues: n, arrivalRate: x.c.lambda, migrationPenalty: x.c.migrationPenalty, policy: x.c.policy, sampling };
  });
  cells.forEach((cell) => precisionSimulation(cell.system, planOf(cell.axes.index, cell.system.queues)));
  const progress = parameters.progress && cells.length > 0 ? progressReporter("refined mean field: cells simulated", cells.length) : undefined;
  const study = cells.length === 0 ? null : await runStudy({
    name: "refined-mean-field-gap", cells, seed,
    simulation: (cell) => precisionSimulation(cell.system, planOf(cell.axes.index, cell.system.queues)),
    ...(parameters.cache !== undefined ? { cache: parameters.cache } : {}),
    ...(progress ? { onProgress: (p: StudyProgress) => progress(Math.round(10 * p.fraction * p.total) / 10, p.total) } : {}),
  });

  const results: RefinedGapCaseResult[] = cases.map((x, index) => ({
    label: x.label, case: x.c, refined: x.refined, correction: x.V,
    points: (study?.cells ?? []).filter((cell) => cell.axes.index === index).map((cell): RefinedGapPoint => {
      const n = cell.system.queues;
      const plain = x.refined.plain.meanQueueLength;
      const step = x.V / n;
      const e = cell.point.meanQueueLength;
      const a = (e.ci95[0] - plain) / step;
      const b = (e.ci95[1] - plain) / step;
      const position = { mean: (e.mean - plain) / step, ci95: [Math.min(a, b), Math.max(a, b)] as const };
      const verdict: CloserVerdict = position.ci95[0] > 0.5 ? "refined closer" : position.ci95[1] < 0.5 ? "mean field closer" : "undetermined";
      return { n, cell, plain, refined: plain + step, position, verdict };
    }),
  }));

  const table: PaperTable = {
    caption: `Mean units per queue: simulation (95% intervals), mean field and refined mean field, sampling "${sampling}"`,
    rows: results.flatMap((r) => (r.points.length === 0
      ? [{ case: r.label, n: NaN, simulated: NaN, "95% CI": "", "mean field": r.refined.plain.meanQueueLength, refined: NaN, V: NaN, position: NaN, "position 95% CI": "",
        verdict: `no refined value: ${r.refined.failure ?? "no fixed point"}`, replications: 0, "events (all)": 0, precision: "" }]
      : r.points.map((p) => ({
        case: r.label, n: p.n, simulated: p.cell.point.meanQueueLength.mean, "95% CI": ci(p.cell.point.meanQueueLength.ci95, 5), "mean field": p.plain, refined: p.refined,
        V: r.correction, position: p.position.mean, "position 95% CI": ci(p.position.ci95, 3), verdict: p.verdict, replications: p.cell.point.replications,
        "events (all)": p.cell.point.precision?.eventsSimulated ?? p.cell.point.events,
        precision: p.cell.point.precision?.reached ? "reached" : p.cell.point.precision?.reason ?? "no precision target",
      })))),
  };

  const series: FigureSeries[] = [{ name: "mean field (n → ∞)", x: queues, y: queues.map(() => 0), dash: "dot" }];
  for (const r of results) {
    if (r.points.length === 0) continue;
    series.push({
      name: `${r.label}: simulation`, x: r.points.map((p) => p.n), mode: "markers",
      y: r.points.map((p) => p.n * (p.cell.point.meanQueueLength.mean - p.plain)),
      errorY: r.points.map((p) => (p.n * (p.cell.point.meanQueueLength.ci95[1] - p.cell.point.meanQueueLength.ci95[0])) / 2),
    });
    series.push({ name: `${r.label}: refined, V = ${num(r.correction)}`, x: queues, y: queues.map(() => r.correction), dash: "dash" });
  }
  const figure = lineFigure(series, {
    title: `Finite-n gap to the mean field, scaled by n: simulation against the refined value V (sampling "${sampling}")`,
    xTitle: "n (queues)", yTitle: "n × (E[Q] − mean field)", logX: true, height: 520,
  });

  const claims = results.map((r) => {
    const base = { id: `refined-${r.label.replace(/[^A-Za-z0-9.]+/g, "-").replace(/^-|-$/g, "")}`, statement: STATEMENT, source: "Gast and Van Houdt (2017), Sec. 3 (not a claim of the paper); mean queue length" };
    if (r.points.length === 0) {
      return claim(base, { quantity: "refined mean field", mean: NaN }, "undetermined", `no refined value (${r.refined.failure ?? "no fixed point"}), so nothing to compare`);
    }
    const closer = r.points.filter((p) => p.verdict === "refined closer");
    const plainCloser = r.points.filter((p) => p.verdict === "mean field closer");
    const open = r.points.filter((p) => p.verdict === "undetermined");
    const verdict: ClaimVerdict = plainCloser.length > 0 ? "fails" : open.length === 0 ? "holds" : "undetermined";
    // The n that decides the verdict: the clearest counterexample, else the least clear case (open, or closest to 1/2).
    const decisive = verdict === "fails" ? plainCloser.reduce((w, p) => (p.position.ci95[1] < w.position.ci95[1] ? p : w))
      : (verdict === "holds" ? closer : open).reduce((w, p) => (p.position.ci95[0] < w.position.ci95[0] ? p : w));
    const list = (ps: readonly RefinedGapPoint[]): string => `n ∈ {${ps.map((p) => p.n).join(", ")}}`;
    const evidence = [
      closer.length > 0 ? `refined closer at ${list(closer)}` : "",
      plainCloser.length > 0 ? `mean field closer at ${list(plainCloser)}` : "",
      open.length > 0 ? `undetermined ${precisionPhrase()} at ${list(open)}` : "",
    ].filter((s) => s !== "").join("; ") +
      ` (position t = (simulated − mean field)/(V/n): 0 is the mean field, 1 the refined value, closer to the refined value when t > 1/2; V = ${num(r.correction)})`;
    return claim(base, { quantity: `position t of the simulated mean at n = ${decisive.n} (the n that decides the verdict)`, mean: decisive.position.mean, ci95: decisive.position.ci95 }, verdict, evidence);
  });

  const lines = [`**Refined mean field against simulation** (sampling "${sampling}"; mean units per queue, 95% intervals; t = (simulated − mean field)/(V/n)):`];
  for (const r of results) {
    if (r.points.length === 0) {
      lines.push(`- ${r.label}: no refined value (${r.refined.failure ?? "no fixed point"}); not simulated.`);
      continue;
    }
    lines.push(`- ${r.label}: mean field ${num(r.refined.plain.meanQueueLength, 5)}, V = ${num(r.correction, 4)}; ` + r.points.map((p) =>
      `n = ${p.n}: simulated ${num(p.cell.point.meanQueueLength.mean, 5)} ${ci(p.cell.point.meanQueueLength.ci95, 5)}, refined ${num(p.refined, 5)}, t = ${num(p.position.mean, 2)} ${ci(p.position.ci95, 2)}` +
      (p.verdict === "undetermined" ? "" : ` (${p.verdict})`)).join("; ") + ".");
  }
  const missed = results.flatMap((r) => r.points.filter((p) => !p.cell.point.precision?.reached).map((p) => `${r.label}, n = ${p.n}`));
  lines.push("", `Each cell ran until its 95% half-width was at most ${num(resolution)} × |V|/n (at most ${num(100 * loosest)}% of the mean), within ${num(parameters.maxEvents)} events` +
    (cases.some((x) => x.c.maxEvents !== undefined) ? ` (${wordList(cases.filter((x) => x.c.maxEvents !== undefined).map((x) => `${num(x.c.maxEvents as number)} for ${x.label}`))})` : "") +
    (missed.length === 0 ? "; every cell reached it." : `; the budget ran out first at ${wordList(missed)}, where the verdict can stay undetermined.`));
  const seconds = (performance.now() - started) / 1000;
  lines.push("", `Compute: ${num(seconds)} s (${(study?.cells ?? []).filter((c) => c.fromCache).length} of ${study?.cells.length ?? 0} cells read from the cache).`);
  return { claims, details: lines.join("\n"), table, figure, cases: results, study, seconds };
}
