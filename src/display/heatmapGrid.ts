import { ParameterError } from "../model/parameterError";
import type { HeatmapData } from "./heatmapFigure";
import { type TableInput, tableRecords } from "./tableCells";

/**
 * A row of a table as `heatmapGrid` hands it to a function of the row: values keyed by column name. Typed
 * `any` so that a notebook's arrow function can do arithmetic on columns it knows (`r.meanDelay * (1 - r.lambda)`)
 * without casts; the grid itself checks what it gets back (a number for z, a string for text).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TableRow = Readonly<Record<string, any>>;

/** What {@link heatmapGrid} puts where. */
export interface HeatmapGridOptions {
  /** The column whose values become the grid's columns (x, left to right): finite numbers. */
  readonly x: string;
  /** The column whose values become the grid's rows (y, bottom to top): finite numbers. */
  readonly y: string;
  /** The value of a cell: a numeric column, or a function of the row (a non-finite value leaves the cell blank). */
  readonly z: string | ((row: TableRow) => number);
  /** A label written on each cell: a column (shown as text), or a function of the row returning a string. */
  readonly text?: string | ((row: TableRow) => string);
  /** Colour-bar title. */
  readonly colorTitle?: string;
  /** Colour scale, as for heatmapFigure: "diverging" (default) or "sequential". */
  readonly scale?: "diverging" | "sequential";
}

function axisValue(row: Record<string, unknown>, column: string, k: number): number {
  const v = row[column];
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new ParameterError(`rows[${k}].${column}`, v, `a finite number (the column ${column} is an axis of the grid)`);
  }
  return v;
}

/**
 * Turns a table in long form (one row per configuration, such as a study's DataFrame from `studyFrame`) into the
 * grid `heatmapFigure` draws: the distinct values of column `x` in increasing order become the columns, those of
 * `y` the rows, and each table row fills one cell with its z value (and label). A combination of x and y that no
 * row has stays blank (NaN, empty label). Cost O(rows log rows).
 *
 * @param table a DataFrame or an array of row objects
 * @param options the x, y and z columns (z or text may be functions of the row), colour-bar title and scale
 * @returns { x, y, z, text?, colorTitle?, scale? } for heatmapFigure
 * @throws ParameterError for a missing or non-numeric axis value, two rows in one cell, a z that is not a number,
 *   a text that is not a string, or an empty table
 * @example
 * heatmapGrid([{ C: 2, lambda: 0.7, d: 2.1 }, { C: 2, lambda: 0.8, d: 3.5 }, { C: 3, lambda: 0.7, d: 2.0 }], { x: "lambda", y: "C", z: "d" })
 * // => { x: [0.7, 0.8], y: [2, 3], z: [[2.1, 3.5], [2.0, NaN]] }
 */
export function heatmapGrid(table: TableInput, options: HeatmapGridOptions): HeatmapData {
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "{ x, y, z } column names");
  for (const key of ["x", "y"] as const) {
    if (typeof options[key] !== "string" || options[key] === "") throw new ParameterError(key, options[key], "a column name");
  }
  if (typeof options.z !== "string" && typeof options.z !== "function") throw new ParameterError("z", options.z, "a column name or a function of the row");
  if (options.text !== undefined && typeof options.text !== "string" && typeof options.text !== "function") {
    throw new ParameterError("text", options.text, "a column name or a function of the row");
  }
  const rows = tableRecords(table);
  if (rows.length === 0) throw new ParameterError("table", "0 rows", "at least one row");
  const xs = [...new Set(rows.map((r, k) => axisValue(r, options.x, k)))].sort((a, b) => a - b);
  const ys = [...new Set(rows.map((r, k) => axisValue(r, options.y, k)))].sort((a, b) => a - b);
  const z = ys.map(() => xs.map(() => NaN));
  const text = ys.map(() => xs.map(() => ""));
  const filled = ys.map(() => xs.map(() => -1));
  rows.forEach((row, k) => {
    const i = ys.indexOf(row[options.y] as number);
    const j = xs.indexOf(row[options.x] as number);
    const previous = (filled[i] as number[])[j] as number;
    if (previous >= 0) {
      throw new ParameterError(`rows[${k}]`, `${options.x} = ${String(row[options.x])}, ${options.y} = ${String(row[options.y])}`,
        "one row per cell of the grid", `row ${previous} has the same cell`);
    }
    (filled[i] as number[])[j] = k;
    const value = typeof options.z === "function" ? options.z(row) : row[options.z];
    if (typeof value !== "number") throw new ParameterError(`z of rows[${k}]`, value, "a number (NaN leaves the cell blank)");
    (z[i] as number[])[j] = value;
    if (options.text !== undefined) {
      const label = typeof options.text === "function" ? options.text(row) : String(row[options.text] ?? "");
      if (typeof label !== "string") throw new ParameterError(`text of rows[${k}]`, label, "a string");
      (text[i] as string[])[j] = label;
    }
  });
  return {
    x: xs,
    y: ys,
    z,
    ...(options.text !== undefined ? { text } : {}),
    ...(options.colorTitle !== undefined ? { colorTitle: options.colorTitle } : {}),
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
  };
}
