import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { policyLabel } from "../../model/policy";
import { type SystemParams, validateSystem } from "../../model/system";
import type { MeanFieldJobDelay } from "./meanFieldJobDelay";
import { familyPolicy, meanFieldFamilyDelays } from "./meanFieldFamilyDelays";
import { type DelayPrecisionOptions, type PrecisionPoint, simulateDelayToPrecision } from "./simulateDelayToPrecision";

/** The system a family search runs on: everything but the policy's threshold. */
export interface FamilySearchSystem {
  readonly queues: number;
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  /** d, samples per arrival (integer >= 1 or Infinity). */
  readonly samples: number;
}

/** Options of {@link bestOfFamilyDelay}: the family, its grid, and how each member is simulated. */
export interface FamilySearchOptions extends Omit<DelayPrecisionOptions, "onProgress"> {
  /** "abounce": grid of thresholds C (integers >= K); "mbounce": grid of ratios alpha (> 1). */
  readonly family: "abounce" | "mbounce";
  /** The family's parameter values, strictly increasing (at least one). */
  readonly grid: readonly number[];
  /** Members simulated first: the best ranked by mean-field delay; an integer >= 1, default 3. */
  readonly candidates?: number;
  /** Grid neighbours added when the simulated best has an unsimulated neighbour; integer >= 0, default 2. */
  readonly maxExtensions?: number;
  /** Seed of the confirmation run of the chosen member (independent of `seed`, which the selection uses). */
  readonly confirmationSeed: number;
  /**
   * Required relative 95% half-width of the confirmation run, in (0, 1); default requiredRelativeHalfWidth.
   * A comparison between families usually needs a tighter one than the selection.
   */
  readonly confirmationRelativeHalfWidth?: number;
  /** Largest events per replication of a confirmation stage: an integer >= pilotEvents; default maxEvents. */
  readonly confirmationMaxEvents?: number;
  /** Called with a short description of each step. */
  readonly onStep?: (message: string) => void;
}

/** One member of the grid. */
export interface FamilyMember {
  readonly parameter: number;
  readonly label: string;
  readonly meanField: MeanFieldJobDelay;
  /** Rank by mean-field delay (0 = best; members without a fixed point rank last, by parameter). */
  readonly meanFieldRank: number;
  /** The selection run, when the member was simulated. */
  readonly selection: PrecisionPoint | null;
}

/** The best member of a family by simulated mean delay, and its independent confirmation. */
export interface FamilySearchResult {
  readonly family: "abounce" | "mbounce";
  readonly system: FamilySearchSystem;
  readonly members: readonly FamilyMember[];
  /** The chosen parameter (smallest simulated mean delay among members judged not unstable). */
  readonly chosen: number;
  readonly chosenLabel: string;
  /** The chosen member re-simulated on `confirmationSeed`: the estimate to compare, free of selection bias. */
  readonly confirmation: PrecisionPoint;
  /** True when a grid neighbour of the chosen member was not simulated (extensions ran out). */
  readonly neighbourUnsimulated: boolean;
  /** True when the chosen member is the first or last grid value (the family's optimum may lie beyond the grid). */
  readonly atGridEdge: boolean;
  /** What happened, in words. */
  readonly notes: readonly string[];
}

/**
 * Finds the member of a policy family (ABOUNCE(C, d) over a grid of C, or MBOUNCE(alpha, d) over a grid of
 * alpha) with the smallest simulated mean delay on one system, and re-simulates it independently.
 *
 * Method. (1) Every grid member gets its mean-field delay (meanFieldJobDelay; cached under `${study}-mf`).
 * (2) The `candidates` members with the smallest mean-field delay are simulated to the required precision
 * (simulateDelayToPrecision on `seed`; members share the seed, so their comparison uses common random
 * numbers). (3) While a grid neighbour of the simulated best is unsimulated and extensions remain, that
 * neighbour is simulated too, so the choice does not rest on the mean field's ranking when finite n reorders
 * the members. Members judged unstable, or without a delay estimate, cannot be chosen. (4) The chosen member
 * is simulated again on `confirmationSeed` (to `confirmationRelativeHalfWidth`): the minimum of several noisy estimates is biased low (the winner's
 * curse), the independent re-run is not. When no member can be chosen the function throws.
 *
 * Cost: one mean-field fixed point per grid member (milliseconds to seconds each, cached), plus
 * candidates + extensions + 1 precision runs.
 *
 * @param study cache name (letters, digits, '-', '_'; at most 77 characters)
 * @param system n, lambda, K, d
 * @param options family, grid, precision options of every run, candidates, extensions, seeds
 * @throws ParameterError for a bad system, family, grid or option (before any work); Error when every simulated
 *   member is unstable or lacks a delay estimate
 * @example
 * const r = await bestOfFamilyDelay("demo", { queues: 100, arrivalRate: 0.75, migrationPenalty: 2, samples: 10 },
 *   { family: "mbounce", grid: [1.5, 2, 4, 8], requiredRelativeHalfWidth: 0.02, pilotEvents: 2e5, maxEvents: 4e6,
 *     replications: 8, seed: 1, confirmationSeed: 101 });
 * r.chosenLabel // => "MBOUNCE(4,10)" (selection: 2.7059, 2.5848, 2.5883 for alpha = 2, 4, 8)
 * r.confirmation.point.meanDelay.mean // => 2.6085...
 */
export async function bestOfFamilyDelay(
  study: string,
  system: FamilySearchSystem,
  options: FamilySearchOptions,
): Promise<FamilySearchResult> {
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object");
  const {
    family, grid, candidates = 3, maxExtensions = 2, confirmationSeed, confirmationRelativeHalfWidth, confirmationMaxEvents, onStep, ...precision
  } = options;
  if (family !== "abounce" && family !== "mbounce") throw new ParameterError("family", family, '"abounce" or "mbounce"');
  if (!Array.isArray(grid) || grid.length === 0) throw new ParameterError("grid", grid, "a non-empty, strictly increasing array");
  for (let k = 1; k < grid.length; k++) {
    if (!((grid[k] as number) > (grid[k - 1] as number))) throw new ParameterError(`grid[${k}]`, grid[k], `> grid[${k - 1}] = ${grid[k - 1]}`);
  }
  requireInteger("candidates", candidates, 1);
  requireInteger("maxExtensions", maxExtensions, 0);
  requireInteger("confirmationSeed", confirmationSeed, 0, 0xffffffff - (precision.maxStages ?? 4));
  const confirmationRequired = confirmationRelativeHalfWidth === undefined
    ? precision.requiredRelativeHalfWidth
    : requireNumber("confirmationRelativeHalfWidth", confirmationRelativeHalfWidth, 0, 1);
  const confirmationPrecision = {
    ...precision,
    seed: confirmationSeed,
    requiredRelativeHalfWidth: confirmationRequired,
    maxEvents: confirmationMaxEvents === undefined ? precision.maxEvents : requireInteger("confirmationMaxEvents", confirmationMaxEvents, precision.pilotEvents),
    ...(precision.plannedRelativeHalfWidth !== undefined
      ? { plannedRelativeHalfWidth: (precision.plannedRelativeHalfWidth * confirmationRequired) / precision.requiredRelativeHalfWidth }
      : {}),
  };
  const systemOf = (parameter: number): SystemParams => ({
    queues: system.queues,
    arrivalRate: system.arrivalRate,
    migrationPenalty: system.migrationPenalty,
    policy: familyPolicy(family, parameter, system.samples),
  });
  for (const parameter of grid) validateSystem(systemOf(parameter));

  // (1) mean-field ranking
  const delays = await meanFieldFamilyDelays(study, system, family, grid, precision.cache);
  const order = grid
    .map((parameter, index) => ({ index, delay: delays[index]?.converged ? (delays[index] as MeanFieldJobDelay).meanJobDelay : Infinity, parameter }))
    .sort((a, b) => a.delay - b.delay || b.parameter - a.parameter);
  const rank = new Array<number>(grid.length);
  order.forEach((o, r) => (rank[o.index] = r));

  const selections = new Map<number, PrecisionPoint>();
  const simulate = async (index: number, why: string): Promise<void> => {
    const parameter = grid[index] as number;
    onStep?.(`${policyLabel(familyPolicy(family, parameter, system.samples))}: ${why}`);
    const [p] = await simulateDelayToPrecision(study, [systemOf(parameter)], precision);
    selections.set(index, p as PrecisionPoint);
  };
  const eligible = (p: PrecisionPoint): boolean => p.point.stability.verdict !== "unstable" && Number.isFinite(p.point.meanDelay.mean);
  const bestIndex = (): number => {
    let best = -1;
    for (const [index, p] of selections) {
      if (!eligible(p)) continue;
      if (best < 0 || p.point.meanDelay.mean < (selections.get(best) as PrecisionPoint).point.meanDelay.mean) best = index;
    }
    return best;
  };

  // (2) the mean field's best candidates
  for (const o of order.slice(0, Math.min(candidates, grid.length))) {
    await simulate(o.index, `mean-field rank ${rank[o.index]}`);
  }
  const notes: string[] = [];
  // (3) grid neighbours of the simulated best
  let extensions = 0;
  for (;;) {
    const best = bestIndex();
    if (best < 0) {
      const next = order.find((o) => !selections.has(o.index));
      if (next === undefined || extensions >= maxExtensions) break;
      extensions++;
      await simulate(next.index, "no simulated member is usable yet");
      continue;
    }
    const neighbours = [best - 1, best + 1].filter((i) => i >= 0 && i < grid.length && !selections.has(i));
    if (neighbours.length === 0 || extensions >= maxExtensions) break;
    extensions++;
    await simulate(neighbours[0] as number, `grid neighbour of the simulated best ${grid[best]}`);
  }
  const best = bestIndex();
  if (best < 0) {
    throw new Error(`bestOfFamilyDelay: no ${family} member on ${JSON.stringify(system)} could be chosen (every simulated member was unstable or had no delay estimate)`);
  }
  const chosen = grid[best] as number;
  const chosenLabel = policyLabel(familyPolicy(family, chosen, system.samples));
  const neighbourUnsimulated = [best - 1, best + 1].some((i) => i >= 0 && i < grid.length && !selections.has(i));
  const atGridEdge = best === 0 || best === grid.length - 1;
  if (neighbourUnsimulated) notes.push(`a grid neighbour of ${chosenLabel} was not simulated (extension limit ${maxExtensions})`);
  if (atGridEdge) notes.push(`${chosenLabel} is at the edge of the grid: the family's best may lie beyond it`);
  if (extensions > 0) notes.push(`${extensions} member(s) simulated beyond the mean field's top ${candidates}`);

  // (4) independent confirmation
  onStep?.(`${chosenLabel}: confirmation on seed ${confirmationSeed}`);
  const [confirmation] = await simulateDelayToPrecision(study, [systemOf(chosen)], confirmationPrecision);
  const members: FamilyMember[] = grid.map((parameter, index) => ({
    parameter,
    label: policyLabel(familyPolicy(family, parameter, system.samples)),
    meanField: delays[index] as MeanFieldJobDelay,
    meanFieldRank: rank[index] as number,
    selection: selections.get(index) ?? null,
  }));
  return {
    family,
    system,
    members,
    chosen,
    chosenLabel,
    confirmation: confirmation as PrecisionPoint,
    neighbourUnsimulated,
    atGridEdge,
    notes,
  };
}
