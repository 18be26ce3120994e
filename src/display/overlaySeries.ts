import { ParameterError } from "../model/parameterError";
import { type FigureSeries, lineFigure } from "./lineFigure";
import type { PlotlyFigure } from "./plotlyFigure";

/**
 * Draws line series over an existing figure (for example a boundary over a heatmap, or a reference curve over a
 * line figure): the series become scatter traces as `lineFigure` builds them (error bars in x and y included)
 * and are added on top of the figure's own traces, on the same axes. The figure is not changed; a new one is
 * returned. Over a heatmap the legend moves above the plot, clear of the colour bar. Cost O(points).
 *
 * @param figure a plotly figure (heatmapFigure, lineFigure, ...)
 * @param series the series to draw over it, as for lineFigure
 * @returns the figure with the series added last
 * @throws ParameterError for a figure without a data array, or a series lineFigure refuses
 * @example
 * const map = heatmapFigure({ x: [0.7, 0.8], y: [2, 3], z: [[1, 2], [3, 4]] });
 * overlaySeries(map, [{ name: "boundary", x: [0.78, 0.84], y: [2, 3] }]).data.map((t) => t.type) // => ["heatmap", "scatter"]
 */
export function overlaySeries(figure: PlotlyFigure, series: readonly FigureSeries[]): PlotlyFigure {
  if (figure === null || typeof figure !== "object" || !Array.isArray(figure.data)) {
    throw new ParameterError("figure", figure, "a plotly figure { data, layout }");
  }
  const added = lineFigure(series).data;
  const overHeatmap = figure.data.some((t) => t.type === "heatmap");
  let layout = { ...figure.layout };
  if (overHeatmap && layout["legend"] === undefined) {
    const margin = (layout["margin"] ?? {}) as Record<string, number>;
    // A heatmap has no legend entry, so plotly would hide the legend of a single series: show it.
    layout = { ...layout, showlegend: true, legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" }, margin: { ...margin, t: Math.max(margin["t"] ?? 0, 90) } };
  }
  return { ...figure, data: [...figure.data, ...added], layout };
}
