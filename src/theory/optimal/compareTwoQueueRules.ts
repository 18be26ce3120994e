import { ParameterError } from "../../model/parameterError";
import { type PolicySpec, abounce, additiveThreshold, mbounce, noSharing, policyLabel } from "../../model/policy";
import { exactTwoQueueThreshold } from "../thresholds/exactTwoQueueThreshold";
import { evaluateTwoQueueRule } from "./evaluateTwoQueueRule";
import { MAX_TRUNCATION } from "./twoQueueGrid";
import { type OptimalTwoQueueRule, type OptimalTwoQueueRuleOptions, optimalTwoQueueRule } from "./optimalTwoQueueRule";

/** One rule of the ranking. */
export interface TwoQueueRuleRanking {
  /** 1 = best; rules without a finite exact value come last, in input order. */
  readonly rank: number;
  /** "optimal" or the rule's label, for example "ABOUNCE(3,inf)". */
  readonly policy: string;
  /**
   * Long-run mean queue length per queue (units) on the same truncated chain as the optimum; Infinity when the
   * rule is unstable, NaN when the grid is too small for it.
   */
  readonly meanQueueLength: number;
  /** meanQueueLength / optimum - 1. */
  readonly excessOverOptimum: number;
  readonly migrationFraction: number;
  /** P(max(q1, q2) > N - K) under the rule. */
  readonly edgeMass: number;
  /**
   * "exact": the value is the rule's exact cost on the grid and the edge mass is within the tolerance;
   * "closed form": no sharing, whose untruncated value lambda / (1 - lambda) (two M/M/1 queues) is used;
   * "unstable": lambda >= the rule's exact two-queue stability threshold (ABOUNCE; `exactTwoQueueThreshold`),
   * the untruncated mean is infinite; "truncation too small": the edge mass exceeds the tolerance.
   */
  readonly status: "exact" | "closed form" | "unstable" | "truncation too small";
  /** The value on the truncated chain whatever the status (finite; not the untruncated mean when status != "exact"). */
  readonly truncatedMeanQueueLength: number;
  /** The grid the value comes from: N, or the larger `ruleTruncation` when the edge mass at N exceeded the tolerance. */
  readonly truncation: number;
  /** ABOUNCE only: the exact stability threshold lambda_c of ABOUNCE(C, inf), n = 2. */
  readonly stabilityThreshold?: number;
}

/** The optimum and the ranking of the paper's rules against it. */
export interface TwoQueueRuleComparison {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly truncation: number;
  readonly optimal: OptimalTwoQueueRule;
  /** Sorted by meanQueueLength, the optimum first. */
  readonly ranking: TwoQueueRuleRanking[];
  /** True when no rule with a finite value beats the optimum by more than 1e-9 relative (it cannot, see the comment). */
  readonly optimumIsBest: boolean;
}

/** Options of {@link compareTwoQueueRules}: those of `optimalTwoQueueRule`, and the rules. */
export interface CompareTwoQueueRulesOptions extends OptimalTwoQueueRuleOptions {
  /** A solved optimum for the same lambda, K and truncation, to reuse (default: solved here). */
  readonly optimal?: OptimalTwoQueueRule;
  /** The rules to rank (default: no sharing, ABOUNCE(C, inf) for C = K..10, MBOUNCE(alpha, inf) for alpha in 1.5, 2, 3, 4, 6, 8). */
  readonly rules?: readonly PolicySpec[];
  /**
   * The larger grid on which a stable rule is evaluated again when its edge mass at N exceeds the tolerance, an
   * integer in [N, 400] (default N: no second try). Cost grows like its fourth power: 2N costs about 16 times N.
   */
  readonly ruleTruncation?: number;
}

/** The default rules: no sharing, ABOUNCE(C, inf) for C = K..10, MBOUNCE(alpha, inf) for alpha in {1.5, 2, 3, 4, 6, 8}. */
export function defaultTwoQueueRules(migrationPenalty: number): PolicySpec[] {
  const rules: PolicySpec[] = [noSharing()];
  for (let C = migrationPenalty; C <= 10; C++) rules.push(abounce(C, Infinity));
  for (const alpha of [1.5, 2, 3, 4, 6, 8]) rules.push(mbounce(alpha, Infinity));
  return rules;
}

/**
 * Ranks migration rules against the optimal rule for two queues (d = infinity), every rule evaluated exactly
 * on the same truncated chain as the optimum (`evaluateTwoQueueRule`), so the comparison has no sampling
 * error and the optimum cannot lose (it is optimal over all stationary rules of that chain, these included).
 * ABOUNCE rules at or above their exact two-queue stability threshold are reported unstable (their untruncated
 * mean is infinite, whatever the grid shows). A stable rule whose edge mass exceeds the tolerance at N is
 * evaluated again on the grid `ruleTruncation` if it is larger than N (a rule with a heavier tail than the
 * optimum needs a larger grid: at lambda = 0.9 the ABOUNCE rules near their threshold). The ranking stays
 * rigorous: on any N' >= N, the rule's cost is at least the capped optimum g*_N' >= g*_N (optimalTwoQueueRule,
 * truncation (1)). Rules still above the tolerance are reported "truncation too small". No sharing is ranked
 * by its closed form lambda / (1 - lambda), the untruncated cost of a policy of the untruncated problem, so
 * again at least g*_N.
 *
 * Cost: one `optimalTwoQueueRule` (unless given) plus one LU solve per rule (0.1 s each at N = 100 on this
 * machine), and about (N'/N)^4 times that per rule evaluated again on N' (0.5-0.7 s on 250); no sharing is
 * never evaluated again.
 *
 * @param arrivalRate lambda in (0, 1)
 * @param migrationPenalty K, an integer >= 1
 * @param options as `optimalTwoQueueRule`, plus `optimal` (reuse a solved optimum) and `rules`
 * @returns the optimum and the ranking
 * @throws ParameterError as `optimalTwoQueueRule`; "optimal" when the given optimum does not match lambda, K
 *   and N; the policy's parameter for a bad rule
 * @example
 * const comparison = compareTwoQueueRules(0.5, 2, { truncation: 40 });
 * comparison.ranking.slice(0, 3).map((r) => r.policy) // => ["optimal", "MBOUNCE(6,inf)", "MBOUNCE(8,inf)"]
 */
export function compareTwoQueueRules(
  arrivalRate: number,
  migrationPenalty: number,
  options: CompareTwoQueueRulesOptions = {},
): TwoQueueRuleComparison {
  const optimal = options.optimal ?? optimalTwoQueueRule(arrivalRate, migrationPenalty, options);
  const truncation = options.truncation ?? 100;
  if (optimal.arrivalRate !== arrivalRate || optimal.migrationPenalty !== migrationPenalty || optimal.truncation !== truncation) {
    throw new ParameterError("optimal", `lambda = ${optimal.arrivalRate}, K = ${optimal.migrationPenalty}, N = ${optimal.truncation}`,
      `an optimum solved for lambda = ${arrivalRate}, K = ${migrationPenalty}, N = ${truncation}`);
  }
  const tolerance = optimal.truncationCheck.edgeTolerance;
  const ruleTruncation = options.ruleTruncation ?? truncation;
  if (typeof ruleTruncation !== "number" || !Number.isInteger(ruleTruncation) || ruleTruncation < truncation || ruleTruncation > MAX_TRUNCATION) {
    throw new ParameterError("ruleTruncation", ruleTruncation, `an integer in [N = ${truncation}, ${MAX_TRUNCATION}]`);
  }
  const best = optimal.meanQueueLength;
  const rules = options.rules ?? defaultTwoQueueRules(migrationPenalty);
  const rows: Omit<TwoQueueRuleRanking, "rank">[] = [{
    policy: "optimal",
    meanQueueLength: best,
    excessOverOptimum: 0,
    migrationFraction: optimal.migrationFraction,
    edgeMass: optimal.truncationCheck.edgeMass,
    status: "exact",
    truncatedMeanQueueLength: best,
    truncation,
  }];
  for (const rule of rules) {
    // A rule of the form own - target > C (ABOUNCE, and any other translation-invariant monotone rule) has the
    // exact two-queue stability threshold of src/theory/thresholds when C >= K.
    const C = additiveThreshold(rule, migrationPenalty);
    const threshold = C !== undefined && Number.isFinite(C) && C >= migrationPenalty
      ? exactTwoQueueThreshold(migrationPenalty, C).criticalArrivalRate : undefined;
    const unstable = threshold !== undefined && arrivalRate >= threshold;
    let evaluation = evaluateTwoQueueRule(arrivalRate, migrationPenalty, rule, { truncation });
    // No sharing is ranked by its closed form whatever the grid, so it is not evaluated again.
    const closedForm = additiveThreshold(rule, migrationPenalty) === Infinity;
    if (!unstable && !closedForm && evaluation.edgeMass > tolerance && ruleTruncation > truncation) {
      evaluation = evaluateTwoQueueRule(arrivalRate, migrationPenalty, rule, { truncation: ruleTruncation });
    }
    const status = unstable ? "unstable" : closedForm ? "closed form"
      : evaluation.edgeMass > tolerance ? "truncation too small" : "exact";
    const value = status === "exact" ? evaluation.meanQueueLength : status === "closed form" ? arrivalRate / (1 - arrivalRate)
      : status === "unstable" ? Infinity : NaN;
    rows.push({
      policy: policyLabel(rule),
      meanQueueLength: value,
      excessOverOptimum: value / best - 1,
      migrationFraction: evaluation.migrationFraction,
      edgeMass: evaluation.edgeMass,
      status,
      truncatedMeanQueueLength: evaluation.meanQueueLength,
      truncation: evaluation.truncation,
      ...(threshold !== undefined ? { stabilityThreshold: threshold } : {}),
    });
  }
  const order = rows.map((row, index) => ({ row, index }));
  order.sort((a, b) => {
    const fa = Number.isFinite(a.row.meanQueueLength);
    const fb = Number.isFinite(b.row.meanQueueLength);
    if (fa && fb) return a.row.meanQueueLength - b.row.meanQueueLength || a.index - b.index;
    if (fa !== fb) return fa ? -1 : 1;
    return a.index - b.index;
  });
  const ranking = order.map(({ row }, i) => ({ rank: i + 1, ...row }));
  const optimumIsBest = rows.every((row) => !Number.isFinite(row.meanQueueLength) || row.meanQueueLength >= best * (1 - 1e-9));
  return { arrivalRate, migrationPenalty, truncation, optimal, ranking, optimumIsBest };
}
