import { lineFigure } from "../display/lineFigure";
import type { PlotlyFigure } from "../display/plotlyFigure";
import { progressReporter } from "../display/progressReporter";
import type { CacheOptions } from "../study/cache/resultCache";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { type PolicySpec, abounce, mbounce } from "../model/policy";
import type { MeanDifference } from "../statistics/differenceOfMeans";
import type { MeanFieldJobDelay } from "../theory/meanfield/meanFieldJobDelay";
import { type FamilySearchResult, bestOfFamilyDelay } from "../study/bestOfFamilyDelay";
import { type Claim, claimFromInterval } from "../study/claims";
import { compareCells } from "../study/compareCells";
import { meanFieldDelays } from "../study/meanFieldDelays";
import { type PrecisionPlan, precisionSimulation } from "../study/precisionSimulation";
import type { StudyProgress } from "../study/runStudy";
import { ci, num, wordList } from "./numberText";
import type { PaperTable } from "./paperOutput";

/** Parameters of {@link thresholdFamilyComparison}. */
export interface ThresholdFamilyParameters {
  /** n: an integer >= 2; default 100. */
  readonly queues?: number;
  /** K: an integer >= 1; default 2. */
  readonly migrationPenalty?: number;
  /** d: an integer >= 1; default 10. */
  readonly samples?: number;
  /** Rates at which the two families' best members are searched and compared by simulation, each in (0, 1). */
  readonly compareLambdas: readonly number[];
  /** Rates of the mean-field table of each family's best member (default compareLambdas), each in (0, 1). */
  readonly meanFieldLambdas?: readonly number[];
  /** The ratios alpha of MBOUNCE(alpha, d), increasing, each > 1. */
  readonly alphaGrid: readonly number[];
  /** The thresholds C of ABOUNCE(C, d), increasing integers >= K (Section II requires C >= K). */
  readonly thresholdGrid: readonly number[];
  /** Members simulated first in each search (bestOfFamilyDelay); default 2. */
  readonly candidates?: number;
  /** Grid neighbours added per search; default 2. */
  readonly maxExtensions?: number;
  /** How selection runs are simulated (a coarse target with a budget cap: members near ABOUNCE's boundary are slow). */
  readonly selection: Omit<PrecisionPlan, "of">;
  /** How the chosen members are simulated again (a tighter target). */
  readonly confirmation: Omit<PrecisionPlan, "of">;
  /** Seed of the selection runs (common to all members); default 604. */
  readonly seed?: number;
  /** Seed of the confirmation study (each cell's own seed derives from it); default 60401. */
  readonly confirmationSeed?: number;
  readonly cache?: CacheOptions;
  /** Show a progress line per round (default false). */
  readonly progress?: boolean;
}

/** One compared rate: the two searches and ABOUNCE - MBOUNCE of their confirmation runs. */
export interface FamilyComparison {
  readonly lambda: number;
  readonly mbounce: FamilySearchResult;
  readonly abounce: FamilySearchResult;
  /** Best ABOUNCE - best MBOUNCE, mean delay (Welch's interval: the confirmations are independent). */
  readonly difference: MeanDifference;
}

/** What {@link thresholdFamilyComparison} returns: plain data for the notebook. */
export interface ThresholdFamilyComparison {
  readonly claims: readonly Claim[];
  readonly details: string;
  /** The mean field's best member of each family at every rate of meanFieldLambdas. */
  readonly meanFieldTable: PaperTable;
  /** Every member simulated in the selection rounds. */
  readonly membersTable: PaperTable;
  /** The confirmation runs and their difference at each compared rate. */
  readonly comparisonTable: PaperTable;
  /** Best of each family against lambda; null when fewer than two rates are compared (see figureNote). */
  readonly figure: PlotlyFigure | null;
  /** Why the figure is not drawn, or "" when it is. */
  readonly figureNote: string;
  readonly comparisons: readonly FamilyComparison[];
  readonly seconds: number;
}

const STATEMENT = "Further, the multiplicative threshold policies offer better performance than additive policies for this system.";

function requireGrid(name: string, values: unknown, check: (v: number, k: number) => void): readonly number[] {
  if (!Array.isArray(values) || values.length === 0) throw new ParameterError(name, values, "a non-empty, strictly increasing array");
  values.forEach((v, k) => {
    check(v as number, k);
    if (k > 0 && !((v as number) > (values[k - 1] as number))) throw new ParameterError(`${name}[${k}]`, v, `> ${name}[${k - 1}] = ${values[k - 1]}`);
  });
  return values as number[];
}

function best(delays: readonly MeanFieldJobDelay[], grid: readonly number[]): { parameter: number; delay: number; without: number } {
  let k = -1;
  delays.forEach((d, i) => {
    if (d.converged && (k < 0 || d.meanJobDelay < (delays[k] as MeanFieldJobDelay).meanJobDelay)) k = i;
  });
  return { parameter: k >= 0 ? (grid[k] as number) : NaN, delay: k >= 0 ? (delays[k] as MeanFieldJobDelay).meanJobDelay : NaN, without: delays.filter((d) => !d.converged).length };
}

/**
 * Multiplicative against additive thresholds (Section V: "the multiplicative threshold policies offer better
 * performance than additive policies for this system"), measured by the mean per-job delay of Figure 6 at
 * matched systems (n, K, d and lambda equal). Neither family's parameter has a counterpart in the other (C is
 * an additive gap, alpha a ratio), so each family is compared at its best member: MBOUNCE(alpha, d) over
 * alphaGrid against ABOUNCE(C, d) over thresholdGrid. The mean field ranks the members (meanFieldDelays); at
 * each rate both families are searched together (bestOfFamilyDelay: selection on a common seed, grid neighbours
 * of the simulated best, members judged unstable excluded), and the chosen members are simulated again on
 * independent seeds; only these confirmation runs enter the comparison, through Welch's 95% interval of
 * ABOUNCE - MBOUNCE. A rate's searches start on the worker pool as soon as its ranking is known, while the
 * next rate's ranking and then the mean-field table's other rates are computed on the calling thread.
 *
 * Claims: one per compared rate (claimFromInterval: holds when the interval lies above 0, fails when below,
 * undetermined otherwise).
 *
 * Cost: (|alphaGrid| + |thresholdGrid|) x |rates| mean-field fixed points (cached; up to several seconds each
 * near ABOUNCE's boundary at lambda = 0.95), plus 2 (candidates + extensions + 1) precision runs per compared rate.
 *
 * @param parameters rates, grids, search sizes, selection and confirmation plans, seeds
 * @returns claims, details, tables, the figure (or why not) and the comparisons
 * @throws ParameterError for a bad parameter (before any simulation); Error when a family has no member that can be chosen
 * @example
 * const fam = await thresholdFamilyComparison({ compareLambdas: [0.8], alphaGrid: [2, 4, 6, 8], thresholdGrid: [2, 3, 4, 5],
 *   selection: { relativeHalfWidth: 0.06, replications: 4, minEvents: 5e4, maxEvents: 2e7 },
 *   confirmation: { relativeHalfWidth: 0.04, replications: 4, minEvents: 5e4, maxEvents: 4e7 } });
 * fam.figure // => null (one compared rate); fam.figureNote says so
 */
export async function thresholdFamilyComparison(parameters: ThresholdFamilyParameters): Promise<ThresholdFamilyComparison> {
  const started = performance.now();
  if (parameters === null || typeof parameters !== "object") throw new ParameterError("parameters", parameters, "the parameters of the family comparison");
  const n = requireInteger("queues", parameters.queues ?? 100, 2);
  const K = requireInteger("migrationPenalty", parameters.migrationPenalty ?? 2, 1);
  const d = requireInteger("samples", parameters.samples ?? 10, 1);
  const compareLambdas = requireGrid("compareLambdas", parameters.compareLambdas, (v, k) => requireNumber(`compareLambdas[${k}]`, v, 0, 1));
  const tableLambdas = requireGrid("meanFieldLambdas", parameters.meanFieldLambdas ?? compareLambdas, (v, k) => requireNumber(`meanFieldLambdas[${k}]`, v, 0, 1));
  const alphas = requireGrid("alphaGrid", parameters.alphaGrid, (v, k) => requireNumber(`alphaGrid[${k}]`, v, 1, Infinity));
  const thresholds = requireGrid("thresholdGrid", parameters.thresholdGrid, (v, k) => requireInteger(`thresholdGrid[${k}]`, v, K));
  const seed = requireInteger("seed", parameters.seed ?? 604, 0, 0xffffffff);
  const confirmationSeed = requireInteger("confirmationSeed", parameters.confirmationSeed ?? 60401, 0, 0xffffffff);
  const selectionPlan: PrecisionPlan = { ...parameters.selection, of: "meanDelay" };
  const confirmationPlan: PrecisionPlan = { ...parameters.confirmation, of: "meanDelay" };
  const family = { mbounce: alphas.map((a) => mbounce(a, d)), abounce: thresholds.map((C) => abounce(C, d)) };
  const delaysAt = async (lambda: number): Promise<{ mbounce: MeanFieldJobDelay[]; abounce: MeanFieldJobDelay[] }> => {
    const all = await meanFieldDelays([...family.mbounce, ...family.abounce].map((policy) => ({ arrivalRate: lambda, migrationPenalty: K, policy })), parameters.cache);
    return { mbounce: all.slice(0, alphas.length), abounce: all.slice(alphas.length) };
  };
  const grids = new Map<number, { mbounce: MeanFieldJobDelay[]; abounce: MeanFieldJobDelay[] }>();
  const reporters = new Map<string, (done: number, total?: number) => void>();
  // Pipelined: each rate's searches start on the worker pool as soon as its mean-field ranking is known, while the
  // next rate's ranking (and then the table's other rates) is computed on this thread.
  const pending: Promise<FamilySearchResult[]>[] = [];
  for (const lambda of compareLambdas) {
    const grid = await delaysAt(lambda);
    grids.set(lambda, grid);
    pending.push(bestOfFamilyDelay({
      name: "family-delay",
      searches: (["mbounce", "abounce"] as const).map((f) => ({
        system: { queues: n, arrivalRate: lambda, migrationPenalty: K },
        members: family[f] as readonly PolicySpec[],
        meanField: grid[f].map((x) => (x.converged ? x.meanJobDelay : NaN)),
      })),
      candidates: parameters.candidates ?? 2,
      maxExtensions: parameters.maxExtensions ?? 2,
      selection: (system) => precisionSimulation(system, selectionPlan),
      confirmation: (system) => precisionSimulation(system, confirmationPlan),
      seed,
      confirmationSeed,
      ...(parameters.cache !== undefined ? { cache: parameters.cache } : {}),
      ...(parameters.progress ? {
        onProgress: (round: string, p: StudyProgress) => {
          const key = `λ = ${lambda}, ${round}`;
          let report = reporters.get(key);
          if (report === undefined) reporters.set(key, (report = progressReporter(`family searches at ${key}: cells simulated`, p.total)));
          report(Math.round(10 * p.fraction * p.total) / 10, p.total);
        },
      } : {}),
    }));
  }
  for (const lambda of tableLambdas) if (!grids.has(lambda)) grids.set(lambda, await delaysAt(lambda));
  const results = (await Promise.all(pending)).flat();

  const comparisons: FamilyComparison[] = compareLambdas.map((lambda, k) => {
    const m = results[2 * k] as FamilySearchResult;
    const a = results[2 * k + 1] as FamilySearchResult;
    return { lambda, mbounce: m, abounce: a, difference: compareCells(a.confirmation, m.confirmation, "meanDelay") };
  });

  const meanFieldTable: PaperTable = {
    caption: `Mean field (n → ∞): the best member of each family by per-job FIFO delay (K = ${K}, d = ${d})`,
    rows: tableLambdas.map((lambda) => {
      const g = grids.get(lambda) as { mbounce: MeanFieldJobDelay[]; abounce: MeanFieldJobDelay[] };
      const m = best(g.mbounce, alphas);
      const a = best(g.abounce, thresholds);
      return { λ: lambda, "best α": m.parameter, "MBOUNCE delay": m.delay, "best C": a.parameter, "ABOUNCE delay": a.delay,
        "C without fixed point": a.without, "ABOUNCE / MBOUNCE": a.delay / m.delay, "no sharing": 1 / (1 - lambda) };
    }),
  };
  const membersTable: PaperTable = {
    caption: `Members simulated in the selection rounds (n = ${n}, common seed, target ${num(100 * selectionPlan.relativeHalfWidth)}%, ` +
      `at most ${num(selectionPlan.maxEvents)} events per member)`,
    rows: results.flatMap((r) => r.members.filter((x) => x.selection !== null).map((x) => {
      const p = x.selection?.point;
      return {
        λ: r.search.system.arrivalRate, member: x.label, "mean-field rank": x.meanFieldRank, "mean field": x.meanField,
        "simulated (selection)": p?.meanDelay.mean ?? NaN, "rel. half-width %": 100 * (p?.meanDelay.relativeHalfWidth ?? NaN),
        replications: p?.replications ?? 0, stability: p?.stability.verdict ?? "", chosen: x.policy === r.chosen ? "◀ chosen" : "",
      };
    })),
  };
  const half = (e: { ci95: readonly [number, number] }): number => (e.ci95[1] - e.ci95[0]) / 2;
  const comparisonTable: PaperTable = {
    caption: `Best of each family, confirmation runs on independent seeds (n = ${n}, K = ${K}, d = ${d}; target ${num(100 * confirmationPlan.relativeHalfWidth)}%)`,
    rows: comparisons.map(({ lambda, mbounce: m, abounce: a, difference }) => ({
      λ: lambda, "best MBOUNCE": m.chosenLabel, "its delay": m.confirmation.point.meanDelay.mean, "± (95%)": half(m.confirmation.point.meanDelay),
      "best ABOUNCE": a.chosenLabel, "its delay ": a.confirmation.point.meanDelay.mean, "± (95%) ": half(a.confirmation.point.meanDelay),
      "ABOUNCE − MBOUNCE": difference.mean, "95% CI of difference": ci(difference.ci95, 3),
      verdict: difference.verdict === "second lower" ? "MBOUNCE faster" : difference.verdict === "first lower" ? "ABOUNCE faster" : "not distinguishable",
      notes: [...m.notes.map((s) => `MBOUNCE: ${s}`), ...a.notes.map((s) => `ABOUNCE: ${s}`),
        m.confirmation.point.precision?.reached && a.confirmation.point.precision?.reached ? "" : "confirmation target not reached"].filter((s) => s !== "").join("; "),
    })),
  };

  const drawn = compareLambdas.length >= 2;
  const figure = drawn
    ? lineFigure([
      { name: `best MBOUNCE(α,${d}) (confirmation)`, x: compareLambdas, y: comparisons.map((c) => c.mbounce.confirmation.point.meanDelay.mean),
        errorY: comparisons.map((c) => half(c.mbounce.confirmation.point.meanDelay)) },
      { name: `best ABOUNCE(C,${d}) (confirmation)`, x: compareLambdas, y: comparisons.map((c) => c.abounce.confirmation.point.meanDelay.mean),
        errorY: comparisons.map((c) => half(c.abounce.confirmation.point.meanDelay)) },
      { name: "no sharing: 1/(1 − λ)", x: compareLambdas, y: compareLambdas.map((l) => 1 / (1 - l)), dash: "dot" },
    ], { title: `Best of each family at n = ${n}, K = ${K}, d = ${d}`, xTitle: "arrival rate λ", yTitle: "mean delay (time units)", logY: true })
    : null;
  const figureNote = drawn ? "" : `The best-of-family chart is not drawn: it needs at least two compared rates, and these parameters compare λ = ${compareLambdas[0]} only (the table above has its numbers).`;

  const claims = comparisons.map((c) => claimFromInterval(
    { id: `multiplicative-vs-additive-${c.lambda}`, statement: STATEMENT, source: "Section V (here: mean delay, best member of each family)" },
    { quantity: `best ABOUNCE − best MBOUNCE, mean delay at λ = ${c.lambda} (${c.abounce.chosenLabel} − ${c.mbounce.chosenLabel})`, mean: c.difference.mean, ci95: c.difference.ci95 },
    { above: 0 },
  ));
  const lines = [`**Multiplicative against additive** (best of each family, confirmation runs, Welch's 95% interval of ABOUNCE − MBOUNCE):`];
  for (const c of comparisons) {
    const m = c.mbounce.confirmation.point.meanDelay;
    const a = c.abounce.confirmation.point.meanDelay;
    lines.push(`- λ = ${c.lambda}: ${c.mbounce.chosenLabel} ${num(m.mean, 4)} ${ci(m.ci95, 4)} against ${c.abounce.chosenLabel} ${num(a.mean, 4)} ${ci(a.ci95, 4)}; ` +
      `difference ${num(c.difference.mean)} ${ci(c.difference.ci95)} (${num((100 * c.difference.mean) / m.mean, 2)}% of the MBOUNCE delay).`);
  }
  const verdicts = (v: Claim["verdict"]): number[] => comparisons.filter((_, k) => claims[k]?.verdict === v).map((c) => c.lambda);
  const holds = verdicts("holds");
  const fails = verdicts("fails");
  const open = verdicts("undetermined");
  lines.push("", holds.length === comparisons.length
    ? `The statement **holds at every compared rate**, in the sense defined above.`
    : [holds.length > 0 ? `The statement holds at λ ∈ {${holds.join(", ")}}` : "",
      fails.length > 0 ? `it **fails** at λ ∈ {${fails.join(", ")}} (the best ABOUNCE is faster)` : "",
      open.length > 0 ? `the two best members are not distinguishable at λ ∈ {${open.join(", ")}}` : ""].filter((s) => s !== "").join("; ") +
      ". Tuned, the two families differ by a few percent at most; the mean-field table shows margins of the same size.");
  const ratios = (meanFieldTable.rows as ReadonlyArray<Record<string, unknown>>).map((r) => r["ABOUNCE / MBOUNCE"] as number).filter(Number.isFinite);
  if (ratios.length > 0) {
    lines.push("", `**Mean field** (n → ∞): the ratio of the best ABOUNCE delay to the best MBOUNCE delay lies between ${num(Math.min(...ratios), 4)} and ${num(Math.max(...ratios), 4)} ` +
      `over λ ∈ {${tableLambdas.join(", ")}}; ${wordList(tableLambdas.flatMap((lambda, k) => {
        const w = (meanFieldTable.rows[k] as Record<string, unknown>)["C without fixed point"] as number;
        return w > 0 ? [`${w} of the ${thresholds.length} thresholds have no fixed point at λ = ${lambda}`] : [];
      })) || "every threshold has a fixed point at these rates"}.`);
  }
  const seconds = (performance.now() - started) / 1000;
  const simulated = results.flatMap((r) => [...r.members.flatMap((m) => (m.selection ? [m.selection] : [])), r.confirmation]);
  lines.push("", `Compute: ${num(seconds)} s (${simulated.filter((c) => c.fromCache).length} of ${simulated.length} simulated cells read from the cache).`);
  return { claims, details: lines.join("\n"), meanFieldTable, membersTable, comparisonTable, figure, figureNote, comparisons, seconds };
}
