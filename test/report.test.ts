import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { notebookFailure, reportIndexHtml, runMode, type ReportSummary } from "../src/report/index";
import { jupyterEnvironment } from "../src/report/jupyterEnvironment";
import { tslabKernelspecPath, tslabKernelspecProblem } from "../src/report/tslabKernelspecProblem";
import { checkablePage, errorCollectorScript, layoutProbeScript, renderedPageCheck } from "../src/report/renderedPageCheck";
import { tableHtml } from "../src/display/tableHtml";
import { figureHtml } from "../src/display/figureHtml";
import { lineFigure } from "../src/display/lineFigure";
import { plotlyBundleHtml } from "../src/display/plotlyBundleHtml";
import { runCommand } from "../src/report/runCommand";
import { notebookClaims } from "../src/report/notebookClaims";
import { CLAIMS_MIME_TYPE } from "../src/display/claimsTable";
import { stagingFolderFor, swapInFolder } from "../src/report/stagedFolder";
import { processesOf } from "./support/processScan";
import { readNotebookTimings, startOrder, writeNotebookTimings } from "../src/report/notebookTimings";

// Both fixtures are real outputs of the runner: notebooks executed with the tslab kernel by
// `npm run report -- <notebook>`, saved by the runner's on_cell_error hook when a cell failed.
// runtime: cell 0 markdown, 1 prints x = 2, 2 writes a warning to stderr, 3 throws "expected 3, got 2", 4 never runs.
// compile: cell 1 assigns a string to a number (a TypeScript diagnostic, reported by tslab on stderr).
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, name), "utf8"));

test("notebookFailure finds the failing cell and its real error in an executed notebook", () => {
  const failure = notebookFailure(fixture("report-fixture-failing-runtime.ipynb"));
  assert.ok(failure);
  assert.equal(failure.cellIndex, 3);
  assert.equal(failure.firstLine, "// checks a value and fails");
  assert.match(failure.errorText, /^evalmachine\.<anonymous>:6\n/);
  assert.match(failure.errorText, /Error: expected 3, got 2\n    at check \(evalmachine\.<anonymous>:6:15\)/);
  assert.match(failure.errorText, /\(\d+ stack frames inside the kernel omitted\)$/);
  assert.ok(!failure.errorText.includes("node_modules/tslab"), "the kernel's own frames are dropped");
  assert.ok(!failure.errorText.includes("a warning on stderr"), "stderr of an earlier cell is not the error");

  const compile = notebookFailure(fixture("report-fixture-failing-compile.ipynb"));
  assert.deepEqual(compile, {
    cellIndex: 1,
    firstLine: 'const y: number = "text";',
    errorText: "1:7 - Type 'string' is not assignable to type 'number'.",
  });
});

test("notebookFailure without the runner's mark: the last cell with an error or stderr output", () => {
  const nb = fixture("report-fixture-failing-runtime.ipynb") as { metadata: Record<string, unknown> };
  delete nb.metadata["mp_report"];
  assert.equal(notebookFailure(nb)?.cellIndex, 3);
  // An ipykernel-style error output (ename, evalue, traceback with ANSI colors).
  const python = {
    cells: [
      { cell_type: "code", source: "ok = 1", outputs: [], metadata: { execution: {} } },
      {
        cell_type: "code", source: ["\n", "1 / 0\n"], metadata: { execution: {} },
        outputs: [{ output_type: "error", ename: "ZeroDivisionError", evalue: "division by zero", traceback: ["\u001b[0;31mZeroDivisionError\u001b[0m: division by zero"] }],
      },
    ],
    metadata: {},
  };
  assert.deepEqual(notebookFailure(python), { cellIndex: 1, firstLine: "1 / 0", errorText: "ZeroDivisionError: division by zero" });
  assert.equal(notebookFailure({ cells: [{ cell_type: "code", source: "x", outputs: [] }], metadata: {} }), null);
  assert.equal(notebookFailure("not a notebook"), null);
  assert.equal(notebookFailure({ cells: [], metadata: { mp_report: { failed_cell: 7 } } }), null);
});

test("reportIndexHtml: title, mode, date, commit, parameters, links, durations, failures", () => {
  const summary: ReportSummary = {
    title: "migration-penalties: notebook report",
    mode: "quick",
    startedAt: "2026-01-02T03:04:05.000Z",
    commit: "0123456789abcdef",
    dirty: true,
    parameters: { MP_MODE: "quick", MP_SEED: "7" },
    notebooks: [
      { name: "00-smoke.ipynb", status: "ok", durationMs: 9100, html: "00-smoke.html", notebook: "00-smoke.ipynb" },
      { name: "10-tails.ipynb", status: "failed", durationMs: 125000, notebook: "failed/10-tails.ipynb",
        failure: { cellIndex: 4, firstLine: "mp.simulate(<bad>)", errorText: "Error: a < b" } },
      { name: "20-delay.ipynb", status: "not run", durationMs: null },
    ],
  };
  const html = reportIndexHtml(summary);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<title>migration-penalties: notebook report<\/title>/);
  assert.match(html, /<dt>Run mode<\/dt><dd>quick<\/dd>/);
  assert.match(html, /<dt>Date<\/dt><dd>2026-01-02T03:04:05.000Z<\/dd>/);
  assert.match(html, /<code>0123456789abcdef \(with uncommitted changes\)<\/code>/);
  assert.match(html, /<code>MP_MODE=quick<\/code> <code>MP_SEED=7<\/code>/);
  assert.match(html, /<a href="00-smoke.html">00-smoke.ipynb<\/a>/);
  assert.match(html, /<td class="num">9.1 s<\/td>/);
  assert.match(html, /<td class="num">2 min 05 s<\/td>/);
  assert.match(html, /<a href="failed\/10-tails.ipynb">failed\/10-tails.ipynb<\/a>/);
  assert.match(html, /cell index 4: <code>mp.simulate\(&lt;bad&gt;\)<\/code><pre>Error: a &lt; b<\/pre>/);
  assert.match(html, /<tr class="skipped"><td>20-delay.ipynb<\/td><td>not run<\/td><td class="num"><\/td>/);
  assert.match(html, /1 notebook failed\./);
  const allOk = reportIndexHtml({ ...summary, dirty: false, notebooks: [summary.notebooks[0]!] });
  assert.match(allOk, /The notebook ran without errors\./);
  assert.match(reportIndexHtml({ ...summary, notebooks: [summary.notebooks[0]!, summary.notebooks[0]!] }), /All 2 notebooks ran without errors\./);
  assert.ok(!allOk.includes("uncommitted"));
});

test("reportIndexHtml gathers every notebook's claims into one table linking to the evidence, and links the API reference", () => {
  const claim = (id: string, verdict: "holds" | "fails" | "undetermined") => ({
    id, statement: `statement ${id}`, source: "Fig. 3", measured: { quantity: "growth", mean: 0.001, ci95: [0, 0.002] as const }, verdict, evidence: "e",
  });
  const html = reportIndexHtml({
    title: "t", mode: "quick", startedAt: "2026-01-02T03:04:05.000Z", commit: "c", dirty: false, parameters: {},
    notebooks: [
      { name: "01-a.ipynb", status: "ok", durationMs: 1, html: "01-a.html", claims: [claim("x", "holds"), claim("y", "undetermined")] },
      { name: "02-b.ipynb", status: "ok", durationMs: 1, html: "02-b.html", claims: [claim("z", "fails")] },
    ],
    apiReference: "api/index.html",
  });
  assert.match(html, /<h2>Claims<\/h2>/);
  assert.match(html, /3 claims: 1 hold, 1 fail, 1 undetermined/);
  assert.match(html, /<a href="01-a.html#claim-x">statement x<\/a>/);
  assert.match(html, /<a href="02-b.html#claim-z">statement z<\/a>/);
  assert.match(html, /<td class="verdict-fails">fails<\/td>/);
  assert.match(html, /<a href="api\/index.html">/);
  const none = reportIndexHtml({ title: "t", mode: "quick", startedAt: "x", commit: "c", dirty: false, parameters: {},
    notebooks: [{ name: "00.ipynb", status: "ok", durationMs: 1, html: "00.html" }] });
  assert.ok(!none.includes("<h2>Claims</h2>") && !none.includes("API reference"), "no empty claims table, no dead link");
});

test("notebookClaims reads the claims showClaims saved in an executed notebook", () => {
  const dir = mkdtempSync(join(tmpdir(), "mp-claims-"));
  try {
    const file = join(dir, "n.ipynb");
    const claims = [{ id: "a", statement: "s", source: "p", measured: { quantity: "q", mean: 1 }, verdict: "holds", evidence: "e" }];
    writeFileSync(file, JSON.stringify({ cells: [{ cell_type: "code", outputs: [
      { output_type: "display_data", data: { "text/html": "<table></table>" } },
      { output_type: "display_data", data: { [CLAIMS_MIME_TYPE]: JSON.stringify(claims) } },
    ] }, { cell_type: "markdown" }] }));
    assert.deepEqual(notebookClaims(file), claims);
    // as a list of lines, and parsed (a front end that saves the notebook again may store JSON data so)
    const text = JSON.stringify(claims);
    for (const data of [[text.slice(0, 10), text.slice(10)], claims]) {
      writeFileSync(file, JSON.stringify({ cells: [{ cell_type: "code", outputs: [{ data: { [CLAIMS_MIME_TYPE]: data } }] }] }));
      assert.deepEqual(notebookClaims(file), claims);
    }
    writeFileSync(file, JSON.stringify({ cells: [{ cell_type: "code", outputs: [{ data: { [CLAIMS_MIME_TYPE]: "[1]" } }] }] }));
    assert.throws(() => notebookClaims(file), /does not hold claims/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("runMode reads MP_MODE: quick by default, full, nothing else", () => {
  assert.equal(runMode({}), "quick");
  assert.equal(runMode({ MP_MODE: "" }), "quick");
  assert.equal(runMode({ MP_MODE: "full" }), "full");
  assert.throws(() => runMode({ MP_MODE: "fast" }), /MP_MODE = "fast" is out of range: "quick" or "full"/);
});

test("jupyterEnvironment: the project's kernels first, data inside the project, MP_* passed through", () => {
  const env = jupyterEnvironment("/p", { JUPYTER_PATH: "/other", MP_MODE: "full", MP_SEED: "3", HOME: "/h", GONE: undefined });
  assert.equal(env["JUPYTER_PATH"], "/p/.jupyter/share/jupyter:/other");
  assert.equal(env["JUPYTER_DATA_DIR"], "/p/.jupyter/data");
  assert.equal(env["MP_MODE"], "full");
  assert.equal(env["MP_SEED"], "3");
  assert.equal(env["HOME"], "/h");
  assert.ok(!("GONE" in env));
  assert.equal(jupyterEnvironment("/p", { JUPYTER_PATH: "/p/.jupyter/share/jupyter" })["JUPYTER_PATH"], "/p/.jupyter/share/jupyter");
});

test("tslabKernelspecProblem: missing, broken, foreign and working kernelspecs", () => {
  const root = mkdtempSync(join(tmpdir(), "mp-kernelspec-"));
  try {
    assert.match(tslabKernelspecProblem(root) ?? "", /is not registered in this project: .*kernel\.json does not exist\. Fix: npm run setup$/);
    const spec = tslabKernelspecPath(root);
    mkdirSync(join(spec, ".."), { recursive: true });
    writeFileSync(spec, "{ not json");
    assert.match(tslabKernelspecProblem(root) ?? "", /is broken: it is not valid JSON/);
    const binary = join(root, "node_modules", ".bin", "tslab");
    const writeSpec = (command: string): void =>
      writeFileSync(spec, JSON.stringify({ argv: [command, "kernel", "--config-path", "{connection_file}"] }));
    writeSpec("/elsewhere/node_modules/.bin/tslab");
    assert.match(tslabKernelspecProblem(root) ?? "", /starts \/elsewhere\/node_modules\/\.bin\/tslab, not this project's/);
    writeSpec(binary);
    assert.match(tslabKernelspecProblem(root) ?? "", /does not exist or is not executable/);
    mkdirSync(join(binary, ".."), { recursive: true });
    writeFileSync(binary, "#!/bin/sh\necho tslab 1.0.22\n");
    chmodSync(binary, 0o755);
    assert.equal(tslabKernelspecProblem(root, { probe: false }), null);
    assert.equal(tslabKernelspecProblem(root), null);
    writeFileSync(binary, "#!/bin/sh\necho 'node: not found' >&2\nexit 127\n");
    assert.match(tslabKernelspecProblem(root) ?? "", /--version" failed \(node: not found\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("checkablePage and renderedPageCheck: drawn charts pass, missing charts and script errors fail", () => {
  const page = '<html><head><script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script></head><body></body></html>';
  const prepared = checkablePage(page, "file:///usr/share/javascript/requirejs/require.min.js");
  assert.ok(prepared.startsWith(`<html><head>${errorCollectorScript}${layoutProbeScript}<script src="file:///usr/share/javascript/requirejs/require.min.js"></script>`));
  assert.ok(!prepared.includes("cdnjs"));

  // What the injected scripts leave in the DOM: the error list and the layout measurements.
  const collector = (errors: string[], wide: unknown[] = [], clipped: unknown[] = []): string =>
    `<pre id="mp-check-errors" style="display: none;">${JSON.stringify(errors).replace(/&/g, "&amp;")}</pre>` +
    `<pre id="mp-check-layout" style="display: none;">${JSON.stringify({ wide, clipped }).replace(/&/g, "&amp;").replace(/"/g, "&quot;")}</pre>`;
  const drawn = '<div id="f1" class="mp-figure js-plotly-plot"><svg class="main-svg"></svg><svg class="main-svg"></svg></div>';
  const table = '<div class="mp-table" style="overflow-x:auto"><table></table></div>';
  const ok = renderedPageCheck(`<body>${drawn}${table}${collector([])}</body>`);
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.figures, 1);
  assert.equal(ok.figuresDrawn, 1);
  assert.equal(ok.plotlySvgs, 2);
  assert.equal(ok.tables, 1);

  const undrawn = renderedPageCheck(
    `<body><div id="f2" class="mp-figure">Plotly is not loaded in this page</div>${collector(["error: Uncaught ReferenceError: Plotly is not defined (x.html:3)"])}</body>`,
  );
  assert.deepEqual(undrawn.problems, [
    "script error: error: Uncaught ReferenceError: Plotly is not defined (x.html:3)",
    "1 of 1 charts were not drawn by plotly",
    "0 plotly svg layers for 1 charts",
    'a chart shows "Plotly is not loaded"',
  ]);
  assert.deepEqual(renderedPageCheck(`<body>${drawn}</body>`).problems, ["the page's scripts did not run (the error collector is missing)"]);
  // Text inside scripts (such as the plotly bundle) is not taken for elements.
  const scripted = renderedPageCheck(`<body><script>var s = '<div class="mp-figure">';</script>${collector([])}</body>`);
  assert.equal(scripted.figures, 0);
  const stderr = renderedPageCheck(`<body><div class="jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr"><pre>careful &amp; slow</pre></div>${collector([])}</body>`);
  assert.deepEqual(stderr.stderrOutputs, ["careful & slow"]);
  assert.deepEqual(stderr.problems, []);
  // An output area that a wide table made scroll sideways (what the probe measured on Figure 3's page
  // before tables scrolled in their own box), and a page without the probe.
  const wide = renderedPageCheck(
    `<body>${drawn}${collector([], [{ where: "cell index 7 output area", contentWidth: 1568, boxWidth: 1219, right: 1242, pageWidth: 1265 }])}</body>`,
  );
  assert.deepEqual(wide.problems, [
    "cell index 7 output area is wider than the page: 1568 px of content in a 1219 px box reaching 1242 px, on a page 1265 px wide (it scrolls sideways)",
  ]);
  assert.equal(wide.wideOutputs.length, 1);
  const clipped = renderedPageCheck(
    `<body>${drawn}${collector([], [], [{ where: "cell index 4 chart 1", title: "x-axis title \u201ctime\u201d", outsideBy: 9 }])}</body>`,
  );
  assert.deepEqual(clipped.problems, ["cell index 4 chart 1: the x-axis title \u201ctime\u201d is cut off (9 px outside the chart)"]);
  assert.deepEqual(
    renderedPageCheck(`<body>${drawn}<pre id="mp-check-errors">[]</pre></body>`).problems,
    ["the layout probe did not run"],
  );
});

test("the layout probe in headless Chromium: a wide table scrolls in its own box and leaves the output area alone", { skip: existsSync("/usr/bin/chromium") ? false : "Chromium is not installed" }, () => {
  // The structure of nbconvert's HTML export (lab template): the output is a table cell, which grows to
  // the width of what it holds.
  const wideRows = [Object.fromEntries(Array.from({ length: 40 }, (_, j) => [`a rather long column title ${j}`, 1234.5678 * j]))];
  const page = (table: string): string => `<!DOCTYPE html><html><head><style>
    body { margin: 0; width: 800px; }
    .jp-OutputArea { overflow-x: auto; }
    .jp-OutputArea-child { display: table; width: 100%; }
    .jp-OutputArea-prompt, .jp-OutputArea-output { display: table-cell; }
    .jp-OutputArea-output { overflow: auto; }
  </style></head><body><div class="jp-Cell"><div class="jp-OutputArea"><div class="jp-OutputArea-child">
    <div class="jp-OutputArea-prompt">Out[1]:</div><div class="jp-OutputArea-output">${table}</div>
  </div></div></div></body></html>`;
  const dir = mkdtempSync(join(tmpdir(), "mp-layout-"));
  try {
    const run = (html: string): ReturnType<typeof renderedPageCheck> => {
      const file = join(dir, "page.html");
      writeFileSync(file, checkablePage(html, undefined));
      const dump = spawnSync("/usr/bin/chromium", [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        `--user-data-dir=${join(dir, "profile")}`, "--virtual-time-budget=2000", "--window-size=800,600", "--dump-dom", `file://${file}`,
      ], { encoding: "utf8", timeout: 120000 });
      return renderedPageCheck(dump.stdout);
    };
    const fixed = run(page(tableHtml(wideRows)));
    assert.equal(fixed.layoutMeasured, true);
    assert.deepEqual(fixed.problems, []);
    // The wrapper tables used to have: the output area grows to the table's width and scrolls sideways.
    const before = run(page(tableHtml(wideRows).replace(/style="display:block;overflow-x:auto;width:0;min-width:100%"/, 'style="overflow-x:auto;max-width:100%"')));
    assert.ok(before.wideOutputs.some((w) => w.where === "cell index 0 output area" && w.contentWidth > w.boxWidth), JSON.stringify(before.wideOutputs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the layout probe in headless Chromium: a chart whose div narrows after drawing is redrawn, so its x-axis title is not cut off", { skip: existsSync("/usr/bin/chromium") ? false : "Chromium is not installed" }, () => {
  // JupyterLab's CSS (in nbconvert's export) scales a drawn svg down to its box, height included, which
  // cuts off the bottom of the chart, where the x-axis title is. Here the output narrows after the chart
  // is drawn the way it does in a report: the page grows while it loads and its vertical scrollbar appears.
  const figure = lineFigure([{ name: "a", x: [0, 1, 2], y: [3, 1, 2] }], { title: "t", xTitle: "time (mean service times)", yTitle: "y" });
  // The output narrows once the chart is drawn (a second after load, in Chromium's virtual time), as when the page's
  // vertical scrollbar appears; the charset is stated so that Chromium never guesses the page's encoding.
  const page = (chart: string): string => `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
    body { margin: 0; } .jp-RenderedHTMLCommon svg { max-width: 100%; height: auto; }
  </style></head><body><div class="jp-Cell"><div class="jp-RenderedHTMLCommon" id="out">${plotlyBundleHtml()}${chart}</div></div>
  <script>setTimeout(function () { document.getElementById("out").style.width = "85%"; }, 1000);</script></body></html>`;
  const dir = mkdtempSync(join(tmpdir(), "mp-layout-"));
  try {
    const run = (html: string): ReturnType<typeof renderedPageCheck> => {
      const file = join(dir, "page.html");
      writeFileSync(file, checkablePage(html, undefined));
      const dump = spawnSync("/usr/bin/chromium", [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        `--user-data-dir=${join(dir, "profile")}`, "--virtual-time-budget=5000", "--window-size=1000,800", "--dump-dom", `file://${file}`,
      ], { encoding: "utf8", timeout: 120000, maxBuffer: 64 * 1024 * 1024 });
      return renderedPageCheck(dump.stdout);
    };
    const chart = figureHtml(figure, { id: "f1" });
    const followed = run(page(chart));
    assert.equal(followed.figuresDrawn, 1);
    assert.deepEqual(followed.problems, []);
    // Without the redraw (figureHtml before it followed its div), the probe sees the title cut off.
    const fixedSize = run(page(chart.replace(".then(function () { follow(el); })", "")));
    assert.equal(fixedSize.figuresDrawn, 1);
    assert.deepEqual(fixedSize.clippedTitles.map((c) => [c.where, c.title]), [["cell index 0 chart 1", "x-axis title \u201ctime (mean service times)\u201d"]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("notebookFailure names a stop that is not the cell's own error: kernel death, timeout, interrupt", () => {
  const saved = (mark: Record<string, unknown>, note: string): unknown => ({
    cells: [
      { cell_type: "code", source: "console.log(1);", outputs: [{ output_type: "stream", name: "stdout", text: "1\n" }] },
      { cell_type: "code", source: ["// a long cell\n", "work();"], outputs: [{ output_type: "stream", name: "stderr", text: `${note}\n` }] },
    ],
    metadata: { mp_report: { failed_cell: 1, ...mark } },
  });
  const died = (kernel: Record<string, unknown> | undefined): unknown =>
    notebookFailure(saved({ reason: "kernel died", error: "DeadKernelError: Kernel died", ...(kernel ? { kernel } : {}) }, "The kernel died while this cell was running."));
  assert.deepEqual(died({ signal: "SIGKILL", signal_number: 9 }), {
    cellIndex: 1, firstLine: "// a long cell", errorText: "kernel died (signal SIGKILL: likely out of memory)", stop: "kernel died",
  });
  assert.equal((died({ exit_code: 3 }) as { errorText: string }).errorText, "kernel died (exit code 3)");
  assert.equal((died({ signal: "SIGABRT", signal_number: 6 }) as { errorText: string }).errorText, "kernel died (signal SIGABRT)");
  assert.equal((died(undefined) as { errorText: string }).errorText, "kernel died (its exit status is unknown)");
  const interrupted = notebookFailure(saved({ reason: "interrupted", signal: "SIGINT" }, "Interrupted (SIGINT) while this cell was running; the cells after it did not run."));
  assert.deepEqual(interrupted, { cellIndex: 1, firstLine: "// a long cell", errorText: "interrupted (SIGINT)", stop: "interrupted" });
  const timeout = notebookFailure(saved({ reason: "timeout", error: "CellTimeoutError: A cell timed out" }, "This cell did not finish within the time limit."));
  assert.equal(timeout?.errorText, "timed out: the cell did not finish within the time limit (CellTimeoutError: A cell timed out)");
  // The cell's own stderr (here a warning before the kernel died) follows the headline; the note does not.
  const withWarning = notebookFailure({
    cells: [{ cell_type: "code", source: "x", outputs: [
      { output_type: "stream", name: "stderr", text: "allocating 40 GB\n" },
      { output_type: "stream", name: "stderr", text: "The kernel died while this cell was running.\n" },
    ] }],
    metadata: { mp_report: { failed_cell: 0, reason: "kernel died", kernel: { exit_code: 134 } } },
  });
  assert.equal(withWarning?.errorText, "kernel died (exit code 134)\nallocating 40 GB");
});

test("stagingFolderFor and swapInFolder: the new version replaces the old whole, user files stay, leftovers are tidied", () => {
  const parent = mkdtempSync(join(tmpdir(), "mp-staged-"));
  try {
    const folder = join(parent, "reports");
    const keep = (name: string): boolean => !name.endsWith(".html");
    // First run: no folder yet.
    const first = stagingFolderFor(folder, keep);
    assert.match(first, /\/\.reports\.staging-\d+-[0-9a-f]{8}$/);
    writeFileSync(join(first, "index.html"), "one");
    swapInFolder(first, folder, keep);
    assert.deepEqual(readdirSync(parent), ["reports"]);
    writeFileSync(join(folder, "notes.txt"), "mine");
    // Second run: the old report is replaced, notes.txt is carried over.
    const second = stagingFolderFor(folder, keep);
    writeFileSync(join(second, "index.html"), "two");
    swapInFolder(second, folder, keep);
    assert.deepEqual(readdirSync(parent), ["reports"]);
    assert.deepEqual(readdirSync(folder).sort(), ["index.html", "notes.txt"]);
    assert.equal(readFileSync(join(folder, "index.html"), "utf8"), "two");
    // A run killed between the two renames (pid 2^22 + 1 is above Linux's pid_max default, so it is not running):
    // the old version is put back and the dead run's staging folder removed.
    const deadPid = 4194305;
    renameSync(folder, join(parent, `.reports.previous-${deadPid}-00000000`));
    mkdirSync(join(parent, `.reports.staging-${deadPid}-11111111`));
    const third = stagingFolderFor(folder, keep);
    assert.deepEqual(readdirSync(parent).sort(), [".reports" + third.slice(third.lastIndexOf(".staging")), "reports"].sort());
    assert.equal(readFileSync(join(folder, "index.html"), "utf8"), "two");
    rmSync(third, { recursive: true });
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test("runCommand: an abort signal ends the command's process tree and says so", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort("SIGINT"), 300);
  // A non-interactive shell starts background jobs with SIGINT ignored: the sleep outlives the SIGINT
  // and is ended by SIGKILL after the grace time (and by the token sweep).
  const started = Date.now();
  const marker = `MP_TEST_RUN=${process.pid}-${Date.now()}`;
  const env = { PATH: process.env["PATH"] ?? "", MP_TEST_RUN: marker.slice("MP_TEST_RUN=".length) };
  const result = await runCommand("sh", ["-c", "sleep 30 & wait"], { env, timeoutMs: 60000, signal: controller.signal, graceMs: 2000 });
  assert.deepEqual(processesOf({ folder: "/nonexistent/mp-test", marker }), [], "the sleep is gone too");
  assert.equal(result.interrupted, true);
  assert.equal(result.timedOut, false);
  assert.ok(Date.now() - started < 10000, "the command ended soon after the abort");
  const again = await runCommand("sh", ["-c", "echo never"], { env: {}, timeoutMs: 1000, signal: controller.signal });
  assert.deepEqual([again.interrupted, again.stdout], [true, ""], "an aborted signal starts nothing");
});

test("startOrder: unrecorded notebooks first in the order given, then longest recorded first; the modes' times are never mixed", () => {
  const names = ["a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb"];
  assert.deepEqual(startOrder(names, "full", {}), [0, 1, 2, 3], "no times: the order given");
  assert.deepEqual(startOrder(names, "full", { full: { "a.ipynb": 8, "b.ipynb": 45, "c.ipynb": 19, "d.ipynb": 44 } }), [1, 3, 2, 0]);
  assert.deepEqual(startOrder(names, "full", { full: { "a.ipynb": 5, "b.ipynb": 5, "c.ipynb": 9 } }), [3, 2, 0, 1], "d unknown first; equal times keep their order");
  // The quick times stand in where they cover more notebooks than the full ones (a full run after a quick setup) ...
  const quick = { "a.ipynb": 1, "b.ipynb": 2, "c.ipynb": 4, "d.ipynb": 3 };
  assert.deepEqual(startOrder(names, "full", { quick }), [2, 3, 1, 0]);
  assert.deepEqual(startOrder(names, "full", { quick, full: { "a.ipynb": 100 } }), [2, 3, 1, 0]);
  // ... and never the other way round when the mode's own cover as many; names not in the list are ignored.
  assert.deepEqual(startOrder(names, "quick", { quick, full: { "a.ipynb": 100, "b.ipynb": 1, "c.ipynb": 1, "d.ipynb": 1, "e.ipynb": 7 } }), [2, 3, 1, 0]);
  assert.deepEqual(startOrder(names, "full", { quick: { "a.ipynb": 1 }, full: { "b.ipynb": 1 } }), [0, 2, 3, 1], "a tie goes to the mode's own times");
});

test("readNotebookTimings and writeNotebookTimings: round trip, a merge per mode, damaged files and entries left out with the reason", () => {
  const dir = mkdtempSync(join(tmpdir(), "mp-timings-"));
  try {
    assert.deepEqual(readNotebookTimings(dir), { timings: {}, problem: "" }, "no file: no timings, no problem");
    const written = writeNotebookTimings(dir, { quick: { "a.ipynb": 1000 }, full: { "a.ipynb": 9000, "b.ipynb": 7000 } }, "full",
      [{ name: "b.ipynb", durationMs: 3000.4 }, { name: "c.ipynb", durationMs: 5000 }]);
    assert.deepEqual(written, { quick: { "a.ipynb": 1000 }, full: { "a.ipynb": 9000, "b.ipynb": 3000, "c.ipynb": 5000 } });
    assert.deepEqual(readNotebookTimings(dir), { timings: written, problem: "" });
    const path = join(dir, "timings.json");
    writeFileSync(path, JSON.stringify({ quick: { "a.ipynb": -1, "b.ipynb": 2, "c.ipynb": null }, full: [3] }));
    const partial = readNotebookTimings(dir);
    assert.deepEqual(partial.timings, { quick: { "b.ipynb": 2 } });
    assert.equal(partial.problem, `${path}: quick["a.ipynb"] is not a duration; quick["c.ipynb"] is not a duration; full is not an object`);
    writeFileSync(path, "{ truncated");
    const broken = readNotebookTimings(dir);
    assert.deepEqual(broken.timings, {});
    assert.ok(broken.problem.startsWith(`${path}: `) && broken.problem.length > path.length + 2, broken.problem);
    writeFileSync(path, "[1, 2]");
    assert.deepEqual(readNotebookTimings(dir), { timings: {}, problem: `${path}: not a JSON object` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
