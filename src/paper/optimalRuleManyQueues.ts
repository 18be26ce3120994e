import type { CacheOptions } from "../study/cache/resultCache";
import { studyProgressReporter } from "../display/studyProgressReporter";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { type PolicySpec, abounce, mbounce, noSharing, policyLabel } from "../model/policy";
import type { SystemParams } from "../model/system";
import type { MeanDifference } from "../statistics/differenceOfMeans";
import { mm1Agreement } from "../statistics/mm1Agreement";
import { type ReferenceAgreement, referenceAgreement } from "../statistics/referenceAgreement";
import { type Claim, claim, precisionPhrase } from "../study/claims";
import { compareCells } from "../study/compareCells";
import { type StudyCellResult, runStudy } from "../study/runStudy";
import { studyGrid } from "../study/studyGrid";
import { switchingTablePolicy } from "../theory/optimal/switchingTableRule";
import { ci, num, wordList } from "./numberText";
import type { OptimalRulePair } from "./optimalRuleTwoQueues";
import type { PaperTable } from "./paperOutput";

const SOURCE = "beyond the paper: Section VI, open question 2, the two-queue optimum used for many queues";
const PAPER_SOURCE = "Section V (n = 100, λ = 0.75, K = 2, d = 10 in the paper)";

/** Parameters of {@link optimalRuleManyQueues}. */
export interface OptimalRuleManyQueuesParameters {
  /** The pairs' optimal tables and best rules (optimalRuleTwoQueues(...).pairs): at least one. */
  readonly rules: readonly OptimalRulePair[];
  /** n: an integer >= 3; default 100. */
  readonly queues?: number;
  /** The values of d simulated, each an integer >= 1 or Infinity, at least one; default [10, Infinity]. */
  readonly samples?: readonly number[];
  /** Events per replication after the warm-up (the simulator adds 10%): an integer >= 1000. */
  readonly events: number;
  /** Replications per cell: an integer >= 2 (the paired comparisons rest on them). */
  readonly replications: number;
  /** The study seed: every cell uses it (common random numbers), an integer in [0, 2^32 - 1]. */
  readonly seed: number;
  /** The n = 2 check of the table policy against its exact value: events per replication and replications; default 1e6 and 4. */
  readonly check?: { readonly events: number; readonly replications: number };
  /** Family-wise confidence of all checks against closed forms and exact values together: in (0, 1); default 0.99. */
  readonly familywiseLevel?: number;
  /** Cache namespace; default "optimal-rule-many-queues". */
  readonly name?: string;
  readonly cache?: CacheOptions;
  /** Show progress lines while simulating (default true). */
  readonly progress?: boolean;
}

/** What a cell plays in the comparison. */
type Role = "optimal" | "best ABOUNCE" | "best MBOUNCE" | "no sharing" | "check n = 2";

interface CellAxes extends Record<string, unknown> {
  /** Index of the pair in `rules`. */
  readonly pair: number;
  readonly role: Role;
  /** d (NaN for no sharing). */
  readonly samples: number;
}

type Cell = StudyCellResult<CellAxes>;

/** One paired comparison of two cells. */
interface Comparison {
  readonly pair: OptimalRulePair;
  readonly samples: number;
  readonly first: Cell;
  readonly second: Cell;
  readonly difference: MeanDifference;
  /**
   * "first lower" | "second lower" | "no significant difference" | "identical" (every replication gave the same
   * value: the two rules decided alike on every state the runs visited) | "undetermined" (a cell's stability test
   * was not "stable").
   */
  readonly outcome: "first lower" | "second lower" | "no significant difference" | "identical" | "undetermined";
  readonly why: string;
}

/** What {@link optimalRuleManyQueues} returns. */
export interface OptimalRuleManyQueues {
  readonly claims: readonly Claim[];
  /** Findings in markdown, one bullet each, written from the numbers. */
  readonly details: string;
  /** One row per simulated cell at n: mean queue length, migration fraction, stability verdict. */
  readonly results: PaperTable;
  /** Paired differences of mean queue length (common random numbers) per pair and d. */
  readonly differences: PaperTable;
  /** The checks against closed forms (no sharing: M/M/1) and exact values (the table policy at n = 2). */
  readonly checks: PaperTable;
  readonly cells: readonly Cell[];
  readonly seconds: number;
}

const pairText = (p: OptimalRulePair): string => `λ = ${p.arrivalRate}, K = ${p.migrationPenalty}`;
const dText = (d: number): string => (d === Infinity ? "∞" : String(d));

/**
 * The optimal two-queue rule as a policy for many queues: each pair's confirmed switching table
 * (switchingTablePolicy: never migrating beyond the table) simulated at n queues (default 100) with d = 10 and
 * d = ∞, beside the best ABOUNCE(C, d) and MBOUNCE(alpha, d) of the exact two-queue ranking and no sharing, all
 * cells of all pairs at once on the worker pool with common random numbers (one seed), so that the differences
 * are paired (compareCells). Each cell is judged by the simulator's stability test. Claims: the table policy is
 * stable; its mean queue length is lower than each best rule's; the paper's "multiplicative better than
 * additive" at n with those two rules. A comparison with a cell whose stability test is not "stable" is not
 * decided by its interval: an unstable competitor loses, anything inconclusive leaves it undetermined.
 *
 * Independent checks (the study throws when one fails, at the stated family-wise confidence for all of them
 * together): no sharing against the M/M/1 closed forms (mm1Agreement); the table policy simulated at n = 2 with
 * d = ∞ against its exact value on the two-queue chain (OptimalRulePair.tableRule), which ties the simulated
 * policy to the rule the MDP found.
 *
 * Cost: (pairs x (3 |samples| + 1) cells, no sharing once per distinct λ) x replications x 1.1 events at n,
 * divided among the cores (about 8 s of CPU per 1e8 events without delay tracking), plus pairs small n = 2 runs;
 * or cache reads.
 *
 * @param parameters rules (from optimalRuleTwoQueues), queues, samples, events, replications, seed, check, cache
 * @returns claims, details, tables and the cells
 * @throws ParameterError for a bad parameter (before any simulation); Error when a check fails
 * @example
 * const two = await optimalRuleTwoQueues({ pairs: [[0.8, 2]], truncation: 60, ratios: [2], maxThreshold: 4 });
 * const many = await optimalRuleManyQueues({ rules: two.pairs, samples: [10], events: 1e6, replications: 4, seed: 8 });
 * many.claims[0].verdict // => "holds" (the table policy is stable at λ = 0.8)
 */
export async function optimalRuleManyQueues(parameters: OptimalRuleManyQueuesParameters): Promise<OptimalRuleManyQueues> {
  if (parameters === null || typeof parameters !== "object") throw new ParameterError("parameters", parameters, "the rules and the simulation");
  const started = performance.now();
  const rules = parameters.rules;
  if (!Array.isArray(rules) || rules.length === 0) throw new ParameterError("rules", rules, "a non-empty array of pairs (optimalRuleTwoQueues(...).pairs)");
  const queues = requireInteger("queues", parameters.queues ?? 100, 3);
  const samples = parameters.samples ?? [10, Infinity];
  if (!Array.isArray(samples) || samples.length === 0) throw new ParameterError("samples", samples, "a non-empty array of d values");
  samples.forEach((d, k) => {
    if (d !== Infinity) requireInteger(`samples[${k}]`, d, 1, queues - 1);
  });
  const events = requireInteger("events", parameters.events, 1000);
  const replications = requireInteger("replications", parameters.replications, 2);
  const checkEvents = requireInteger("check.events", parameters.check?.events ?? 1e6, 1000);
  const checkReplications = requireInteger("check.replications", parameters.check?.replications ?? 4, 2);
  const familywiseLevel = requireNumber("familywiseLevel", parameters.familywiseLevel ?? 0.99, 0, 1);

  const descriptors: CellAxes[] = [];
  const lambdasWithNone = new Set<number>();
  rules.forEach((p, pair) => {
    for (const d of samples) for (const role of ["optimal", "best ABOUNCE", "best MBOUNCE"] as const) descriptors.push({ pair, role, samples: d });
    if (!lambdasWithNone.has(p.arrivalRate)) {
      lambdasWithNone.add(p.arrivalRate);
      descriptors.push({ pair, role: "no sharing", samples: NaN });
    }
    descriptors.push({ pair, role: "check n = 2", samples: Infinity });
  });
  const policyOf = (a: CellAxes): PolicySpec | null => {
    const p = rules[a.pair] as OptimalRulePair;
    const label = `optimal(${p.arrivalRate},${p.migrationPenalty})`;
    if (a.role === "optimal" || a.role === "check n = 2") return switchingTablePolicy(p.switchingTable, a.samples, label);
    if (a.role === "best ABOUNCE") return p.bestAdditive ? abounce(p.bestAdditive.threshold, a.samples) : null;
    if (a.role === "best MBOUNCE") return p.bestMultiplicative ? mbounce(p.bestMultiplicative.ratio, a.samples) : null;
    return noSharing();
  };
  const planned = descriptors.filter((a) => policyOf(a) !== null);
  const cells = studyGrid({ cell: planned }, ({ cell }): SystemParams => ({
    queues: cell.role === "check n = 2" ? 2 : queues,
    arrivalRate: (rules[cell.pair] as OptimalRulePair).arrivalRate,
    migrationPenalty: (rules[cell.pair] as OptimalRulePair).migrationPenalty,
    policy: policyOf(cell) as PolicySpec,
  }));
  const study = await runStudy({
    name: parameters.name ?? "optimal-rule-many-queues",
    cells,
    // clock "events": time advances by the mean holding time per event (exact in expectation), so time averages
    // and growth rates per unit time are unbiased; the comparisons use queue lengths, so delays are not tracked.
    simulation: (cell) => cell.axes.cell.role === "check n = 2"
      ? { events: checkEvents, replications: checkReplications, clock: "events", trackDelays: false }
      : { events, replications, clock: "events", trackDelays: false },
    seed: parameters.seed,
    commonRandomNumbers: true,
    pathPoints: 20,
    ...(parameters.cache !== undefined ? { cache: parameters.cache } : {}),
    ...(parameters.progress !== false ? { onProgress: studyProgressReporter(`Optimal two-queue rule at n = ${queues}`) } : {}),
  });
  const all: Cell[] = study.cells.map((c) => ({ ...c, axes: c.axes.cell }));
  const find = (pair: number, role: Role, d: number): Cell | undefined =>
    all.find((c) => c.axes.pair === pair && c.axes.role === role && (Number.isNaN(d) ? Number.isNaN(c.axes.samples) : c.axes.samples === d));
  const noneOf = (pair: number): Cell => {
    const lambda = (rules[pair] as OptimalRulePair).arrivalRate;
    return all.find((c) => c.axes.role === "no sharing" && (rules[c.axes.pair] as OptimalRulePair).arrivalRate === lambda) as Cell;
  };

  // Checks: Bonferroni over every no-sharing cell and every n = 2 check, at familywiseLevel together.
  const noneCells = all.filter((c) => c.axes.role === "no sharing");
  const checkCells = all.filter((c) => c.axes.role === "check n = 2");
  const share = 1 - (1 - familywiseLevel) / (noneCells.length + 1);
  const checkRows: Record<string, unknown>[] = [];
  for (const c of noneCells) {
    const agreement = mm1Agreement(c.point, { familywiseLevel: share });
    if (!agreement.allWithin) throw new Error(`No sharing at λ = ${c.system.arrivalRate}, n = ${queues} disagrees with the M/M/1 closed forms: ${agreement.summary}`);
    for (const r of agreement.rows.filter((row) => row.label === "E[Q]")) {
      checkRows.push({ check: `no sharing, n = ${queues}, λ = ${c.system.arrivalRate}: ${r.label} (and the tail, ${agreement.rows.length - 1} levels)`, simulated: r.estimate, reference: r.reference, "widened interval": [r.lower, r.upper], t: r.tStatistic, within: agreement.allWithin });
    }
  }
  const bridge = referenceAgreement(checkCells.map((c) => ({
    label: `table policy, n = 2, ${pairText(rules[c.axes.pair] as OptimalRulePair)}: mean queue length`,
    estimate: c.point.meanQueueLength,
    reference: (rules[c.axes.pair] as OptimalRulePair).tableRule.meanQueueLength,
  })), { degreesOfFreedom: checkReplications - 1, familywiseLevel: share });
  if (!bridge.allWithin) throw new Error(`The table policy simulated at n = 2 disagrees with its exact value: ${bridge.summary}`);
  for (const r of bridge.rows) checkRows.push({ check: r.label, simulated: r.estimate, reference: r.reference, "widened interval": [r.lower, r.upper], t: r.tStatistic, within: r.within });

  // Paired comparisons, per pair and d.
  const compare = (pair: number, d: number, firstRole: Role, secondRole: Role): Comparison | null => {
    const first = find(pair, firstRole, d);
    const second = find(pair, secondRole, d);
    if (first === undefined || second === undefined) return null;
    const difference = compareCells(first, second, "meanQueueLength");
    const v1 = first.point.stability.verdict;
    const v2 = second.point.stability.verdict;
    let outcome: Comparison["outcome"] = difference.verdict;
    let why = `paired difference ${num(difference.mean, 3)} ${ci(difference.ci95, 3)}`;
    const a = first.point.perReplication.meanQueueLength;
    const b = second.point.perReplication.meanQueueLength;
    if (a.length === b.length && a.every((x, r) => x === b[r])) {
      outcome = "identical";
      why = "the same value in every replication: the two rules made the same decisions in every state the runs visited";
    } else if (v1 === "unstable" && v2 !== "unstable") {
      outcome = v2 === "stable" ? "second lower" : "undetermined";
      why = `${first.point.policy} judged unstable (${first.point.stability.reason})`;
    } else if (v2 === "unstable" && v1 !== "unstable") {
      outcome = v1 === "stable" ? "first lower" : "undetermined";
      why = `${second.point.policy} judged unstable (${second.point.stability.reason})`;
    } else if (v1 !== "stable" || v2 !== "stable") {
      outcome = "undetermined";
      why = `stability test ${v1} for ${first.point.policy}, ${v2} for ${second.point.policy}: the time averages may not be stationary`;
    }
    return { pair: rules[pair] as OptimalRulePair, samples: d, first, second, difference, outcome, why };
  };
  const comparisons = (firstRole: Role, secondRole: Role, d: number): Comparison[] =>
    rules.map((_, pair) => compare(pair, d, firstRole, secondRole)).filter((c): c is Comparison => c !== null);

  const claims: Claim[] = [stabilityClaim(all.filter((c) => c.axes.role === "optimal"), queues)];
  for (const d of samples) {
    claims.push(comparisonClaim(`optimal-vs-abounce-d${d === Infinity ? "inf" : d}`, `At n = ${queues}, d = ${dText(d)}, the optimal two-queue rule (its switching table) has a lower mean queue length than the best ABOUNCE of the exact two-queue ranking`, SOURCE, comparisons("optimal", "best ABOUNCE", d)));
    claims.push(comparisonClaim(`optimal-vs-mbounce-d${d === Infinity ? "inf" : d}`, `At n = ${queues}, d = ${dText(d)}, the optimal two-queue rule (its switching table) has a lower mean queue length than the best MBOUNCE of the exact two-queue ranking`, SOURCE, comparisons("optimal", "best MBOUNCE", d)));
  }
  if (samples.includes(10)) {
    claims.push(comparisonClaim(`multiplicative-vs-additive-n${queues}`, "the multiplicative threshold policies offer better performance than additive policies for this system", `${PAPER_SOURCE}; here the two-queue winners of each family, mean queue length`, comparisons("best MBOUNCE", "best ABOUNCE", 10)));
  }

  const estimate = (e: { mean: number; ci95: readonly [number, number] }): string => `${num(e.mean, 4)} ${ci(e.ci95, 4)}`;
  const atN = all.filter((c) => c.axes.role !== "check n = 2");
  const results: PaperTable = {
    caption: `n = ${queues}: every cell with common random numbers (seed ${parameters.seed}), ${replications} replications of ${num(events, 3)} events (+10% warm-up); mean queue length in units of work per queue, 95% intervals`,
    rows: atN.map((c) => ({
      "λ, K": `${c.system.arrivalRate}, ${c.system.migrationPenalty}`,
      d: c.axes.role === "no sharing" ? "—" : dText(c.axes.samples),
      rule: c.axes.role,
      policy: c.point.policy,
      "mean queue length": estimate(c.point.meanQueueLength),
      "vs no sharing (relative)": c.point.meanQueueLength.mean / noneOf(c.axes.pair).point.meanQueueLength.mean - 1,
      "migration fraction": c.point.migrationFraction.mean,
      stability: c.point.stability.verdict,
      "growth rate per queue": c.point.stability.growthRatePerQueueCi95,
      "from cache": c.fromCache,
    })),
  };
  const diffRows: Record<string, unknown>[] = [];
  for (const d of samples) {
    for (const [a, b] of [["optimal", "best ABOUNCE"], ["optimal", "best MBOUNCE"], ["best MBOUNCE", "best ABOUNCE"]] as const) {
      for (const c of comparisons(a, b, d)) {
        diffRows.push({
          "λ, K": `${c.pair.arrivalRate}, ${c.pair.migrationPenalty}`, d: dText(d), comparison: `${c.first.point.policy} − ${c.second.point.policy}`,
          difference: c.difference.mean, "95% CI": c.difference.ci95, relative: c.difference.mean / c.second.point.meanQueueLength.mean,
          method: c.difference.method, outcome: c.outcome,
        });
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    claims,
    details: detailsOf({ rules, samples, queues, all, comparisons, bridge, noneCells, familywiseLevel, seconds, replications, events }),
    results,
    differences: { caption: `Paired differences of mean queue length per queue (common random numbers), first − second, 95% intervals; "outcome" takes the stability verdicts into account`, rows: diffRows },
    checks: { caption: `Independent checks at ${num(100 * familywiseLevel, 3)}% family-wise confidence (Bonferroni over ${noneCells.length + 1} groups); the study throws when one fails`, rows: checkRows },
    cells: all,
    seconds,
  };
}

function stabilityClaim(optimal: readonly Cell[], queues: number): Claim {
  const unstable = optimal.filter((c) => c.point.stability.verdict === "unstable");
  const inconclusive = optimal.filter((c) => c.point.stability.verdict === "inconclusive");
  const highest = optimal.reduce((w, c) => (c.point.stability.growthRatePerQueueCi95[1] > w.point.stability.growthRatePerQueueCi95[1] ? c : w));
  const name = (c: Cell): string => `${c.point.policy} at λ = ${c.system.arrivalRate}`;
  const verdict = unstable.length > 0 ? "fails" : inconclusive.length > 0 ? "undetermined" : "holds";
  const evidence = verdict === "holds"
    ? `every table policy (${optimal.length} cells) was judged stable: growth-rate and level-trend intervals within ±${highest.point.stability.tolerance} per queue per unit time; the largest upper growth bound is ${num(highest.point.stability.growthRatePerQueueCi95[1], 3)} (${name(highest)})`
    : verdict === "fails"
      ? `judged unstable: ${wordList(unstable.map((c) => `${name(c)} (${c.point.stability.reason})`))}`
      : `inconclusive: ${wordList(inconclusive.map((c) => `${name(c)} (${c.point.stability.reason})`))}; undetermined ${precisionPhrase()}`;
  return claim(
    { id: `optimal-stable-n${queues}`, statement: `The optimal two-queue rule, as a policy for n = ${queues} queues (never migrating beyond its table), is stable`, source: `${SOURCE}; the paper's stability question (Section III)` },
    { quantity: `growth rate per queue per unit time, ${name(highest)} (the largest upper bound)`, mean: highest.point.stability.growthRatePerQueue, ci95: highest.point.stability.growthRatePerQueueCi95 },
    verdict,
    evidence,
  );
}

function comparisonClaim(id: string, statement: string, source: string, comparisons: readonly Comparison[]): Claim {
  if (comparisons.length === 0) {
    return claim({ id, statement, source }, { quantity: "paired difference of mean queue length", mean: NaN }, "undetermined", "no pair has both rules");
  }
  const each = comparisons.map((c) => `${pairText(c.pair)}: ${c.outcome} (${c.why})`);
  const fails = comparisons.filter((c) => c.outcome === "second lower");
  const open = comparisons.filter((c) => c.outcome === "no significant difference" || c.outcome === "identical" || c.outcome === "undetermined");
  const verdict = fails.length > 0 ? "fails" : open.length > 0 ? "undetermined" : "holds";
  // The measurement shown: the pair that decides the verdict (a failure, else the weakest evidence).
  const shown = fails[0] ?? comparisons.reduce((w, c) => (c.difference.ci95[1] > w.difference.ci95[1] ? c : w));
  const evidence = `${wordList(each)}${verdict === "undetermined" ? `; undetermined ${precisionPhrase()}` : ""}`;
  return claim(
    { id, statement, source },
    { quantity: `paired difference of mean queue length per queue, ${shown.first.point.policy} − ${shown.second.point.policy}, ${pairText(shown.pair)}`, mean: shown.difference.mean, ci95: shown.difference.ci95 },
    verdict,
    evidence,
  );
}

interface DetailInputs {
  readonly rules: readonly OptimalRulePair[];
  readonly samples: readonly number[];
  readonly queues: number;
  readonly all: readonly Cell[];
  readonly comparisons: (first: Role, second: Role, d: number) => Comparison[];
  readonly bridge: ReferenceAgreement;
  readonly noneCells: readonly Cell[];
  readonly familywiseLevel: number;
  readonly seconds: number;
  readonly replications: number;
  readonly events: number;
}

/** A paired difference relative to a cell's mean: "−12.7% (95% CI −13.1% to −12.3%)". */
function relative(d: MeanDifference, base: Cell): string {
  const m = base.point.meanQueueLength.mean;
  const p = (v: number): string => `${num((100 * v) / m, 3)}%`;
  return `${p(d.mean)} (95% CI ${p(d.ci95[0])} to ${p(d.ci95[1])})`;
}

function detailsOf(x: DetailInputs): string {
  const lines: string[] = [];
  const pct = (v: number): string => `${num(100 * v, 2)}%`;
  x.rules.forEach((p, pair) => {
    const parts: string[] = [];
    for (const d of x.samples) {
      const opt = x.all.find((c) => c.axes.pair === pair && c.axes.role === "optimal" && c.axes.samples === d);
      const none = x.all.find((c) => c.axes.role === "no sharing" && c.system.arrivalRate === p.arrivalRate);
      if (opt === undefined || none === undefined) continue;
      const vsA = x.comparisons("optimal", "best ABOUNCE", d).find((c) => c.pair === p);
      const vsM = x.comparisons("optimal", "best MBOUNCE", d).find((c) => c.pair === p);
      const rel = (c: Comparison | undefined): string[] => (c === undefined ? []
        : [c.outcome === "identical" ? `identical runs to ${c.second.point.policy}` : `${relative(c.difference, c.second)} against ${c.second.point.policy} (${c.outcome})`]);
      parts.push([`d = ${dText(d)}: ${num(opt.point.meanQueueLength.mean, 4)} units per queue (${pct(1 - opt.point.meanQueueLength.mean / none.point.meanQueueLength.mean)} below no sharing), migrating ${pct(opt.point.migrationFraction.mean)} of arrivals`,
        ...rel(vsA), ...rel(vsM)].join("; "));
    }
    const best = [p.bestAdditive ? `ABOUNCE(${p.bestAdditive.threshold})` : null, p.bestMultiplicative ? `MBOUNCE(${p.bestMultiplicative.ratio})` : null].filter((s) => s !== null);
    const table = p.switchingTable.length > 8 ? `${p.switchingTable.slice(0, 8).join(", ")}, … (${p.switchingTable.length} points)` : p.switchingTable.join(", ");
    lines.push(`- **${pairText(p)}** (table m = ${table}; two-queue winners ${best.length > 0 ? wordList(best as string[]) : "none"}): ${parts.join("; ")}.`);
  });
  if (x.samples.includes(10) && x.samples.includes(Infinity)) {
    const changes = x.rules.map((p, pair) => {
      const a = x.all.find((c) => c.axes.pair === pair && c.axes.role === "optimal" && c.axes.samples === 10);
      const b = x.all.find((c) => c.axes.pair === pair && c.axes.role === "optimal" && c.axes.samples === Infinity);
      if (a === undefined || b === undefined) return null;
      const d = compareCells(b, a, "meanQueueLength");
      return `${relative(d, a)} (${pairText(p)})`;
    }).filter((s): s is string => s !== null);
    lines.push(`- **d = ∞ against d = 10** (the table policy, paired): the mean queue length changes by ${wordList(changes)}.`);
  }
  const againstM = x.samples.flatMap((d) => x.comparisons("optimal", "best MBOUNCE", d));
  const halfWidths = againstM.filter((c) => c.outcome !== "identical").map((c) => c.difference.halfWidth / c.second.point.meanQueueLength.mean);
  const identical = x.samples.flatMap((d) => [...x.comparisons("optimal", "best ABOUNCE", d), ...x.comparisons("optimal", "best MBOUNCE", d)])
    .filter((c) => c.outcome === "identical");
  if (identical.length > 0) {
    lines.push(`- **Identical runs:** ${wordList(identical.map((c) => `${c.first.point.policy} and ${c.second.point.policy} (${pairText(c.pair)})`))} gave the same value in every replication: with common random numbers, the two rules made the same decision at every arrival the runs saw (they differ only on states these runs never visited).`);
  }
  if (halfWidths.length > 0) {
    lines.push(`- **Precision:** the paired 95% half-widths against the best MBOUNCE are ${num(100 * Math.min(...halfWidths), 2)}% to ${num(100 * Math.max(...halfWidths), 2)}% of its mean; a smaller true difference is not resolved ${precisionPhrase()} (halving a half-width takes four times the events).`);
  }
  lines.push(`- **Run:** ${x.replications} replications of ${num(x.events, 3)} events per cell at n = ${x.queues}, ${x.all.length} cells in all (the n = 2 checks included), ${num(x.seconds, 3)} s (${x.all.filter((c) => c.fromCache).length} read from the cache).`);
  const worst = x.bridge.rows.reduce((w, r) => (Math.abs(r.tStatistic) > Math.abs(w.tStatistic) ? r : w));
  lines.push(`- **Checks:** no sharing matches the M/M/1 closed forms (tail and mean) at every λ, and the table policy simulated at n = 2 matches its exact two-queue value at every pair ` +
    `(largest |t| = ${num(Math.abs(worst.tStatistic), 3)} on ${x.bridge.degreesOfFreedom} degrees of freedom, ${worst.label}), all at ${num(100 * x.familywiseLevel, 3)}% family-wise confidence together: ` +
    "the policy simulated is the rule the MDP found.");
  return lines.join("\n");
}
