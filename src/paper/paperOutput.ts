import type { TableOptions } from "../display/tableCells";

/**
 * A table a paper study returns: its rows (column name to value) with the options to show it, so a notebook
 * shows it with `showTable(table.rows, table)`.
 */
export interface PaperTable extends TableOptions {
  readonly caption: string;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/**
 * Markdown paragraphs from a study's detail lines: joined by blank lines, with the asterisk of λ* and S* escaped
 * so that it is not read as emphasis (an asterisk followed by another, as in "**S**", is left alone). Cost O(length).
 *
 * @param paragraphs the paragraphs, in Markdown (empty ones are dropped)
 * @example
 * markdownParagraphs(["λ* = 0.8866", "", "**fails**"]) // => "λ\\* = 0.8866\n\n**fails**"
 */
export function markdownParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.filter((p) => p.trim() !== "").join("\n\n").replace(/([λS])\*(?!\*)/g, "$1\\*");
}
