import { ParameterError } from "../model/parameterError";
import { tslabKernelApi } from "./tslabKernel";

/**
 * Where `showTable`, `showFigure` and `progressReporter` send their output:
 * - "notebook": inline in the executing tslab notebook cell (HTML through tslab's display);
 * - "script": a plain Node process: tables and progress as text on the terminal, each figure written
 *   to a standalone HTML file that draws offline (its path is printed on stderr); the process is not
 *   kept alive;
 * - "nodeplotlib": as "script", but figures are served by nodeplotlib to a browser page on
 *   http://127.0.0.1 (the process stays alive until that page has been opened and closed);
 * - "none": nothing is shown (batch jobs, tests).
 */
export type DisplayTarget = "notebook" | "script" | "nodeplotlib" | "none";

const targets: readonly DisplayTarget[] = ["notebook", "script", "nodeplotlib", "none"];

/**
 * Decides the display target: the environment variable MP_DISPLAY when set ("notebook", "script",
 * "nodeplotlib" or "none"), otherwise "notebook" inside a tslab kernel (see `tslabKernelApi`) and
 * "script" elsewhere. Cost O(1).
 *
 * @param env the environment to read MP_DISPLAY from; default `process.env`
 * @returns the target
 * @throws ParameterError when MP_DISPLAY is set to anything else
 * @example
 * displayTarget({ MP_DISPLAY: "none" }) // => "none"
 * displayTarget({})                     // => "script" (outside a tslab kernel)
 */
export function displayTarget(env: Readonly<Record<string, string | undefined>> = process.env): DisplayTarget {
  const forced = env["MP_DISPLAY"];
  if (forced !== undefined && forced !== "") {
    if (!(targets as readonly string[]).includes(forced)) {
      throw new ParameterError("MP_DISPLAY", forced, 'one of "notebook", "script", "nodeplotlib", "none" (or unset)');
    }
    return forced as DisplayTarget;
  }
  return tslabKernelApi() !== null ? "notebook" : "script";
}
