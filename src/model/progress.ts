/**
 * How far a long computation has got: the one progress type of the package. The simulator reports it
 * through `onProgress` (`SimulationProgress` is this type), and `progressReporter` shows it.
 *
 * @example
 * const progress: Progress = { fraction: 0.25, events: 2.5e6, elapsedSeconds: 3, etaSeconds: 9 };
 * progressReporter("simulation", { target: "script", interactive: false })(progress);
 * // stderr: simulation: 25.0% (2,500,000 events), 3.0 s elapsed, about 9.0 s left
 */
export interface Progress {
  /** Fraction of the whole computation done, in [0, 1]. */
  readonly fraction: number;
  /**
   * Units of work done so far, >= 0: for the simulator, events of the chain (all replications, warm-up
   * included); for other computations, their own units (configurations, steps).
   */
  readonly events: number;
  /** Wall-clock seconds since the computation started, >= 0. */
  readonly elapsedSeconds: number;
  /** Estimated wall-clock seconds left, >= 0 (NaN until some progress is made). */
  readonly etaSeconds: number;
  /** Units of work in all, when known (then `events` counts out of it). */
  readonly total?: number;
}
