import { requireNumber } from "../model/parameterError";
import { displayTarget, type DisplayTarget } from "./displayTarget";
import { escapeHtml } from "./escapeHtml";
import { progressLine } from "./progressLine";
import { requireTslabKernel, type TslabApi } from "./tslabKernel";

/** What a long computation calls as it goes: `done` units of `total` finished (total may be revised). */
export type ProgressCallback = (done: number, total?: number) => void;

/** Options of `progressReporter`. */
export interface ProgressOptions {
  /** Overrides `displayTarget()`. */
  readonly target?: DisplayTarget;
  /** Minimum milliseconds between two updates; default 250 in a notebook and on an interactive terminal, 10000 when stderr is not a terminal (logs). */
  readonly intervalMs?: number;
  /** The clock, in milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** The tslab API for the "notebook" target (default: the running kernel's). */
  readonly kernel?: TslabApi;
  /** Where the "script" target writes (default: process.stderr.write). */
  readonly write?: (text: string) => void;
  /** Whether the terminal redraws one line with "\r" (default: process.stderr.isTTY). */
  readonly interactive?: boolean;
}

function progressHtml(line: string, fraction: number): string {
  return `<div class="mp-progress"><progress value="${fraction.toFixed(4)}" max="1" style="width:20em;vertical-align:middle"></progress> <span style="font-family:monospace">${escapeHtml(line)}</span></div>`;
}

/**
 * Makes a progress callback for a long computation: in a tslab notebook it keeps one display entry up to
 * date (a progress bar and `progressLine`'s text, through `tslab.newDisplay()`), from a plain script it
 * writes `progressLine` to stderr (redrawing one line on an interactive terminal, one line per update
 * otherwise), with target "none" it does nothing. Updates are throttled to one per `intervalMs`; the
 * first call and the call that reaches `total` are always shown, the latter exactly once.
 *
 * Cost O(1) per call (a clock read; formatting only when an update is shown).
 *
 * @param label what is being computed, shown before the counts
 * @param total units of work in all, a finite number >= 0
 * @param options target, throttle interval, and injectable clock, kernel and writer (for tests)
 * @returns the callback `(done, total?) => void`
 * @throws ParameterError when `total` (here or in a later call) is not a finite number >= 0
 * @example
 * const progress = progressReporter("replications", 1000, { target: "script", interactive: false });
 * progress(1000); // stderr: "replications: 1,000 / 1,000 (100%), done in 0.0 s"
 */
export function progressReporter(label: string, total: number, options: ProgressOptions = {}): ProgressCallback {
  let currentTotal = requireNumber("total", total, 0, Infinity, { loInclusive: true });
  const target = options.target ?? displayTarget();
  if (target === "none") {
    return (_done, newTotal) => {
      if (newTotal !== undefined) requireNumber("total", newTotal, 0, Infinity, { loInclusive: true });
    };
  }
  const now = options.now ?? Date.now;
  const start = now();
  const kernel = target === "notebook" ? (options.kernel ?? requireTslabKernel()) : undefined;
  const entry = kernel?.newDisplay();
  const interactive = options.interactive ?? process.stderr.isTTY === true;
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const intervalMs = options.intervalMs ?? (target === "script" && !interactive ? 10000 : 250);
  let lastShown = -Infinity;
  let finished = false;
  return (done: number, newTotal?: number): void => {
    if (newTotal !== undefined) currentTotal = requireNumber("total", newTotal, 0, Infinity, { loInclusive: true });
    if (finished) return;
    const t = now();
    const complete = done >= currentTotal;
    if (!complete && t - lastShown < intervalMs) return;
    lastShown = t;
    finished = complete;
    const line = progressLine(label, done, currentTotal, t - start);
    if (entry) {
      entry.html(progressHtml(line, currentTotal > 0 ? Math.min(1, Math.max(0, done / currentTotal)) : 1));
    } else if (interactive) {
      write(`\r${line}\u001b[K${complete ? "\n" : ""}`);
    } else {
      write(`${line}\n`);
    }
  };
}
