import { tableCells, type TableInput, type TableOptions } from "./tableCells";
import { formatNumber } from "./formatNumber";

/**
 * Builds a plain-text table for a terminal: the same cells as `tableHtml`, columns padded to a common
 * width, numbers right-aligned. Pure. Cost O(rows x columns) for the rows shown.
 *
 * @param input a danfojs-node DataFrame or Series, or an array of row objects
 * @param options as for `tableHtml`
 * @returns the table as lines joined by "\n"
 * @throws ParameterError for input that is not a table, or bad options
 * @example
 * tableText([{ n: 100, lambda: 0.75 }, { n: 1000, lambda: 0.9 }])
 * // => "    n  lambda\n  100    0.75\n1,000     0.9"
 */
export function tableText(input: TableInput, options: TableOptions = {}): string {
  const table = tableCells(input, options);
  const header = (table.index ? [""] : []).concat(table.columns);
  const body = table.rows.map((row, i) =>
    (table.index ? [{ text: table.index[i] ?? "", numeric: false }] : []).concat(row),
  );
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((row) => row[j]?.text.length ?? 0)));
  // A column is numeric when it has numbers and nothing else but empty cells.
  const numericColumn = header.map(
    (_, j) => body.some((row) => row[j]?.numeric === true) && body.every((row) => row[j]?.numeric === true || row[j]?.text === ""),
  );
  const pad = (text: string, j: number, right: boolean): string =>
    right ? text.padStart(widths[j] ?? 0) : text.padEnd(widths[j] ?? 0);
  const lines: string[] = [];
  if (table.caption !== undefined) lines.push(table.caption);
  lines.push(header.map((h, j) => pad(h, j, numericColumn[j] ?? false)).join("  ").trimEnd());
  for (const row of body) lines.push(row.map((cell, j) => pad(cell.text, j, cell.numeric)).join("  ").trimEnd());
  if (table.totalRows > table.rows.length) {
    lines.push(`(showing ${formatNumber(table.rows.length)} of ${formatNumber(table.totalRows)} rows)`);
  }
  return lines.join("\n");
}
