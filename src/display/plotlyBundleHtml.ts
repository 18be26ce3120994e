import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

let cached: string | undefined;

/**
 * The plotly.js bundle (node_modules/plotly.js-dist-min/plotly.min.js) as one inline `<script>`, for a
 * page that must draw charts offline. The bundle is wrapped as
 * `(function (define, module, exports) { ... }).call(window)`: classic Notebook 6 and nbconvert's HTML
 * export load require.js, whose global `define` would otherwise capture the bundle as an anonymous
 * module and leave `window.Plotly` undefined (the chart then stays silently empty). Inside the wrapper
 * `define`, `module` and `exports` are undefined, so the bundle sets `window.Plotly`.
 *
 * Cost: reads the bundle (about 4.9 MB) once per process, then returns the cached string.
 *
 * @returns an HTML fragment: a hidden marker div and the script
 * @example
 * plotlyBundleHtml().includes("}).call(window);") // => true
 */
export function plotlyBundleHtml(): string {
  if (cached !== undefined) return cached;
  const packageJson = require.resolve("plotly.js-dist-min/package.json");
  const version = (JSON.parse(readFileSync(packageJson, "utf8")) as { version?: string }).version ?? "unknown";
  // A literal "</script" inside the bundle would end the inline script early.
  const bundle = readFileSync(join(dirname(packageJson), "plotly.min.js"), "utf8").replace(/<\/script/gi, "<\\/script");
  cached = [
    `<div class="mp-plotly-bundle" data-plotly-version="${version}" style="display:none"></div>`,
    `<script type="text/javascript">/* plotly.js ${version} (plotly.js-dist-min), embedded for offline charts */`,
    "(function (define, module, exports) {",
    bundle,
    "}).call(window);",
    "</script>",
  ].join("\n");
  return cached;
}
