import { ParameterError } from "../model/parameterError";
import { type PolicySpec, abounce, mbounce, noSharing, policyLabel } from "../model/policy";
import { type TwoQueueRuleRanking, compareTwoQueueRules } from "../theory/optimal/compareTwoQueueRules";
import { evaluateTwoQueueRule } from "../theory/optimal/evaluateTwoQueueRule";
import { type CurveShape, type TruncationCheck, optimalTwoQueueRule } from "../theory/optimal/optimalTwoQueueRule";
import { switchingTablePolicy } from "../theory/optimal/switchingTableRule";

/**
 * One (λ, K) pair of optimalRuleTwoQueues, solved on a worker thread (runOnWorkers): the optimum, the exact
 * ranking of the paper's rules against it, and the confirmed table as a rule, reduced to plain data.
 */

/** What one pair is solved for. */
export interface PairInput {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  /** N of the grid. */
  readonly truncation: number;
  /** The grid a rule is evaluated on again when its edge mass at N is too large. */
  readonly ruleTruncation: number;
  /** MBOUNCE ratios. */
  readonly ratios: readonly number[];
  /** ABOUNCE thresholds C = K..maxThreshold. */
  readonly maxThreshold: number;
}

/** A pair's result, or the ParameterError the solver raised, as data (an error's class does not cross threads). */
export type PairOutcome =
  | { readonly ok: true; readonly result: PairExact }
  | { readonly ok: false; readonly error: { readonly parameter: string; readonly value: unknown; readonly allowed: string; readonly note?: string } };

/** One ranked rule of a pair, with its family (the study builds the rules, so it knows each one's family). */
export interface RankedRule extends TwoQueueRuleRanking {
  readonly family: "optimal" | "none" | "additive" | "multiplicative";
  /** C of ABOUNCE(C, ∞) or alpha of MBOUNCE(alpha, ∞); NaN otherwise. */
  readonly parameter: number;
}

/** What is kept (and cached) of one pair's exact computations: plain data, no stationary law. */
export interface PairExact {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly truncation: number;
  readonly ruleTruncation: number;
  readonly meanQueueLength: number;
  readonly bounds: { readonly lower: number; readonly upper: number };
  readonly migrationFraction: number;
  /** Share of the optimal rule's migrations that go to an empty queue. */
  readonly emptyTargetShare: number;
  readonly switchingTable: number[];
  /** The whole curve: migrateFrom (null where no own length <= N migrates) and whether the check grid confirms it. */
  readonly curve: { readonly target: number; readonly migrateFrom: number | null; readonly confirmed: boolean }[];
  readonly curveShape: CurveShape;
  readonly thresholdStructure: { readonly holds: boolean; readonly checkedOwnUpTo: number; readonly exceptions: number };
  readonly truncationCheck: TruncationCheck;
  readonly optimalityGap: number;
  readonly optimumIsBest: boolean;
  readonly ranking: RankedRule[];
  /** The confirmed table as a policy (switchingTablePolicy), evaluated exactly on the same grid: the rule the simulations run. */
  readonly tableRule: { readonly meanQueueLength: number; readonly migrationFraction: number; readonly edgeMass: number };
  readonly seconds: number;
}


function solvePair({ arrivalRate: lambda, migrationPenalty: K, truncation: N, ruleTruncation: ruleN, ratios, maxThreshold }: PairInput): PairExact {
  const started = performance.now();
  const optimal = optimalTwoQueueRule(lambda, K, { truncation: N });
  const families: { spec: PolicySpec; family: RankedRule["family"]; parameter: number }[] = [{ spec: noSharing(), family: "none", parameter: NaN }];
  for (let C = K; C <= maxThreshold; C++) families.push({ spec: abounce(C, Infinity), family: "additive", parameter: C });
  for (const alpha of ratios) families.push({ spec: mbounce(alpha, Infinity), family: "multiplicative", parameter: alpha });
  const comparison = compareTwoQueueRules(lambda, K, { truncation: N, optimal, ruleTruncation: ruleN, rules: families.map((f) => f.spec) });
  const byLabel = new Map(families.map((f) => [policyLabel(f.spec), f]));
  const ranking: RankedRule[] = comparison.ranking.map((row) => {
    const f = byLabel.get(row.policy);
    return { ...row, family: f?.family ?? "optimal", parameter: f?.parameter ?? NaN };
  });
  const table = switchingTablePolicy(optimal.switchingTable, Infinity, "optimal table");
  const tableRule = evaluateTwoQueueRule(lambda, K, table, { truncation: N });

  // Share of migrations that go to an empty queue: arrivals at queue 1 in (x, y) decide by decisions[x M + y]
  // (own x, target y), arrivals at queue 2 by decisions[y M + x]; both queues receive arrivals at rate λ.
  const M = N + 1;
  let all = 0;
  let toEmpty = 0;
  for (let x = 0; x < M; x++) {
    for (let y = 0; y < M; y++) {
      const p = optimal.stationary[x * M + y] as number;
      if (optimal.decisions[x * M + y] === 1) {
        all += p;
        if (y === 0) toEmpty += p;
      }
      if (optimal.decisions[y * M + x] === 1) {
        all += p;
        if (x === 0) toEmpty += p;
      }
    }
  }
  return {
    arrivalRate: lambda,
    migrationPenalty: K,
    truncation: N,
    ruleTruncation: ruleN,
    meanQueueLength: optimal.meanQueueLength,
    bounds: optimal.bounds,
    migrationFraction: optimal.migrationFraction,
    emptyTargetShare: all > 0 ? toEmpty / all : NaN,
    switchingTable: optimal.switchingTable,
    curve: optimal.switchingCurve.map((p) => ({ target: p.target, migrateFrom: p.migrateFrom, confirmed: p.confirmed })),
    curveShape: optimal.curveShape,
    thresholdStructure: {
      holds: optimal.thresholdStructure.holds,
      checkedOwnUpTo: optimal.thresholdStructure.checkedOwnUpTo,
      exceptions: optimal.thresholdStructure.exceptions.length,
    },
    truncationCheck: optimal.truncationCheck,
    optimalityGap: optimal.solver.optimalityGap,
    optimumIsBest: comparison.optimumIsBest,
    ranking,
    tableRule: { meanQueueLength: tableRule.meanQueueLength, migrationFraction: tableRule.migrationFraction, edgeMass: tableRule.edgeMass },
    seconds: (performance.now() - started) / 1000,
  };
}


/**
 * Solves one pair (the worker task of optimalRuleTwoQueues). Cost: see optimalRuleTwoQueues (1-12 s of CPU per
 * pair at N = 100).
 *
 * @param input the pair, the grids and the rules
 * @returns the result, or the solver's ParameterError as data (for example a truncation too small for λ)
 * @example
 * solveOptimalRulePair({ arrivalRate: 0.5, migrationPenalty: 2, truncation: 40, ruleTruncation: 40, ratios: [2, 6], maxThreshold: 4 })
 * // => { ok: true, result: { switchingTable: [3, 7, 12, 19], ... } }
 */
export function solveOptimalRulePair(input: PairInput): PairOutcome {
  try {
    return { ok: true, result: solvePair(input) };
  } catch (error) {
    if (error instanceof ParameterError) {
      return { ok: false, error: { parameter: error.parameter, value: error.value, allowed: error.allowed, ...(error.note !== undefined ? { note: error.note } : {}) } };
    }
    throw error;
  }
}
