import { ParameterError } from "../../model/parameterError";
import { type MigrationRule, type PolicySpec, migrationRule, policyLabel, validatePolicy } from "../../model/policy";
import { gridMeasures } from "./gridMeasures";
import { decisionTable, solveGridRule, twoQueueGrid } from "./twoQueueGrid";

/** The exact long-run behaviour of one migration rule on the truncated two-queue chain. */
export interface TwoQueueRuleEvaluation {
  /** The rule's label (for example "ABOUNCE(2,inf)"). */
  readonly policy: string;
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  /** N: the grid is {0..N}^2, overflow beyond N is lost (see `optimalTwoQueueRule` for the truncation argument). */
  readonly truncation: number;
  /** Long-run mean queue length per queue, in units of work (exp(1) job equivalents), on the truncated chain. */
  readonly meanQueueLength: number;
  /** Long-run fraction of arrivals that migrate. */
  readonly migrationFraction: number;
  /** tail[i] = P(q1 >= i), i = 0..N; tail[0] = 1. */
  readonly tail: number[];
  /** P(max(q1, q2) > N - K): stationary mass where capping can lose work. Small means the truncation is harmless. */
  readonly edgeMass: number;
  /** Units lost by capping per arrival. */
  readonly lostUnitsPerArrival: number;
  /** Stationary probabilities indexed q1 (N + 1) + q2. */
  readonly stationary: Float64Array;
  /** Residual of the stationary equations (sum and balance), a self-check of the linear solve. */
  readonly balanceResidual: number;
}

/** Options of {@link evaluateTwoQueueRule}. */
export interface EvaluateTwoQueueRuleOptions {
  /** N, an integer in [max(8, 4K), 400] (default 100). */
  readonly truncation?: number;
  /** A label for a rule given as a function (default "custom rule"). */
  readonly label?: string;
  /** Accept ABOUNCE with C < K and MBOUNCE with alpha <= 1 (default false, as in `validatePolicy`). */
  readonly allowOutsidePaper?: boolean;
}

/**
 * Exact policy evaluation of a fixed migration rule for n = 2 queues, d = infinity (the sampled queue is the
 * other queue, so any d gives the same rule), on the chain uniformized at rate 2(lambda + 1) and truncated to
 * {0..N}^2 by capping: the stationary law by one LU solve of the chain lumped by the swap of the queues (see twoQueueGrid.ts), then the mean queue
 * length, migration fraction, tail and the mass at the edge of the grid. The rule is read through
 * `migrationRule` (src/model/policy.ts), the single copy of the decision rules.
 *
 * Cost about K N^4 / 4 flops and 8 (K + 1) N^3 / 3 bytes: at N = 100 about 0.1 s and 10 MB, at N = 250 0.5-0.7 s
 * and 0.1-0.2 GB.
 *
 * @param arrivalRate lambda in (0, 1), jobs per unit time per queue
 * @param migrationPenalty K, an integer >= 1 (units a migrated job becomes)
 * @param rule a PolicySpec (validated against K by `validatePolicy`) or a function (own, target) => boolean
 * @param options truncation N, label, allowOutsidePaper
 * @returns the evaluation (per-queue mean, in units)
 * @throws ParameterError naming "arrivalRate (lambda)", "migrationPenalty (K)", "truncation (N)", the policy's
 *   parameter, or "rule" when it is neither a policy nor a function
 * @example
 * const none = evaluateTwoQueueRule(0.5, 2, noSharing(), { truncation: 40 });
 * none.meanQueueLength // => 0.99999999998135... (M/M/1/40: 1 - 41 * 0.5^41 / (1 - 0.5^41))
 * evaluateTwoQueueRule(0.5, 2, abounce(2, Infinity), { truncation: 40 }).meanQueueLength // => 0.96980702694...
 */
export function evaluateTwoQueueRule(
  arrivalRate: number,
  migrationPenalty: number,
  rule: PolicySpec | MigrationRule,
  options: EvaluateTwoQueueRuleOptions = {},
): TwoQueueRuleEvaluation {
  const grid = twoQueueGrid(arrivalRate, migrationPenalty, options.truncation ?? 100);
  let decide: MigrationRule;
  let label: string;
  if (typeof rule === "function") {
    decide = rule;
    label = options.label ?? "custom rule";
  } else if (rule !== null && typeof rule === "object") {
    const policy = validatePolicy(rule, grid.migrationPenalty, options.allowOutsidePaper === true);
    decide = migrationRule(policy, grid.migrationPenalty);
    label = options.label ?? policyLabel(policy);
  } else {
    throw new ParameterError("rule", rule, "a PolicySpec or a function (own, target) => boolean");
  }
  const migrate = decisionTable(grid, decide);
  const solution = solveGridRule(grid, migrate);
  const measures = gridMeasures(grid, migrate, solution.stationary);
  return {
    policy: label,
    arrivalRate: grid.arrivalRate,
    migrationPenalty: grid.migrationPenalty,
    truncation: grid.truncation,
    meanQueueLength: solution.averageCost,
    migrationFraction: measures.migrationFraction,
    tail: measures.tail,
    edgeMass: measures.edgeMass,
    lostUnitsPerArrival: measures.lostUnitsPerArrival,
    stationary: solution.stationary,
    balanceResidual: solution.balanceResidual,
  };
}
