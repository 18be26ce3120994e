import { type ProgressOptions, progressReporter } from "./progressReporter";

/** What a study reports as it runs (runStudy's StudyProgress has these fields; a search adds its round). */
export interface StudyProgressUpdate {
  /** Fraction of the study done, in [0, 1]. */
  readonly fraction: number;
  /** Cells in the study. */
  readonly total: number;
  /** Round of a search (0 = the first); absent for a single study. */
  readonly round?: number;
}

/**
 * Makes a progress callback for studies (runStudy's onProgress, or a search's, which adds a round number): one
 * progress line per round, counting cells, with the fraction of partly simulated cells included ("Figure 3, cells
 * simulated: 2.5 / 8 (31.3%)"), in a notebook or on the terminal as `progressReporter` does. Cost O(1) per call.
 *
 * @param label what is being computed
 * @param options as for progressReporter (target, throttle, injectable clock and writer)
 * @returns the callback
 * @example
 * const progress = studyProgressReporter("Figure 3", { target: "script", interactive: false });
 * progress({ fraction: 1, total: 8 }); // stderr: Figure 3, cells simulated: 8 / 8 (100%), done in ... s
 */
export function studyProgressReporter(label: string, options: ProgressOptions = {}): (update: StudyProgressUpdate) => void {
  const reporters = new Map<number, ReturnType<typeof progressReporter>>();
  return (update) => {
    const round = update.round ?? 0;
    let report = reporters.get(round);
    if (report === undefined) {
      const refinement = update.round !== undefined && update.round > 0 ? `, refinement ${update.round}` : "";
      report = progressReporter(`${label}${refinement}, cells simulated`, update.total, options);
      reporters.set(round, report);
    }
    const cells = Math.round(update.fraction * update.total * 10) / 10;
    report(cells, update.total);
  };
}
