/**
 * The stderr notes the runner's nbconvert hooks (`nbconvertHookConfig`) add to the cell that was running
 * when a run stopped: they show where it stopped in the saved notebook. `notebookFailure` leaves them out
 * of the error text, whose first line already says why the run stopped. Internal to the runner.
 */
export const stopNotes = {
  kernelDied: "The kernel died while this cell was running.",
  timeout: "This cell did not finish within the time limit.",
  /** Preceded by "Interrupted (SIGINT) ". */
  interrupted: "while this cell was running; the cells after it did not run.",
} as const;
