import { escapeHtml } from "./escapeHtml";
import type { PlotlyFigure } from "./plotlyFigure";

/** Options of `figureHtml`. */
export interface FigureHtmlOptions {
  /** The id of the chart's div; must be unique in the page (`showFigure` draws a random one). */
  readonly id: string;
  /** Milliseconds to wait for `window.Plotly` before showing a note instead of the chart; default 15000. */
  readonly waitMs?: number;
}

/** JSON that is safe inside an inline <script>: no "</script>", no "<!--", no line separators. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * Builds the HTML that draws a plotly figure in a page that already has (or will soon have)
 * `window.Plotly`: a `<div class="mp-figure">` and a script calling `Plotly.newPlot`. The plotly bundle
 * itself is not included (see `plotlyBundleHtml`, which `showFigure` emits once per kernel session).
 *
 * The script polls (every 50 ms) until both the div is in the document and `window.Plotly` exists,
 * because classic Notebook 6 runs an output's scripts before the output is attached to the page. If
 * Plotly never arrives (a saved notebook whose bundle output was lost), the div shows a note saying
 * how to get the chart back instead of staying silently empty. Once drawn, the chart is redrawn at its
 * div's width whenever that differs from the width it was drawn at (a ResizeObserver, and every 250 ms for the
 * first 10 s, since the div may narrow while the chart is drawn and a page that is not painting serves no
 * ResizeObserver; not for a layout of fixed width): plotly's `responsive` follows only window
 * resizes, and when the page's vertical scrollbar appears after a chart was drawn, the notebook's CSS
 * (`svg { max-width: 100%; height: auto }`) would shrink the drawn chart and cut off its bottom, where
 * the x-axis title is. Pure; cost O(size of the figure).
 *
 * @param figure a plotly figure `{ data, layout, config }`
 * @param options the div id (HTML-id characters), how long to wait for Plotly
 * @returns an HTML fragment
 * @example
 * figureHtml({ data: [], layout: {} }, { id: "fig1" }).startsWith('<div id="fig1" class="mp-figure"') // => true
 */
export function figureHtml(figure: PlotlyFigure, options: FigureHtmlOptions): string {
  const id = escapeHtml(options.id);
  const waitMs = options.waitMs ?? 15000;
  const height = typeof figure.layout.height === "number" ? figure.layout.height : 420;
  const payload = scriptSafeJson({ data: figure.data, layout: figure.layout, config: figure.config ?? {} });
  return [
    `<div id="${id}" class="mp-figure" style="width:100%;min-height:${height}px"></div>`,
    '<script type="text/javascript">',
    "(function () {",
    `  var id = ${scriptSafeJson(options.id)}, figure = ${payload}, waited = 0;`,
    "  function follow(el) {",
    "    if (figure.layout.width) return;",
    "    // Compared with the width the chart was drawn at, not the div's width when this runs: the div may have",
    "    // narrowed while the chart was being drawn.",
    "    function check() {",
    "      var drawn = el._fullLayout && el._fullLayout.width;",
    "      if (typeof drawn === 'number' && Math.abs(el.clientWidth - drawn) >= 1) window.Plotly.Plots.resize(el); // redraws 100 ms later",
    "    }",
    "    if (window.ResizeObserver) new ResizeObserver(check).observe(el);",
    "    // A ResizeObserver is served at rendering steps, which a page that is not painting (a headless browser, a",
    "    // background tab) may not take; while the page loads and grows, look every 250 ms as well, for 10 s.",
    "    var looks = 0;",
    "    (function look() { check(); if (++looks < 40) setTimeout(look, 250); })();",
    "  }",
    "  function attempt() {",
    "    var el = document.getElementById(id);",
    "    if (el && window.Plotly) { window.Plotly.newPlot(el, figure.data, figure.layout, figure.config).then(function () { follow(el); }); return; }",
    `    if ((waited += 50) > ${waitMs}) {`,
    "      if (el) el.textContent = 'Plotly is not loaded in this page, so this chart cannot be drawn. ' +",
    "        'Run the notebook from the top (Kernel > Restart & Run All): the first figure of a kernel session embeds plotly.';",
    "      return;",
    "    }",
    "    setTimeout(attempt, 50);",
    "  }",
    "  attempt();",
    "})();",
    "</script>",
  ].join("\n");
}
