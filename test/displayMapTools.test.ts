/**
 * Display tools for maps: a table's rows as records, a heatmap grid from a table in long form, labels on
 * heatmap cells, series drawn over a figure (with horizontal error bars), an estimate as text. References: the
 * grids, traces and texts are written out by hand here from the inputs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { heatmapFigure } from "../src/display/heatmapFigure";
import { heatmapGrid } from "../src/display/heatmapGrid";
import { lineFigure } from "../src/display/lineFigure";
import { overlaySeries } from "../src/display/overlaySeries";
import { tableRecords } from "../src/display/tableCells";
import { dataFrame } from "../src/study/dataFrame";
import { formatEstimate } from "../src/display/formatEstimate";

const refused = (f: () => unknown, parameter: string): void => {
  assert.throws(f, (e: unknown) => e instanceof ParameterError && e.parameter === parameter, parameter);
};

test("tableRecords reads a DataFrame and plain rows alike, raw values kept", () => {
  const rows = [{ C: 2, lambda: 0.7, verdict: "stable" }, { C: 3, lambda: 0.7, verdict: "unstable" }];
  assert.deepEqual(tableRecords(dataFrame(rows)), rows);
  assert.deepEqual(tableRecords(rows), rows);
  assert.notEqual(tableRecords(rows)[0], rows[0], "rows are copied");
  refused(() => tableRecords(7 as never), "table");
  refused(() => tableRecords([3] as never), "rows[0]");
});

test("heatmapGrid: sorted distinct axis values, one cell per row, blanks where no row is, z and text from columns or functions", () => {
  const rows = [
    { C: 3, lambda: 0.8, delay: 4, verdict: "stable" },
    { C: 2, lambda: 0.8, delay: 9, verdict: "unstable" },
    { C: 2, lambda: 0.7, delay: 2, verdict: "stable" },
  ];
  const byColumn = heatmapGrid(rows, { x: "lambda", y: "C", z: "delay" });
  assert.deepEqual(byColumn, { x: [0.7, 0.8], y: [2, 3], z: [[2, 9], [NaN, 4]] });
  const byFunction = heatmapGrid(dataFrame(rows), {
    x: "lambda", y: "C", z: (r) => (r.verdict === "stable" ? r.delay * (1 - r.lambda) : NaN), text: (r) => r.verdict,
    colorTitle: "delay × (1 − λ)", scale: "sequential",
  });
  assert.deepEqual(byFunction.z, [[2 * (1 - 0.7), NaN], [NaN, 4 * (1 - 0.8)]]);
  assert.deepEqual(byFunction.text, [["stable", "unstable"], ["", "stable"]]);
  assert.equal(byFunction.colorTitle, "delay × (1 − λ)");
  assert.deepEqual(heatmapGrid(rows, { x: "lambda", y: "C", z: "delay", text: "verdict" }).text, byFunction.text);
  // The doc example.
  assert.deepEqual(heatmapGrid([{ C: 2, lambda: 0.7, d: 2.1 }, { C: 2, lambda: 0.8, d: 3.5 }, { C: 3, lambda: 0.7, d: 2.0 }], { x: "lambda", y: "C", z: "d" }),
    { x: [0.7, 0.8], y: [2, 3], z: [[2.1, 3.5], [2.0, NaN]] });

  refused(() => heatmapGrid([...rows, { C: 2, lambda: 0.7, delay: 1, verdict: "stable" }], { x: "lambda", y: "C", z: "delay" }), "rows[3]");
  refused(() => heatmapGrid([{ C: "2", lambda: 0.7, delay: 1 }], { x: "lambda", y: "C", z: "delay" }), "rows[0].C");
  refused(() => heatmapGrid(rows, { x: "lambda", y: "C", z: "verdict" }), "z of rows[0]");
  refused(() => heatmapGrid(rows, { x: "lambda", y: "C", z: "delay", text: () => 3 as never }), "text of rows[0]");
  refused(() => heatmapGrid([], { x: "lambda", y: "C", z: "delay" }), "table");
  refused(() => heatmapGrid(rows, { x: "", y: "C", z: "delay" }), "x");
});

test("heatmapFigure writes labels on the cells, blank cells included, and checks their shape", () => {
  const f = heatmapFigure({ x: [0.7, 0.8], y: [2], z: [[1.5, NaN]], text: [["1.5", "inconclusive"]], scale: "sequential" });
  const trace = f.data[0]!;
  assert.deepEqual(trace["z"], [[1.5, null]]);
  assert.deepEqual(trace["text"], [["1.5", "inconclusive"]]);
  assert.equal(trace["texttemplate"], "%{text}");
  assert.equal(heatmapFigure({ x: [0], y: [0], z: [[1]] }).data[0]!["texttemplate"], undefined);
  refused(() => heatmapFigure({ x: [0, 1], y: [0], z: [[1, 2]], text: [["a"]] }), "text[0].length");
  refused(() => heatmapFigure({ x: [0, 1], y: [0], z: [[1, 2]], text: [] }), "text.length");
});

test("overlaySeries adds line traces on top, leaves the figure unchanged, and moves the legend clear of a colour bar", () => {
  const map = heatmapFigure({ x: [0.7, 0.8], y: [2, 3], z: [[1, 2], [3, 4]] });
  const before = JSON.stringify(map);
  const over = overlaySeries(map, [{ name: "boundary", x: [0.78, 0.84], y: [2, 3], errorX: [0.005, 0.004], mode: "lines+markers" }]);
  assert.equal(JSON.stringify(map), before, "the figure given is not changed");
  assert.deepEqual(over.data.map((t) => t.type), ["heatmap", "scatter"]);
  assert.deepEqual(over.data[1]!["error_x"], { type: "data", array: [0.005, 0.004], visible: true });
  assert.deepEqual(over.data[1]!.x, [0.78, 0.84]);
  assert.equal((over.layout["legend"] as { orientation: string }).orientation, "h");
  assert.equal(over.layout["showlegend"], true, "a single series over a heatmap still gets its legend entry");
  const lines = lineFigure([{ name: "a", x: [0, 1], y: [1, 2] }]);
  const both = overlaySeries(lines, [{ name: "b", x: [0, 1], y: [2, 1], dash: "dash" }]);
  assert.deepEqual(both.data.map((t) => t.name), ["a", "b"]);
  assert.equal(both.layout["legend"], undefined, "a line figure keeps its legend");
  refused(() => overlaySeries({} as never, []), "figure");
  refused(() => overlaySeries(map, [{ name: "x", x: [1, 2], y: [1, 2], errorX: [1] }]), "series[0].errorX.length");
});

test("formatEstimate writes the mean and its interval with formatNumber's digits", () => {
  assert.equal(formatEstimate({ mean: 2.3196, ci95: [2.3104, 2.3288] }), "2.32 [2.31, 2.329]");
  assert.equal(formatEstimate({ mean: 0.5, ci95: [0.25, 0.75] }, 2), "0.5 [0.25, 0.75]");
  assert.equal(formatEstimate({ mean: 1234.5, ci95: [NaN, Infinity] }), "1,235 [NaN, ∞]");
  refused(() => formatEstimate({ mean: 1 } as never), "estimate");
  refused(() => formatEstimate({ mean: 1, ci95: [0, 2] }, 0), "significantDigits");
});
