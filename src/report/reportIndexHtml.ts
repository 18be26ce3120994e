import { measurementText } from "../display/claimsTable";
import { escapeHtml } from "../display/escapeHtml";
import type { Claim } from "../study/claims";
import { formatDuration } from "../display/formatDuration";
import type { RunMode } from "./runMode";

/** One notebook's line in the report. */
export interface ReportNotebookEntry {
  /** The notebook's file name, for example "00-smoke.ipynb". */
  readonly name: string;
  /** "interrupted": the run was stopped (Ctrl-C) while this notebook ran. */
  readonly status: "ok" | "failed" | "interrupted" | "not run";
  /** Execution time in milliseconds (null when not run). */
  readonly durationMs: number | null;
  /** Link to the HTML export, relative to the report folder. */
  readonly html?: string;
  /** Link to the executed (or, on failure, the partly executed) notebook, relative to the report folder. */
  readonly notebook?: string;
  /** On failure or interrupt: the cell and its error (or where the run stopped). */
  readonly failure?: { readonly cellIndex: number; readonly firstLine: string; readonly errorText: string };
  /** The claims the executed notebook shows (see notebookClaims). */
  readonly claims?: readonly Claim[];
}

/** What the report's index page shows. */
export interface ReportSummary {
  readonly title: string;
  readonly mode: RunMode;
  /** When the run started (ISO 8601). */
  readonly startedAt: string;
  /** The git commit (full hash), or "unknown" outside a git checkout. */
  readonly commit: string;
  /** True when the checkout had uncommitted changes. */
  readonly dirty: boolean;
  /** MP_* variables passed to the notebooks (MP_MODE included). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly notebooks: readonly ReportNotebookEntry[];
  /** Link to the API reference (reports/api/index.html), relative to the report folder, when it exists. */
  readonly apiReference?: string;
}

/**
 * Builds reports/index.html: title, run mode, date, git commit (marked when the checkout had
 * uncommitted changes), the MP_* parameters, and one row per notebook with its status, duration and
 * links to its HTML export and executed notebook; a failed notebook shows its failing cell and error, an
 * interrupted run says so. Below, every notebook's claims in one table (notebook | claim | paper | ours |
 * verdict), each linking to its row in the notebook's HTML export, with the count of each verdict; and a link
 * to the API reference when there is one.
 * Pure; cost O(size of the summary).
 *
 * @param summary what the run did
 * @returns a complete HTML page
 * @example
 * reportIndexHtml({ title: "Report", mode: "quick", startedAt: "2026-01-01T00:00:00.000Z", commit: "abc",
 *   dirty: false, parameters: { MP_MODE: "quick" },
 *   notebooks: [{ name: "00-smoke.ipynb", status: "ok", durationMs: 9100, html: "00-smoke.html" }] })
 *   .includes('<a href="00-smoke.html">00-smoke.ipynb</a>') // => true
 */
export function reportIndexHtml(summary: ReportSummary): string {
  const e = escapeHtml;
  const failed = summary.notebooks.filter((n) => n.status === "failed").length;
  const okCount = summary.notebooks.filter((n) => n.status === "ok").length;
  const interrupted = summary.notebooks.some((n) => n.status === "interrupted");
  const verdict = interrupted
    ? `<p class="verdict failed">The run was interrupted: this report is incomplete.</p>`
    : failed > 0
      ? `<p class="verdict failed">${failed} notebook${failed === 1 ? "" : "s"} failed.</p>`
      : `<p class="verdict ok">${okCount === 1 ? "The notebook" : `All ${okCount} notebooks`} ran without errors.</p>`;
  const parameters = Object.entries(summary.parameters)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `<code>${e(k)}=${e(v)}</code>`)
    .join(" ");
  const rows = summary.notebooks.map((n) => {
    const title = n.html !== undefined ? `<a href="${e(n.html)}">${e(n.name)}</a>` : e(n.name);
    const notebookLink = n.notebook !== undefined ? `<a href="${e(n.notebook)}">${e(n.notebook)}</a>` : "";
    const duration = n.durationMs === null ? "" : formatDuration(n.durationMs);
    const failure = n.failure
      ? `<div class="failure">cell index ${n.failure.cellIndex}: <code>${e(n.failure.firstLine)}</code><pre>${e(n.failure.errorText)}</pre></div>`
      : "";
    return `<tr class="${n.status === "ok" ? "ok" : n.status === "not run" ? "skipped" : "failed"}"><td>${title}${failure}</td><td>${e(n.status)}</td><td class="num">${e(duration)}</td><td>${notebookLink}</td></tr>`;
  });
  const commit = `${e(summary.commit)}${summary.dirty ? " (with uncommitted changes)" : ""}`;
  const claims = summary.notebooks.flatMap((n) => (n.claims ?? []).map((c) => ({ n, c })));
  const count = (v: Claim["verdict"]): number => claims.filter((x) => x.c.verdict === v).length;
  const claimRows = claims.map(({ n, c }) => {
    const link = n.html !== undefined ? `<a href="${e(n.html)}#claim-${e(c.id)}">${e(c.statement)}</a>` : e(c.statement);
    return `<tr class="claim ${e(c.verdict)}"><td>${e(n.name)}</td><td>“${link}”</td><td>${e(c.source)}</td>` +
      `<td>${e(c.measured.quantity)}: ${e(measurementText(c.measured))}</td><td class="verdict-${e(c.verdict)}">${e(c.verdict)}</td></tr>`;
  });
  const claimsSection = claims.length === 0 ? "" : `
<h2>Claims</h2>
<p>${claims.length} claims: ${count("holds")} hold, ${count("fails")} fail, ${count("undetermined")} undetermined at this run's precision (run mode ${e(summary.mode)}). Each links to its evidence.</p>
<table class="claims">
<thead><tr><th>Notebook</th><th>Claim (the paper's words)</th><th>Paper</th><th>Ours</th><th>Verdict</th></tr></thead>
<tbody>
${claimRows.join("\n")}
</tbody>
</table>`;
  const api = summary.apiReference !== undefined ? `<p>API reference: <a href="${e(summary.apiReference)}">${e(summary.apiReference)}</a></p>` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${e(summary.title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #ddd; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.verdict-holds { background: #e6f4ea; color: #137333; } td.verdict-fails { background: #fce8e6; color: #a50e0e; }
td.verdict-undetermined { background: #f1f3f4; color: #3c4043; }
tr.failed td { background: #fdecea; }
tr.skipped td { color: #888; }
.verdict.ok { color: #1b5e20; } .verdict.failed { color: #b71c1c; font-weight: bold; }
pre { white-space: pre-wrap; font-size: 90%; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 1em; }
dt { font-weight: bold; }
</style>
</head>
<body>
<h1>${e(summary.title)}</h1>
<dl>
<dt>Run mode</dt><dd>${e(summary.mode)}</dd>
<dt>Date</dt><dd>${e(summary.startedAt)}</dd>
<dt>Git commit</dt><dd><code>${commit}</code></dd>
<dt>Parameters</dt><dd>${parameters === "" ? "none" : parameters}</dd>
</dl>
${verdict}
<table>
<thead><tr><th>Notebook</th><th>Status</th><th>Duration</th><th>Executed notebook</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
${claimsSection}
${api}
</body>
</html>
`;
}
