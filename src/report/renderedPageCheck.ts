/** What a notebook page looked like after Chromium ran its scripts. */
export interface RenderedPageCheck {
  /** True when the injected error collector ran (otherwise nothing can be said about script errors). */
  readonly collectorRan: boolean;
  /** Script errors, unhandled rejections and console.error calls the collector saw. */
  readonly scriptErrors: string[];
  /** Figure divs from `showFigure` (class mp-figure). */
  readonly figures: number;
  /** Figure divs that plotly drew into (class js-plotly-plot added by Plotly.newPlot). */
  readonly figuresDrawn: number;
  /** Plotly's SVG layers (svg.main-svg). */
  readonly plotlySvgs: number;
  /** Tables from `showTable` (class mp-table). */
  readonly tables: number;
  /** Texts of stderr outputs in the page (warnings; a failing cell would have stopped the run). */
  readonly stderrOutputs: string[];
  /** True when a chart shows the "Plotly is not loaded" note. */
  readonly plotlyMissingNote: boolean;
  /** True when the injected layout probe ran (otherwise nothing can be said about widths). */
  readonly layoutMeasured: boolean;
  /** Output areas (and the page itself) wider than the page or scrolling sideways, as the probe measured them. */
  readonly wideOutputs: WideOutput[];
  /** Chart and axis titles drawn partly outside their chart, where they are cut off. */
  readonly clippedTitles: ClippedTitle[];
  /** Problems that fail the check; empty when the page is fine. */
  readonly problems: string[];
}

/** An output area that is wider than the page, or whose content makes it scroll sideways. */
export interface WideOutput {
  /** "cell index 3 output area" (the cell's index among all cells of the page), or "the page". */
  readonly where: string;
  /** Width of the content in CSS pixels (scrollWidth). */
  readonly contentWidth: number;
  /** Width of the visible box in CSS pixels (clientWidth). */
  readonly boxWidth: number;
  /** Right edge of the box, in CSS pixels from the left of the page. */
  readonly right: number;
  /** Width of the page's viewport, in CSS pixels. */
  readonly pageWidth: number;
}

/** A chart's title or axis title that reaches outside the chart's drawing area. */
export interface ClippedTitle {
  /** "cell index 4 chart 1" (charts counted from 1 within the cell). */
  readonly where: string;
  /** "x-axis title", "y-axis title" or "chart title", and its text. */
  readonly title: string;
  /** How many CSS pixels of it lie outside the chart. */
  readonly outsideBy: number;
}

/** The element id the collector writes the errors into (as JSON). */
export const errorCollectorId = "mp-check-errors";

/** The element id the layout probe writes its measurements into (as JSON). */
export const layoutProbeId = "mp-check-layout";

/**
 * A script to put in the page's <head> before Chromium loads it: every 250 ms (and at load) it measures
 * each output area (nbconvert's jp-OutputArea and jp-OutputArea-output, classic Notebook's output_area and
 * output_subarea) and the page itself, and keeps, as JSON in `<pre id="mp-check-layout">`
 * (`{ wide, clipped }`), those that are wider than the page or whose content is wider than their box
 * (which then scrolls sideways), and the titles of plotly charts (chart, x axis, y axis) that reach
 * outside their chart's svg, where they are cut off. Boxes that scroll by design inside an output (a
 * wide table's mp-table box) are not output areas.
 */
export const layoutProbeScript = `<script>
(function () {
  var selector = ".jp-OutputArea, .jp-OutputArea-output, .output_area, .output_subarea";
  function measure() {
    if (!document.body) return;
    var page = document.documentElement.clientWidth;
    var cells = Array.prototype.slice.call(document.querySelectorAll(".jp-Cell, .cell"));
    var wide = [];
    var root = document.documentElement;
    if (root.scrollWidth > page + 1) wide.push({ where: "the page", contentWidth: root.scrollWidth, boxWidth: page, right: root.scrollWidth, pageWidth: page });
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (el) {
      var rect = el.getBoundingClientRect();
      if (rect.width === 0) return;
      if (el.scrollWidth > el.clientWidth + 1 || rect.right > page + 1) {
        var cell = el.closest(".jp-Cell, .cell");
        var kind = /jp-OutputArea-output|output_subarea/.test(el.className) ? "output" : "output area";
        wide.push({ where: (cell ? "cell index " + cells.indexOf(cell) + " " : "") + kind, contentWidth: el.scrollWidth,
          boxWidth: el.clientWidth, right: Math.round(rect.right + window.scrollX), pageWidth: page });
      }
    });
    var clipped = [];
    Array.prototype.forEach.call(document.querySelectorAll(".mp-figure"), function (figure) {
      var svg = figure.querySelector("svg.main-svg");
      if (!svg) return;
      var box = svg.getBoundingClientRect();
      var cell = figure.closest(".jp-Cell, .cell");
      var charts = cell ? Array.prototype.slice.call(cell.querySelectorAll(".mp-figure")) : [figure];
      [["x-axis title", ".g-xtitle text"], ["y-axis title", ".g-ytitle text"], ["chart title", ".g-gtitle text"]].forEach(function (kind) {
        Array.prototype.forEach.call(figure.querySelectorAll(kind[1]), function (text) {
          var r = text.getBoundingClientRect();
          if (r.width === 0 && r.height === 0) return;
          var outside = Math.max(box.left - r.left, box.top - r.top, r.right - box.right, r.bottom - box.bottom);
          if (outside > 1) clipped.push({ where: (cell ? "cell index " + cells.indexOf(cell) + " " : "") + "chart " + (charts.indexOf(figure) + 1),
            title: kind[0] + " \u201c" + text.textContent + "\u201d", outsideBy: Math.round(outside) });
        });
      });
    });
    var out = document.getElementById("${layoutProbeId}");
    if (!out) { out = document.createElement("pre"); out.id = "${layoutProbeId}"; out.style.display = "none"; document.body.appendChild(out); }
    out.textContent = JSON.stringify({ wide: wide, clipped: clipped });
  }
  document.addEventListener("DOMContentLoaded", measure);
  window.addEventListener("load", measure);
  setInterval(measure, 250);
})();
</script>`;

/**
 * A script to put first in the page's <head> before Chromium loads it: records uncaught errors,
 * unhandled promise rejections and console.error calls, and keeps them as JSON in
 * `<pre id="mp-check-errors">`, which `--dump-dom` then shows. Created at DOMContentLoaded even when
 * empty, so its presence proves the page's scripts ran.
 */
export const errorCollectorScript = `<script>
(function () {
  var errors = [];
  function flush() {
    if (!document.body) return;
    var el = document.getElementById("${errorCollectorId}");
    if (!el) { el = document.createElement("pre"); el.id = "${errorCollectorId}"; el.style.display = "none"; document.body.appendChild(el); }
    el.textContent = JSON.stringify(errors);
  }
  function record(text) { errors.push(String(text)); flush(); }
  window.addEventListener("error", function (e) {
    if (e instanceof ErrorEvent) record("error: " + e.message + " (" + (e.filename || "inline") + ":" + (e.lineno || 0) + ")");
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    record("unhandled rejection: " + (e.reason && e.reason.message ? e.reason.message : e.reason));
  });
  var consoleError = console.error;
  console.error = function () {
    record("console.error: " + Array.prototype.map.call(arguments, String).join(" "));
    return consoleError.apply(console, arguments);
  };
  document.addEventListener("DOMContentLoaded", flush);
})();
</script>`;

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function classLists(dom: string): string[][] {
  const lists: string[][] = [];
  for (const match of dom.matchAll(/\sclass="([^"]*)"/g)) lists.push((match[1] ?? "").split(/\s+/));
  return lists;
}

/**
 * Prepares a notebook's HTML export for the Chromium check: inserts `errorCollectorScript` and
 * `layoutProbeScript` at the top of <head> and, when `requireJsUrl` is given, loads require.js from there
 * instead of nbconvert's CDN address, so that the check runs the page under require.js (as classic
 * Notebook and an online HTML export do) without a network. Pure; cost O(size of the page).
 *
 * @param html the page
 * @param requireJsUrl a URL of require.js (for example Debian's file:///usr/share/javascript/requirejs/require.min.js), or undefined to keep the page's
 * @returns the page to load
 * @example
 * checkablePage("<html><head></head><body></body></html>", undefined).includes("mp-check-errors") // => true
 */
export function checkablePage(html: string, requireJsUrl: string | undefined): string {
  let page = html;
  if (requireJsUrl !== undefined) {
    page = page.replace(/<script src="[^"]*require(\.min)?\.js"><\/script>/, () => `<script src="${requireJsUrl}"></script>`);
  }
  const scripts = errorCollectorScript + layoutProbeScript;
  const head = /<head[^>]*>/i.exec(page);
  if (head) return page.slice(0, head.index + head[0].length) + scripts + page.slice(head.index + head[0].length);
  return scripts + page;
}

/**
 * Reads Chromium's `--dump-dom` of a notebook page (prepared with `checkablePage`) and says whether its
 * charts and tables rendered: every `showFigure` div drawn by plotly (with at least one svg.main-svg per
 * figure), no "Plotly is not loaded" note, no script errors, the collector present, no output area
 * wider than the page or scrolling sideways (from the layout probe; a wide table must scroll inside its
 * own box), and no chart or axis title cut off at the chart's edge. Tables and stderr outputs are counted. Script bodies are removed before the markup is read, so text inside the
 * plotly bundle cannot be mistaken for elements. Pure; cost O(size of the DOM).
 *
 * @param dom the serialized DOM after the scripts ran
 * @returns counts, errors and the list of problems (empty when the page is fine)
 * @example
 * const dom = '<div class="mp-figure js-plotly-plot"><svg class="main-svg"></svg></div>' +
 *   '<pre id="mp-check-errors">[]</pre><pre id="mp-check-layout">{"wide":[],"clipped":[]}</pre>';
 * renderedPageCheck(dom).problems // => []
 * renderedPageCheck('<div class="mp-figure"></div><pre id="mp-check-errors">["ReferenceError: Plotly is not defined"]</pre>').problems
 * // => ["script error: ReferenceError: Plotly is not defined", "1 of 1 charts were not drawn by plotly",
 * //     "0 plotly svg layers for 1 charts", "the layout probe did not run"]
 */
export function renderedPageCheck(dom: string): RenderedPageCheck {
  const markup = dom.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
  const collector = new RegExp(`<pre[^>]*id="${errorCollectorId}"[^>]*>([\\s\\S]*?)</pre>`).exec(markup);
  let scriptErrors: string[] = [];
  if (collector) {
    try {
      const parsed = JSON.parse(decodeEntities(collector[1] ?? "[]")) as unknown;
      scriptErrors = Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
    } catch {
      scriptErrors = [`unreadable error list: ${collector[1] ?? ""}`];
    }
  }
  const lists = classLists(markup);
  const figures = lists.filter((c) => c.includes("mp-figure")).length;
  const figuresDrawn = lists.filter((c) => c.includes("mp-figure") && c.includes("js-plotly-plot")).length;
  const plotlySvgs = lists.filter((c) => c.includes("main-svg")).length;
  const tables = lists.filter((c) => c.includes("mp-table")).length;
  const stderrOutputs: string[] = [];
  for (const match of markup.matchAll(/data-mime-type="application\/vnd\.jupyter\.stderr"[^>]*>([\s\S]*?)<\/div>/g)) {
    stderrOutputs.push(decodeEntities((match[1] ?? "").replace(/<[^>]+>/g, "")).trim());
  }
  const plotlyMissingNote = markup.includes("Plotly is not loaded");
  const probe = new RegExp(`<pre[^>]*id="${layoutProbeId}"[^>]*>([\\s\\S]*?)</pre>`).exec(markup);
  let wideOutputs: WideOutput[] = [];
  let clippedTitles: ClippedTitle[] = [];
  let probeProblem: string | undefined;
  if (probe) {
    try {
      const parsed = JSON.parse(decodeEntities(probe[1] ?? "{}")) as { wide?: unknown; clipped?: unknown };
      wideOutputs = Array.isArray(parsed.wide) ? (parsed.wide as WideOutput[]) : [];
      clippedTitles = Array.isArray(parsed.clipped) ? (parsed.clipped as ClippedTitle[]) : [];
    } catch {
      probeProblem = `unreadable layout measurements: ${probe[1] ?? ""}`;
    }
  }
  const problems: string[] = [];
  if (!collector) problems.push("the page's scripts did not run (the error collector is missing)");
  for (const error of scriptErrors) problems.push(`script error: ${error}`);
  if (figuresDrawn < figures) problems.push(`${figures - figuresDrawn} of ${figures} charts were not drawn by plotly`);
  if (plotlySvgs < figures) problems.push(`${plotlySvgs} plotly svg layers for ${figures} charts`);
  if (plotlyMissingNote) problems.push('a chart shows "Plotly is not loaded"');
  if (collector && !probe) problems.push("the layout probe did not run");
  if (probeProblem !== undefined) problems.push(probeProblem);
  for (const wide of wideOutputs) {
    problems.push(
      `${wide.where} is wider than the page: ${wide.contentWidth} px of content in a ${wide.boxWidth} px box` +
        ` reaching ${wide.right} px, on a page ${wide.pageWidth} px wide (it scrolls sideways)`,
    );
  }
  for (const clipped of clippedTitles) {
    problems.push(`${clipped.where}: the ${clipped.title} is cut off (${clipped.outsideBy} px outside the chart)`);
  }
  return {
    collectorRan: collector !== null,
    scriptErrors,
    figures,
    figuresDrawn,
    plotlySvgs,
    tables,
    stderrOutputs,
    plotlyMissingNote,
    layoutMeasured: probe !== null,
    wideOutputs,
    clippedTitles,
    problems,
  };
}
