import { randomBytes } from "node:crypto";
import { displayTarget, type DisplayTarget } from "./displayTarget";
import { figureHtml } from "./figureHtml";
import { plotlyBundleHtml } from "./plotlyBundleHtml";
import type { PlotlyConfig, PlotlyFigure, PlotlyLayout, PlotlyTrace } from "./plotlyFigure";
import { plotlySession, type PlotlySession } from "./plotlySession";
import { requireTslabKernel, type TslabApi } from "./tslabKernel";

/** nodeplotlib's `plot(data, layout, config)`, or anything with its shape. */
export type FigurePlotter = (data: PlotlyTrace[], layout: PlotlyLayout, config: PlotlyConfig) => void;

/** Options of `showFigure`. */
export interface ShowFigureOptions {
  /** Overrides `displayTarget()`. */
  readonly target?: DisplayTarget;
  /** The tslab API to display through (default: the running kernel's). */
  readonly kernel?: TslabApi;
  /** What the "script" target calls (default: nodeplotlib's `plot`, which serves the chart to a browser). */
  readonly plot?: FigurePlotter;
  /** The session state (default: one object per process, that is, per kernel session). */
  readonly session?: PlotlySession;
}

function defaultPlotter(): FigurePlotter {
  // Loaded only when a plain script shows a figure: nodeplotlib starts a web server.
  return (require("nodeplotlib") as { plot: FigurePlotter }).plot;
}

/**
 * Shows a plotly figure. In a tslab notebook it is drawn inline and offline: the first figure of a
 * kernel session also embeds the plotly.js bundle (`plotlyBundleHtml`, wrapped for require.js) in its
 * output, so the saved notebook and its nbconvert HTML export draw every chart without a network; later
 * figures only add their div and script (`figureHtml`). From a plain Node script the same figure goes to
 * nodeplotlib's `plot()`. Target "none" shows nothing.
 *
 * After "Restart & Run All" the first figure embeds the bundle again. If cells were re-run out of order
 * and the output holding the bundle was replaced, a re-opened notebook shows a note in place of the
 * chart; `embedPlotlyBundle()` puts the bundle back.
 *
 * Cost O(size of the figure); the first notebook figure adds about 4.9 MB to the notebook.
 *
 * @param figure a plotly figure `{ data, layout, config }` (for example from `lineFigure`)
 * @param options target, injected kernel API, plotter or session state (for tests and batch runs)
 * @throws Error when MP_DISPLAY=notebook outside a tslab kernel
 * @example
 * showFigure(lineFigure([{ name: "y = x", x: [0, 1], y: [0, 1] }]), { target: "none" }) // shows nothing
 */
export function showFigure(figure: PlotlyFigure, options: ShowFigureOptions = {}): void {
  const target = options.target ?? displayTarget();
  if (target === "none") return;
  if (target === "script") {
    (options.plot ?? defaultPlotter())(figure.data, figure.layout, figure.config ?? {});
    return;
  }
  const kernel = options.kernel ?? requireTslabKernel();
  const session = options.session ?? plotlySession();
  const id = `mp-figure-${randomBytes(8).toString("hex")}`;
  const chart = figureHtml(figure, { id });
  if (session.plotlyEmbedded) {
    kernel.display.html(chart);
  } else {
    kernel.display.html(`${plotlyBundleHtml()}\n${chart}`);
    session.plotlyEmbedded = true;
  }
}

