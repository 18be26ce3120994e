import { test } from "node:test";
import assert from "node:assert/strict";
import {
  displayTarget, embedPlotlyBundle, figureHtml, formatDuration, formatNumber, lineFigure, logTailFigure, plotlyBundleHtml,
  progressLine, progressReporter, showFigure, showTable, tableHtml, tableText, tslabKernelApi,
  type PlotlyFigure, type TslabApi,
} from "../src/display/index";
import { ParameterError } from "../src/model/parameterError";

/** A stand-in for tslab's display API that records what a cell would show. */
function fakeKernel(): { kernel: TslabApi; shown: string[]; entries: string[][] } {
  const shown: string[] = [];
  const entries: string[][] = [];
  const display = (sink: string[]) => ({
    html: (s: string) => void sink.push(s),
    javascript: () => {}, markdown: () => {}, latex: () => {}, svg: () => {}, png: () => {}, jpeg: () => {},
    gif: () => {}, pdf: () => {}, text: () => {}, raw: () => {},
  });
  return {
    kernel: {
      display: display(shown),
      newDisplay: () => {
        const entry: string[] = [];
        entries.push(entry);
        return display(entry);
      },
    },
    shown,
    entries,
  };
}

test("formatNumber: separators, significant digits, exponents", () => {
  // Expected strings written out by hand from the rules in formatNumber's comment.
  assert.equal(formatNumber(1234567), "1,234,567");
  assert.equal(formatNumber(-1234567), "-1,234,567");
  assert.equal(formatNumber(1234.56789), "1,235");
  assert.equal(formatNumber(3.14159265), "3.142");
  assert.equal(formatNumber(0.5), "0.5");
  assert.equal(formatNumber(2 / 3), "0.6667");
  assert.equal(formatNumber(2 / 3, 2), "0.67");
  assert.equal(formatNumber(0.000123456), "0.0001235");
  assert.equal(formatNumber(0.0000123456), "1.235e-5");
  assert.equal(formatNumber(1e-12), "1e-12");
  assert.equal(formatNumber(6.02e23), "6.02e23");
  assert.equal(formatNumber(9.99996), "10");
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(-1e-20), "-1e-20");
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(Infinity), "∞");
  assert.equal(formatNumber(-Infinity), "-∞");
  assert.throws(() => formatNumber(1, 0), ParameterError);
  assert.throws(() => formatNumber(1, 2.5), /significantDigits = 2.5/);
});

test("tableHtml: formatted, right-aligned numbers, escaped text, horizontal scrolling", () => {
  const html = tableHtml([{ n: 1234567, tail: 0.0000123456, policy: "<MBOUNCE>" }], { caption: "a & b" });
  assert.match(html, /^<div class="mp-table" style="display:block;overflow-x:auto;width:0;min-width:100%">/);
  assert.match(html, /<caption[^>]*>a &amp; b<\/caption>/);
  assert.match(html, /<td style="text-align:right;[^"]*">1,234,567<\/td>/);
  assert.match(html, /<td style="text-align:right;[^"]*">1.235e-5<\/td>/);
  assert.match(html, /<td style="text-align:left;[^"]*">&lt;MBOUNCE&gt;<\/td>/);
  assert.ok(!html.includes("<MBOUNCE>"));
  assert.match(html, /<th style="[^"]*text-align:right">n<\/th>/);
  assert.match(html, /<th style="[^"]*text-align:left">policy<\/th>/);
  assert.ok(html.includes("white-space:nowrap"), "cells do not wrap, so wide tables scroll");
});

test("tableHtml reads a danfojs DataFrame and Series through columns, index and values", async () => {
  const dfd = await import("danfojs-node");
  const df = new dfd.DataFrame({ i: [0, 1, 2], tail: [1, 0.5, 0.25] }, { index: ["a", "b", "c"] });
  const html = tableHtml(df as never);
  assert.match(html, /<th style="[^"]*text-align:left">b<\/th><td[^>]*>1<\/td><td[^>]*>0.5<\/td>/);
  const plain = tableHtml(new dfd.DataFrame({ x: [1.5, 2] }) as never);
  assert.ok(!/<th[^>]*text-align:left">0<\/th>/.test(plain), "a 0..n-1 index is not shown by default");
  assert.equal(tableText(df["tail"] as never), "   tail\na     1\nb   0.5\nc  0.25");
  assert.equal(tableText(new dfd.DataFrame({ x: [1.5, 2] })["x"] as never), "  x\n1.5\n  2");
});

test("tables: maxRows, union of keys, bad input", () => {
  const rows = Array.from({ length: 5 }, (_, i) => (i === 4 ? { x: i, extra: "e" } : { x: i }));
  assert.equal(tableText(rows, { maxRows: 2 }), "x  extra\n0\n1\n(showing 2 of 5 rows)");
  assert.match(tableHtml(rows, { maxRows: 2 }), /Showing 2 of 5 rows\./);
  // Missing cells are empty; a column of numbers with gaps stays right-aligned.
  assert.equal(tableText([{ a: 1 }, { b: "x" }, { a: 100 }]), "  a  b\n  1\n     x\n100");
  assert.throws(() => tableHtml(42 as never), /table = 42 is out of range/);
  assert.throws(() => tableHtml([1] as never), /rows\[0\] = 1/);
  assert.throws(() => tableHtml([], { maxRows: 0 }), /maxRows = 0/);
});

test("lineFigure: plain arrays, error bars, log axis, gaps for undrawable points", () => {
  const fig = lineFigure(
    [
      { name: "sim", x: new Float64Array([0, 1, 2, 3]), y: new Float64Array([1, 0.4, 0, NaN]), errorY: [0.01, 0.02, 0.03, 0.04] },
      { name: "theory", x: [0, 1, 2, 3], y: [1, 0.5, 0.25, 0.125], dash: "dash" },
    ],
    { title: "t", xTitle: "i", yTitle: "P", logY: true },
  );
  const [sim, theory] = fig.data;
  assert.deepEqual(sim!.x, [0, 1, 2, 3]);
  assert.ok(Array.isArray(sim!.y), "typed arrays become plain arrays (JSON-safe)");
  assert.deepEqual(sim!.y, [1, 0.4, null, null]);
  assert.deepEqual(sim!.error_y, { type: "data", array: [0.01, 0.02, 0.03, 0.04], visible: true });
  assert.equal(sim!.mode, "lines+markers");
  assert.equal(theory!.mode, "lines");
  assert.deepEqual(theory!.line, { dash: "dash" });
  assert.equal(fig.layout.yaxis?.type, "log");
  assert.equal(fig.layout.xaxis?.type, "linear");
  assert.equal(fig.layout.xaxis?.automargin, true, "margins grow to fit the axis titles");
  assert.deepEqual(fig.layout.title, { text: "t" });
  assert.deepEqual(fig.layout.yaxis?.title, { text: "P" });
  assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig, "the figure survives JSON unchanged");
  const linear = lineFigure([{ name: "z", x: [0, 1], y: [0, -1] }]);
  assert.deepEqual(linear.data[0]!.y, [0, -1], "zero and negative values are kept on a linear axis");
  assert.throws(() => lineFigure([{ name: "bad", x: [1, 2], y: [1] }]), /series\[0\]\.y\.length = 1 is out of range: equal to series\[0\]\.x\.length = 2/);
  assert.throws(() => lineFigure([{ name: "bad", x: [1], y: [1], errorY: [] }]), /errorY\.length = 0/);
});

test("logTailFigure: x = i, log y, zero tails leave gaps", () => {
  const fig = logTailFigure([{ name: "M/M/1", tail: [1, 0.5, 0.25, 0] }], { title: "tails" });
  assert.deepEqual(fig.data[0]!.x, [0, 1, 2, 3]);
  assert.deepEqual(fig.data[0]!.y, [1, 0.5, 0.25, null]);
  assert.equal(fig.layout.yaxis?.type, "log");
  assert.deepEqual(fig.layout.xaxis?.title, { text: "i (jobs)" });
  assert.equal(logTailFigure([{ name: "x", tail: [1] }], { logY: false }).layout.yaxis?.type, "log");
});

test("figureHtml: script-safe JSON, waits for its div and for Plotly", () => {
  const fig: PlotlyFigure = { data: [{ type: "scatter", name: "</script><b>", x: [1], y: [2] }], layout: { height: 300 } };
  const html = figureHtml(fig, { id: "fig-1" });
  assert.ok(html.startsWith('<div id="fig-1" class="mp-figure" style="width:100%;min-height:300px"></div>'));
  assert.equal((html.match(/<\/script>/g) ?? []).length, 1, "the figure's text cannot close the script early");
  assert.ok(html.includes("\\u003c/script\\u003e\\u003cb\\u003e"));
  assert.ok(html.includes("window.Plotly.newPlot(el, figure.data, figure.layout, figure.config)"));
  assert.ok(html.includes("window.Plotly.Plots.resize(el)"), "the chart follows its div's width");
  assert.ok(html.includes("setTimeout(attempt, 50)"));
  // The embedded JSON evaluates back to the figure.
  const json = /figure = (\{.*\}), waited/.exec(html)![1]!;
  assert.deepEqual(JSON.parse(json), { data: fig.data, layout: fig.layout, config: {} });
});

test("plotlyBundleHtml: the whole bundle, wrapped for require.js pages", () => {
  const html = plotlyBundleHtml();
  assert.ok(html.length > 4_000_000, "the minified plotly.js bundle is about 4.9 MB");
  assert.ok(html.includes("(function (define, module, exports) {\n"));
  assert.ok(html.includes("\n}).call(window);\n</script>"));
  assert.equal((html.match(/<\/script/gi) ?? []).length, 1);
  assert.match(html, /data-plotly-version="3\.7\.0"/);
});

test("showFigure embeds the bundle once per session, then only the chart", () => {
  const { kernel, shown } = fakeKernel();
  const session = { plotlyEmbedded: false };
  const fig = lineFigure([{ name: "a", x: [0, 1], y: [1, 2] }]);
  showFigure(fig, { target: "notebook", kernel, session });
  showFigure(fig, { target: "notebook", kernel, session });
  assert.equal(shown.length, 2);
  assert.ok(shown[0]!.includes("}).call(window);"), "the first figure carries the bundle");
  assert.ok(!shown[1]!.includes("}).call(window);"), "later figures do not");
  const ids = shown.map((h) => /<div id="(mp-figure-[0-9a-f]{16})"/.exec(h)?.[1]);
  assert.ok(ids[0] && ids[1] && ids[0] !== ids[1], "each chart has its own div id");
  embedPlotlyBundle({ kernel, session });
  assert.ok(shown[2]!.includes("}).call(window);") && !shown[2]!.includes("mp-figure"));
});

test("showFigure and showTable outside a kernel: nodeplotlib's plot, text table, or nothing", () => {
  const plotted: unknown[][] = [];
  const fig = lineFigure([{ name: "a", x: [0, 1], y: [1, 2] }]);
  showFigure(fig, { target: "script", plot: (...args) => void plotted.push(args) });
  assert.deepEqual(plotted, [[fig.data, fig.layout, fig.config]]);
  showFigure(fig, { target: "none", plot: () => assert.fail("target none shows nothing") });
  const printed: string[] = [];
  showTable([{ n: 100, lambda: 0.75 }], { target: "script", print: (t) => void printed.push(t) });
  assert.deepEqual(printed, ["  n  lambda\n100    0.75"]);
  assert.throws(() => showTable([{ a: 1 }], { target: "notebook" }), /not running inside a tslab kernel/);
  const { kernel, shown } = fakeKernel();
  showTable([{ a: 1 }], { target: "notebook", kernel });
  assert.match(shown[0]!, /^<div class="mp-table"/);
});

test("displayTarget: MP_DISPLAY wins, otherwise kernel detection", () => {
  assert.equal(tslabKernelApi(), null, "a test process is not a tslab kernel");
  assert.equal(displayTarget({}), "script");
  assert.equal(displayTarget({ MP_DISPLAY: "" }), "script");
  assert.equal(displayTarget({ MP_DISPLAY: "none" }), "none");
  assert.equal(displayTarget({ MP_DISPLAY: "notebook" }), "notebook");
  assert.throws(() => displayTarget({ MP_DISPLAY: "browser" }), /MP_DISPLAY = "browser" is out of range/);
  // The kernel's hook: tslab evaluates cells with globalThis.__tslab__.require, which returns its own module for "tslab".
  const { kernel } = fakeKernel();
  const holder = globalThis as { __tslab__?: unknown };
  holder.__tslab__ = { require: (id: string) => (id === "tslab" ? kernel : undefined) };
  try {
    assert.equal(tslabKernelApi(), kernel);
    assert.equal(displayTarget({}), "notebook");
  } finally {
    delete holder.__tslab__;
  }
});

test("progressLine and formatDuration", () => {
  assert.equal(progressLine("replications", 250, 1000, 5000), "replications: 250 / 1,000 (25.0%), 5.0 s elapsed, about 15.0 s left");
  assert.equal(progressLine("replications", 1000, 1000, 20000), "replications: 1,000 / 1,000 (100%), done in 20.0 s");
  assert.equal(progressLine("x", 0, 10, 1000), "x: 0 / 10 (0.0%), 1.0 s elapsed");
  assert.equal(progressLine("x", 0, 0, 0), "x: 0 / 0 (100%), done in 0.0 s");
  assert.deepEqual([4210, 59990, 125000, 3720000, -1].map(formatDuration), ["4.2 s", "1 min 00 s", "2 min 05 s", "1 h 02 min", "?"]);
});

test("progressReporter throttles terminal lines and always shows the end once", () => {
  let clock = 0;
  const lines: string[] = [];
  const progress = progressReporter("work", 100, {
    target: "script", interactive: false, intervalMs: 1000, now: () => clock, write: (t) => void lines.push(t),
  });
  for (let done = 1; done <= 100; done++) {
    clock += 40; // 40 ms per unit: 4 s in all
    progress(done);
  }
  progress(100);
  // Shown: the first call (t = 40 ms, done 1), then the first call at least 1000 ms after the last shown
  // one (t = 1040, 2040, 3040: done 26, 51, 76), then the end (t = 4000) once. Time left = elapsed x
  // (100 - done) / done: 40 x 99 = 3960 ms, 1040 x 74 / 26 = 2960 ms, 2040 x 49 / 51 = 1960 ms, 3040 x 24 / 76 = 960 ms.
  assert.deepEqual(lines, [
    "work: 1 / 100 (1.0%), 0.0 s elapsed, about 4.0 s left\n",
    "work: 26 / 100 (26.0%), 1.0 s elapsed, about 3.0 s left\n",
    "work: 51 / 100 (51.0%), 2.0 s elapsed, about 2.0 s left\n",
    "work: 76 / 100 (76.0%), 3.0 s elapsed, about 1.0 s left\n",
    "work: 100 / 100 (100%), done in 4.0 s\n",
  ]);
  assert.throws(() => progressReporter("bad", -1, { target: "none" }), /total = -1/);
  assert.throws(() => progressReporter("bad", NaN, { target: "none" }), /total = NaN/);
});

test("progressReporter redraws one line on a terminal and one display entry in a notebook", () => {
  let clock = 0;
  const written: string[] = [];
  const tty = progressReporter("t", 2, { target: "script", interactive: true, now: () => clock, write: (t) => void written.push(t) });
  tty(1);
  clock = 1000;
  tty(2, 4); // the total may be revised
  tty(4);
  assert.deepEqual(written, [
    "\rt: 1 / 2 (50.0%), 0.0 s elapsed, about 0.0 s left\u001b[K",
    "\rt: 2 / 4 (50.0%), 1.0 s elapsed, about 1.0 s left\u001b[K",
    "\rt: 4 / 4 (100%), done in 1.0 s\u001b[K\n",
  ]);
  const { kernel, entries } = fakeKernel();
  const nb = progressReporter("cells", 3, { target: "notebook", kernel, intervalMs: 0, now: () => 0 });
  nb(1);
  nb(3);
  assert.equal(entries.length, 1, "one display entry, updated in place");
  assert.equal(entries[0]!.length, 2);
  assert.match(entries[0]![1]!, /<progress value="1.0000" max="1"[^>]*><\/progress> <span[^>]*>cells: 3 \/ 3 \(100%\), done in 0.0 s<\/span>/);
});
