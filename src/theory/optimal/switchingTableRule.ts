import { ParameterError } from "../../model/parameterError";
import { type MigrationRule, type SwitchingCurveSpec, switchingCurve } from "../../model/policy";

/**
 * A migration rule given by a table of switching points: an arrival at a queue of length `own` migrates to a
 * queue of length `target` iff target < table.length and own >= table[target]. Targets beyond the table stay.
 * This is how `optimalTwoQueueRule` returns the optimal rule (`switchingTable`). Cost O(table length) to
 * validate and copy; O(1) per decision.
 *
 * @param table switching points, finite non-negative integers, each larger than its target (migrating to a
 *   queue at least as long as the own queue never pays); an empty table never migrates
 * @returns the rule (own, target) => boolean, for integer queue lengths
 * @throws ParameterError naming "switchingTable" for a non-array or a bad entry
 * @example
 * const rule = switchingTableRule([3, 7, 12, 19]);
 * rule(3, 0) // => true
 * rule(6, 1) // => false
 * rule(50, 4) // => false (beyond the table)
 */
export function switchingTableRule(table: readonly number[]): MigrationRule {
  if (!Array.isArray(table)) throw new ParameterError("switchingTable", table, "an array of switching points");
  const points = Int32Array.from(table.map((from, target) => {
    if (typeof from !== "number" || !Number.isInteger(from) || from <= target || from > 2 ** 31 - 1) {
      throw new ParameterError("switchingTable", table, `integers with table[t] > t (entry ${target} is ${String(from)})`);
    }
    return from;
  }));
  const size = points.length;
  return (own, target) => target >= 0 && target < size && own >= points[target]!;
}

/**
 * The switching-table rule as a declared policy (`switchingCurve`, kind "switching"): plain data, so it runs on
 * worker threads, can be cached and goes into studies (runStudy), at any n and d (the target is the shortest
 * sampled queue, as for ABOUNCE and MBOUNCE). The table gets an entry Infinity appended, so that it never
 * migrates to a queue longer than the table covers (the switching curve's slope-1 extension would otherwise
 * continue it): it decides exactly as {@link switchingTableRule}. Cost as switchingTableRule.
 *
 * @param table switching points (see switchingTableRule)
 * @param samples d, an integer >= 1 or Infinity
 * @param label the policy's label (default "switching table")
 * @returns the policy switchingCurve([...table, Infinity], samples, label)
 * @throws ParameterError naming "switchingTable" or "samples (d)"
 * @example
 * const policy = switchingTablePolicy([3, 7, 12, 19], 10, "optimal(0.5,2)");
 * policyLabel(policy) // => "optimal(0.5,2)(d=10)"
 * policy.migrateFrom  // => [3, 7, 12, 19, Infinity]
 */
export function switchingTablePolicy(table: readonly number[], samples: number, label = "switching table"): SwitchingCurveSpec {
  switchingTableRule(table); // validates the table
  if (samples !== Infinity && (typeof samples !== "number" || !Number.isInteger(samples) || samples < 1)) {
    throw new ParameterError("samples (d)", samples, "an integer >= 1 or Infinity");
  }
  if (typeof label !== "string" || label.trim() === "") throw new ParameterError("label", label, "a non-empty string");
  return switchingCurve([...table, Infinity], samples, label);
}
