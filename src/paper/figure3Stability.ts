import { type CacheOptions, cachedStudy } from "../study/cache/resultCache";
import { lineFigure } from "../display/lineFigure";
import type { PlotlyFigure } from "../display/plotlyFigure";
import { studyProgressReporter } from "../display/studyProgressReporter";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { abounce, policyLabel } from "../model/policy";
import type { SystemParams } from "../model/system";
import { type Claim, type ClaimBase, claim, claimFromStability, precisionPhrase } from "../study/claims";
import { type ThresholdSearchResult, locateStabilityThreshold } from "../study/locateStabilityThreshold";
import type { StudyCellResult } from "../study/runStudy";
import { derivedMeanFieldSystem } from "../theory/meanfield/derivedMeanFieldSystem";
import { meanFieldFrontMotion } from "../theory/meanfield/meanFieldFrontMotion";
import { meanFieldStabilityBoundary } from "../theory/meanfield/meanFieldStabilityBoundary";
import { theorem1ArrivalRateBound } from "../theory/thresholds/theoremBounds";
import { ci, num } from "./numberText";
import type { PaperTable } from "./paperOutput";

/** The rates of the paper's two sample paths: "clearly stable when λ = 0.77, but unstable when λ = 0.79". */
const PAPER_STABLE_RATE = 0.77;
const PAPER_UNSTABLE_RATE = 0.79;
const SOURCE = "Section III, Additive Thresholds; Fig. 3";

/** Parameters of {@link figure3Stability}; the defaults are the paper's (ABOUNCE(2,10), K = 2, n = 100). */
export interface Figure3Parameters {
  /** n: an integer >= 2; default 100. */
  readonly queues?: number;
  /** K: an integer >= 1; default 2. */
  readonly migrationPenalty?: number;
  /** C of ABOUNCE(C, d): an integer >= K; default 2. */
  readonly threshold?: number;
  /** d of ABOUNCE(C, d): an integer >= 1; default 10. */
  readonly samples?: number;
  /** Rates whose sample paths are drawn (each is also simulated); default [0.77, 0.79]. */
  readonly pathRates?: readonly number[];
  /** The sweep: rates in (0, 2) simulated in the first round (0.77 and 0.79 are always added). */
  readonly sweepRates: readonly number[];
  /** The threshold search: a rate expected stable, one expected unstable, and the width to refine to (> 0). */
  readonly search: { readonly lower: number; readonly upper: number; readonly tolerance: number };
  /** Events per replication after the warm-up (the simulator adds 10%): an integer >= 1000. */
  readonly events: number;
  /** Independent replications per rate: an integer >= 2. */
  readonly replications: number;
  /** Study seed: an integer in [0, 2^32 - 1]; each rate's seed derives from it and the system (cellSeed). */
  readonly seed: number;
  /** delta of the stability test, jobs per queue per unit time: > 0; default 0.001. */
  readonly stabilityTolerance?: number;
  /** Width of the mean-field boundary's bracket: in [1e-8, 0.1]. */
  readonly meanFieldTolerance: number;
  /** Levels a mean-field front must move to be timed (its speed): in (0, 15]. */
  readonly frontDisplacement: number;
  /** Cache namespace of the simulations; default "figure3-abounce". */
  readonly name?: string;
  readonly cache?: CacheOptions;
  /** Show progress lines while simulating (default true). */
  readonly progress?: boolean;
}

/** The mean-field (n -> infinity) stability boundary as computed (or read from the cache). */
interface BoundaryResult {
  readonly label: string;
  readonly largestFiniteMean: number;
  readonly smallestEscaping: number;
  readonly trials: number;
}

/** What {@link figure3Stability} returns: plain data for the notebook (tables, figures, claims, details). */
export interface Figure3Stability {
  /** The paper's statements with our verdicts (showClaims). */
  readonly claims: readonly Claim[];
  /** The findings in markdown, one bullet per finding, written from the numbers (showMarkdown). */
  readonly details: string;
  /** The verdicts at the sample paths' rates, with effective loads. */
  readonly paths: PaperTable;
  /** Every simulated rate: verdict and its reason, growth rate with its 95% interval, mean-field front speed. */
  readonly sweep: PaperTable;
  /** Where the family turns unstable: Theorem 1, the simulated bracket, the mean-field boundary, the paper. */
  readonly thresholds: PaperTable;
  /** Mean queue length per queue against time from empty, replication 0 of each path rate (the paper's Figure 3). */
  readonly samplePathFigure: PlotlyFigure;
  /** Growth rate per queue against lambda with 95% error bars, the mean-field front speed, the band delta and the boundary. */
  readonly growthFigure: PlotlyFigure;
  /** The threshold search: bracket (with undetermined rates), reason, every simulated cell. */
  readonly search: ThresholdSearchResult;
  readonly meanFieldBoundary: BoundaryResult;
  /** Wall-clock seconds of this call. */
  readonly seconds: number;
}

type Cell = StudyCellResult<{ arrivalRate: number }>;

/**
 * Figure 3 of the paper (Section III): ABOUNCE(2,10) with K = 2 and n = 100 is "clearly stable when λ = 0.77,
 * but unstable when λ = 0.79", so its stability region is smaller than without sharing (every λ < 1). Simulates
 * the sweep and refines the threshold (locateStabilityThreshold: every rate at once on the worker pool, cached;
 * an inconclusive verdict is reported as undetermined, never taken as a side), judges each rate with the
 * simulator's stability test (stabilityVerdict, whatever verdict and reason it gives), computes the mean-field
 * boundary of the derived ODE system and its front speeds (cached), and returns the claims, tables, figures and
 * details. Independent of the simulation: the mean field (n -> infinity) and Theorem 1's 1/K.
 *
 * Cost: (|sweep| + 2 + refinements) simulations of replications x 1.1 events each, divided among the cores
 * (about 8 s of CPU per 1e8 events), plus the mean-field boundary (3 - 20 s at tolerance 2e-3) unless cached.
 *
 * @param parameters see Figure3Parameters (the notebook's parameters cell)
 * @returns claims, details, tables, figures and the raw search
 * @throws ParameterError for a bad parameter (before any simulation)
 * @example
 * const f3 = await figure3Stability({ sweepRates: [0.75, 0.81], search: { lower: 0.75, upper: 0.83, tolerance: 0.01 },
 *   events: 1e6, replications: 4, seed: 3003, meanFieldTolerance: 0.05, frontDisplacement: 1 });
 * f3.claims.map((c) => c.verdict) // => ["holds", "holds", "holds", "holds"] (stable at 0.77, unstable at 0.79, ...)
 */
export async function figure3Stability(parameters: Figure3Parameters): Promise<Figure3Stability> {
  if (parameters === null || typeof parameters !== "object") throw new ParameterError("parameters", parameters, "the parameters of Figure 3");
  const started = performance.now();
  const queues = requireInteger("queues", parameters.queues ?? 100, 2);
  const K = requireInteger("migrationPenalty", parameters.migrationPenalty ?? 2, 1);
  const C = requireInteger("threshold", parameters.threshold ?? 2, K);
  const d = requireInteger("samples", parameters.samples ?? 10, 1);
  const delta = requireNumber("stabilityTolerance", parameters.stabilityTolerance ?? 1e-3, 0, Infinity);
  const pathRates = parameters.pathRates ?? [PAPER_STABLE_RATE, PAPER_UNSTABLE_RATE];
  for (const [key, rates] of [["pathRates", pathRates], ["sweepRates", parameters.sweepRates]] as const) {
    if (!Array.isArray(rates) || rates.length === 0) throw new ParameterError(key, rates, "a non-empty array of arrival rates");
    rates.forEach((r, k) => requireNumber(`${key}[${k}]`, r, 0, 2));
  }
  const search = parameters.search;
  if (search === null || typeof search !== "object") throw new ParameterError("search", search, "{ lower, upper, tolerance }");
  const mfTolerance = requireNumber("meanFieldTolerance", parameters.meanFieldTolerance, 1e-8, 0.1, { loInclusive: true, hiInclusive: true });
  const displacement = requireNumber("frontDisplacement", parameters.frontDisplacement, 0, 15, { hiInclusive: true });
  const policy = abounce(C, d);
  const label = policyLabel(policy);
  const configuration = `${label}, K = ${K}, n = ${queues}`;
  const systemAt = (arrivalRate: number): SystemParams => ({ queues, arrivalRate, migrationPenalty: K, policy });

  const result = await locateStabilityThreshold({
    name: parameters.name ?? "figure3-abounce",
    system: systemAt,
    lower: search.lower,
    upper: search.upper,
    tolerance: search.tolerance,
    rates: [...parameters.sweepRates, ...pathRates, PAPER_STABLE_RATE, PAPER_UNSTABLE_RATE],
    // clock "events": time advances by the mean holding time per event (exact in expectation), so growth rates per
    // unit time are unbiased; no delays are needed, so delay tracking is off.
    simulation: { events: parameters.events, replications: parameters.replications, clock: "events", trackDelays: false, stabilityTolerance: delta },
    seed: parameters.seed,
    ...(parameters.cache !== undefined ? { cache: parameters.cache } : {}),
    ...(parameters.progress !== false ? { onProgress: studyProgressReporter(`Figure 3: ${configuration}`) } : {}),
  });
  const cells = result.cells;
  const rateOf = (c: Cell): number => c.axes.arrivalRate;
  const at = (lambda: number): Cell => {
    const cell = cells.find((c) => Math.abs(rateOf(c) - lambda) < 1e-12);
    if (cell === undefined) throw new Error(`λ = ${lambda} was not simulated`); // cannot happen: every such rate is in the first round
    return cell;
  };

  // Mean field (n -> infinity) of the system derived from the rule: boundary (upper edge lambda_2 of the pinning
  // interval only) and front speeds where the mass escapes; both cached, as they cost seconds.
  const boundaryStudy = await cachedStudy(
    "figure3-meanfield-boundary",
    { migrationPenalty: K, policy, tolerance: mfTolerance, pinningInterval: false },
    (): BoundaryResult => {
      const b = meanFieldStabilityBoundary({ migrationPenalty: K, policy }, { tolerance: mfTolerance, pinningInterval: false });
      return { label: b.label, largestFiniteMean: b.largestFiniteMean, smallestEscaping: b.smallestEscaping, trials: b.trials.length };
    },
    parameters.cache,
  );
  const boundary = boundaryStudy.result;
  const escapingRates = cells.map(rateOf).filter((l) => l >= boundary.smallestEscaping && l < 1);
  const frontStudy = await cachedStudy(
    "figure3-meanfield-front-speed",
    { migrationPenalty: K, policy, rates: escapingRates, displacement },
    () => escapingRates.map((arrivalRate) => {
      const f = meanFieldFrontMotion(derivedMeanFieldSystem({ arrivalRate, migrationPenalty: K, policy }), { displacement });
      return { arrivalRate, motion: f.motion, speed: f.averageVelocity };
    }),
    parameters.cache,
  );
  // Below the boundary the mean field has a fixed point of finite mean: no growth; between the bracket's ends, unknown.
  const meanFieldGrowth = (lambda: number): number =>
    lambda <= boundary.largestFiniteMean ? 0 : (frontStudy.result.find((f) => f.arrivalRate === lambda)?.speed ?? NaN);

  const claims = figure3Claims(cells, configuration, delta);
  const growth = (c: Cell): number => c.point.stability.growthRatePerQueue;
  const growthCi = (c: Cell): readonly [number, number] => c.point.stability.growthRatePerQueueCi95;
  const paths = pathRates.map(at);
  const timePerReplication = (c: Cell): number => c.point.simulatedTime / c.point.replications;

  const pathsTable: PaperTable = {
    caption: `${configuration}: verdicts of the stability test (δ = ${delta}), ${parameters.replications} replications`,
    rows: paths.map((c) => ({
      "λ": rateOf(c),
      verdict: c.point.stability.verdict,
      "growth rate (jobs/queue/unit time)": growth(c),
      "95% CI": growthCi(c),
      "mean queue length at the end (replication 0)": c.point.path.meanQueueLength[c.point.path.meanQueueLength.length - 1],
      "migration fraction": c.point.migrationFraction.mean,
      "effective load λ(1+(K−1)p_mig)": c.point.effectiveLoad.mean,
      "time per replication": timePerReplication(c),
      "from cache": c.fromCache,
    })),
  };
  const sweepTable: PaperTable = {
    caption: `Every simulated λ (the sweep and the threshold search): verdict, growth rate with its 95% interval, mean-field front speed`,
    rows: cells.map((c) => ({
      "λ": rateOf(c),
      verdict: c.point.stability.verdict,
      "growth rate (jobs/queue/unit time)": growth(c),
      "95% CI": growthCi(c),
      "mean-field front speed": meanFieldGrowth(rateOf(c)),
      "effective load": c.point.effectiveLoad.mean,
      "mean queue length (units/queue)": c.point.meanQueueLength.mean,
      "stopped early": c.point.stoppedEarly,
      "from cache": c.fromCache,
      reason: c.point.stability.reason,
    })),
  };
  const [a, b] = result.bracket.interval;
  const bracketText = result.bracket.bracketed
    ? `[${num(a, 4)}, ${num(b, 4)}]${result.bracket.undetermined.length > 0 ? `, undetermined at ${result.bracket.undetermined.map((o) => num(o.arrivalRate, 4)).join(", ")}` : ""}`
    : "no bracket (see the search)";
  const thresholdsTable: PaperTable = {
    caption: `Where ${label}, K = ${K}, turns unstable`,
    rows: [
      { statement: "Theorem 1 (proved): positive recurrent for λ < 1/K", "λ": `< ${num(theorem1ArrivalRateBound(K), 4)}` },
      { statement: `simulation, n = ${queues}: largest λ judged stable, smallest judged unstable`, "λ": bracketText },
      { statement: `mean field derived from the rule (n → ∞), tolerance ${mfTolerance}`, "λ": ci([boundary.largestFiniteMean, boundary.smallestEscaping], 5) },
      { statement: "paper, Figure 3 (n = 100)", "λ": "stable at 0.77, unstable at 0.79" },
      { statement: "no sharing (n independent M/M/1 queues)", "λ": "< 1" },
    ],
  };

  const samplePathFigure = lineFigure(
    paths.map((c) => ({ name: `λ = ${rateOf(c)}: ${c.point.stability.verdict}`, x: c.point.path.time, y: c.point.path.meanQueueLength })),
    { title: `Figure 3: ${configuration}, from empty (replication 0)`, xTitle: "time (mean service times)", yTitle: "mean queue length per queue (units of work)" },
  );
  const rates = cells.map(rateOf);
  const yTop = Math.max(...cells.map((c) => growthCi(c)[1]).filter(Number.isFinite));
  const growthFigure = lineFigure([
    { name: `simulation, n = ${queues} (95% CI)`, x: rates, y: cells.map(growth), errorY: cells.map((c) => (growthCi(c)[1] - growthCi(c)[0]) / 2), mode: "markers" },
    { name: "mean field (derived): front speed", x: rates, y: rates.map(meanFieldGrowth), dash: "dash", mode: "lines+markers" },
    { name: `δ = ${delta} (test band)`, x: [rates[0] as number, rates[rates.length - 1] as number], y: [delta, delta], dash: "dot" },
    { name: "mean-field boundary", x: [boundary.smallestEscaping, boundary.smallestEscaping], y: [0, yTop], dash: "dashdot" },
  ], { title: `Growth of ${configuration}, against λ`, xTitle: "λ (arrival rate per queue)", yTitle: "growth rate (jobs per queue per unit time)" });

  const seconds = (performance.now() - started) / 1000;
  const details = figure3Details({
    cells, result, boundary, meanFieldGrowth, delta, K, queues, parameters, seconds,
    boundaryFromCache: boundaryStudy.fromCache, boundarySeconds: boundaryStudy.provenance.computeSeconds, at,
  });
  return {
    claims, details, paths: pathsTable, sweep: sweepTable, thresholds: thresholdsTable, samplePathFigure, growthFigure,
    search: result, meanFieldBoundary: boundary, seconds,
  };
}

function figure3Claims(cells: readonly Cell[], configuration: string, delta: number): Claim[] {
  const at = (lambda: number): Cell => cells.find((c) => Math.abs(c.axes.arrivalRate - lambda) < 1e-12) as Cell;
  const named = (c: Claim, cell: Cell): Claim => ({ ...c, measured: { ...c.measured, quantity: `${c.measured.quantity}, ${configuration}, λ = ${cell.axes.arrivalRate}` } });
  const stableBase: ClaimBase = { id: "stable-0.77", statement: "The system is clearly stable when λ=0.77", source: SOURCE };
  const unstableBase: ClaimBase = { id: "unstable-0.79", statement: "[The system is] unstable when λ=0.79", source: SOURCE };
  const c77 = at(PAPER_STABLE_RATE);
  const c79 = at(PAPER_UNSTABLE_RATE);

  // "suggest instability for λ ≥ 0.79": every simulated rate from 0.79 on.
  const above = cells.filter((c) => c.axes.arrivalRate >= PAPER_UNSTABLE_RATE - 1e-12);
  const weakest = above.reduce((w, c) => (c.point.stability.growthRatePerQueueCi95[0] < w.point.stability.growthRatePerQueueCi95[0] ? c : w));
  const stableAbove = above.filter((c) => c.point.stability.verdict === "stable");
  const inconclusiveAbove = above.filter((c) => c.point.stability.verdict === "inconclusive");
  const rateList = (cs: readonly Cell[]): string => cs.map((c) => c.axes.arrivalRate).join(", ");
  const aboveVerdict = stableAbove.length > 0 ? "fails" : inconclusiveAbove.length > 0 ? "undetermined" : "holds";
  const aboveEvidence = aboveVerdict === "holds"
    ? `every simulated λ ≥ 0.79 (${rateList(above)}) was judged unstable (growth interval above δ = ${delta}); the weakest, λ = ${weakest.axes.arrivalRate}, grows at ${num(weakest.point.stability.growthRatePerQueue)} ${ci(weakest.point.stability.growthRatePerQueueCi95)}`
    : aboveVerdict === "fails"
      ? `judged stable at λ = ${rateList(stableAbove)} (${stableAbove[0]?.point.stability.reason})`
      : `inconclusive at λ = ${rateList(inconclusiveAbove)} (${inconclusiveAbove[0]?.point.stability.reason}); undetermined ${precisionPhrase()}`;

  // "the stability region is strictly smaller than the system with no sharing": no sharing is stable for every
  // λ < 1 (n independent M/M/1 queues), so one rate below 1 judged unstable shows it.
  const unstableBelow1 = cells.filter((c) => c.axes.arrivalRate < 1 && c.point.stability.verdict === "unstable");
  const first = unstableBelow1[0];
  const regionBase: ClaimBase = {
    id: "region-smaller",
    statement: "For the ABOUNCE(C,d) strategy, by numerical simulation, we can see that the stability region is strictly smaller than the system with no sharing",
    source: "Section III, Additive Thresholds",
  };
  const region = first !== undefined
    ? claim(regionBase, { quantity: `growth rate per queue per unit time, ${configuration}, λ = ${first.axes.arrivalRate} (the smallest λ judged unstable)`, mean: first.point.stability.growthRatePerQueue, ci95: first.point.stability.growthRatePerQueueCi95 },
      "holds", `judged unstable at λ = ${first.axes.arrivalRate} < 1 (${first.point.stability.reason}), where no sharing (n independent M/M/1 queues) is positive recurrent`)
    : claim(regionBase, { quantity: `smallest λ < 1 judged unstable, ${configuration}`, mean: NaN },
      "undetermined", `no simulated λ < 1 was judged unstable; undetermined ${precisionPhrase()}`);
  return [
    named(claimFromStability(stableBase, c77.point.stability, "stable"), c77),
    named(claimFromStability(unstableBase, c79.point.stability, "unstable"), c79),
    claim({ id: "unstable-from-0.79", statement: "Two sample paths for ABOUNCE(2, 10) with n=100 that suggest instability for λ ≥ 0.79", source: "Fig. 3, caption" },
      { quantity: `growth rate per queue per unit time, ${configuration}, λ = ${weakest.axes.arrivalRate} (the lowest growth bound among λ ≥ 0.79)`, mean: weakest.point.stability.growthRatePerQueue, ci95: weakest.point.stability.growthRatePerQueueCi95 },
      aboveVerdict, aboveEvidence),
    region,
  ];
}

interface DetailInputs {
  readonly cells: readonly Cell[];
  readonly result: ThresholdSearchResult;
  readonly boundary: BoundaryResult;
  readonly meanFieldGrowth: (lambda: number) => number;
  readonly delta: number;
  readonly K: number;
  readonly queues: number;
  readonly parameters: Figure3Parameters;
  readonly seconds: number;
  readonly boundaryFromCache: boolean;
  readonly boundarySeconds: number;
  readonly at: (lambda: number) => Cell;
}

function figure3Details(x: DetailInputs): string {
  const { cells, result, boundary, delta, K, queues } = x;
  const rate = (c: Cell): number => c.axes.arrivalRate;
  const g = (c: Cell): number => c.point.stability.growthRatePerQueue;
  const gci = (c: Cell): readonly [number, number] => c.point.stability.growthRatePerQueueCi95;
  const c79 = x.at(PAPER_UNSTABLE_RATE);
  const load = c79.point.effectiveLoad;
  const loadWords = load.ci95[0] > 1 ? "above 1: more work arrives than the servers can do" : load.ci95[1] < 1 ? "below 1" : "not distinguishable from 1";
  const lines: string[] = [];
  lines.push(`- **At λ = 0.79** the effective load λ(1+(K−1)p_mig) is ${num(load.mean, 5)}, 95% CI ${ci(load.ci95, 5)}, ${loadWords}; ` +
    `the migration fraction is ${num(c79.point.migrationFraction.mean)} (each migration adds K − 1 = ${K - 1} unit${K - 1 === 1 ? "" : "s"} of work).`);

  const unstable = cells.filter((c) => c.point.stability.verdict === "unstable");
  if (unstable.length > 0) {
    const firstUnstable = Math.min(...unstable.map(rate));
    const all = cells.filter((c) => rate(c) >= firstUnstable).every((c) => c.point.stability.verdict === "unstable");
    lines.push(`- **Stability region smaller than without sharing:** ${all ? "every simulated rate" : "some simulated rates"} from λ = ${num(firstUnstable, 4)} on ${all ? "is" : "are"} judged unstable, although no sharing is stable for every λ < 1.`);
  } else {
    lines.push(`- **Stability region:** no simulated rate was judged unstable; undetermined ${precisionPhrase()}.`);
  }

  const [a, b] = result.bracket.interval;
  let threshold = `- **Threshold, simulation n = ${queues}:** ${result.bracket.description} The search ${result.conclusive ? "reached its tolerance" : "did not reach its tolerance"} (${result.reason.replace(/: .*$/, "")}). ` +
    `Each end rests on one 95% test, and "unstable" means growth above δ = ${delta}, so the bracket locates where growth exceeds δ, not the exact onset.`;
  if (result.bracket.undetermined.length > 0) threshold += ` Where the test was inconclusive the side of the threshold is undetermined ${precisionPhrase()}.`;
  const growing = cells.filter((c) => gci(c)[0] > 0);
  const firstGrowing = growing.length > 0 ? Math.min(...growing.map(rate)) : NaN;
  const growingAbove = cells.filter((c) => rate(c) >= firstGrowing).every((c) => gci(c)[0] > 0);
  const flat = cells.filter((c) => rate(c) < firstGrowing && gci(c)[0] <= 0 && gci(c)[1] >= 0);
  const lastFlat = flat[flat.length - 1];
  if (Number.isFinite(firstGrowing) && growingAbove && lastFlat !== undefined) {
    const inRange = boundary.smallestEscaping <= firstGrowing && boundary.largestFiniteMean >= rate(lastFlat);
    threshold += ` Growth of any size: the 95% growth interval contains 0 at λ = ${num(rate(lastFlat), 4)} (${ci(gci(lastFlat))}) and lies above 0 from λ = ${num(firstGrowing, 4)} on, ` +
      `so as far as these intervals resolve, growth sets in between ${num(rate(lastFlat), 4)} and ${num(firstGrowing, 4)} at n = ${queues} (the mean-field boundary ${inRange ? "lies in this range" : "lies outside this range"}).`;
  }
  lines.push(threshold);

  const mfLo = boundary.largestFiniteMean;
  const mfHi = boundary.smallestEscaping;
  const relation = !result.bracket.bracketed ? "cannot be set against a simulated bracket (there is none)"
    : a <= mfLo && mfHi <= b ? "lies inside the simulated bracket"
      : a <= mfHi && mfLo <= b ? "overlaps the simulated bracket" : "lies outside the simulated bracket";
  const mf79 = x.meanFieldGrowth(PAPER_UNSTABLE_RATE);
  const [lo79, hi79] = gci(c79);
  const speedWords = hi79 < mf79 ? `with n = ${queues} the queues grow measurably more slowly than in the mean-field limit`
    : lo79 > mf79 ? `with n = ${queues} the queues grow measurably faster than in the mean-field limit` : "consistent with the mean-field speed";
  lines.push(`- **Mean field (n → ∞, derived system):** boundary in (${num(mfLo, 5)}, ${num(mfHi, 5)}) (${x.boundaryFromCache ? "read from the cache" : `computed in ${num(x.boundarySeconds, 2)} s`}); it ${relation}. ` +
    (Number.isFinite(mf79)
      ? `At λ = 0.79 the mean-field front rises at ${num(mf79)} per unit time against ${num(g(c79))} ${ci(gci(c79))} simulated with n = ${queues} (${num((100 * g(c79)) / mf79, 2)}% of it): ${speedWords}.`
      : "At λ = 0.79 the mean field has no front speed (0.79 is not above the boundary's bracket)."));

  const stable = cells.filter((c) => c.point.stability.verdict === "stable");
  const bound = theorem1ArrivalRateBound(K);
  if (Number.isFinite(a)) {
    lines.push(`- **Theorem 1** guarantees stability only below 1/K = ${num(bound)}; the bracket's lower end ${num(a, 4)} (judged stable) is ${num(a / bound)}× that, so the theorem (a sufficient condition from a coupling) is far from tight here.`);
  }
  const half = (c: Cell): number => (gci(c)[1] - gci(c)[0]) / 2;
  const worstRelative = unstable.length > 0 ? Math.max(...unstable.map((c) => half(c) / g(c))) : NaN;
  const stableHalf = stable.length > 0 ? Math.max(...stable.map(half)) : NaN;
  const fromCache = cells.filter((c) => c.fromCache).length;
  lines.push(`- **Precision:** ` +
    (unstable.length > 0 ? `largest relative 95% half-width of the growth rates judged unstable: ${num(100 * worstRelative, 2)}%; ` : "") +
    (stable.length > 0 ? `largest 95% half-width at rates judged stable: ${num(stableHalf)} jobs/queue/unit time (δ = ${delta}). ` : "") +
    `${x.parameters.replications} replications of ${num(x.parameters.events, 4)} events (+10% warm-up) per rate, ${cells.length} rates (${result.rounds} refinement round${result.rounds === 1 ? "" : "s"}); ` +
    `${num(x.seconds, 3)} s (${fromCache} of ${cells.length} rates ${fromCache === 1 ? "was" : "were"} read from the cache).`);
  return lines.join("\n");
}
