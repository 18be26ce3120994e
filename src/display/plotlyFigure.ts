/**
 * A plotly figure as plain data: what `showFigure` draws inline in a notebook (plotly.js) or sends to
 * nodeplotlib from a script, and what the figure builders (`lineFigure`, `logTailFigure`) return, so a
 * figure can be checked in a test without a browser. Arrays are plain arrays (never typed arrays), so
 * the figure survives JSON serialization unchanged.
 */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: PlotlyLayout;
  config?: PlotlyConfig;
}

/** Symmetric error bars in plotly's form: `array[k]` is the half-width at point k. */
export interface PlotlyErrorBars {
  type: "data";
  array: (number | null)[];
  visible: boolean;
  [key: string]: unknown;
}

/** One plotly trace. The fields the builders set are typed; anything else plotly accepts may be added. */
export interface PlotlyTrace {
  type: string;
  name?: string;
  mode?: string;
  x?: (number | string | null)[];
  y?: (number | null)[];
  error_y?: PlotlyErrorBars;
  line?: { dash?: string; width?: number; color?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** A plotly axis. */
export interface PlotlyAxis {
  title?: { text: string };
  type?: "linear" | "log";
  exponentformat?: string;
  [key: string]: unknown;
}

/** A plotly layout. */
export interface PlotlyLayout {
  title?: { text: string };
  xaxis?: PlotlyAxis;
  yaxis?: PlotlyAxis;
  height?: number;
  [key: string]: unknown;
}

/** A plotly config. */
export interface PlotlyConfig {
  responsive?: boolean;
  displaylogo?: boolean;
  [key: string]: unknown;
}
