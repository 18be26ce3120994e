import { ParameterError, requireInteger } from "../../model/parameterError";
import { type PolicySpec, migrationRule, validatePolicy } from "../../model/policy";

/**
 * The switching curve of a fixed rule, in the form `optimalTwoQueueRule` gives the optimal one: for each target
 * length t = 0..maxTarget, the smallest own length <= maxOwn from which an arrival migrates (null if none), read
 * from `migrationRule`. For drawing ABOUNCE and MBOUNCE boundaries beside the optimal curve (ABOUNCE(C):
 * t + C + 1; MBOUNCE(alpha): the smallest integer above max(alpha t, t + K)). Cost O(maxTarget maxOwn) rule calls.
 *
 * @param policy a PolicySpec, validated against K
 * @param migrationPenalty K, an integer >= 1
 * @param maxTarget the largest target, an integer >= 0
 * @param maxOwn the largest own length searched, an integer >= 0
 * @returns [{ target, migrateFrom }]
 * @throws ParameterError naming "migrationPenalty (K)", "maxTarget", "maxOwn" or the policy's parameter
 * @example
 * ruleSwitchingCurve(mbounce(3, Infinity), 2, 3, 100).map((p) => p.migrateFrom) // => [3, 4, 7, 10]
 * ruleSwitchingCurve(abounce(4, Infinity), 2, 2, 100).map((p) => p.migrateFrom) // => [5, 6, 7]
 */
export function ruleSwitchingCurve(
  policy: PolicySpec,
  migrationPenalty: number,
  maxTarget: number,
  maxOwn: number,
): { target: number; migrateFrom: number | null }[] {
  const K = requireInteger("migrationPenalty (K)", migrationPenalty, 1);
  requireInteger("maxTarget", maxTarget, 0, 1e6);
  requireInteger("maxOwn", maxOwn, 0, 1e6);
  if (policy === null || typeof policy !== "object") throw new ParameterError("policy", policy, "a PolicySpec");
  const rule = migrationRule(validatePolicy(policy, K), K);
  const curve: { target: number; migrateFrom: number | null }[] = [];
  for (let target = 0; target <= maxTarget; target++) {
    let from: number | null = null;
    for (let own = 0; own <= maxOwn && from === null; own++) if (rule(own, target)) from = own;
    curve.push({ target, migrateFrom: from });
  }
  return curve;
}
