import { ParameterError, requireInteger } from "../model/parameterError";
import { type PolicySpec, policyLabel } from "../model/policy";
import type { SystemParams } from "../model/system";
import type { CacheOptions } from "./cache/resultCache";
import { type StudyCellResult, type StudyProgress, type StudySimulation, runStudy } from "./runStudy";
import { type StudyCell, studyCells } from "./studyGrid";

/** One family search: a system and the members of a policy family to choose from. */
export interface FamilySearch {
  /** The system without its policy (n, lambda, K, sampling). */
  readonly system: Omit<SystemParams, "policy">;
  /** The family's members in grid order (neighbours in the list are neighbours in the grid): at least one. */
  readonly members: readonly PolicySpec[];
  /** A ranking score of each member, lower is better (the mean-field delay; NaN ranks last): as many as members. */
  readonly meanField: readonly number[];
}

/** Options of {@link bestOfFamilyDelay}. */
export interface FamilySearchOptions {
  /** The cache's study names start with this (letters, digits, '-', '_'; at most 66 characters). */
  readonly name: string;
  readonly searches: readonly FamilySearch[];
  /** Members simulated first in each search, the best ranked: an integer >= 1; default 3. */
  readonly candidates?: number;
  /** Members added per search after the first round (grid neighbours of the simulated best): an integer >= 0; default 2. */
  readonly maxExtensions?: number;
  /** How a selection cell is simulated (for example precisionSimulation with a coarse target and a budget cap). */
  readonly selection: (system: SystemParams) => StudySimulation;
  /** How the confirmation of a chosen member is simulated (usually a tighter target). */
  readonly confirmation: (system: SystemParams) => StudySimulation;
  /** Seed of the selection runs (common random numbers: every member of every round uses it). */
  readonly seed: number;
  /** Seed of the confirmation study (each cell's seed derives from it and its system: independent of the selection and of each other). */
  readonly confirmationSeed: number;
  readonly cache?: CacheOptions;
  /** Progress of each round ("selection", "extension 1", ..., "confirmation"). */
  readonly onProgress?: (round: string, progress: StudyProgress) => void;
}

/** One member of a search. */
export interface FamilyMember {
  readonly policy: PolicySpec;
  readonly label: string;
  /** The ranking score given (the mean-field delay). */
  readonly meanField: number;
  /** Rank by the score (0 = best; NaN scores rank last, later members first among them). */
  readonly meanFieldRank: number;
  /** The selection run, when the member was simulated. */
  readonly selection: StudyCellResult | null;
}

/** The outcome of one search. */
export interface FamilySearchResult {
  readonly search: FamilySearch;
  readonly members: readonly FamilyMember[];
  /** Index of the chosen member: the smallest simulated mean delay among members not judged unstable. */
  readonly chosenIndex: number;
  readonly chosen: PolicySpec;
  readonly chosenLabel: string;
  /** The chosen member simulated again on its own seed: the estimate to compare, free of selection bias. */
  readonly confirmation: StudyCellResult;
  /** True when a grid neighbour of the chosen member was not simulated (extensions ran out). */
  readonly neighbourUnsimulated: boolean;
  /** True when the chosen member is the first or last of the grid (the family's best may lie beyond it). */
  readonly atGridEdge: boolean;
  /** Members simulated beyond the first round's candidates. */
  readonly extensions: number;
  /** What happened, in words. */
  readonly notes: readonly string[];
}

interface SearchState {
  readonly search: FamilySearch;
  readonly order: number[];
  readonly rank: number[];
  readonly selections: Map<number, StudyCellResult>;
  extensions: number;
}

const eligible = (c: StudyCellResult): boolean => c.point.stability.verdict !== "unstable" && Number.isFinite(c.point.meanDelay.mean);

function bestIndex(state: SearchState): number {
  let best = -1;
  for (const [index, cell] of state.selections) {
    if (!eligible(cell)) continue;
    if (best < 0 || cell.point.meanDelay.mean < (state.selections.get(best) as StudyCellResult).point.meanDelay.mean) best = index;
  }
  return best;
}

/** The member a search simulates next, or -1 (see bestOfFamilyDelay). */
function nextMember(state: SearchState, maxExtensions: number): number {
  if (state.extensions >= maxExtensions) return -1;
  const best = bestIndex(state);
  if (best < 0) return state.order.find((i) => !state.selections.has(i)) ?? -1;
  const neighbours = [best - 1, best + 1].filter((i) => i >= 0 && i < state.search.members.length && !state.selections.has(i));
  return neighbours[0] ?? -1;
}

/**
 * Finds, for each search, the member of a policy family with the smallest simulated mean delay on its system,
 * and simulates it again independently. All searches advance together, so every round is one runStudy on the
 * shared worker pool:
 *
 * 1. Selection: in each search the `candidates` members with the best ranking score (the mean-field delay)
 *    are simulated, all with the same seed (common random numbers, so members are compared on the same
 *    streams).
 * 2. Extensions, up to `maxExtensions` rounds: each search whose simulated best has an unsimulated grid
 *    neighbour simulates it (the lower one first), so that the choice does not rest on the ranking when finite
 *    n reorders the members; a search with no usable member yet simulates its next-ranked member instead.
 *    Members judged unstable, or without a delay estimate, cannot be chosen.
 * 3. Confirmation: the chosen members are simulated in a second study on `confirmationSeed`, where each cell's
 *    seed derives from its own system: the minimum of several noisy estimates is biased low (the winner's
 *    curse), an independent re-run is not, and two searches' confirmations are independent of each other
 *    (compare them with compareCells: Welch's interval).
 *
 * Cost: the simulations of (candidates + extensions + 1) members per search, every round spread over the cores.
 *
 * @param options searches, rounds, how selection and confirmation cells are simulated, seeds, cache, progress
 * @returns one result per search, in order
 * @throws ParameterError for a bad option or member (before any simulation); Error when a search has no member
 *   that can be chosen (every simulated member unstable or without a delay estimate)
 * @example
 * const [r] = await bestOfFamilyDelay({ name: "demo", seed: 3, confirmationSeed: 103,
 *   searches: [{ system: { queues: 30, arrivalRate: 0.5, migrationPenalty: 2 }, members: [abounce(2, 2), abounce(3, 2), abounce(50, 2)], meanField: [1.77, 1.79, 2.0] }],
 *   selection: (s) => precisionSimulation(s, { relativeHalfWidth: 0.02, maxEvents: 4e7 }),
 *   confirmation: (s) => precisionSimulation(s, { relativeHalfWidth: 0.015, maxEvents: 4e7 }), candidates: 1, maxExtensions: 1 });
 * r.chosenLabel // => "ABOUNCE(2,2)"
 */
export async function bestOfFamilyDelay(options: FamilySearchOptions): Promise<FamilySearchResult[]> {
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object");
  const { name, searches, selection, confirmation, cache, onProgress } = options;
  if (typeof name !== "string" || !/^[A-Za-z0-9_-]{1,66}$/.test(name)) throw new ParameterError("name", name, "1-66 letters, digits, '-' or '_'");
  if (!Array.isArray(searches) || searches.length === 0) throw new ParameterError("searches", searches, "a non-empty array of searches");
  const candidates = requireInteger("candidates", options.candidates ?? 3, 1);
  const maxExtensions = requireInteger("maxExtensions", options.maxExtensions ?? 2, 0);
  requireInteger("seed", options.seed, 0, 0xffffffff);
  requireInteger("confirmationSeed", options.confirmationSeed, 0, 0xffffffff);
  if (typeof selection !== "function") throw new ParameterError("selection", selection, "a function from a system to simulation options");
  if (typeof confirmation !== "function") throw new ParameterError("confirmation", confirmation, "a function from a system to simulation options");
  const states: SearchState[] = searches.map((search, s) => {
    if (!Array.isArray(search?.members) || search.members.length === 0) {
      throw new ParameterError(`searches[${s}].members`, search?.members, "a non-empty array of policies");
    }
    if (!Array.isArray(search.meanField) || search.meanField.length !== search.members.length) {
      throw new ParameterError(`searches[${s}].meanField`, search.meanField, `${search.members.length} scores, one per member`);
    }
    const members: readonly PolicySpec[] = search.members;
    const order = members.map((_, i) => i).sort((a, b) => {
      const x = search.meanField[a] as number;
      const y = search.meanField[b] as number;
      const fx = Number.isFinite(x) ? x : Infinity;
      const fy = Number.isFinite(y) ? y : Infinity;
      return fx - fy || b - a;
    });
    const rank = new Array<number>(order.length);
    order.forEach((index: number, r: number) => (rank[index] = r));
    return { search, order, rank, selections: new Map(), extensions: 0 };
  });
  const systemOf = (state: SearchState, index: number): SystemParams => ({ ...state.search.system, policy: state.search.members[index] as PolicySpec });
  // Every member's system is validated (with its options) before anything runs.
  for (const state of states) {
    for (const cell of studyCells(state.search.members.map((_, i) => systemOf(state, i)))) {
      selection(cell.system);
      confirmation(cell.system);
    }
  }

  const simulate = async (round: string, wanted: { state: SearchState; index: number }[]): Promise<void> => {
    const cells = studyCells(wanted.map((w) => systemOf(w.state, w.index)));
    const study = await runStudy({
      name: `${name}-selection`,
      cells,
      simulation: (cell: StudyCell) => selection(cell.system),
      seed: options.seed,
      commonRandomNumbers: true,
      ...(cache !== undefined ? { cache } : {}),
      ...(onProgress ? { onProgress: (p: StudyProgress) => onProgress(round, p) } : {}),
    });
    study.cells.forEach((cell, k) => (wanted[k] as { state: SearchState; index: number }).state.selections.set((wanted[k] as { index: number }).index, cell));
  };

  await simulate("selection", states.flatMap((state) => state.order.slice(0, candidates).map((index) => ({ state, index }))));
  for (let round = 1; round <= maxExtensions; round++) {
    const wanted = states.map((state) => ({ state, index: nextMember(state, maxExtensions) })).filter((w) => w.index >= 0);
    if (wanted.length === 0) break;
    for (const w of wanted) w.state.extensions++;
    await simulate(`extension ${round}`, wanted);
  }

  const chosen = states.map((state, s) => {
    const best = bestIndex(state);
    if (best < 0) {
      throw new Error(`bestOfFamilyDelay: search ${s} (${JSON.stringify(state.search.system)}) has no member that can be chosen ` +
        "(every simulated member was judged unstable or has no delay estimate)");
    }
    return best;
  });
  const confirmationStudy = await runStudy({
    name: `${name}-confirmation`,
    cells: studyCells(states.map((state, s) => systemOf(state, chosen[s] as number))),
    simulation: (cell: StudyCell) => confirmation(cell.system),
    seed: options.confirmationSeed,
    ...(cache !== undefined ? { cache } : {}),
    ...(onProgress ? { onProgress: (p: StudyProgress) => onProgress("confirmation", p) } : {}),
  });

  return states.map((state, s): FamilySearchResult => {
    const best = chosen[s] as number;
    const n = state.search.members.length;
    const chosenLabel = policyLabel(state.search.members[best] as PolicySpec);
    const neighbourUnsimulated = [best - 1, best + 1].some((i) => i >= 0 && i < n && !state.selections.has(i));
    const atGridEdge = n > 1 && (best === 0 || best === n - 1);
    const notes: string[] = [];
    if (neighbourUnsimulated) notes.push(`a grid neighbour of ${chosenLabel} was not simulated (extension limit ${maxExtensions})`);
    if (atGridEdge) notes.push(`${chosenLabel} is at the edge of the grid: the family's best may lie beyond it`);
    if (state.extensions > 0) notes.push(`${state.extensions} member(s) simulated beyond the ranking's top ${candidates}`);
    return {
      search: state.search,
      members: state.search.members.map((policy, i) => ({
        policy,
        label: policyLabel(policy),
        meanField: state.search.meanField[i] as number,
        meanFieldRank: state.rank[i] as number,
        selection: state.selections.get(i) ?? null,
      })),
      chosenIndex: best,
      chosen: state.search.members[best] as PolicySpec,
      chosenLabel,
      confirmation: confirmationStudy.cells[s] as StudyCellResult,
      neighbourUnsimulated,
      atGridEdge,
      extensions: state.extensions,
      notes,
    };
  });
}
