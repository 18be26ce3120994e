import { measurementText } from "../display/claimsTable";
import type { CacheOptions } from "../study/cache/resultCache";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { abounce, mbounce } from "../model/policy";
import type { SystemParams } from "../model/system";
import { type Claim, claimFromStability } from "../study/claims";
import { type StudyCellResult, runStudy } from "../study/runStudy";
import { studyCells } from "../study/studyGrid";
import { type PaperTable, markdownParagraphs } from "./paperOutput";

/** A simulated configuration: MBOUNCE(ratio, samples) (Theorem 3) or ABOUNCE(threshold, samples) (the contrast). */
export interface Theorem3SimulationConfig {
  readonly queues: number;
  readonly samples: number;
  /** Post-warm-up events per replication. */
  readonly events: number;
  /** MBOUNCE's alpha (give ratio or threshold, not both). */
  readonly ratio?: number;
  /** ABOUNCE's C. */
  readonly threshold?: number;
}

/** What `theorem3SimulationStudy` returns. */
export interface Theorem3SimulationStudy {
  /** The cells in the order (rate, configuration). */
  readonly cells: readonly StudyCellResult<{ index: number }>[];
  /** Which family each cell belongs to, in the same order. */
  readonly families: readonly ("MBOUNCE" | "ABOUNCE")[];
  readonly table: PaperTable;
  readonly claims: readonly Claim[];
  readonly details: string;
}

const THEOREM3 = "Theorem 3: MBOUNCE(α ,d) is stable for all λ < 1.";
const ABOUNCE_INTUITION = "Intuitively, this suggests that the ABOUNCE policy creates too much work and can therefore be unstable while the MBOUNCE policy can be stable.";

/**
 * Theorem 3's statement by simulation: MBOUNCE configurations close to lambda = 1 (where the theorem says
 * stable) and ABOUNCE configurations for contrast (which the paper expects to lose throughput), each from empty
 * with the embedded-chain clock and a 95% growth test (band +-stabilityTolerance per queue per unit time), all
 * on the worker pool at once (`runStudy`, study "theorem3-statement", seeds from (seed, cell key), each cell
 * cached). Each run gives one claim: MBOUNCE expected stable, ABOUNCE expected unstable; an inconclusive test is
 * "undetermined".
 * Cost: the simulations (events x replications per cell, about 2e7 events per second and core), or file reads.
 *
 * @param options rates: arrival rates in (0, 1); migrationPenalty: K, an integer >= 1; configurations (each with
 *   exactly one of ratio > 1 or threshold, an integer >= K; queues an integer >= 2; samples an integer >= 1 or
 *   Infinity; events an integer >= 1000); replications (default 4); seed (default 1); stabilityTolerance
 *   (default 1e-3); cache; onProgress(done, total) in cells (fractions while cells run)
 * @returns the cells, their families, a table, one claim per run and details
 * @throws ParameterError naming the option at fault, before any simulation
 * @example
 * const s = await theorem3SimulationStudy({ rates: [0.95], migrationPenalty: 2, replications: 4, seed: 1,
 *   configurations: [{ queues: 2, ratio: 2, samples: Infinity, events: 2e6 }, { queues: 2, threshold: 2, samples: Infinity, events: 2e6 }] });
 * s.claims.map((c) => c.verdict) // => ["holds", "holds"]  (MBOUNCE stable, ABOUNCE unstable)
 */
export async function theorem3SimulationStudy(options: {
  readonly rates: readonly number[];
  readonly migrationPenalty: number;
  readonly configurations: readonly Theorem3SimulationConfig[];
  readonly replications?: number;
  readonly seed?: number;
  readonly stabilityTolerance?: number;
  readonly cache?: CacheOptions;
  readonly onProgress?: (done: number, total: number) => void;
}): Promise<Theorem3SimulationStudy> {
  const K = requireInteger("migrationPenalty (K)", options.migrationPenalty, 1);
  const replications = requireInteger("replications", options.replications ?? 4, 1, 10_000);
  const seed = requireInteger("seed", options.seed ?? 1, 0, 0xffffffff);
  const stabilityTolerance = requireNumber("stabilityTolerance", options.stabilityTolerance ?? 1e-3, 0, Infinity);
  if (!Array.isArray(options.rates) || options.rates.length === 0) throw new ParameterError("rates", options.rates, "a non-empty array of arrival rates in (0, 1)");
  for (const lambda of options.rates) requireNumber("rates", lambda, 0, 1);
  if (!Array.isArray(options.configurations) || options.configurations.length === 0) {
    throw new ParameterError("configurations", options.configurations, "a non-empty array of { queues, samples, events, ratio | threshold }");
  }
  const systems: SystemParams[] = [];
  const events: number[] = [];
  const families: ("MBOUNCE" | "ABOUNCE")[] = [];
  for (const lambda of options.rates) {
    for (const c of options.configurations) {
      if ((c.ratio === undefined) === (c.threshold === undefined)) {
        throw new ParameterError("configurations", c, "each with exactly one of ratio (MBOUNCE) or threshold (ABOUNCE)");
      }
      const policy = c.ratio !== undefined ? mbounce(c.ratio, c.samples) : abounce(c.threshold as number, c.samples);
      systems.push({ queues: c.queues, arrivalRate: lambda, migrationPenalty: K, policy });
      events.push(requireInteger("configurations.events", c.events, 1000, 2 ** 50));
      families.push(c.ratio !== undefined ? "MBOUNCE" : "ABOUNCE");
    }
  }
  const study = await runStudy({
    name: "theorem3-statement",
    cells: studyCells(systems),
    seed,
    simulation: (cell) => ({ events: events[cell.axes.index] as number, replications, clock: "events", trackDelays: false, stabilityTolerance }),
    ...(options.cache !== undefined ? { cache: options.cache } : {}),
    ...(options.onProgress ? { onProgress: (p: { fraction: number; total: number }) => options.onProgress?.(p.fraction * p.total, p.total) } : {}),
  });
  const cells = study.cells;
  const estimate = (e: { mean: number; ci95: readonly [number, number] }): string => measurementText({ quantity: "", mean: e.mean, ci95: e.ci95 });
  const table: PaperTable = {
    caption: `Simulated verdicts (${replications} replications, band ±${stabilityTolerance} per queue per unit time)`,
    significantDigits: 5,
    rows: cells.map((cell) => {
      const p = cell.point;
      return {
        policy: p.policy, n: p.queues, λ: p.arrivalRate, verdict: p.stability.verdict,
        "growth per queue [95% CI]": estimate({ mean: p.stability.growthRatePerQueue, ci95: p.stability.growthRatePerQueueCi95 }),
        "mean queue length [95% CI]": estimate(p.meanQueueLength), "M/M/1 mean λ/(1 − λ)": p.arrivalRate / (1 - p.arrivalRate),
        "migrating fraction [95% CI]": estimate(p.migrationFraction), "events per replication": p.events / p.replications,
      };
    }),
  };
  const claims = cells.map((cell, k) => {
    const p = cell.point;
    const mb = families[k] === "MBOUNCE";
    const c = claimFromStability(
      { id: `${mb ? "thm3" : "abounce"}-sim-${p.policy.replace(/[^A-Za-z0-9.]+/g, "")}-n${p.queues}-${p.arrivalRate}`, statement: mb ? THEOREM3 : ABOUNCE_INTUITION, source: mb ? "Section III, Theorem 3" : "Section II" },
      p.stability, mb ? "stable" : "unstable",
    );
    return { ...c, measured: { ...c.measured, quantity: `growth per queue per unit time, ${p.policy}, n = ${p.queues}, λ = ${p.arrivalRate}` } };
  });
  const describe = (cell: StudyCellResult<{ index: number }>): string => {
    const p = cell.point;
    return `${p.policy}, n = ${p.queues}, λ = ${p.arrivalRate}: ${p.stability.verdict}, growth ${estimate({ mean: p.stability.growthRatePerQueue, ci95: p.stability.growthRatePerQueueCi95 })}, mean queue length ${estimate(p.meanQueueLength)}`;
  };
  const mbCells = cells.filter((_, k) => families[k] === "MBOUNCE");
  const abCells = cells.filter((_, k) => families[k] === "ABOUNCE");
  const mbStable = mbCells.filter((c) => c.point.stability.verdict === "stable");
  const mbUnstable = mbCells.filter((c) => c.point.stability.verdict === "unstable");
  const relHalf = Math.max(...mbCells.map((c) => c.point.meanQueueLength.relativeHalfWidth));
  const details = markdownParagraphs([
    `**The statement, simulated.** MBOUNCE: ${mbStable.length} of ${mbCells.length} runs judged stable, ${mbUnstable.length} unstable (${mbCells.map(describe).join("; ")}).` +
      (abCells.length > 0 ? ` ABOUNCE: ${abCells.filter((c) => c.point.stability.verdict === "unstable").length} of ${abCells.length} unstable (${abCells.map(describe).join("; ")}).` : ""),
    mbUnstable.length > 0
      ? "**A simulation contradicts Theorem 3** at the rate(s) listed above."
      : mbStable.length === mbCells.length
        ? `**Consistent with Theorem 3.** The simulations at λ = ${options.rates.join(" and ")} are stable for MBOUNCE${abCells.length > 0 ? " where ABOUNCE is not" : ""} (which no finite computation can prove for every λ < 1).`
        : "**Not settled by this run**: some MBOUNCE runs were inconclusive.",
    `**Precision.** Largest relative 95% half-width of a simulated MBOUNCE mean queue length: ${(100 * relHalf).toFixed(1)}%; drifts are exact (floating point). ${replications} replications; seeds derive from (study seed ${seed}, cell key).`,
  ]);
  return { cells, families, table, claims, details };
}
