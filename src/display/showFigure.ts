import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { displayTarget, type DisplayTarget } from "./displayTarget";
import { figureHtml } from "./figureHtml";
import { figurePageHtml } from "./figurePageHtml";
import { nodeplotlibPlot } from "./nodeplotlibPlot";
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
  /**
   * A plotter to call instead of writing a file (target "script") or instead of the local nodeplotlib
   * server (target "nodeplotlib").
   */
  readonly plot?: FigurePlotter;
  /**
   * Where the "script" target writes the page (an .html path). Default: a new file
   * figure-<date>-<pid>-<n>.html in MP_FIGURE_DIR, or in <temporary folder>/migration-penalties-figures.
   */
  readonly file?: string;
  /** Where the "script" target announces the file (default: process.stderr.write). */
  readonly write?: (text: string) => void;
  /** The session state (default: one object per process, that is, per kernel session). */
  readonly session?: PlotlySession;
}

let figuresWritten = 0;

function defaultFigureFile(): string {
  const dir = process.env["MP_FIGURE_DIR"] || join(tmpdir(), "migration-penalties-figures");
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  figuresWritten += 1;
  return join(dir, `figure-${stamp}-${process.pid}-${figuresWritten}.html`);
}

/**
 * Shows a plotly figure.
 * - In a tslab notebook it is drawn inline and offline: the first figure of a kernel session also embeds
 *   the plotly.js bundle (`plotlyBundleHtml`, wrapped for require.js) in its output, so the saved notebook
 *   and its nbconvert HTML export draw every chart without a network; later figures only add their div
 *   and script (`figureHtml`). After "Restart & Run All" the first figure embeds the bundle again; if cells
 *   were re-run out of order and the output holding the bundle was replaced, a re-opened notebook shows
 *   a note in place of the chart, and `embedPlotlyBundle()` puts the bundle back.
 * - From a plain Node script (target "script") it writes a standalone page that draws offline
 *   (`figurePageHtml`: the bundled plotly.js, no CDN), prints its path on stderr and returns it; nothing
 *   keeps the process alive.
 * - With target "nodeplotlib" (MP_DISPLAY=nodeplotlib, or the option) the figure goes to nodeplotlib's
 *   browser page, served on 127.0.0.1 only (`nodeplotlibPlot`); that process runs until the page has
 *   been opened and closed.
 * - Target "none" shows nothing.
 *
 * Cost O(size of the figure); the first notebook figure adds about 4.9 MB to the notebook, and each file
 * written from a script is about 4.9 MB.
 *
 * @param figure a plotly figure `{ data, layout, config }` (for example from `lineFigure`)
 * @param options target, file, injected kernel API, plotter or session state (for tests and batch runs)
 * @returns the path of the file written (target "script"), otherwise undefined
 * @throws Error when MP_DISPLAY=notebook outside a tslab kernel
 * @example
 * showFigure(lineFigure([{ name: "y = x", x: [0, 1], y: [0, 1] }]), { target: "none" }) // => undefined (shows nothing)
 * const file = showFigure(lineFigure([{ name: "y = x", x: [0, 1], y: [0, 1] }]), { target: "script", file: "y.html" });
 * // stderr: figure: ...y.html (a standalone page that draws offline; open it in a browser)
 * file?.endsWith("y.html") // => true
 */
export function showFigure(figure: PlotlyFigure, options: ShowFigureOptions = {}): string | undefined {
  const target = options.target ?? displayTarget();
  if (target === "none") return undefined;
  if (target === "script" || target === "nodeplotlib") {
    if (options.plot !== undefined) {
      options.plot(figure.data, figure.layout, figure.config ?? {});
      return undefined;
    }
    if (target === "nodeplotlib") {
      void nodeplotlibPlot(figure.data, figure.layout, figure.config ?? {}, options.write !== undefined ? { write: options.write } : {});
      return undefined;
    }
    const file = resolve(options.file ?? defaultFigureFile());
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, figurePageHtml(figure));
    (options.write ?? ((text: string) => void process.stderr.write(text)))(
      `figure: ${file} (a standalone page that draws offline; open it in a browser)\n`,
    );
    return file;
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
  return undefined;
}
