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
  /** Problems that fail the check; empty when the page is fine. */
  readonly problems: string[];
}

/** The element id the collector writes the errors into (as JSON). */
export const errorCollectorId = "mp-check-errors";

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
 * Prepares a notebook's HTML export for the Chromium check: inserts `errorCollectorScript` at the top
 * of <head> and, when `requireJsUrl` is given, loads require.js from there instead of nbconvert's CDN
 * address, so that the check runs the page under require.js (as classic Notebook and an online HTML
 * export do) without a network. Pure; cost O(size of the page).
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
  const head = /<head[^>]*>/i.exec(page);
  if (head) return page.slice(0, head.index + head[0].length) + errorCollectorScript + page.slice(head.index + head[0].length);
  return errorCollectorScript + page;
}

/**
 * Reads Chromium's `--dump-dom` of a notebook page (prepared with `checkablePage`) and says whether its
 * charts and tables rendered: every `showFigure` div drawn by plotly (with at least one svg.main-svg per
 * figure), no "Plotly is not loaded" note, no script errors, and the collector present. Tables and
 * stderr outputs are counted. Script bodies are removed before the markup is read, so text inside the
 * plotly bundle cannot be mistaken for elements. Pure; cost O(size of the DOM).
 *
 * @param dom the serialized DOM after the scripts ran
 * @returns counts, errors and the list of problems (empty when the page is fine)
 * @example
 * renderedPageCheck('<div class="mp-figure js-plotly-plot"><svg class="main-svg"></svg></div><pre id="mp-check-errors">[]</pre>').problems
 * // => []
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
  const problems: string[] = [];
  if (!collector) problems.push("the page's scripts did not run (the error collector is missing)");
  for (const error of scriptErrors) problems.push(`script error: ${error}`);
  if (figuresDrawn < figures) problems.push(`${figures - figuresDrawn} of ${figures} charts were not drawn by plotly`);
  if (plotlySvgs < figures) problems.push(`${plotlySvgs} plotly svg layers for ${figures} charts`);
  if (plotlyMissingNote) problems.push('a chart shows "Plotly is not loaded"');
  return { collectorRan: collector !== null, scriptErrors, figures, figuresDrawn, plotlySvgs, tables, stderrOutputs, plotlyMissingNote, problems };
}
