import { derivedMeanFieldSystem } from "./derivedMeanFieldSystem";
import type { MeanFieldParams, MeanFieldSystem, MeanFieldVariant } from "./meanFieldSystem";
import { ParameterError } from "../../model/parameterError";
import { printedMeanFieldSystem } from "./printedMeanFieldSystem";

/**
 * The mean-field system of a variant: "derived" (from the policy's rule, any policy; derivedMeanFieldSystem)
 * or "printed" (eqs. (1), (2) as printed in Section IV, ABOUNCE and MBOUNCE only; printedMeanFieldSystem).
 * Cost O(1).
 *
 * @param params lambda > 0, K, policy (validated; ParameterError names a bad one)
 * @param variant "derived" (default) or "printed" (ParameterError otherwise)
 * @example
 * buildMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) }, "printed").label
 * // => "printed ABOUNCE(2,10), K=2, lambda=0.75"
 */
export function buildMeanFieldSystem(params: MeanFieldParams, variant: MeanFieldVariant = "derived"): MeanFieldSystem {
  if (variant === "derived") return derivedMeanFieldSystem(params);
  if (variant === "printed") return printedMeanFieldSystem(params);
  throw new ParameterError("variant", variant, '"derived" or "printed"');
}
