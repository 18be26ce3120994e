import { ParameterError } from "../model/parameterError";
import type { PlotlyFigure, PlotlyTrace } from "./plotlyFigure";

/** One series of a line figure. */
export interface FigureSeries {
  /** The legend entry. */
  readonly name: string;
  /** Abscissae (finite numbers). */
  readonly x: ArrayLike<number>;
  /** Ordinates, same length as `x`; non-finite values (and values <= 0 on a log axis) leave a gap. */
  readonly y: ArrayLike<number>;
  /** Symmetric error-bar half-widths (for example confidence-interval half-widths), same length as `y`. */
  readonly errorY?: ArrayLike<number>;
  /** Symmetric horizontal error-bar half-widths (for example the half-width of a bracket in x), same length as `x`. */
  readonly errorX?: ArrayLike<number>;
  /** How points are drawn; default "lines+markers" with error bars, "lines" otherwise. */
  readonly mode?: "lines" | "markers" | "lines+markers";
  /** Line dash; default "solid". */
  readonly dash?: "solid" | "dash" | "dot" | "dashdot";
}

/** Titles and axes of a figure. */
export interface FigureOptions {
  readonly title?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Logarithmic y axis (tails, probabilities over many decades). */
  readonly logY?: boolean;
  /** Logarithmic x axis. */
  readonly logX?: boolean;
  /** Height in pixels, default 420. */
  readonly height?: number;
}

function finiteOrNull(value: number | undefined, logAxis: boolean): number | null {
  if (value === undefined || !Number.isFinite(value)) return null;
  if (logAxis && value <= 0) return null;
  return value;
}

/**
 * Builds a plotly line figure from series of (x, y) points with optional symmetric error bars and
 * optional logarithmic axes. Returns plain data (plain arrays, no typed arrays), so a test can inspect
 * it and `showFigure` can draw it anywhere. Points that cannot be drawn (NaN, infinities, and values
 * <= 0 on a log axis) become null, which plotly shows as a gap; the other points are kept as given.
 *
 * Cost O(total points).
 *
 * @param series the series to draw, each with `x` and `y` of equal length (and `errorY`, `errorX` of the same length)
 * @param options title, axis titles, `logY`, `logX`, height in pixels
 * @returns a plotly figure `{ data, layout, config }`
 * @throws ParameterError when a series' arrays have different lengths or the height is not positive
 * @example
 * lineFigure([{ name: "M/M/1", x: [0, 1, 2], y: [1, 0.5, 0.25] }], { logY: true }).data[0]
 * // => { type: "scatter", name: "M/M/1", mode: "lines", x: [0, 1, 2], y: [1, 0.5, 0.25], line: { dash: "solid" } }
 */
export function lineFigure(series: readonly FigureSeries[], options: FigureOptions = {}): PlotlyFigure {
  const height = options.height ?? 420;
  if (!Number.isFinite(height) || height <= 0) throw new ParameterError("height", height, "a positive number of pixels");
  const logY = options.logY ?? false;
  const logX = options.logX ?? false;
  const data = series.map((s, k): PlotlyTrace => {
    if (s.x.length !== s.y.length) {
      throw new ParameterError(`series[${k}].y.length`, s.y.length, `equal to series[${k}].x.length = ${s.x.length}`);
    }
    if (s.errorY !== undefined && s.errorY.length !== s.y.length) {
      throw new ParameterError(`series[${k}].errorY.length`, s.errorY.length, `equal to series[${k}].y.length = ${s.y.length}`);
    }
    if (s.errorX !== undefined && s.errorX.length !== s.x.length) {
      throw new ParameterError(`series[${k}].errorX.length`, s.errorX.length, `equal to series[${k}].x.length = ${s.x.length}`);
    }
    const trace: PlotlyTrace = {
      type: "scatter",
      name: s.name,
      mode: s.mode ?? (s.errorY ? "lines+markers" : "lines"),
      x: Array.from(s.x, (v) => finiteOrNull(v, logX)),
      y: Array.from(s.y, (v) => finiteOrNull(v, logY)),
      line: { dash: s.dash ?? "solid" },
    };
    if (s.errorY) {
      trace.error_y = { type: "data", array: Array.from(s.errorY, (v) => finiteOrNull(v, false)), visible: true };
    }
    if (s.errorX) {
      trace.error_x = { type: "data", array: Array.from(s.errorX, (v) => finiteOrNull(v, false)), visible: true };
    }
    return trace;
  });
  const axis = (title: string | undefined, log: boolean): NonNullable<PlotlyFigure["layout"]["xaxis"]> => ({
    ...(title !== undefined ? { title: { text: title } } : {}),
    type: log ? "log" : "linear",
    ...(log ? { exponentformat: "power" } : {}),
    // The margins grow to fit the axis title and tick labels: with fixed margins the x-axis title was
    // cut off at the bottom of the chart in the notebooks' HTML export.
    automargin: true,
  });
  return {
    data,
    layout: {
      ...(options.title !== undefined ? { title: { text: options.title } } : {}),
      xaxis: axis(options.xTitle, logX),
      yaxis: axis(options.yTitle, logY),
      height,
      margin: { l: 70, r: 20, t: options.title !== undefined ? 50 : 20, b: 50 },
    },
    config: { responsive: true, displaylogo: false },
  };
}
