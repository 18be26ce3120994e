import type { FigureOptions } from "./lineFigure";
import { type TailSeries, logTailFigure } from "./logTailFigure";
import type { PlotlyFigure } from "./plotlyFigure";
import { ParameterError } from "../model/parameterError";

/**
 * Plotly's default colour cycle (D3 category10), so that a figure drawn with this helper looks like the
 * project's other figures.
 */
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** One policy's curves in a {@link policyTailFigure}: they share a colour and differ by dash. */
export interface TailSeriesGroup {
  readonly series: readonly TailSeries[];
  /** A CSS colour; default the next colour of plotly's default cycle. */
  readonly color?: string;
}

/**
 * A tail figure (Figures 4 and 5: fraction of queues with at least i jobs, log scale) in which each group of
 * series (one policy: simulation, mean-field fixed points, lemma rate; see tailOverlaySeries) has one colour,
 * so that a simulated curve and its references are matched by colour and told apart by dash. Pure data.
 *
 * Cost O(total points).
 *
 * @param groups the groups, in legend order (at least one series in all)
 * @param options titles and height as for logTailFigure
 * @returns a plotly figure
 * @throws ParameterError when there is no series
 * @example
 * policyTailFigure([{ series: [{ name: "a", tail: [1, 0.5] }, { name: "a, theory", tail: [1, 0.5], dash: "dash" }] }])
 *   .data.map((t) => t.line?.color) // => ["#1f77b4", "#1f77b4"]
 */
export function policyTailFigure(groups: readonly TailSeriesGroup[], options: FigureOptions = {}): PlotlyFigure {
  const all = groups.flatMap((g) => g.series);
  if (all.length === 0) throw new ParameterError("groups", groups, "at least one series");
  const figure = logTailFigure(all, options);
  let k = 0;
  let paletteIndex = 0;
  for (const g of groups) {
    const color = g.color ?? (PALETTE[paletteIndex++ % PALETTE.length] as string);
    for (let j = 0; j < g.series.length; j++) {
      const trace = figure.data[k++];
      if (trace === undefined) continue;
      trace.line = { ...(trace.line ?? {}), color };
      trace.marker = { color };
      if (trace.error_y) trace.error_y = { ...trace.error_y, color };
    }
  }
  return figure;
}
