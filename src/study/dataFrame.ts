import type { DataFrame } from "danfojs-node";
import { ParameterError } from "../model/parameterError";

/** danfojs-node loads in about 2 s (TensorFlow.js), so it is required on first use, not at import. */
export function loadDanfo(): typeof import("danfojs-node") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("danfojs-node") as typeof import("danfojs-node");
}

/**
 * A danfojs-node DataFrame from named columns ({ i: [0, 1], tail: [1, 0.5] }) or from rows ([{ i: 0, tail: 1 },
 * ...]), so that a notebook gets DataFrames through the package alone. Cost O(cells); the first call loads
 * danfojs-node (about 2 s).
 *
 * @param data columns of equal length (at least one), or a non-empty array of row objects
 * @returns the DataFrame
 * @throws ParameterError for no columns or rows, or columns of different lengths
 * @example
 * dataFrame({ i: [0, 1, 2], tail: [1, 0.5, 0.25] }).shape // => [3, 2]
 */
export function dataFrame(data: Readonly<Record<string, readonly unknown[]>> | ReadonlyArray<Readonly<Record<string, unknown>>>): DataFrame {
  if (Array.isArray(data)) {
    if (data.length === 0 || !data.every((r) => r !== null && typeof r === "object" && !Array.isArray(r))) {
      throw new ParameterError("data", data, "a non-empty array of row objects, or an object of named columns");
    }
    return new (loadDanfo().DataFrame)(data as Record<string, unknown>[]);
  }
  if (data === null || typeof data !== "object") throw new ParameterError("data", data, "an object of named columns, or an array of row objects");
  const columns = Object.entries(data as Record<string, unknown>);
  if (columns.length === 0) throw new ParameterError("data", data, "at least one column");
  const [firstName, first] = columns[0] as [string, unknown];
  if (!Array.isArray(first)) throw new ParameterError(`data.${firstName}`, first, "an array of values");
  for (const [name, values] of columns) {
    if (!Array.isArray(values) || values.length !== first.length) {
      throw new ParameterError(`data.${name}`, Array.isArray(values) ? `${values.length} values` : values, `an array of ${first.length} values, as long as data.${firstName}`);
    }
  }
  return new (loadDanfo().DataFrame)(data as Record<string, unknown[]>);
}
