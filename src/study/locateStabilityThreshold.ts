import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import type { SystemParams } from "../model/system";
import type { CacheOptions } from "./cache/resultCache";
import { type StudyCellResult, type StudyProgress, type StudySimulation, runStudy } from "./runStudy";
import { type StabilityBracket, stabilityBracket } from "./stabilityBracket";
import { studyGrid } from "./studyGrid";

/** Options of {@link locateStabilityThreshold}. */
export interface ThresholdSearchOptions {
  /** The study's name: the cache's namespace (cells already simulated under it with the same seed and options are read back). */
  readonly name: string;
  /** The family: arrival rate -> system. */
  readonly system: (arrivalRate: number) => SystemParams;
  /** An arrival rate expected to be stable (finite). */
  readonly lower: number;
  /** An arrival rate expected to be unstable (> lower). */
  readonly upper: number;
  /** Refine until every gap between simulated rates inside the bracket is at most this wide (> 0); default 0.005. */
  readonly tolerance?: number;
  /** Rates simulated in the first round besides lower and upper (a sweep); those outside [lower, upper] are kept too. */
  readonly rates?: readonly number[];
  /** How every rate is simulated (runStudy's simulation options). */
  readonly simulation: StudySimulation;
  /** The study seed (cellSeed derives each rate's seed from it and the system); default 1. */
  readonly seed?: number;
  /** Rounds of refinement after the first (each simulates its midpoints at once): an integer in [0, 50]; default 10. */
  readonly maxRounds?: number;
  readonly pathPoints?: number;
  readonly cache?: CacheOptions;
  /** Progress of each round's study, with the round number (0 = the first). */
  readonly onProgress?: (progress: StudyProgress & { readonly round: number }) => void;
}

/** Where the simulated family turns unstable, and every rate simulated to find it. */
export interface ThresholdSearchResult {
  /** The bracket of the verdicts at every simulated rate (stabilityBracket): interval, undetermined rates, description. */
  readonly bracket: StabilityBracket;
  /** True when the verdicts bracket the threshold and the bracket is at most `tolerance` wide. */
  readonly conclusive: boolean;
  /** What ended the search, in words, with the undetermined rates and their reasons. */
  readonly reason: string;
  /** Every simulated rate's cell, sorted by arrival rate. */
  readonly cells: readonly StudyCellResult<{ arrivalRate: number }>[];
  /** Rounds run after the first. */
  readonly rounds: number;
}

/** Rates are rounded to 12 significant digits so that midpoints of decimal rates stay the decimals a table shows. */
const tidy = (x: number): number => Number(x.toPrecision(12));

/**
 * Locates the arrival rate at which a family of systems turns unstable, by refinement on the simulator's
 * stability verdicts (stabilityVerdict, a 95% test of the growth of the total queue length). The first round
 * simulates lower, upper and `rates` together; each later round takes the current bracket (stabilityBracket:
 * largest rate judged stable below the smallest judged unstable) with the rates inside it, and simulates the
 * midpoint of every gap wider than `tolerance`, all at once on the worker pool. An inconclusive verdict does not
 * stop the search and is never taken as either side: the gaps on both sides of it are refined, and if the test
 * stays inconclusive the rate is reported as undetermined. The search ends when every gap is at most
 * `tolerance`, when the verdicts do not bracket a threshold (the ends are not stable below and unstable above,
 * or the verdicts are not monotone in the rate), or after `maxRounds` rounds; `reason` says which.
 *
 * Cost: 2 + |rates| simulations, then about log2((upper - lower) / tolerance) rounds of one to a few cells
 * each (more where verdicts are inconclusive), each cached under `name` as in runStudy.
 *
 * @param options the family, bracket, tolerance, first-round rates, simulation options, seed, cache, progress
 * @returns the bracket, whether it is conclusive, why the search ended, and every simulated cell
 * @throws ParameterError for a bad bracket, tolerance, rate, round count or simulation option (before any simulation)
 * @example
 * const r = await locateStabilityThreshold({ name: "mm1-threshold", lower: 0.6, upper: 1.3, tolerance: 0.1,
 *   system: (arrivalRate) => ({ queues: 5, arrivalRate, migrationPenalty: 1, policy: noSharing() }),
 *   simulation: { events: 2e6, replications: 2 } });
 * r.bracket.interval // => [0.95, 1.0375] (it holds 1: M/M/1 queues are stable exactly for lambda < 1)
 */
export async function locateStabilityThreshold(options: ThresholdSearchOptions): Promise<ThresholdSearchResult> {
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object with name, system, lower, upper and simulation");
  const { name, system, lower, upper, simulation } = options;
  requireNumber("lower", lower, -Infinity, Infinity);
  requireNumber("upper", upper, lower, Infinity);
  const tolerance = requireNumber("tolerance", options.tolerance ?? 0.005, 0, Infinity);
  const maxRounds = requireInteger("maxRounds", options.maxRounds ?? 10, 0, 50);
  if (typeof system !== "function") throw new ParameterError("system", system, "a function from arrival rate to system parameters");
  const extra = options.rates ?? [];
  if (!Array.isArray(extra)) throw new ParameterError("rates", extra, "an array of arrival rates");
  extra.forEach((r, k) => requireNumber(`rates[${k}]`, r, -Infinity, Infinity));

  // Widths are compared with a relative slack of 1e-9, so that 0.79 - 0.78 = 0.010000000000000009 counts as 0.01.
  const wider = (width: number): boolean => width > tolerance * (1 + 1e-9);
  const cells = new Map<number, StudyCellResult<{ arrivalRate: number }>>();
  const simulate = async (rates: readonly number[], round: number): Promise<void> => {
    const fresh = [...new Set(rates.map(tidy))].filter((r) => !cells.has(r)).sort((x, y) => x - y);
    if (fresh.length === 0) return;
    const study = await runStudy({
      name,
      cells: studyGrid({ arrivalRate: fresh }, ({ arrivalRate }) => system(arrivalRate)),
      simulation,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.pathPoints !== undefined ? { pathPoints: options.pathPoints } : {}),
      ...(options.cache !== undefined ? { cache: options.cache } : {}),
      ...(options.onProgress ? { onProgress: (p: StudyProgress) => options.onProgress?.({ ...p, round }) } : {}),
    });
    for (const c of study.cells) cells.set(c.axes.arrivalRate, c);
  };
  const bracketOf = (): StabilityBracket => stabilityBracket([...cells.values()].map((c) => ({
    arrivalRate: c.axes.arrivalRate, verdict: c.point.stability.verdict, reason: c.point.stability.reason,
  })));
  const sortedCells = (): StudyCellResult<{ arrivalRate: number }>[] => [...cells.values()].sort((x, y) => x.axes.arrivalRate - y.axes.arrivalRate);

  await simulate([lower, upper, ...extra], 0);
  let rounds = 0;
  for (;;) {
    const bracket = bracketOf();
    const [a, b] = bracket.interval;
    if (!bracket.bracketed) {
      return { bracket, conclusive: false, reason: `stopped: ${bracket.description}`, cells: sortedCells(), rounds };
    }
    const inside = [a, ...bracket.undetermined.map((o) => o.arrivalRate), b];
    const midpoints: number[] = [];
    for (let k = 1; k < inside.length; k++) {
      const left = inside[k - 1] as number;
      const right = inside[k] as number;
      if (wider(right - left)) midpoints.push((left + right) / 2);
    }
    if (midpoints.length === 0) {
      const conclusive = !wider(b - a);
      const reason = conclusive
        ? `bracket narrowed to width ${Number((b - a).toPrecision(6))} <= ${tolerance}: ${bracket.description}`
        : `every gap between simulated rates in the bracket is at most ${tolerance}, but the test is inconclusive inside it, ` +
          `so the bracket stays ${Number((b - a).toPrecision(6))} wide: ${bracket.description}`;
      return { bracket, conclusive, reason, cells: sortedCells(), rounds };
    }
    if (rounds >= maxRounds) {
      return { bracket, conclusive: false, reason: `stopped after ${maxRounds} rounds: ${bracket.description}`, cells: sortedCells(), rounds };
    }
    rounds += 1;
    const before = cells.size;
    await simulate(midpoints, rounds);
    if (cells.size === before) {
      return { bracket, conclusive: false, reason: `stopped: the midpoints coincide with simulated rates at 12 significant digits: ${bracket.description}`, cells: sortedCells(), rounds };
    }
  }
}
