import { ParameterError } from "../model/parameterError";
import { formatNumber } from "./formatNumber";

/**
 * What `showTable`, `tableHtml` and `tableText` accept: a danfojs-node DataFrame or Series (read through
 * its `columns`, `index` and `values`, so danfojs itself is not imported here), or plain rows (objects
 * whose keys are the column names; the columns are the union of keys in first-seen order).
 */
export type TableInput = DataFrameLike | ReadonlyArray<Readonly<Record<string, unknown>>>;

/** The part of a danfojs DataFrame (or Series) that a table needs. */
export interface DataFrameLike {
  readonly columns: ReadonlyArray<string | number>;
  readonly index: ReadonlyArray<string | number>;
  readonly values: ReadonlyArray<unknown>;
}

/** Options shared by the table builders. */
export interface TableOptions {
  /** Significant digits for non-integer numbers, an integer in [1, 17]; default 4. */
  readonly significantDigits?: number;
  /** A caption shown above the table. */
  readonly caption?: string;
  /** Show the row labels (the DataFrame's index). Default: true for a DataFrame whose index is not 0..n-1, false otherwise. */
  readonly showIndex?: boolean;
  /** Rows shown at most; the rest are left out with a note. An integer >= 1; default 200. */
  readonly maxRows?: number;
}

/** A table reduced to text cells (module-private shape shared by the builders). */
export interface TableCells {
  readonly caption: string | undefined;
  readonly columns: string[];
  /** Row labels, or null when the index is not shown. */
  readonly index: string[] | null;
  readonly rows: { readonly text: string; readonly numeric: boolean }[][];
  readonly totalRows: number;
}

function isDataFrameLike(input: unknown): input is DataFrameLike {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return false;
  const candidate = input as Partial<DataFrameLike>;
  return Array.isArray(candidate.columns) && Array.isArray(candidate.index) && Array.isArray(candidate.values);
}

/**
 * Formats one table cell: numbers through `formatNumber` (marked numeric, so they are right-aligned),
 * bigints with separators, null and undefined as "", dates as ISO 8601, arrays and typed arrays as a
 * bracketed list of at most 10 items, other objects as JSON. Cost O(1), O(10) for arrays.
 *
 * @param value any cell value
 * @param significantDigits as for `formatNumber`
 * @returns the text and whether it is a number
 * @example
 * cellText(1234.5678, 4)       // => { text: "1,235", numeric: true }
 * cellText([0.5, 0.25], 4)     // => { text: "[0.5, 0.25]", numeric: false }
 */
export function cellText(value: unknown, significantDigits: number): { text: string; numeric: boolean } {
  if (typeof value === "number") return { text: formatNumber(value, significantDigits), numeric: true };
  if (typeof value === "bigint") return { text: value.toLocaleString("en-US"), numeric: true };
  if (value === null || value === undefined) return { text: "", numeric: false };
  if (typeof value === "string") return { text: value, numeric: false };
  if (typeof value === "boolean") return { text: String(value), numeric: false };
  if (value instanceof Date) return { text: value.toISOString(), numeric: false };
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    const shown = items.slice(0, 10).map((item) => cellText(item, significantDigits).text);
    return { text: `[${shown.join(", ")}${items.length > 10 ? `, … (${items.length} items)` : ""}]`, numeric: false };
  }
  try {
    return { text: JSON.stringify(value) ?? String(value), numeric: false };
  } catch {
    return { text: String(value), numeric: false };
  }
}

/**
 * Reduces a DataFrame, Series or list of rows to formatted text cells, the common ground of `tableHtml`
 * and `tableText`. A Series (one-dimensional `values`) becomes one column. Cost O(rows x columns) for the
 * rows kept (at most `maxRows`).
 *
 * @param input a DataFrame-like object or an array of row objects
 * @param options significant digits, caption, showIndex, maxRows
 * @returns columns, optional row labels, formatted rows, and the total number of rows
 * @throws ParameterError for input that is neither a DataFrame-like object nor an array of objects, and for bad options
 * @example
 * tableCells([{ a: 1 }, { b: 2.5 }]).rows
 * // => [[{ text: "1", numeric: true }, { text: "", numeric: false }], [{ text: "", numeric: false }, { text: "2.5", numeric: true }]]
 */
export function tableCells(input: TableInput, options: TableOptions = {}): TableCells {
  const significantDigits = options.significantDigits ?? 4;
  formatNumber(1, significantDigits); // validates significantDigits before any work
  const maxRows = options.maxRows ?? 200;
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new ParameterError("maxRows", maxRows, "an integer >= 1");
  let columns: string[];
  let labels: string[];
  let values: unknown[][];
  let defaultShowIndex: boolean;
  if (isDataFrameLike(input)) {
    columns = input.columns.map(String);
    labels = input.index.map(String);
    const first = input.values[0];
    // A Series has one-dimensional values and a single column.
    values = Array.isArray(first) || input.values.length === 0
      ? (input.values as unknown[][])
      : input.values.map((v) => [v]);
    defaultShowIndex = !input.index.every((label, i) => label === i);
  } else if (Array.isArray(input)) {
    const seen = new Set<string>();
    for (const [i, row] of input.entries()) {
      if (row === null || typeof row !== "object") {
        throw new ParameterError(`rows[${i}]`, row, "an object whose keys are column names");
      }
      for (const key of Object.keys(row)) seen.add(key);
    }
    columns = Array.from(seen);
    labels = input.map((_, i) => String(i));
    values = input.map((row) => columns.map((c) => (row as Record<string, unknown>)[c]));
    defaultShowIndex = false;
  } else {
    throw new ParameterError("table", input, "a danfojs DataFrame or Series, or an array of row objects");
  }
  const showIndex = options.showIndex ?? defaultShowIndex;
  const shown = values.slice(0, maxRows);
  return {
    caption: options.caption,
    columns,
    index: showIndex ? labels.slice(0, maxRows) : null,
    rows: shown.map((row) => columns.map((_, j) => cellText(row[j], significantDigits))),
    totalRows: values.length,
  };
}

/**
 * The rows of a table as plain objects with their raw values (not formatted), keyed by column name: a
 * DataFrame's rows in index order, or the rows given (copied). For code that reads a table by column, such as
 * `heatmapGrid`. Cost O(rows x columns).
 *
 * @param input a DataFrame-like object (not a Series) or an array of row objects
 * @returns one object per row
 * @throws ParameterError for anything else, or for a row that is not an object
 * @example
 * tableRecords({ columns: ["a", "b"], index: [0, 1], values: [[1, 2], [3, 4]] }) // => [{ a: 1, b: 2 }, { a: 3, b: 4 }]
 */
export function tableRecords(input: TableInput): Record<string, unknown>[] {
  if (isDataFrameLike(input)) {
    const columns = input.columns.map(String);
    return input.values.map((row, i) => {
      if (!Array.isArray(row)) throw new ParameterError(`values[${i}]`, row, "a row of a DataFrame (a Series has no columns to read)");
      return Object.fromEntries(columns.map((c, j) => [c, row[j]]));
    });
  }
  if (Array.isArray(input)) {
    return input.map((row, i) => {
      if (row === null || typeof row !== "object" || Array.isArray(row)) throw new ParameterError(`rows[${i}]`, row, "an object whose keys are column names");
      return { ...row };
    });
  }
  throw new ParameterError("table", input, "a danfojs DataFrame, or an array of row objects");
}
