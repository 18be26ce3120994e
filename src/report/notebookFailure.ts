/** Where and why an executed notebook failed. */
export interface NotebookFailure {
  /** 0-based index of the failing cell among all cells of the notebook (markdown cells count). */
  readonly cellIndex: number;
  /** The first non-blank line of the failing cell's source. */
  readonly firstLine: string;
  /** The cell's error text: its stderr stream and error outputs, without ANSI colors or the kernel's own stack frames. */
  readonly errorText: string;
}

interface CellJson {
  readonly cell_type?: unknown;
  readonly source?: unknown;
  readonly outputs?: unknown;
  readonly metadata?: { readonly execution?: unknown };
}

const ansi = /\u001b\[[0-9;]*[A-Za-z]/g;
// Stack frames inside the kernel and Node's vm say nothing about the notebook's code.
const internalFrame = /^\s*at .*(node_modules[\\/]tslab[\\/]|@tslab[\\/]|\(node:vm:|\(node:internal[\\/]|node:vm:\d)/;

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string").join("");
  return "";
}

function cleanError(raw: string): string {
  const lines = raw.replace(ansi, "").split("\n");
  const kept: string[] = [];
  let dropped = 0;
  for (const line of lines) {
    if (internalFrame.test(line)) dropped++;
    else kept.push(line);
  }
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === "") kept.pop();
  if (dropped > 0) kept.push(`    (${dropped} stack frame${dropped === 1 ? "" : "s"} inside the kernel omitted)`);
  return kept.join("\n");
}

function errorOutputText(outputs: unknown): string {
  if (!Array.isArray(outputs)) return "";
  const parts: string[] = [];
  for (const output of outputs as { output_type?: unknown; name?: unknown; text?: unknown; ename?: unknown; evalue?: unknown; traceback?: unknown }[]) {
    if (output.output_type === "stream" && output.name === "stderr") {
      parts.push(text(output.text));
    } else if (output.output_type === "error") {
      const traceback = Array.isArray(output.traceback) ? output.traceback.filter((l) => typeof l === "string").join("\n") : "";
      parts.push(traceback !== "" ? traceback : `${String(output.ename ?? "Error")}: ${String(output.evalue ?? "")}`);
    }
  }
  return parts.join("\n");
}

/**
 * Finds the failing cell of a notebook executed headless and its real error text. With the tslab kernel,
 * nbconvert's own exception message is blank: the error is only in the cell's stderr output. The runner
 * saves the partly executed notebook when a cell fails and marks the cell in `metadata.mp_report.failed_cell`;
 * without that mark, the failing cell is the last cell with an error output, or else the last executed
 * cell with stderr output.
 *
 * Cost O(size of the notebook).
 *
 * @param notebook a parsed .ipynb (nbformat 4) object
 * @returns the failure, or null when no failing cell can be identified
 * @example
 * notebookFailure({ cells: [{ cell_type: "code", source: ["throw new Error('x');"],
 *   outputs: [{ output_type: "stream", name: "stderr", text: ["Error: x\n"] }] }],
 *   metadata: { mp_report: { failed_cell: 0 } } })
 * // => { cellIndex: 0, firstLine: "throw new Error('x');", errorText: "Error: x" }
 */
export function notebookFailure(notebook: unknown): NotebookFailure | null {
  if (notebook === null || typeof notebook !== "object") return null;
  const nb = notebook as { cells?: unknown; metadata?: { mp_report?: { failed_cell?: unknown } } };
  if (!Array.isArray(nb.cells)) return null;
  const cells = nb.cells as CellJson[];
  let index: number | undefined;
  const marked = nb.metadata?.mp_report?.failed_cell;
  if (typeof marked === "number" && Number.isInteger(marked) && marked >= 0 && marked < cells.length) index = marked;
  if (index === undefined) {
    const hasError = (c: CellJson): boolean =>
      Array.isArray(c.outputs) && (c.outputs as { output_type?: unknown }[]).some((o) => o.output_type === "error");
    const hasStderr = (c: CellJson): boolean =>
      c.metadata?.execution !== undefined && errorOutputText(c.outputs) !== "";
    for (let i = cells.length - 1; i >= 0 && index === undefined; i--) if (hasError(cells[i]!)) index = i;
    for (let i = cells.length - 1; i >= 0 && index === undefined; i--) if (hasStderr(cells[i]!)) index = i;
  }
  if (index === undefined) return null;
  const cell = cells[index]!;
  const firstLine = text(cell.source).split("\n").find((line) => line.trim() !== "") ?? "";
  const errorText = cleanError(errorOutputText(cell.outputs));
  return { cellIndex: index, firstLine: firstLine.trim(), errorText: errorText !== "" ? errorText : "(the cell wrote no error output)" };
}
