import { ParameterError, requireNumber } from "../model/parameterError";
import type { Progress } from "../model/progress";
import { displayTarget, type DisplayTarget } from "./displayTarget";
import { escapeHtml } from "./escapeHtml";
import { progressLine } from "./progressLine";
import { requireTslabKernel, type TslabApi } from "./tslabKernel";

/**
 * What a long computation calls as it goes: with the package's `Progress` object (what `runSimulation`'s
 * `onProgress` passes), or with a count, `done` units of `total` finished (what the studies' `onProgress`
 * pass; the total may be revised).
 */
export interface ProgressCallback {
  (progress: Progress): void;
  (done: number, total?: number): void;
}

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
  /** Where the script targets write (default: process.stderr.write). */
  readonly write?: (text: string) => void;
  /** Whether the terminal redraws one line with "\r" (default: process.stderr.isTTY). */
  readonly interactive?: boolean;
}

function progressHtml(line: string, fraction: number): string {
  return `<div class="mp-progress"><progress value="${fraction.toFixed(4)}" max="1" style="width:20em;vertical-align:middle"></progress> <span style="font-family:monospace">${escapeHtml(line)}</span></div>`;
}

const progressShape = "a Progress object { fraction, events, elapsedSeconds, etaSeconds } or a count of units done";

/** Checks a `Progress` object; returns it. */
function checkedProgress(value: object): Progress {
  const p = value as Partial<Record<keyof Progress, unknown>>;
  if (!("fraction" in p) || !("events" in p) || !("elapsedSeconds" in p)) throw new ParameterError("progress", value, progressShape);
  requireNumber("progress.fraction", p.fraction, 0, 1, { loInclusive: true, hiInclusive: true });
  requireNumber("progress.events", p.events, 0, Infinity, { loInclusive: true });
  requireNumber("progress.elapsedSeconds", p.elapsedSeconds, 0, Infinity, { loInclusive: true });
  if (!(typeof p.etaSeconds === "number" && (Number.isNaN(p.etaSeconds) || (Number.isFinite(p.etaSeconds) && p.etaSeconds >= 0)))) {
    throw new ParameterError("progress.etaSeconds", p.etaSeconds, "a finite number >= 0, or NaN while unknown");
  }
  if (p.total !== undefined) {
    const total = requireNumber("progress.total", p.total, 0, Infinity, { loInclusive: true });
    if ((p.events as number) > total) throw new ParameterError("progress.events", p.events, `at most progress.total = ${total}`);
  }
  return value as Progress;
}

/**
 * Makes a progress callback for a long computation: in a tslab notebook it keeps one display entry up to
 * date (a progress bar and `progressLine`'s text, through `tslab.newDisplay()`), from a plain script it
 * writes `progressLine` to stderr (redrawing one line on an interactive terminal, one line per update
 * otherwise), with target "none" it shows nothing. The callback takes either form of progress: the
 * package's `Progress` object, so `runSimulation(system, { onProgress: progressReporter("simulation") })`
 * works, or a count `(done, total?)`, as the studies report it. Every call is checked, whatever the
 * target. Updates are throttled to one per `intervalMs`; the first call and the call that completes the
 * work (done = total, or fraction 1) are always shown, the latter exactly once.
 *
 * Cost O(1) per call (the checks and a clock read; formatting only when an update is shown).
 *
 * @param label what is being computed, shown before the counts
 * @param total units of work in all for the count form, a finite number >= 0, or undefined (then each
 *   count call gives it, and `Progress` objects need none); the other signature leaves it out
 * @param options target, throttle interval, and injectable clock, kernel and writer (for tests)
 * @returns the callback `(progress) => void` or `(done, total?) => void`
 * @throws ParameterError when `total` is not a finite number >= 0; the callback throws ParameterError for
 *   a count that is negative, not finite, above the total, or given with no total known, and for a
 *   `Progress` whose fraction is outside [0, 1], whose events or elapsed time is negative or not finite,
 *   or whose time left is negative or infinite
 * @example
 * const progress = progressReporter("replications", 1000, { target: "script", interactive: false });
 * progress(1000); // stderr: replications: 1,000 / 1,000 (100%), done in ... s
 * const simulation = progressReporter("simulation", { target: "script", interactive: false });
 * simulation({ fraction: 1, events: 2e6, elapsedSeconds: 1.5, etaSeconds: 0 });
 * // stderr: simulation: 100% (2,000,000 events), done in 1.5 s
 * progress(-1); // throws ParameterError "done = -1 is out of range: a finite number with 0 <= done"
 */
export function progressReporter(label: string, total: number | undefined, options?: ProgressOptions): ProgressCallback;
/**
 * The same without a total: for `Progress` objects, and counts whose every call gives the total.
 *
 * @param label what is being computed, shown before the counts
 * @param options target, throttle interval, and injectable clock, kernel and writer (for tests)
 * @returns the callback `(progress) => void` or `(done, total) => void`
 */
export function progressReporter(label: string, options?: ProgressOptions): ProgressCallback;
export function progressReporter(label: string, totalOrOptions?: number | ProgressOptions, maybeOptions?: ProgressOptions): ProgressCallback {
  if (typeof label !== "string") throw new ParameterError("label", label, "a string");
  const options = (typeof totalOrOptions === "object" && totalOrOptions !== null ? totalOrOptions : maybeOptions) ?? {};
  let currentTotal =
    typeof totalOrOptions === "object" && totalOrOptions !== null
      ? undefined
      : totalOrOptions === undefined
        ? undefined
        : requireNumber("total", totalOrOptions, 0, Infinity, { loInclusive: true });
  const target = options.target ?? displayTarget();
  const now = options.now ?? Date.now;
  const start = now();
  const kernel = target === "notebook" ? (options.kernel ?? requireTslabKernel()) : undefined;
  const entry = kernel?.newDisplay();
  const interactive = options.interactive ?? process.stderr.isTTY === true;
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const intervalMs = options.intervalMs ?? (target !== "notebook" && !interactive ? 10000 : 250);
  let lastShown = -Infinity;
  let finished = false;
  const callback = (doneOrProgress: number | Progress, newTotal?: number): void => {
    let line: () => string;
    let fraction: number;
    let complete: boolean;
    if (typeof doneOrProgress === "object" && doneOrProgress !== null) {
      const progress = checkedProgress(doneOrProgress);
      fraction = progress.fraction;
      complete = progress.fraction >= 1;
      line = () => progressLine(label, progress);
    } else {
      if (typeof doneOrProgress !== "number") throw new ParameterError("progress", doneOrProgress, progressShape);
      if (newTotal !== undefined) currentTotal = requireNumber("total", newTotal, 0, Infinity, { loInclusive: true });
      const done = requireNumber("done", doneOrProgress, 0, Infinity, { loInclusive: true });
      if (currentTotal === undefined) {
        throw new ParameterError("total", undefined, "a finite number >= 0, given to progressReporter or with the count");
      }
      const total = currentTotal;
      if (done > total) throw new ParameterError("done", done, `at most total = ${total}`);
      fraction = total > 0 ? done / total : 1;
      complete = done >= total;
      line = () => progressLine(label, done, total, t - start);
    }
    if (target === "none" || finished) return;
    const t = now();
    if (!complete && t - lastShown < intervalMs) return;
    lastShown = t;
    finished = complete;
    const text = line();
    if (entry) {
      entry.html(progressHtml(text, fraction));
    } else if (interactive) {
      write(`\r${text}\u001b[K${complete ? "\n" : ""}`);
    } else {
      write(`${text}\n`);
    }
  };
  return callback as ProgressCallback;
}
