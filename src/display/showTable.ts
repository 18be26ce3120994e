import { displayTarget, type DisplayTarget } from "./displayTarget";
import { tableHtml } from "./tableHtml";
import { tableText } from "./tableText";
import type { TableInput, TableOptions } from "./tableCells";
import { requireTslabKernel, type TslabApi } from "./tslabKernel";

/** Options of `showTable`: the table's options plus where it goes. */
export interface ShowTableOptions extends TableOptions {
  /** Overrides `displayTarget()`. */
  readonly target?: DisplayTarget;
  /** The tslab API to display through (default: the running kernel's). */
  readonly kernel?: TslabApi;
  /** Where the "script" target writes the text table (default: console.log). */
  readonly print?: (text: string) => void;
}

/**
 * Shows a table: inline HTML in a tslab notebook (`tableHtml`: readable numbers, horizontal scrolling
 * for wide tables), a text table on the terminal from a plain script (`tableText`), nothing for
 * target "none".
 *
 * Cost O(rows x columns) for the rows shown (at most `maxRows`, default 200).
 *
 * @param input a danfojs-node DataFrame or Series, or an array of row objects
 * @param options significant digits (default 4), caption, showIndex, maxRows, and the target
 * @throws ParameterError for input that is not a table or bad options; Error when MP_DISPLAY=notebook outside a kernel
 * @example
 * showTable([{ n: 100, lambda: 0.75 }], { target: "script" })
 * // prints:
 * //   n  lambda
 * // 100    0.75
 */
export function showTable(input: TableInput, options: ShowTableOptions = {}): void {
  const target = options.target ?? displayTarget();
  if (target === "none") return;
  if (target === "notebook") {
    (options.kernel ?? requireTslabKernel()).display.html(tableHtml(input, options));
    return;
  }
  (options.print ?? ((text: string) => console.log(text)))(tableText(input, options));
}
