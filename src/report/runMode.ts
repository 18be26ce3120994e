import { ParameterError } from "../model/parameterError";

/**
 * How thoroughly notebooks compute: "quick" (the default: small sample sizes, minutes for the whole
 * report, what `npm test` runs) or "full" (the sample sizes behind the published numbers).
 */
export type RunMode = "quick" | "full";

/**
 * The run mode from the environment variable MP_MODE, which the notebook runner sets for the kernel
 * (`MP_MODE=full npm run report`) and which a notebook reads with `mp.runMode()`. Unset or empty means
 * "quick". Cost O(1).
 *
 * @param env the environment to read; default `process.env`
 * @returns "quick" or "full"
 * @throws ParameterError when MP_MODE is set to anything else
 * @example
 * runMode({})                   // => "quick"
 * runMode({ MP_MODE: "full" })  // => "full"
 */
export function runMode(env: Readonly<Record<string, string | undefined>> = process.env): RunMode {
  const value = env["MP_MODE"];
  if (value === undefined || value === "" || value === "quick") return "quick";
  if (value === "full") return "full";
  throw new ParameterError("MP_MODE", value, '"quick" or "full" (unset means "quick")');
}
