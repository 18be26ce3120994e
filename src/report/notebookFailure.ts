import { stopNotes } from "./stopNotes";

/** Where and why an executed notebook failed. */
export interface NotebookFailure {
  /** 0-based index of the failing cell among all cells of the notebook (markdown cells count). */
  readonly cellIndex: number;
  /** The first non-blank line of the failing cell's source. */
  readonly firstLine: string;
  /**
   * The cell's error text: its stderr stream and error outputs, without ANSI colors or the kernel's own
   * stack frames; when the run stopped for another reason, first a line saying why (for example
   * "kernel died (exit code 3)").
   */
  readonly errorText: string;
  /** Set when the cell did not fail by itself: the kernel died, the time limit struck, or the run was interrupted. */
  readonly stop?: "kernel died" | "timeout" | "interrupted";
}

/** The kernel's exit as the hooks record it in metadata.mp_report.kernel. */
interface KernelExit {
  readonly exit_code?: unknown;
  readonly signal?: unknown;
}

/**
 * Says how a kernel ended, for a person: "kernel died (exit code 3)", or for a signal its name and, for
 * SIGKILL, the usual cause (Linux's out-of-memory killer ends processes with SIGKILL).
 */
function kernelDiedText(kernel: KernelExit | undefined): string {
  if (kernel !== undefined && typeof kernel.exit_code === "number") return `kernel died (exit code ${kernel.exit_code})`;
  if (kernel !== undefined && typeof kernel.signal === "string") {
    return kernel.signal === "SIGKILL" ? "kernel died (signal SIGKILL: likely out of memory)" : `kernel died (signal ${kernel.signal})`;
  }
  return "kernel died (its exit status is unknown)";
}

interface CellJson {
  readonly cell_type?: unknown;
  readonly source?: unknown;
  readonly outputs?: unknown;
  readonly metadata?: { readonly execution?: unknown };
}

interface RunnerMark {
  readonly failed_cell?: unknown;
  readonly reason?: unknown;
  readonly error?: unknown;
  readonly kernel?: KernelExit;
  readonly signal?: unknown;
}

const ansi = /\u001b\[[0-9;]*[A-Za-z]/g;
// Stack frames inside the kernel (tslab and the commander package its command line runs on) and Node's vm
// say nothing about the notebook's code.
const internalFrame = /^\s*at .*(node_modules[\\/](tslab|commander)[\\/]|@tslab[\\/]|\(node:vm:|\(node:internal[\\/]|node:vm:\d)/;

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

function isStopNote(streamText: string): boolean {
  const line = streamText.trim();
  return line === stopNotes.kernelDied || line === stopNotes.timeout || (line.startsWith("Interrupted (") && line.endsWith(stopNotes.interrupted));
}

function errorOutputText(outputs: unknown): string {
  if (!Array.isArray(outputs)) return "";
  const parts: string[] = [];
  for (const output of outputs as { output_type?: unknown; name?: unknown; text?: unknown; ename?: unknown; evalue?: unknown; traceback?: unknown }[]) {
    if (output.output_type === "stream" && output.name === "stderr") {
      if (!isStopNote(text(output.text))) parts.push(text(output.text));
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
 * saves the partly executed notebook when a cell fails, the kernel dies, a cell times out or the run is
 * interrupted, and marks it in `metadata.mp_report` (`failed_cell`, `reason`, `kernel`, `signal`; see
 * `nbconvertHookConfig`); a stop that is not the cell's own error is named in the first line of
 * `errorText` ("kernel died (signal SIGKILL: likely out of memory)", "kernel died (exit code 3)",
 * "timed out: ...", "interrupted (SIGINT)"). Without the mark, the failing cell is the last cell with an
 * error output, or else the last executed cell with stderr output.
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
 * notebookFailure({ cells: [{ cell_type: "code", source: "process.exit(3);", outputs: [] }],
 *   metadata: { mp_report: { failed_cell: 0, reason: "kernel died", kernel: { exit_code: 3 } } } })
 * // => { cellIndex: 0, firstLine: "process.exit(3);", errorText: "kernel died (exit code 3)", stop: "kernel died" }
 */
export function notebookFailure(notebook: unknown): NotebookFailure | null {
  if (notebook === null || typeof notebook !== "object") return null;
  const nb = notebook as { cells?: unknown; metadata?: { mp_report?: RunnerMark } };
  if (!Array.isArray(nb.cells)) return null;
  const cells = nb.cells as CellJson[];
  let index: number | undefined;
  const mark = nb.metadata?.mp_report;
  const marked = mark?.failed_cell;
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
  const firstLine = (text(cell.source).split("\n").find((line) => line.trim() !== "") ?? "").trim();
  const errorText = cleanError(errorOutputText(cell.outputs));
  const error = typeof mark?.error === "string" && mark.error !== "" ? mark.error : undefined;
  let headline: string | undefined;
  let stop: NotebookFailure["stop"];
  if (mark?.reason === "kernel died") {
    stop = "kernel died";
    headline = kernelDiedText(mark.kernel);
  } else if (mark?.reason === "timeout") {
    stop = "timeout";
    headline = `timed out: the cell did not finish within the time limit${error !== undefined ? ` (${error})` : ""}`;
  } else if (mark?.reason === "interrupted") {
    stop = "interrupted";
    headline = `interrupted (${typeof mark.signal === "string" ? mark.signal : "by a signal"})`;
  } else if (mark?.reason === "stopped" && error !== undefined) {
    headline = `the run stopped: ${error}`;
  }
  if (headline !== undefined) {
    return { cellIndex: index, firstLine, errorText: errorText !== "" ? `${headline}\n${errorText}` : headline, ...(stop !== undefined ? { stop } : {}) };
  }
  return { cellIndex: index, firstLine, errorText: errorText !== "" ? errorText : "(the cell wrote no error output)" };
}
