import { ParameterError } from "../model/parameterError";
import { type PolicySpec, policyLabel } from "../model/policy";

function isPolicy(value: unknown): value is PolicySpec {
  return value !== null && typeof value === "object" && !Array.isArray(value) && typeof (value as { kind?: unknown }).kind === "string";
}

function valueText(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `[${value.map(valueText).join(", ")}]`;
  if (isPolicy(value)) {
    try {
      return policyLabel(value);
    } catch {
      return JSON.stringify(value);
    }
  }
  if (typeof value === "object") {
    return `{ ${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${valueText(v)}`).join(", ")} }`;
  }
  return String(value);
}

/**
 * A notebook's parameters as table rows { parameter, value }, one per key in order, for `showTable`: numbers
 * as written (2000000, 0.001), policies by their label (ABOUNCE(2,10)), arrays and nested objects spelled
 * out. Cost O(size of the parameters).
 *
 * @param parameters a plain object of named parameters
 * @returns one row per key
 * @throws ParameterError when `parameters` is not a plain object
 * @example
 * parameterRows({ queues: 100, policies: [abounce(2, 10), noSharing()], search: { lower: 0.75 } })
 * // => [{ parameter: "queues", value: "100" }, { parameter: "policies", value: "[ABOUNCE(2,10), no sharing]" },
 * //     { parameter: "search", value: "{ lower: 0.75 }" }]
 */
export function parameterRows(parameters: Readonly<Record<string, unknown>>): Array<{ parameter: string; value: string }> {
  if (parameters === null || typeof parameters !== "object" || Array.isArray(parameters)) {
    throw new ParameterError("parameters", parameters, "a plain object of named parameters");
  }
  return Object.entries(parameters).map(([parameter, value]) => ({ parameter, value: valueText(value) }));
}
