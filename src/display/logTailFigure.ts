import { lineFigure, type FigureOptions } from "./lineFigure";
import type { PlotlyFigure } from "./plotlyFigure";

/** One queue-size tail: `tail[i]` is the fraction of queues with at least i jobs (s_i in Section IV). */
export interface TailSeries {
  readonly name: string;
  /** tail[i] for i = 0, 1, ...: non-increasing values in [0, 1] (tail[0] = 1). */
  readonly tail: ArrayLike<number>;
  /** Symmetric error-bar half-widths for each i (for example 95% confidence half-widths). */
  readonly errorY?: ArrayLike<number>;
  readonly dash?: "solid" | "dash" | "dot" | "dashdot";
  readonly mode?: "lines" | "markers" | "lines+markers";
}

/**
 * Builds the paper's kind of tail plot (Figs. 4 and 5): the fraction of queues with at least i jobs
 * against i, on a logarithmic y axis, one series per policy. Zeros (never observed lengths) cannot be
 * shown on a log axis and leave a gap. Pure data, as `lineFigure`.
 *
 * Cost O(total points).
 *
 * @param tails the series; `tail[i]` for i = 0..length-1
 * @param options titles and height as for `lineFigure` (`logY` is always true; axis titles have defaults)
 * @returns a plotly figure
 * @throws ParameterError when `errorY` and `tail` differ in length
 * @example
 * logTailFigure([{ name: "M/M/1, lambda = 0.5", tail: [1, 0.5, 0.25, 0] }]).data[0]!.y
 * // => [1, 0.5, 0.25, null]
 */
export function logTailFigure(tails: readonly TailSeries[], options: FigureOptions = {}): PlotlyFigure {
  return lineFigure(
    tails.map((t) => ({
      name: t.name,
      x: Array.from({ length: t.tail.length }, (_, i) => i),
      y: t.tail,
      ...(t.errorY !== undefined ? { errorY: t.errorY } : {}),
      ...(t.dash !== undefined ? { dash: t.dash } : {}),
      mode: t.mode ?? "lines+markers",
    })),
    {
      xTitle: "i (jobs)",
      yTitle: "fraction of queues with at least i jobs",
      ...options,
      logY: true,
    },
  );
}
