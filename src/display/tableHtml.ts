import { escapeHtml } from "./escapeHtml";
import { tableCells, type TableInput, type TableOptions } from "./tableCells";
import { formatNumber } from "./formatNumber";

const cellStyle = "padding:2px 10px;border-bottom:1px solid #ddd;white-space:nowrap";

/**
 * Builds the HTML of a table for a notebook: numbers formatted for reading (`formatNumber`: significant
 * digits, thousands separators) and right-aligned, text escaped, and the table wrapped in a
 * `<div class="mp-table">` box that scrolls horizontally by itself when the table is wider than the
 * output area. The box is sized `width:0; min-width:100%`: it fills the output area but adds nothing to
 * its minimum width, so a wide table cannot widen the output area (in nbconvert's HTML export the output
 * is a table cell, which would otherwise grow to the table's width and scroll the whole output sideways,
 * across the charts below it). Pure: no kernel, no DOM.
 *
 * Cost O(rows x columns) for the rows shown (at most `maxRows`).
 *
 * @param input a danfojs-node DataFrame or Series, or an array of row objects
 * @param options significant digits (default 4), caption, whether to show the index, maxRows (default 200)
 * @returns an HTML fragment
 * @throws ParameterError for input that is not a table, or bad options
 * @example
 * tableHtml([{ lambda: 0.9, "mean queue": 9 }]).includes("<td style=\"text-align:right;") // => true
 */
export function tableHtml(input: TableInput, options: TableOptions = {}): string {
  const table = tableCells(input, options);
  const parts: string[] = [];
  parts.push('<div class="mp-table" style="display:block;overflow-x:auto;width:0;min-width:100%">');
  parts.push('<table style="border-collapse:collapse;font-variant-numeric:tabular-nums;margin:0">');
  if (table.caption !== undefined) {
    parts.push(`<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(table.caption)}</caption>`);
  }
  const indexHeader = table.index ? `<th style="${cellStyle}"></th>` : "";
  // A column is numeric when it has numbers and nothing else but empty cells.
  const numericColumn = table.columns.map(
    (_, j) => table.rows.some((row) => row[j]?.numeric === true) && table.rows.every((row) => row[j]?.numeric === true || row[j]?.text === ""),
  );
  const headers = table.columns.map(
    (c, j) => `<th style="${cellStyle};text-align:${numericColumn[j] ? "right" : "left"}">${escapeHtml(c)}</th>`,
  );
  parts.push(`<thead><tr>${indexHeader}${headers.join("")}</tr></thead>`);
  parts.push("<tbody>");
  table.rows.forEach((row, i) => {
    const label = table.index ? `<th style="${cellStyle};text-align:left">${escapeHtml(table.index[i] ?? "")}</th>` : "";
    const cells = row.map(
      (cell) => `<td style="text-align:${cell.numeric ? "right" : "left"};${cellStyle}">${escapeHtml(cell.text)}</td>`,
    );
    parts.push(`<tr>${label}${cells.join("")}</tr>`);
  });
  parts.push("</tbody></table>");
  if (table.totalRows > table.rows.length) {
    parts.push(
      `<p class="mp-table-note" style="font-style:italic">Showing ${formatNumber(table.rows.length)} of ${formatNumber(table.totalRows)} rows.</p>`,
    );
  }
  parts.push("</div>");
  return parts.join("\n");
}
