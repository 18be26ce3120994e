import { measurementText } from "../display/claimsTable";
import { formatNumber } from "../display/formatNumber";
import { lineFigure } from "../display/lineFigure";
import type { PlotlyFigure } from "../display/plotlyFigure";
import type { SimulationPoint } from "../study/simulationPoint";
import { type CacheOptions, cachedStudy } from "../study/cache/resultCache";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { abounce } from "../model/policy";
import type { SystemParams } from "../model/system";
import { type Claim, claim, claimFromStability, precisionPhrase } from "../study/claims";
import { requireCheck } from "../study/requireCheck";
import { cellSeed } from "../study/cellSeed";
import { runStudy } from "../study/runStudy";
import { studyCells } from "../study/studyGrid";
import { exactTwoQueueThreshold } from "../theory/thresholds/exactTwoQueueThreshold";
import { requireIntegerThreshold, theorem2LambdaStar } from "../theory/thresholds/theorem2LambdaStar";
import { twoQueueDifferenceLaw } from "../theory/thresholds/twoQueueDifferenceLaw";
import { type PaperTable, markdownParagraphs } from "./paperOutput";
import { THEOREM2_SOURCE, THEOREM2_STATEMENT } from "./theorem2Thresholds";
import { type TwoQueueGrowthCheckRow, twoQueueThresholdSimulationCheck } from "./twoQueueThresholdSimulationCheck";

/** One simulated rate of the Theorem 2 study, beside what Theorem 2 and the exact threshold predict. */
export interface Theorem2VerdictRow {
  readonly migrationPenalty: number;
  readonly threshold: number;
  /** Theorem 2's lambda*(K, C). */
  readonly lambdaStar: number;
  /** The exact two-queue threshold lambda_c (`exactTwoQueueThreshold`). */
  readonly exactThreshold: number;
  readonly arrivalRate: number;
  /** "between": lambda* < lambda < lambda_c (Theorem 2 and the exact threshold disagree); "above": lambda > lambda_c. */
  readonly region: "between" | "above";
  /** lambda = lambda* + gapFraction (lambda_c - lambda*) for "between" rows, else null. */
  readonly gapFraction: number | null;
  /** lambda = lambda_c + offset for "above" rows, else null. */
  readonly offset: number | null;
  /** Post-warm-up events per replication used for this rate. */
  readonly eventsPerReplication: number;
  /**
   * The mean growth of the work per queue per unit time while both queues are long:
   * (lambda (2 + (K - 1) P(|D| > C)) - 2) / 2, with P from the D-chain's stationary law (`twoQueueDifferenceLaw`).
   * Negative below lambda_c (the system then does not stay long), positive above.
   */
  readonly predictedGrowthPerQueue: number;
  /** P(|D| > C)/2: the fraction of arrivals that migrate while both queues are long. */
  readonly predictedMigratingFraction: number;
  /** The simulation from empty (verdict, growth rate and means with 95% intervals). */
  readonly point: SimulationPoint;
  /** The seed of the run (from the study seed and the cell key) and whether it came from the cache. */
  readonly seed: number;
  readonly fromCache: boolean;
  /** For "between" rows with `longQueueEvents` > 0: the full chain started with both queues long. */
  readonly longQueue: TwoQueueGrowthCheckRow | null;
}

/** What `theorem2SimulationVerdicts` returns. */
export interface Theorem2SimulationVerdicts {
  readonly rows: readonly Theorem2VerdictRow[];
  /** The runs from empty; the long-queue runs (when any). */
  readonly tables: readonly PaperTable[];
  /** Per pair: simulated growth against the exact long-queue drift; then the sample paths of the first pair. */
  readonly figures: readonly PlotlyFigure[];
  readonly checks: readonly string[];
  readonly claims: readonly Claim[];
  readonly details: string;
}

/** The verdict of a compound claim over several runs: fails when some run contradicts and none supports, holds when all support. */
function compoundVerdict(supporting: number, contradicting: number, total: number): Claim["verdict"] {
  if (contradicting > 0 && supporting === 0) return "fails";
  if (supporting === total) return "holds";
  return "undetermined";
}

/**
 * Simulates ABOUNCE(C, infinity) with n = 2 at arrival rates between Theorem 2's lambda* and the exact
 * threshold lambda_c (where Theorem 2 claims null recurrence or transience and the exact threshold says
 * positive recurrence) and above lambda_c (where both say unstable), and pairs each simulation with the exact
 * long-queue predictions. Every run starts empty (Section II), uses the embedded-chain clock (`clock:
 * "events"`, exact for rates and means) and no delay tracking; verdicts come from `stabilityVerdict` (a 95%
 * test with band +-`stabilityTolerance` per queue per unit time). All runs go to the worker pool at once
 * (`runStudy`, study "theorem2-verdicts"); each cell's seed derives from (seed, cell key) and each cell is cached.
 *
 * Budgets. Near lambda_c a stable system's level fluctuates on a scale that grows like 1/(lambda_c - lambda),
 * so the growth-rate interval of a run of T events shrinks like 1/((lambda_c - lambda) T). A rate between the
 * thresholds therefore gets `eventsTimesDistance / (lambda_c - lambda)` events per replication (rounded,
 * clamped to [minEvents, maxEvents]); a rate above lambda_c gets `aboveEvents`.
 *
 * Long queues (optional, `longQueueEvents` > 0). A run from empty that is judged stable cannot tell positive
 * recurrence from a transient system growing more slowly than the band; so each rate between the thresholds is
 * also simulated from q = (M, M) with M large (`twoQueueThresholdSimulationCheck`, on the main thread while the
 * pool simulates, with the rate's cell seed; cached as study "theorem2-long-queues"), where the total must fall at
 * the exact long-queue drift f(lambda)/(2(lambda + 1)) per event.
 *
 * Independent checks (throw Error when they fail): above lambda_c every run is judged unstable, and its growth
 * per queue and migrating fraction agree with the exact long-queue predictions within `agreementHalfWidths`
 * 95% half-widths.
 * Cost: the simulations (sum of budgets times replications, about 2e7 events per second and core for n = 2),
 * divided among the cores, or file reads for cached cells; plus longQueueEvents per rate between the thresholds
 * on one core (about 7e6 per second).
 *
 * @param options pairs: [K, C] with K an integer >= 2 and C an integer >= K; gapFractions: each in (0, 1);
 *   aboveOffsets: each > 0 with lambda_c + offset < 1; eventsTimesDistance > 0; aboveEvents, minEvents (default
 *   1e5), maxEvents (default 2^40): integers >= 1; replications (default 4), seed (default 1), stabilityTolerance
 *   (default 1e-3), agreementHalfWidths > 0 (default 2), longQueueEvents: 0 or an integer >= 1e4 (default 0),
 *   cache, onProgress(done, total) in cells (fractions while cells run)
 * @returns one row per (pair, rate) (the pair's "between" rates first, then its "above" rates), tables, figures,
 *   passed checks, claims and details
 * @throws ParameterError naming the option at fault, before any simulation; Error when a check fails
 * @example
 * const s = await theorem2SimulationVerdicts({ pairs: [[3, 5]], gapFractions: [0.5], aboveOffsets: [0.01],
 *   eventsTimesDistance: 2e4, minEvents: 2e6, aboveEvents: 1e6, replications: 4, seed: 1 });
 * s.rows.map((r) => [Number(r.arrivalRate.toFixed(5)), r.point.stability.verdict])
 * // => [[0.90208, "stable"], [0.92235, "unstable"]]   (about 10 s on a shared 2-core machine)
 */
export async function theorem2SimulationVerdicts(options: {
  readonly pairs: readonly (readonly [number, number])[];
  readonly gapFractions: readonly number[];
  readonly aboveOffsets: readonly number[];
  readonly eventsTimesDistance: number;
  readonly aboveEvents: number;
  readonly minEvents?: number;
  readonly maxEvents?: number;
  readonly replications?: number;
  readonly seed?: number;
  readonly stabilityTolerance?: number;
  readonly agreementHalfWidths?: number;
  readonly longQueueEvents?: number;
  readonly cache?: CacheOptions;
  readonly onProgress?: (done: number, total: number) => void;
}): Promise<Theorem2SimulationVerdicts> {
  if (!Array.isArray(options.pairs) || options.pairs.length === 0) {
    throw new ParameterError("pairs", options.pairs, "a non-empty array of [K, C] pairs");
  }
  const scale = requireNumber("eventsTimesDistance", options.eventsTimesDistance, 0, Infinity);
  const aboveEvents = requireInteger("aboveEvents", options.aboveEvents, 1, 2 ** 50);
  const minEvents = requireInteger("minEvents", options.minEvents ?? 1e5, 1, 2 ** 50);
  const maxEvents = requireInteger("maxEvents", options.maxEvents ?? 2 ** 40, minEvents, 2 ** 50);
  const replications = requireInteger("replications", options.replications ?? 4, 1, 10_000);
  const seed = requireInteger("seed", options.seed ?? 1, 0, 0xffffffff);
  const stabilityTolerance = requireNumber("stabilityTolerance", options.stabilityTolerance ?? 1e-3, 0, Infinity);
  const agreement = requireNumber("agreementHalfWidths", options.agreementHalfWidths ?? 2, 0, Infinity);
  const longQueueEvents = options.longQueueEvents ?? 0;
  if (longQueueEvents !== 0) requireInteger("longQueueEvents", longQueueEvents, 1e4, 2 ** 40);
  if (!Array.isArray(options.gapFractions)) throw new ParameterError("gapFractions", options.gapFractions, "an array of numbers in (0, 1)");
  if (!Array.isArray(options.aboveOffsets)) throw new ParameterError("aboveOffsets", options.aboveOffsets, "an array of numbers in (0, 1)");
  for (const f of options.gapFractions) requireNumber("gapFractions", f, 0, 1);
  for (const o of options.aboveOffsets) requireNumber("aboveOffsets", o, 0, 1);

  type Plan = Omit<Theorem2VerdictRow, "point" | "seed" | "fromCache" | "longQueue">;
  const plans: Plan[] = [];
  const systems: SystemParams[] = [];
  for (const pair of options.pairs) {
    const K = requireInteger("migrationPenalty (K)", pair[0], 2);
    const C = requireIntegerThreshold(pair[1], K);
    const lambdaStar = theorem2LambdaStar(K, C);
    const lambdaC = exactTwoQueueThreshold(K, C).criticalArrivalRate;
    const add = (lambda: number, region: "between" | "above", gapFraction: number | null, offset: number | null, events: number): void => {
      const law = twoQueueDifferenceLaw(lambda, K, C);
      plans.push({
        migrationPenalty: K, threshold: C, lambdaStar, exactThreshold: lambdaC, arrivalRate: lambda, region,
        gapFraction, offset, eventsPerReplication: events,
        predictedGrowthPerQueue: (law.workInflowRate - 2) / 2,
        predictedMigratingFraction: law.migratingArrivalFraction,
      });
      systems.push({ queues: 2, arrivalRate: lambda, migrationPenalty: K, policy: abounce(C, Infinity) });
    };
    for (const f of options.gapFractions) {
      const lambda = lambdaStar + f * (lambdaC - lambdaStar);
      add(lambda, "between", f, null, Math.min(maxEvents, Math.max(minEvents, Math.round(scale / (lambdaC - lambda)))));
    }
    for (const o of options.aboveOffsets) {
      const lambda = lambdaC + o;
      if (!(lambda < 1)) {
        throw new ParameterError("aboveOffsets", o, `an offset with lambda_c + offset < 1 (lambda_c = ${lambdaC} for K = ${K}, C = ${C})`);
      }
      add(lambda, "above", null, o, aboveEvents);
    }
  }

  const cells = studyCells(systems);
  const running = runStudy({
    name: "theorem2-verdicts",
    cells,
    seed,
    simulation: (cell) => ({
      events: (plans[cell.axes.index] as Plan).eventsPerReplication, replications, clock: "events", trackDelays: false, stabilityTolerance,
    }),
    ...(options.cache !== undefined ? { cache: options.cache } : {}),
    ...(options.onProgress ? { onProgress: (p: { fraction: number; total: number }) => options.onProgress?.(p.fraction * p.total, p.total) } : {}),
  });
  // The long-queue runs go on the main thread while the pool simulates (the study is awaited below; a rejection
  // is handled there). Between runs the event loop turns, so the pool can hand out its next tasks.
  running.catch(() => undefined);
  const longQueues: (TwoQueueGrowthCheckRow | null)[] = [];
  for (const [k, plan] of plans.entries()) {
    if (plan.region !== "between" || longQueueEvents === 0) {
      longQueues.push(null);
      continue;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    const runSeed = cellSeed(seed, (cells[k] as { key: string }).key) % 2 ** 31;
    const request = { migrationPenalty: plan.migrationPenalty, threshold: plan.threshold, arrivalRate: plan.arrivalRate, events: longQueueEvents, seed: runSeed };
    const entry = await cachedStudy("theorem2-long-queues", request, () => twoQueueThresholdSimulationCheck({
      migrationPenalty: plan.migrationPenalty, threshold: plan.threshold, arrivalRates: [plan.arrivalRate], events: longQueueEvents, seed: runSeed,
    })[0] as TwoQueueGrowthCheckRow, options.cache);
    longQueues.push(entry.result);
  }
  const study = await running;
  const rows: Theorem2VerdictRow[] = study.cells.map((cell, k) => ({
    ...(plans[k] as Plan), point: cell.point, seed: cell.seed, fromCache: cell.fromCache, longQueue: longQueues[k] ?? null,
  }));

  const above = rows.filter((r) => r.region === "above");
  const between = rows.filter((r) => r.region === "between");
  const halfWidth = (ci: readonly [number, number]): number => (ci[1] - ci[0]) / 2;
  for (const r of above) {
    const s = r.point.stability;
    const what = `K=${r.migrationPenalty}, C=${r.threshold}, lambda=${r.arrivalRate.toFixed(5)}`;
    requireCheck(s.verdict === "unstable", `${what}: verdict ${s.verdict} above lambda_c`);
    requireCheck(Math.abs(s.growthRatePerQueue - r.predictedGrowthPerQueue) <= agreement * halfWidth(s.growthRatePerQueueCi95),
      `${what}: growth ${s.growthRatePerQueue} vs predicted ${r.predictedGrowthPerQueue} (half-width ${halfWidth(s.growthRatePerQueueCi95)})`);
    const m = r.point.migrationFraction;
    requireCheck(Math.abs(m.mean - r.predictedMigratingFraction) <= agreement * halfWidth(m.ci95),
      `${what}: migrating fraction ${m.mean} vs predicted ${r.predictedMigratingFraction} (half-width ${halfWidth(m.ci95)})`);
  }
  const checks = above.length > 0
    ? [`above λ_c: all ${above.length} runs unstable, growth and migrating fraction within ${agreement} half-widths of the exact long-queue predictions`]
    : [];

  const estimate = (mean: number, ci: readonly [number, number]): string => measurementText({ quantity: "", mean, ci95: ci });
  const tables: PaperTable[] = [{
    caption: `Two-queue ABOUNCE(C, ∞) from empty: verdicts (δ = ${stabilityTolerance} per queue per unit time, ${replications} replications)`,
    significantDigits: 5,
    rows: rows.map((r) => ({
      "K, C": `${r.migrationPenalty}, ${r.threshold}`, λ: r.arrivalRate,
      where: r.region === "between" ? `λ* + ${r.gapFraction}(λ_c − λ*)` : `λ_c + ${r.offset}`,
      "Theorem 2": "unstable", "exact λ_c": r.region === "between" ? "stable" : "unstable", simulation: r.point.stability.verdict,
      "growth per queue [95% CI]": estimate(r.point.stability.growthRatePerQueue, r.point.stability.growthRatePerQueueCi95),
      "predicted growth, long queues": r.predictedGrowthPerQueue,
      "mean queue length [95% CI]": estimate(r.point.meanQueueLength.mean, r.point.meanQueueLength.ci95),
      "migrating fraction [95% CI]": estimate(r.point.migrationFraction.mean, r.point.migrationFraction.ci95),
      "predicted, long queues": r.predictedMigratingFraction, "events per replication": r.eventsPerReplication,
    })),
  }];
  const long = between.filter((r) => r.longQueue !== null);
  if (long.length > 0) {
    tables.push({
      caption: `Between λ* and λ_c, started with both queues long (q = (M, M), ${formatNumber(longQueueEvents)} events, 40 batch means): drift of q1 + q2 per event`,
      significantDigits: 5,
      rows: long.map((r) => {
        const g = r.longQueue as TwoQueueGrowthCheckRow;
        return {
          "K, C": `${r.migrationPenalty}, ${r.threshold}`, λ: r.arrivalRate, "simulated drift per event [95% CI]": estimate(g.simulatedDriftPerEvent, g.ci95),
          "exact long-queue drift": g.predictedDriftPerEvent, "interval covers it": g.covers ? "yes" : "no",
          sign: g.simulatedSign < 0 ? "falls" : g.simulatedSign > 0 ? "grows" : `undetermined ${precisionPhrase()}`,
          "migrating fraction": g.migratingArrivalFraction, "predicted": g.predictedMigratingArrivalFraction, "events with an empty queue": g.eventsWithAnEmptyQueue,
        };
      }),
    });
  }

  const pairKeys = [...new Set(rows.map((r) => `${r.migrationPenalty},${r.threshold}`))];
  const figures: PlotlyFigure[] = pairKeys.map((key) => {
    const own = rows.filter((r) => `${r.migrationPenalty},${r.threshold}` === key);
    const { migrationPenalty: K, threshold: C, lambdaStar, exactThreshold } = own[0] as Theorem2VerdictRow;
    const lo = lambdaStar - 0.5 * (exactThreshold - lambdaStar);
    const hi = Math.max(...own.map((r) => r.arrivalRate)) + 0.005;
    const grid = Array.from({ length: 121 }, (_, k) => lo + ((hi - lo) * k) / 120);
    const predicted = grid.map((l) => (twoQueueDifferenceLaw(l, K, C).workInflowRate - 2) / 2);
    const yMin = Math.min(...predicted);
    const yMax = Math.max(...predicted, ...own.map((r) => r.point.stability.growthRatePerQueueCi95[1]));
    return lineFigure([
      { name: "exact drift per queue while both queues are long", x: grid, y: predicted, dash: "dash" },
      { name: "simulated growth per queue from empty (95% CI)", x: own.map((r) => r.arrivalRate), y: own.map((r) => r.point.stability.growthRatePerQueue),
        errorY: own.map((r) => halfWidth(r.point.stability.growthRatePerQueueCi95)), mode: "markers" },
      { name: `Theorem 2's λ* = ${lambdaStar.toFixed(5)}`, x: [lambdaStar, lambdaStar], y: [yMin, yMax], dash: "dot" },
      { name: `exact λ_c = ${exactThreshold.toFixed(5)}`, x: [exactThreshold, exactThreshold], y: [yMin, yMax], dash: "dashdot" },
    ], { title: `K = ${K}, C = ${C}: growth of the work per queue per unit time`, xTitle: "arrival rate λ", yTitle: "growth per queue per unit time" });
  });
  const firstPair = rows.filter((r) => `${r.migrationPenalty},${r.threshold}` === pairKeys[0]);
  figures.push(lineFigure(firstPair.map((r) => ({
    name: `λ = ${r.arrivalRate.toFixed(4)} (${r.region === "between" ? "λ* < λ < λ_c" : "λ > λ_c"}): ${r.point.stability.verdict}`,
    x: r.point.path.time, y: r.point.path.meanQueueLength,
  })), { title: `Sample paths (replication 0, from empty), K = ${firstPair[0]?.migrationPenalty}, C = ${firstPair[0]?.threshold}: mean queue length per queue`, xTitle: "time", yTitle: "mean queue length (log)", logY: true }));

  const claims: Claim[] = [];
  const describe = (r: Theorem2VerdictRow): string =>
    `λ = ${r.arrivalRate.toFixed(4)}: ${r.point.stability.verdict}, growth ${estimate(r.point.stability.growthRatePerQueue, r.point.stability.growthRatePerQueueCi95)}, mean queue length ${estimate(r.point.meanQueueLength.mean, r.point.meanQueueLength.ci95)}`;
  for (const key of pairKeys) {
    const own = between.filter((r) => `${r.migrationPenalty},${r.threshold}` === key);
    if (own.length === 0) continue;
    const nearest = own[own.length - 1] as Theorem2VerdictRow;
    const stable = own.filter((r) => r.point.stability.verdict === "stable").length;
    const unstable = own.filter((r) => r.point.stability.verdict === "unstable").length;
    const s = nearest.point.stability;
    const verdict = compoundVerdict(unstable, stable, own.length);
    claims.push(claim(
      { id: `thm2-sim-K${nearest.migrationPenalty}-C${nearest.threshold}`, statement: THEOREM2_STATEMENT, source: THEOREM2_SOURCE },
      { quantity: `growth per queue per unit time from empty at λ = ${nearest.arrivalRate.toFixed(4)} (K = ${nearest.migrationPenalty}, C = ${nearest.threshold}, nearest λ_c)`, mean: s.growthRatePerQueue, ci95: s.growthRatePerQueueCi95 },
      verdict,
      `${own.length} rate(s) in (λ*, λ_c) = (${nearest.lambdaStar.toFixed(4)}, ${nearest.exactThreshold.toFixed(4)}): ${stable} stable, ${unstable} unstable, ${own.length - stable - unstable} inconclusive (95% tests, band ±${stabilityTolerance}); ${own.map(describe).join("; ")}. Rule: fails when some run is stable and none unstable, holds when all are unstable${verdict === "undetermined" ? `; undetermined ${precisionPhrase()}` : ""}`,
    ));
  }
  const example = between.filter((r) => r.migrationPenalty === 2 && r.threshold === 2 && r.arrivalRate > 0.89);
  if (example.length > 0) {
    const r = example[example.length - 1] as Theorem2VerdictRow;
    const c = claimFromStability(
      { id: "thm2-example-sim", statement: "In a system with n=2 and K=2 under the ABOUNCE(2, ∞) policy, for example, Theorems 1 and Theorem 2 indicate [...] instability when λ > 0.89.", source: "Section III, after Theorem 2" },
      r.point.stability, "unstable",
    );
    claims.push({ ...c, measured: { ...c.measured, quantity: `growth per queue per unit time from empty at λ = ${r.arrivalRate.toFixed(4)} (K = C = 2)` } });
  }
  if (long.length > 0) {
    const falls = long.filter((r) => (r.longQueue as TwoQueueGrowthCheckRow).simulatedSign < 0).length;
    const grows = long.filter((r) => (r.longQueue as TwoQueueGrowthCheckRow).simulatedSign > 0).length;
    const hardest = long.reduce((a, b) => ((b.longQueue as TwoQueueGrowthCheckRow).predictedDriftPerEvent > (a.longQueue as TwoQueueGrowthCheckRow).predictedDriftPerEvent ? b : a));
    const g = hardest.longQueue as TwoQueueGrowthCheckRow;
    const verdict = compoundVerdict(grows, falls, long.length);
    claims.push(claim(
      { id: "thm2-long-queues", statement: THEOREM2_STATEMENT, source: THEOREM2_SOURCE },
      { quantity: `drift of q1 + q2 per event from long queues at λ = ${hardest.arrivalRate.toFixed(4)} (K = ${hardest.migrationPenalty}, C = ${hardest.threshold}; exact ${formatNumber(g.predictedDriftPerEvent, 3)})`, mean: g.simulatedDriftPerEvent, ci95: g.ci95 },
      verdict,
      `started with both queues long, the total falls (95% interval below 0) at ${falls} of ${long.length} rates between λ* and λ_c, grows at ${grows}; the interval covers the exact long-queue drift at ${long.filter((r) => (r.longQueue as TwoQueueGrowthCheckRow).covers).length}. A transient or null recurrent chain would not fall. Rule: fails when some rate falls and none grows, holds when all grow${verdict === "undetermined" ? `; undetermined ${precisionPhrase()}` : ""}`,
    ));
  }
  if (above.length > 0) {
    const unstable = above.filter((r) => r.point.stability.verdict === "unstable").length;
    const stable = above.filter((r) => r.point.stability.verdict === "stable").length;
    const r = above[0] as Theorem2VerdictRow;
    claims.push(claim(
      { id: "thm2-shrinkage", statement: "Further, in the case of 2 queues and d = ∞, we can theoretically establish shrinkage of the stability region.", source: "Section III, before Theorem 2" },
      { quantity: `growth per queue per unit time at λ = ${r.arrivalRate.toFixed(4)} = λ_c + ${r.offset} (K = ${r.migrationPenalty}, C = ${r.threshold})`, mean: r.point.stability.growthRatePerQueue, ci95: r.point.stability.growthRatePerQueueCi95 },
      compoundVerdict(unstable, stable, above.length),
      `${unstable} of ${above.length} runs above λ_c (all below λ = 1) judged unstable, growth within ${agreement} half-widths of the exact long-queue prediction (checked): two-queue ABOUNCE(C, ∞) loses throughput, as stated; the region ends at λ_c, not at λ*`,
    ));
  }

  const stable = between.filter((r) => r.point.stability.verdict === "stable");
  const inconclusive = between.filter((r) => r.point.stability.verdict === "inconclusive");
  const unstable = between.filter((r) => r.point.stability.verdict === "unstable");
  const label = (r: Theorem2VerdictRow): string => `K = ${r.migrationPenalty}, C = ${r.threshold}, ${describe(r)}`;
  const predictedBetween = between.map((r) => r.predictedGrowthPerQueue);
  const betweenHalf = Math.max(...between.map((r) => halfWidth(r.point.stability.growthRatePerQueueCi95)));
  const aboveRel = Math.max(...above.map((r) => halfWidth(r.point.stability.growthRatePerQueueCi95) / r.point.stability.growthRatePerQueue));
  const details = markdownParagraphs([
    between.length > 0
      ? `**The statement, simulated from empty.** Of ${between.length} rates strictly between λ* and λ_c, ${stable.length} ${stable.length === 1 ? "was" : "were"} judged stable, ${inconclusive.length} inconclusive and ${unstable.length} unstable (95% tests; band ±${stabilityTolerance} per queue per unit time).` +
        (stable.length > 0 ? ` Stable: ${stable.map(label).join("; ")}.` : "") +
        (inconclusive.length > 0 ? ` Inconclusive (a longer run is needed; we do not guess): ${inconclusive.map(label).join("; ")}.` : "") +
        (unstable.length > 0 ? ` Unstable, against the exact threshold: ${unstable.map(label).join("; ")}.` : "") +
        (unstable.length === 0 && stable.length > 0
          ? ` At these rates the total does not grow and the mean queue length is finite, as for a positive recurrent chain; the exact drift of the work while both queues are long is negative there (${formatNumber(Math.min(...predictedBetween), 3)} to ${formatNumber(Math.max(...predictedBetween), 3)} per queue per unit time). **These results contradict Theorem 2 as stated**, which claims null recurrence or transience for every λ > λ*.`
          : unstable.length > 0 ? " Runs judged unstable between the thresholds disagree with the exact threshold: this study does not resolve that." : " No run between the thresholds was conclusive.")
      : "",
    long.length > 0
      ? `**From long queues.** Started at q = (M, M), the total fell at ${long.filter((r) => (r.longQueue as TwoQueueGrowthCheckRow).simulatedSign < 0).length} of ${long.length} rates between the thresholds (95% batch-means intervals below 0), and the interval covered the exact long-queue drift at ${long.filter((r) => (r.longQueue as TwoQueueGrowthCheckRow).covers).length} (a 95% interval misses about one time in 20): ${long.map((r) => { const g = r.longQueue as TwoQueueGrowthCheckRow; return `λ = ${r.arrivalRate.toFixed(4)} (K = ${r.migrationPenalty}, C = ${r.threshold}): ${estimate(g.simulatedDriftPerEvent, g.ci95)} vs ${formatNumber(g.predictedDriftPerEvent, 3)}`; }).join("; ")}. This rules out a transient system growing more slowly than the band of the test from empty.`
      : "",
    above.length > 0
      ? `**Above λ_c** ${above.filter((r) => r.point.stability.verdict === "unstable").length} of ${above.length} runs were judged unstable, and the simulated growth per queue matched the exact long-queue prediction (λ(2 + (K − 1)P(|D| > C)) − 2)/2 within ${agreement} half-widths (checked; the study stops otherwise), e.g. ${above.slice(0, 2).map((r) => `${estimate(r.point.stability.growthRatePerQueue, r.point.stability.growthRatePerQueueCi95)} vs ${formatNumber(r.predictedGrowthPerQueue, 4)} at λ = ${r.arrivalRate.toFixed(4)}`).join(", ")}. So two-queue ABOUNCE(C, ∞) does lose throughput (λ_c < 1), as the paper says; what fails is the threshold: λ* is too low.`
      : "",
    `**Precision.** Largest 95% half-width of a growth rate between the thresholds: ${formatNumber(betweenHalf, 3)} per queue per unit time (band ${stabilityTolerance})${above.length > 0 ? `; largest relative 95% half-width of a growth rate above λ_c: ${(100 * aboveRel).toFixed(1)}%` : ""}. ${replications} replications per rate; seeds derive from (study seed ${seed}, cell key).`,
  ]);
  return { rows, tables, figures, checks, claims, details };
}
