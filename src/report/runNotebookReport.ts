import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { formatDuration } from "../display/formatDuration";
import { executeNotebook } from "./executeNotebook";
import { nbconvertHookConfig } from "./nbconvertHookConfig";
import { reportIndexHtml, type ReportNotebookEntry, type ReportSummary } from "./reportIndexHtml";
import { runCommand } from "./runCommand";
import type { RunMode } from "./runMode";

/** Options of `runNotebookReport`. */
export interface NotebookReportOptions {
  /** The project root (for the git commit). */
  readonly root: string;
  /** The notebooks to execute, in order (absolute paths). */
  readonly notebooks: readonly string[];
  /** The report folder; its generated files (*.ipynb, *.html, failed/, screenshots/) are replaced. */
  readonly outDir: string;
  readonly mode: RunMode;
  /** Time limit per notebook, in seconds. */
  readonly timeoutSeconds: number;
  /** The jupyter command. */
  readonly jupyter: string;
  /** The Python that has nbformat (Debian's /usr/bin/python3); signs the executed notebooks. */
  readonly python: string;
  /** The environment of the Jupyter commands and kernels (see `jupyterEnvironment`). */
  readonly env: Record<string, string>;
  /** Where progress and errors are written (default: process.stderr). */
  readonly write?: (text: string) => void;
  /** Redraw one progress line with "\r" (an interactive terminal). */
  readonly interactive?: boolean;
}

/** The outcome of a report run. */
export interface NotebookReportResult {
  readonly ok: boolean;
  readonly summary: ReportSummary;
  /** outDir/index.html */
  readonly indexPath: string;
}

function gitState(root: string): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const status = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return { commit, dirty: status.trim() !== "" };
  } catch {
    return { commit: "unknown", dirty: false };
  }
}

function clearGeneratedFiles(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const entry of readdirSync(outDir, { withFileTypes: true })) {
    const path = join(outDir, entry.name);
    if (entry.isFile() && /\.(ipynb|html)$/.test(entry.name)) rmSync(path, { force: true });
    if (entry.isDirectory() && (entry.name === "failed" || entry.name === "screenshots")) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Runs the notebooks one after the other and writes the report: for each notebook the executed
 * notebook (outDir/<name>.ipynb, then `jupyter trust`ed so that classic Notebook runs its scripts when it
 * is opened) and its HTML export (outDir/<name>.html, `jupyter nbconvert --to html`), and
 * outDir/index.html linking them (`reportIndexHtml`). Progress goes to the terminal: which notebook,
 * which cell, elapsed time. The run stops at the first failing notebook: the message names the notebook,
 * the failing cell (index and first source line) and its real error text; index.html is still written,
 * with the failure and the notebooks not run.
 *
 * Cost: the notebooks' own run time, plus about 2-4 s per notebook for kernel start-up, HTML export
 * and trust.
 *
 * @param options notebooks, output folder, mode, time limit, jupyter command, environment, output stream
 * @returns whether every notebook ran, the summary and the index path
 * @example
 * const result = await runNotebookReport({ root, notebooks: [join(root, "notebooks", "00-smoke.ipynb")],
 *   outDir: join(root, "reports"), mode: "quick", timeoutSeconds: 900, jupyter: "/usr/bin/jupyter",
 *   python: "/usr/bin/python3", env: jupyterEnvironment(root) });
 * // stderr: "[1/1] 00-smoke.ipynb: starting the kernel, 0.0 s" ... "[1/1] 00-smoke.ipynb: ok in 6.0 s"
 * [result.ok, result.summary.notebooks[0]?.html] // => [true, "00-smoke.html"]
 */
export async function runNotebookReport(options: NotebookReportOptions): Promise<NotebookReportResult> {
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const interactive = options.interactive ?? false;
  const startedAt = new Date().toISOString();
  clearGeneratedFiles(options.outDir);
  const hookDir = mkdtempSync(join(tmpdir(), "mp-report-"));
  const hookConfigPath = join(hookDir, "mp_report_hooks.py");
  writeFileSync(hookConfigPath, nbconvertHookConfig);
  const entries: ReportNotebookEntry[] = [];
  const count = options.notebooks.length;
  let ok = true;
  try {
    for (const [k, notebookPath] of options.notebooks.entries()) {
      const name = basename(notebookPath);
      const tag = `[${k + 1}/${count}] ${name}`;
      if (!ok) {
        entries.push({ name, status: "not run", durationMs: null });
        continue;
      }
      const started = Date.now();
      let cellText = "starting the kernel";
      const show = (final = false): void => {
        const line = `${tag}: ${cellText}, ${formatDuration(Date.now() - started)}`;
        if (interactive) write(`\r${line}\u001b[K${final ? "\n" : ""}`);
        else write(`${line}\n`);
      };
      show();
      const ticker = setInterval(() => show(), interactive ? 1000 : 30000);
      const run = await executeNotebook(notebookPath, {
        jupyter: options.jupyter,
        outDir: options.outDir,
        hookConfigPath,
        timeoutSeconds: options.timeoutSeconds,
        env: options.env,
        onCell: (cellIndex, cellCount) => {
          cellText = `running cell index ${cellIndex} (of ${cellCount} cells)`;
          if (interactive) show();
        },
      });
      clearInterval(ticker);
      if (!run.ok) {
        ok = false;
        cellText = run.timedOut ? "TIMED OUT" : "FAILED";
        show(true);
        const failure = run.failure;
        const where = failure
          ? `in cell index ${failure.cellIndex} (first line: ${JSON.stringify(failure.firstLine)})`
          : "before any cell could be identified";
        write(`\nNotebook ${notebookPath} failed ${where}:\n\n`);
        write(`${(failure?.errorText ?? run.detail).replace(/^/gm, "    ")}\n\n`);
        if (run.failedNotebookPath) write(`The partly executed notebook is ${run.failedNotebookPath}\n`);
        entries.push({
          name,
          status: "failed",
          durationMs: run.durationMs,
          ...(run.failedNotebookPath ? { notebook: relative(options.outDir, run.failedNotebookPath) } : {}),
          failure: failure ?? { cellIndex: -1, firstLine: "", errorText: run.detail },
        });
        continue;
      }
      cellText = "exporting HTML";
      if (interactive) show();
      const html = await runCommand(options.jupyter, ["nbconvert", "--to", "html", "--output-dir", options.outDir, run.executedPath], {
        env: options.env,
        timeoutMs: 300000,
      });
      // `jupyter trust` is nbformat's TrustNotebookApp; Debian ships it without the jupyter-trust launcher.
      const trust = await runCommand(options.python, ["-m", "nbformat.sign", run.executedPath], { env: options.env, timeoutMs: 120000 });
      const htmlPath = join(options.outDir, `${basename(notebookPath, ".ipynb")}.html`);
      if (html.status !== 0 || !existsSync(htmlPath) || trust.status !== 0) {
        ok = false;
        cellText = "FAILED";
        show(true);
        write(`\nExporting or trusting ${run.executedPath} failed:\n${(html.status !== 0 ? html.stderr : trust.stderr).trimEnd()}\n`);
        entries.push({ name, status: "failed", durationMs: run.durationMs, notebook: relative(options.outDir, run.executedPath) });
        continue;
      }
      cellText = "ok";
      write(interactive ? `\r${tag}: ok in ${formatDuration(run.durationMs)}\u001b[K\n` : `${tag}: ok in ${formatDuration(run.durationMs)}\n`);
      entries.push({
        name,
        status: "ok",
        durationMs: run.durationMs,
        html: relative(options.outDir, htmlPath),
        notebook: relative(options.outDir, run.executedPath),
      });
    }
  } finally {
    rmSync(hookDir, { recursive: true, force: true });
  }
  const git = gitState(options.root);
  const parameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (key.startsWith("MP_") && value !== undefined) parameters[key] = value;
  parameters["MP_MODE"] = options.mode;
  const summary: ReportSummary = {
    title: "migration-penalties: notebook report",
    mode: options.mode,
    startedAt,
    commit: git.commit,
    dirty: git.dirty,
    parameters,
    notebooks: entries,
  };
  const indexPath = join(options.outDir, "index.html");
  writeFileSync(indexPath, reportIndexHtml(summary));
  return { ok, summary, indexPath };
}

