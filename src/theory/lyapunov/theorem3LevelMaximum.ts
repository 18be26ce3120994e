import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { type PolicySpec, isTransferable, mbounce, policyLabel } from "../../model/policy";
import { type SystemParams, validateSystem } from "../../model/system";
import { exactDriftOfValidated } from "./exactDrift";
import { theorem3LyapunovFunction } from "./theorem3LyapunovFunction";
import { theorem3NoMigrationDrift } from "./theorem3NoMigrationDrift";

/** The largest drift of Theorem 3's V over ALL states of one total. */
export interface Theorem3LevelMaximumRow {
  /** S. */
  readonly total: number;
  /** States evaluated: the non-increasing states of total S (partitions of S into at most n parts). */
  readonly states: number;
  /** max over every q with q_1 + ... + q_n = S of (Delta V)(q), exact. */
  readonly maxDrift: number;
  /** A state attaining it (non-increasing order). */
  readonly argmax: readonly number[];
  /** The no-migration drift at S (`theorem3NoMigrationDrift`), attained by any state with all queues non-empty and no possible migration. */
  readonly noMigrationDrift: number;
  /** maxDrift - noMigrationDrift: <= 0 (up to rounding) when no state of the level has a larger drift than a non-migrating one. */
  readonly excessOverNoMigration: number;
}

/** The level maxima and the configuration they belong to. */
export interface Theorem3LevelMaximum {
  readonly queues: number;
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly ratio: number;
  readonly policy: string;
  readonly rows: readonly Theorem3LevelMaximumRow[];
  /** Totals left out because they have more than maxStatesPerTotal partitions (only with tooManyStates "skip"). */
  readonly skippedTotals: readonly number[];
}

/**
 * The exact maximum of the drift of Theorem 3's V = V1 + V2 (Appendix) over EVERY state of total S, for each S
 * asked: an exhaustive check (unlike the heuristic families of `theorem3DriftSurvey`), practical for small n.
 *
 * Symmetry reduction (not in the paper). The embedded chain is invariant under permutations of the queues:
 * every queue has the same arrival and service probabilities, the d samples are uniform over the other n - 1
 * queues, and the rule compares lengths only. V1 + V2 is symmetric too, so (Delta V)(q) = (Delta V)(pi q) for
 * every permutation pi, and the maximum over all states of total S equals the maximum over the non-increasing
 * ones, i.e. over the partitions of S into at most n parts (about S^(n-1) / (n! (n-1)!) of them).
 *
 * Cost: per total, (number of partitions) exact drifts of O(n^2) moves at O(n) each; e.g. n = 3, S = 1000:
 * 84,000 states, well under a second. The number of partitions is counted first and a total above
 * `maxStatesPerTotal` is refused.
 *
 * @param options queues: n, an integer in [2, 12]; arrivalRate: lambda in (0, 1); migrationPenalty: K, an
 *   integer >= 1; ratio: alpha > 1 for V; policy (default mbounce(alpha, Infinity); any non-custom policy);
 *   totals: integers >= 1; maxStatesPerTotal: integer >= 1 (default 2e6); tooManyStates: "throw" (default) or
 *   "skip" (a total with more partitions than maxStatesPerTotal is left out and listed in skippedTotals)
 * @returns one row per evaluated total, in the order given
 * @throws ParameterError naming the parameter at fault, or "totals" when a total has more than
 *   maxStatesPerTotal partitions and tooManyStates is "throw"
 * @example
 * theorem3LevelMaximum({ queues: 2, arrivalRate: 0.95, migrationPenalty: 2, ratio: 2, totals: [100] }).rows[0]
 * // => { total: 100, states: 51, maxDrift: -0.5641025641025665, argmax: [63, 37], noMigrationDrift: -0.5641025641025665,
 * //      excessOverNoMigration: 0 }   (every non-migrating state ties at the no-migration drift; argmax is the
 * //      first one whose rounded value is largest)
 */
export function theorem3LevelMaximum(options: {
  readonly queues: number;
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly ratio: number;
  readonly policy?: PolicySpec;
  readonly totals: readonly number[];
  readonly maxStatesPerTotal?: number;
  readonly tooManyStates?: "throw" | "skip";
}): Theorem3LevelMaximum {
  const n = requireInteger("queues (n)", options.queues, 2, 12);
  const lambda = requireNumber("arrivalRate (lambda)", options.arrivalRate, 0, 1);
  const K = requireInteger("migrationPenalty (K)", options.migrationPenalty, 1);
  const alpha = requireNumber("ratio (alpha)", options.ratio, 1, Infinity);
  const policy = options.policy ?? mbounce(alpha, Infinity);
  if (!isTransferable(policy)) throw new ParameterError("policy", policy.kind, "a declared policy (a rule given as a function cannot be cached)");
  const params: SystemParams = validateSystem({ queues: n, arrivalRate: lambda, migrationPenalty: K, policy });
  if (!Array.isArray(options.totals) || options.totals.length === 0) {
    throw new ParameterError("totals", options.totals, "a non-empty array of integers >= 1");
  }
  for (const S of options.totals) requireInteger("totals", S, 1, 1e9);
  const maxStates = requireInteger("maxStatesPerTotal", options.maxStatesPerTotal ?? 2e6, 1);
  const tooMany = options.tooManyStates ?? "throw";
  if (tooMany !== "throw" && tooMany !== "skip") throw new ParameterError("tooManyStates", tooMany, '"throw" or "skip"');
  const evaluated: number[] = [];
  const skippedTotals: number[] = [];
  for (const S of options.totals) {
    const count = partitionCount(S, n);
    if (count <= maxStates) evaluated.push(S);
    else if (tooMany === "skip") skippedTotals.push(S);
    else throw new ParameterError("totals", S, `a total with at most maxStatesPerTotal = ${maxStates} partitions into ${n} parts (it has ${count})`);
  }
  const V = theorem3LyapunovFunction(alpha);
  const rows = evaluated.map((S): Theorem3LevelMaximumRow => {
    const q = new Array<number>(n).fill(0);
    let best = -Infinity;
    let argmax: number[] = [];
    let states = 0;
    // Fill q[position..n-1] non-increasingly with `left` jobs, each part <= cap.
    const fill = (position: number, left: number, cap: number): void => {
      if (position === n - 1) {
        if (left > cap) return;
        q[position] = left;
        states += 1;
        const value = exactDriftOfValidated(V, q, params);
        if (value > best) { best = value; argmax = q.slice(); }
        return;
      }
      const slots = n - position;
      const lowest = Math.ceil(left / slots);
      for (let x = Math.min(cap, left); x >= lowest; x--) {
        q[position] = x;
        fill(position + 1, left - x, x);
      }
    };
    fill(0, S, S);
    const noMigration = theorem3NoMigrationDrift({ queues: n, arrivalRate: lambda, ratio: alpha, total: S });
    return { total: S, states, maxDrift: best, argmax, noMigrationDrift: noMigration, excessOverNoMigration: best - noMigration };
  });
  return { queues: n, arrivalRate: lambda, migrationPenalty: K, ratio: alpha, policy: policyLabel(policy), rows, skippedTotals };
}

/** The number of partitions of S into at most n parts (p(S, n) = p(S, n - 1) + p(S - n, n)), as a double. */
function partitionCount(S: number, n: number): number {
  let row = new Float64Array(S + 1);
  row[0] = 1; // at most 0 parts: only S = 0
  for (let parts = 1; parts <= n; parts++) {
    const next = new Float64Array(S + 1);
    for (let s = 0; s <= S; s++) next[s] = (row[s] as number) + (s >= parts ? (next[s - parts] as number) : 0);
    row = next;
  }
  return row[S] as number;
}
