import type { CacheOptions } from "../study/cache/resultCache";
import { studyProgressReporter } from "../display/studyProgressReporter";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { type PolicySpec, noSharing, policyLabel } from "../model/policy";
import { type ReferenceAgreement } from "../statistics/referenceAgreement";
import { mm1Agreement } from "../statistics/mm1Agreement";
import { type Claim, claim } from "../study/claims";
import { compareCells } from "../study/compareCells";
import { type StudyCellResult, type StudyResult, runStudy } from "../study/runStudy";
import { studyGrid } from "../study/studyGrid";
import { tailLighterFrom } from "../study/tailLighterFrom";
import { type MeanFieldTailReference, meanFieldTailReference } from "../theory/meanfield/meanFieldTailReference";
import { ci, num } from "./numberText";
import type { PaperTable } from "./paperOutput";

/** Parameters of {@link policyTailsStudy}; the defaults are those of the paper's Figures 4 and 5. */
export interface PolicyTailsParameters {
  /** The policies compared with no sharing (which the study adds first): at least one, distinct, declared policies. */
  readonly policies: readonly PolicySpec[];
  /** n: an integer >= 2; default 100. */
  readonly queues?: number;
  /** lambda in (0, 1); default 0.75. */
  readonly arrivalRate?: number;
  /** K: an integer >= 1; default 2. */
  readonly migrationPenalty?: number;
  /** Events per replication after the warm-up (the simulator adds 10%). */
  readonly events: number;
  /** Independent replications per policy: an integer >= 2 (intervals and comparisons rest on them). */
  readonly replications: number;
  /** Study seed; each policy's seed derives from it and its system (cellSeed), so the policies' runs are independent. */
  readonly seed: number;
  /** Family-wise confidence of the no-sharing check against the M/M/1 closed forms: in (0, 1); default 0.99. */
  readonly familywiseLevel?: number;
  /** epsilon of the tail lemmas: > 0; default 0.01. */
  readonly epsilon?: number;
  /** Tail levels shown (tables, figures, lemma rates), i = 0..levelsShown-1: an integer in [2, 200]; default 20. */
  readonly levelsShown?: number;
  /** Tail values below this are not drawn: in (0, 1); default 1e-9. */
  readonly tailFloor?: number;
  /** Cache namespace; default "figures45-tails" (Figures 4 and 5 share their cells through it). */
  readonly name?: string;
  readonly cache?: CacheOptions;
  /** Show progress lines while simulating (default true). */
  readonly progress?: boolean;
}

type Cell = StudyCellResult<{ policy: PolicySpec }>;

/** What {@link policyTailsStudy} returns. */
export interface PolicyTailsStudy {
  /** The run: no sharing first, then the policies in the order given. */
  readonly study: StudyResult<{ policy: PolicySpec }>;
  readonly noSharing: Cell;
  /** The policies' cells, in the order given. */
  readonly cells: readonly Cell[];
  /** Mean-field references (derived and printed fixed points, lemma rate), aligned with [noSharing, ...cells]. */
  readonly references: readonly MeanFieldTailReference[];
  /** The no-sharing run against the M/M/1 closed forms (the study throws when a reference lies outside). */
  readonly mm1: ReferenceAgreement;
  readonly mm1Table: PaperTable;
  /** Mean queue length, mean delay and migration fraction with their 95% intervals, per policy. */
  readonly simulationTable: PaperTable;
  /** Fixed points of the derived and printed mean-field systems, per policy. */
  readonly meanFieldTable: PaperTable;
  /** P(Q >= i) simulated, with 95% intervals, per policy. */
  readonly tailTable: PaperTable;
  readonly parameters: Required<Pick<PolicyTailsParameters, "queues" | "arrivalRate" | "migrationPenalty" | "levelsShown" | "tailFloor" | "epsilon">> & PolicyTailsParameters;
  /** Wall-clock seconds of this call. */
  readonly seconds: number;
}

/**
 * Queue-size tails of several policies against no sharing at one load (the setting of Figures 4 and 5: n = 100,
 * λ = 0.75, K = 2): every policy simulated at once on the worker pool with its own seed (runStudy; cells are
 * cached, so Figures 4 and 5 share theirs), the no-sharing run checked against the M/M/1 closed forms
 * P(Q >= i) = λ^i, E[Q] = λ/(1 − λ), E[delay] = 1/(1 − λ) at the stated family-wise confidence (mm1Agreement;
 * it throws when a reference lies outside its interval, since that points at a bug), and the mean-field
 * references of each policy (meanFieldTailReference). Returns the tables the two figures' notebooks show.
 *
 * Cost: (policies + 1) simulations of replications x 1.1 events each, divided among the cores, or cache reads;
 * milliseconds per mean-field reference.
 *
 * @param parameters the policies and the simulation (see PolicyTailsParameters)
 * @returns the cells, references, check and tables
 * @throws ParameterError for a bad parameter (before any simulation); Error when the no-sharing run fails its check
 * @example
 * const t = await policyTailsStudy({ policies: [abounce(2, 10)], events: 2.5e6, replications: 6, seed: 4500 });
 * t.mm1.allWithin // => true (it throws otherwise)
 */
export async function policyTailsStudy(parameters: PolicyTailsParameters): Promise<PolicyTailsStudy> {
  if (parameters === null || typeof parameters !== "object") throw new ParameterError("parameters", parameters, "the policies and the simulation");
  const started = performance.now();
  const queues = requireInteger("queues", parameters.queues ?? 100, 2);
  const arrivalRate = requireNumber("arrivalRate", parameters.arrivalRate ?? 0.75, 0, 1);
  const K = requireInteger("migrationPenalty", parameters.migrationPenalty ?? 2, 1);
  const replications = requireInteger("replications", parameters.replications, 2);
  const familywiseLevel = requireNumber("familywiseLevel", parameters.familywiseLevel ?? 0.99, 0, 1);
  const epsilon = requireNumber("epsilon", parameters.epsilon ?? 0.01, 0, Infinity);
  const levelsShown = requireInteger("levelsShown", parameters.levelsShown ?? 20, 2, 200);
  const tailFloor = requireNumber("tailFloor", parameters.tailFloor ?? 1e-9, 0, 1);
  if (!Array.isArray(parameters.policies) || parameters.policies.length === 0) {
    throw new ParameterError("policies", parameters.policies, "a non-empty array of policies");
  }
  const policies = [noSharing(), ...parameters.policies];
  const cells = studyGrid({ policy: policies }, ({ policy }) => ({ queues, arrivalRate, migrationPenalty: K, policy }));
  const study = await runStudy({
    name: parameters.name ?? "figures45-tails",
    cells,
    // clock "events": time advances by the mean holding time per event (exact in expectation), so time averages
    // (tails, mean queue length) and mean delays are unbiased; delay quantiles are not needed.
    simulation: { events: parameters.events, replications, clock: "events" },
    seed: parameters.seed,
    pathPoints: 50,
    ...(parameters.cache !== undefined ? { cache: parameters.cache } : {}),
    ...(parameters.progress !== false ? { onProgress: studyProgressReporter(`Tails at λ = ${arrivalRate}, n = ${queues}, K = ${K}`) } : {}),
  });
  const [none, ...rest] = study.cells as [Cell, ...Cell[]];
  const mm1 = mm1Agreement(none.point, { familywiseLevel });
  if (!mm1.allWithin) throw new Error(`The no-sharing simulation disagrees with the M/M/1 closed forms: ${mm1.summary}`);
  const references = policies.map((policy) => meanFieldTailReference({ arrivalRate, migrationPenalty: K, policy }, { epsilon, lemmaLevels: levelsShown }));

  const all = study.cells;
  const estimate = (e: { mean: number; ci95: readonly [number, number] }): string => `${num(e.mean, 4)} ${ci(e.ci95, 4)}`;
  const mm1Table: PaperTable = {
    caption: `No sharing vs M/M/1: ${mm1.summary}`,
    rows: mm1.rows.map((r) => ({
      check: r.label, simulated: r.estimate, "M/M/1 closed form": r.reference,
      [`interval (${num(100 * familywiseLevel)}% family-wise)`]: [r.lower, r.upper], t: r.tStatistic, within: r.within,
    })),
  };
  const simulationTable: PaperTable = {
    caption: `Simulation, n = ${queues}, λ = ${arrivalRate}, K = ${K}, ${replications} replications per policy: queue length in units of work per queue; delay from a job's arrival to the completion of its last unit`,
    rows: all.map((c) => ({
      policy: policyLabel(c.system.policy),
      "mean queue length (units/queue)": estimate(c.point.meanQueueLength),
      "mean delay": estimate(c.point.meanDelay),
      "migration fraction": estimate(c.point.migrationFraction),
    })),
  };
  const meanFieldTable: PaperTable = {
    caption: "Mean field (n → ∞): fixed points of the system derived from the rule and of the system as printed (NaN: none printed)",
    rows: references.map((r) => ({
      policy: r.policy,
      "derived: mean queue length": r.derived.meanQueueLength,
      "derived: mean delay (FIFO)": r.derived.meanJobDelayFifo,
      "derived: p_mig": r.derived.migrationProbability,
      "printed: mean queue length": r.printed?.meanQueueLength ?? NaN,
      "printed: p_mig": r.printed?.migrationProbability ?? NaN,
      "printed: arrivals lost": r.printed?.unaccountedArrivalProbability ?? NaN,
      "printed system": r.printedNote,
    })),
  };
  const tailTable = simulatedTailTable(all, queues, levelsShown);
  return {
    study, noSharing: none, cells: rest, references, mm1, mm1Table, simulationTable, meanFieldTable, tailTable,
    parameters: { ...parameters, queues, arrivalRate, migrationPenalty: K, levelsShown, tailFloor, epsilon },
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The paper's Section V claim for each policy of a tail study: "a significant improvement is seen versus the
 * policy of not sharing". It holds for a policy when its mean delay and mean queue length are both lower than
 * no sharing's (Welch 95% intervals of the differences below 0) and its tail is significantly lighter from some
 * level on (tailLighterFrom); it fails when either mean is significantly higher; undetermined otherwise.
 * Cost O(cells x (replications + levels)).
 *
 * @param tails a finished tail study
 * @param figure where the paper shows it ("Fig. 4")
 * @param cells the policies to judge (default every policy of the study)
 * @example
 * const tails = await policyTailsStudy({ policies: [abounce(2, 10)], queues: 20, events: 4e5, replications: 4, seed: 1, progress: false });
 * improvementClaims(tails, "Fig. 4").map((c) => c.verdict) // => ["holds"] (ABOUNCE(2,10) against no sharing at n = 20)
 */
export function improvementClaims(tails: PolicyTailsStudy, figure: string, cells: readonly Cell[] = tails.cells): Claim[] {
  const none = tails.noSharing;
  const n = tails.parameters.queues;
  return cells.map((c) => {
    const label = policyLabel(c.system.policy);
    const delay = compareCells(c, none, "meanDelay");
    const length = compareCells(c, none, "meanQueueLength");
    const from = tailLighterFrom(c.point, none.point, tails.parameters.levelsShown);
    const verdict = delay.verdict === "first lower" && length.verdict === "first lower" && Number.isFinite(from) ? "holds"
      : delay.verdict === "second lower" || length.verdict === "second lower" ? "fails" : "undetermined";
    const evidence = `mean delay ${num(c.point.meanDelay.mean, 4)} against ${num(none.point.meanDelay.mean, 4)} without sharing (difference ${num(delay.mean)}, Welch 95% CI ${ci(delay.ci95)}); ` +
      `mean queue length ${num(c.point.meanQueueLength.mean, 4)} against ${num(none.point.meanQueueLength.mean, 4)} (difference ${num(length.mean)}, ${ci(length.ci95)}); ` +
      `tail ${Number.isFinite(from) ? `significantly lighter from i = ${from} on` : "not significantly lighter at the deepest levels"} (disjoint 95% intervals at every level up to ${tails.parameters.levelsShown - 1})`;
    return claim(
      { id: `improvement-${label.replace(/[^A-Za-z0-9.]+/g, "-").replace(/-+$/, "")}`, statement: "In both cases, a significant improvement is seen versus the policy of not sharing", source: `Section V, ${figure}` },
      { quantity: `mean delay, ${label} − no sharing, n = ${n}, λ = ${tails.parameters.arrivalRate}`, mean: delay.mean, ci95: delay.ci95 },
      verdict, evidence,
    );
  });
}

/**
 * The M/M/1 check of the no-sharing run as a claim (Section III: without sharing, n independent M/M/1 queues).
 * Cost O(checks).
 *
 * @example
 * const tails = await policyTailsStudy({ policies: [abounce(2, 10)], queues: 20, events: 4e5, replications: 4, seed: 1, progress: false });
 * mm1Claim(tails).verdict // => "holds" (policyTailsStudy throws before a failing check gets here)
 */
export function mm1Claim(tails: PolicyTailsStudy): Claim {
  const worst = tails.mm1.rows.reduce((w, r) => (Math.abs(r.tStatistic) > Math.abs(w.tStatistic) ? r : w));
  return claim(
    { id: "no-sharing-mm1", statement: "Here, the system trivially splits into n independent M/M/1 queues with arrival rate λ and service rate 1", source: "Section III" },
    { quantity: `largest |t| of the no-sharing run against the M/M/1 closed forms (${worst.label})`, mean: Math.abs(worst.tStatistic) },
    tails.mm1.allWithin ? "holds" : "fails", tails.mm1.summary,
  );
}

/**
 * P(Q >= i) of the cells with their 95% intervals, one row per level i = 1.. down to the deepest level a policy
 * other than the first (no sharing) reached, at most levelsShown - 1; "0 (never seen)" past a cell's tail.
 * Cost O(cells x levels).
 *
 * @example
 * const tails = await policyTailsStudy({ policies: [abounce(2, 10)], queues: 20, events: 4e5, replications: 4, seed: 1, progress: false });
 * simulatedTailTable([tails.noSharing, ...tails.cells], 20, 20).rows[0]
 * // => { i: 1, "no sharing": "0.7489 [0.748, 0.75]", "ABOUNCE(2,10)": "0.9282 [0.922, 0.934]" }
 */
export function simulatedTailTable(cells: readonly Cell[], queues: number, levelsShown: number): PaperTable {
  const deepest = Math.min(levelsShown - 1, Math.max(...cells.slice(cells.length > 1 ? 1 : 0).map((c) => c.point.tail.length - 1)));
  const tailCell = (c: Cell, i: number): string => {
    const interval = c.point.tailCi95?.[i];
    return i < c.point.tail.length ? `${num(c.point.tail[i] as number, 4)}${interval ? ` ${ci(interval)}` : ""}` : "0 (never seen)";
  };
  return {
    caption: `P(Q ≥ i), simulation (n = ${queues}) with 95% intervals`,
    rows: Array.from({ length: Math.max(1, deepest) }, (_, j) => j + 1).map((i) => {
      const row: Record<string, unknown> = { i };
      for (const c of cells) row[policyLabel(c.system.policy)] = tailCell(c, i);
      return row;
    }),
  };
}

/**
 * The largest |simulated − mean-field| tail difference over levels 1-6 (a level missing from either counts as 0).
 * Cost O(1).
 *
 * @example
 * const tails = await policyTailsStudy({ policies: [abounce(2, 10)], queues: 20, events: 4e5, replications: 4, seed: 1, progress: false });
 * tailGap(tails.cells[0], tails.references[1].derived.tail) // => 0.16 (n = 20 is far from the limit; 0.03 at n = 100)
 */
export function tailGap(cell: Cell, tail: readonly number[]): number {
  return Math.max(...[1, 2, 3, 4, 5, 6].map((i) => Math.abs((cell.point.tail[i] ?? 0) - (tail[i] ?? 0))));
}

/**
 * One markdown line per policy: mean delay and queue length against no sharing, migration fraction, and from
 * which level the tail is significantly lighter. Cost O(cells x levels).
 *
 * @example
 * const tails = await policyTailsStudy({ policies: [abounce(2, 10)], queues: 20, events: 4e5, replications: 4, seed: 1, progress: false });
 * console.log(improvementDetails(tails)[0]);
 * // prints: - ABOUNCE(2,10): mean delay 3.216 [3.105, 3.327] against 3.971 without sharing; ...
 */
export function improvementDetails(tails: PolicyTailsStudy, cells: readonly Cell[] = tails.cells): string[] {
  const none = tails.noSharing;
  const K = tails.parameters.migrationPenalty;
  return cells.map((c) => {
    const from = tailLighterFrom(c.point, none.point, tails.parameters.levelsShown);
    const heavierAtOne = (c.point.tail[1] ?? 0) > (none.point.tail[1] ?? 0);
    return `- ${policyLabel(c.system.policy)}: mean delay ${num(c.point.meanDelay.mean, 4)} ${ci(c.point.meanDelay.ci95, 4)} against ${num(none.point.meanDelay.mean, 4)} without sharing; ` +
      `mean queue length ${num(c.point.meanQueueLength.mean, 4)} ${ci(c.point.meanQueueLength.ci95, 4)} units against ${num(none.point.meanQueueLength.mean, 4)}; migrates ${num(100 * c.point.migrationFraction.mean)}% of arrivals. ` +
      `Its tail is ${Number.isFinite(from) ? `significantly lighter from i = ${from} on` : "not significantly lighter at the deepest levels"}` +
      (heavierAtOne ? `, but heavier at small i (P(Q ≥ 1) = ${num(c.point.tail[1] as number)} against ${num(none.point.tail[1] as number)}: more queues are busy, since a migrated job brings K = ${K} units).` : ".");
  });
}

/**
 * The precision line of the tail figures' details: the largest relative 95% half-width, the sample sizes, the
 * time and the cache reads. Cost O(cells).
 *
 * @example
 * const tails = await policyTailsStudy({ policies: [abounce(2, 10)], queues: 20, events: 4e5, replications: 4, seed: 1, progress: false });
 * console.log(precisionLine(tails));
 * // prints: - **Precision:** largest relative 95% half-width of the mean queue lengths and mean delays: 4%. ...
 */
export function precisionLine(tails: PolicyTailsStudy): string {
  const all = tails.study.cells;
  const worst = Math.max(...all.flatMap((c) => [c.point.meanQueueLength.relativeHalfWidth, c.point.meanDelay.relativeHalfWidth]));
  const fromCache = all.filter((c) => c.fromCache).length;
  return `- **Precision:** largest relative 95% half-width of the mean queue lengths and mean delays: ${num(100 * worst, 2)}%. ` +
    `${tails.parameters.replications} independent replications of ${num(tails.parameters.events, 4)} events (+10% warm-up) per policy, seeds from study seed ${tails.parameters.seed} and each policy's system; ` +
    `${num(tails.seconds, 3)} s (${fromCache} of ${all.length} policies read from the cache).`;
}
