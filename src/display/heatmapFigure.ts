import { ParameterError } from "../model/parameterError";
import type { PlotlyFigure } from "./plotlyFigure";
import type { FigureOptions } from "./lineFigure";

/** A grid of values to draw as a heatmap: `z[row][column]` at (x[column], y[row]). */
export interface HeatmapData {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** One row per y value, one entry per x value; non-finite entries leave a blank cell. */
  readonly z: ReadonlyArray<ArrayLike<number>>;
  /** Labels written on the cells, shaped like z (one row per y value); drawn also on blank cells, so a cell without a value can say why. */
  readonly text?: ReadonlyArray<ReadonlyArray<string>>;
  /** Colour-bar title. */
  readonly colorTitle?: string;
  /**
   * Colour scale: "diverging" (default; plotly's RdBu: blue below zero, red above, centred at zero so the sign of a drift
   * reads off the colour) or "sequential".
   */
  readonly scale?: "diverging" | "sequential";
}

/**
 * Builds a plotly heatmap (for example the drift over the state plane (q1, q2)). Pure data, as `lineFigure`.
 * Labels given in `text` are written on the cells (blank cells included) and shown on hover. Cost O(cells).
 *
 * @throws ParameterError when a row's length differs from x's or the row count from y's (z or text)
 * @example
 * heatmapFigure({ x: [0, 1], y: [0], z: [[-1, 2]] }).data[0]!.type // => "heatmap"
 * heatmapFigure({ x: [0, 1], y: [0], z: [[1, NaN]], text: [["1", "unstable"]] }).data[0]!.texttemplate // => "%{text}"
 */
export function heatmapFigure(grid: HeatmapData, options: FigureOptions = {}): PlotlyFigure {
  if (grid.z.length !== grid.y.length) throw new ParameterError("z.length", grid.z.length, `equal to y.length = ${grid.y.length}`);
  grid.z.forEach((row, k) => {
    if (row.length !== grid.x.length) throw new ParameterError(`z[${k}].length`, row.length, `equal to x.length = ${grid.x.length}`);
  });
  if (grid.text !== undefined) {
    if (grid.text.length !== grid.y.length) throw new ParameterError("text.length", grid.text.length, `equal to y.length = ${grid.y.length}`);
    grid.text.forEach((row, k) => {
      if (row.length !== grid.x.length) throw new ParameterError(`text[${k}].length`, row.length, `equal to x.length = ${grid.x.length}`);
    });
  }
  const z = grid.z.map((row) => Array.from(row, (v) => (Number.isFinite(v) ? v : null)));
  const diverging = (grid.scale ?? "diverging") === "diverging";
  let extent = 0;
  for (const row of z) for (const v of row) if (v !== null) extent = Math.max(extent, Math.abs(v));
  const trace = {
    type: "heatmap",
    x: Array.from(grid.x),
    y: Array.from(grid.y),
    z,
    colorscale: diverging ? "RdBu" : "Viridis",
    ...(diverging && extent > 0 ? { zmin: -extent, zmax: extent, zmid: 0 } : {}),
    colorbar: grid.colorTitle !== undefined ? { title: { text: grid.colorTitle } } : {},
    ...(grid.text !== undefined ? { text: grid.text.map((row) => [...row]), texttemplate: "%{text}" } : {}),
  };
  return {
    data: [trace as unknown as PlotlyFigure["data"][number]],
    layout: {
      ...(options.title !== undefined ? { title: { text: options.title } } : {}),
      xaxis: { ...(options.xTitle !== undefined ? { title: { text: options.xTitle } } : {}), automargin: true },
      yaxis: { ...(options.yTitle !== undefined ? { title: { text: options.yTitle } } : {}), automargin: true },
      height: options.height ?? 460,
      margin: { l: 70, r: 20, t: options.title !== undefined ? 50 : 20, b: 50 },
    },
    config: { responsive: true, displaylogo: false },
  };
}
