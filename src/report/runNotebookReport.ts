import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { formatDuration } from "../display/formatDuration";
import { executeNotebook } from "./executeNotebook";
import { nbconvertHookConfig } from "./nbconvertHookConfig";
import type { Claim } from "../study/claims";
import { notebookClaims } from "./notebookClaims";
import { readNotebookTimings, startOrder, writeNotebookTimings } from "./notebookTimings";
import { reportIndexHtml, type ReportNotebookEntry, type ReportSummary } from "./reportIndexHtml";
import { runCommand } from "./runCommand";
import type { RunMode } from "./runMode";
import { stagingFolderFor, swapInFolder } from "./stagedFolder";

/** Options of `runNotebookReport`. */
export interface NotebookReportOptions {
  /** The project root (for the git commit). */
  readonly root: string;
  /** The notebooks to execute (absolute paths), in the order the report lists them. */
  readonly notebooks: readonly string[];
  /**
   * The report folder. The new report is built beside it and swapped in when the run ends (its generated
   * files, *.ipynb, *.html, timings.json, failed/, interrupted/ and screenshots/, are replaced; other files are
   * kept); an interrupted run leaves it as it was, apart from its interrupted/ subfolder.
   */
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
  /**
   * Stops the run (Ctrl-C): the running notebook is saved marked as interrupted, every process of the run
   * is ended, the report folder keeps its previous report, and what ran goes to outDir/interrupted/.
   * Its `reason` (for example "SIGINT") is named in the messages.
   */
  readonly signal?: AbortSignal;
  /**
   * Notebooks executed at once: an integer in [1, 8]; default 1. Two on two cores overlap one notebook's
   * single-threaded phases (kernel start, TypeScript compile, exact and mean-field solves, HTML export) with the
   * other's work. Notebooks start longest first, by the times the report folder recorded (`startOrder`;
   * name order when none are recorded); after a failure or an interrupt no further notebook starts, and the
   * ones already running finish (a failure) or are interrupted (a signal). With more than one, progress is
   * written as whole lines, not redrawn.
   */
  readonly concurrency?: number;
}

/** The largest `concurrency` of runNotebookReport. */
export const MAX_REPORT_CONCURRENCY = 8;

/** The outcome of a report run. */
export interface NotebookReportResult {
  readonly ok: boolean;
  readonly summary: ReportSummary;
  /** outDir/index.html, or outDir/interrupted/index.html for an interrupted run. */
  readonly indexPath: string;
  /** True when `signal` stopped the run (outDir then still holds the previous report). */
  readonly interrupted: boolean;
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

/** Entries of an earlier report that a new one keeps: everything the runner and the report check do not generate. */
function keptFromEarlierReport(name: string): boolean {
  return !/\.(ipynb|html)$/.test(name) && !["failed", "interrupted", "screenshots"].includes(name);
}

function signalName(signal: AbortSignal | undefined): string {
  return typeof signal?.reason === "string" ? signal.reason : "a signal";
}

/**
 * Runs the notebooks (one after the other, or `concurrency` at once) and writes the report: for each notebook the executed
 * notebook (outDir/<name>.ipynb, then `jupyter trust`ed so that classic Notebook runs its scripts when it
 * is opened) and its HTML export (outDir/<name>.html, `jupyter nbconvert --to html`), outDir/index.html linking
 * them (`reportIndexHtml`), and outDir/timings.json, each notebook's time for this mode (`writeNotebookTimings`).
 * The notebooks start longest first by the times recorded there (`startOrder`), so the lanes finish close
 * together; a lane that finds no notebook left exports and signs every notebook finished so far (one nbconvert
 * for all of them, one signature process at a time), while the other lanes finish. Progress goes to the terminal: which notebook,
 * which cell, elapsed time. The run stops at the first failing notebook (no later notebook starts): the message names the notebook,
 * the failing cell (index and first source line) and its real error text (or how the kernel died: exit
 * code or signal); index.html is still written, with the failure and the notebooks not run.
 *
 * The report is built in a staging folder beside outDir and swapped in at the end (`swapInFolder`), so
 * outDir always holds a whole report. When `options.signal` aborts (Ctrl-C), the running notebook is
 * saved marked as interrupted, every process of the run (nbconvert, the kernel, anything they started)
 * is ended, outDir keeps its previous report, and the staging folder becomes outDir/interrupted/ (its
 * index.html says where the run stopped). Temporary files (the hook configuration, kernel logs, the
 * kernel's connection file) are removed in every case.
 *
 * Cost: the notebooks' own run time, plus about 4 s per notebook for kernel start-up, and about 1.5 s plus 0.4 s
 * per notebook for the HTML exports and the signatures, most of it while the last notebook still runs.
 *
 * @param options notebooks, output folder, mode, time limit, jupyter command, environment, output stream
 * @returns whether every notebook ran, the summary and the index path
 * @example
 * // (test/report.test.ts runs real reports; here the jupyter command is missing, so the first notebook fails at once)
 * import { existsSync, mkdirSync, writeFileSync } from "node:fs";
 * mkdirSync("notebooks");
 * writeFileSync("notebooks/00-empty.ipynb", JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
 * const result = await runNotebookReport({ root: ".", notebooks: ["notebooks/00-empty.ipynb"], outDir: "reports", mode: "quick",
 *   timeoutSeconds: 60, jupyter: "no-such-jupyter", python: "/usr/bin/python3", env: {} });
 * // stderr:
 * // [1/1] 00-empty.ipynb: starting the kernel, 0.0 s
 * // [1/1] 00-empty.ipynb: FAILED, ... s
 * // Notebook notebooks/00-empty.ipynb failed before any cell could be identified:
 * // spawn no-such-jupyter ENOENT
 * [result.ok, result.summary.notebooks[0]?.status, existsSync(result.indexPath)] // => [false, "failed", true]
 */
export async function runNotebookReport(options: NotebookReportOptions): Promise<NotebookReportResult> {
  const write = options.write ?? ((text: string) => void process.stderr.write(text));
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_REPORT_CONCURRENCY) {
    throw new RangeError(`concurrency = ${String(concurrency)} is out of range: an integer in [1, ${MAX_REPORT_CONCURRENCY}]`);
  }
  // One redrawn line cannot show two notebooks: with more than one at once, progress goes as whole lines.
  const interactive = (options.interactive ?? false) && concurrency === 1;
  const startedAt = new Date().toISOString();
  const signal = options.signal;
  const stagingDir = stagingFolderFor(options.outDir, keptFromEarlierReport);
  const hookDir = mkdtempSync(join(tmpdir(), "mp-report-"));
  const hookConfigPath = join(hookDir, "mp_report_hooks.py");
  writeFileSync(hookConfigPath, nbconvertHookConfig);
  const count = options.notebooks.length;
  const names = options.notebooks.map((path) => basename(path));
  const recorded = readNotebookTimings(options.outDir);
  if (recorded.problem !== "") write(`Ignoring part of the recorded notebook times (they only set the start order): ${recorded.problem}\n`);
  const order = startOrder(names, options.mode, recorded.timings);
  const slots: (ReportNotebookEntry | undefined)[] = new Array<ReportNotebookEntry | undefined>(count).fill(undefined);
  let ok = true;
  let interrupted = false;
  let next = 0;
  /** The notebooks that ran to the end and wait for their export and signature. */
  const toExport: number[] = [];
  /** Lanes that have no notebook left to start. */
  let idleLanes = 0;
  // Each lane takes the next notebook in start order until none is left or the run has stopped; a notebook's
  // entry goes to its own slot, so the report lists them in the order given whatever finished first. Then the
  // lane exports and signs what has finished and is not yet exported: the first lane to run out does so while
  // the others still run their last notebooks, and the last lane exports what remains.
  const lane = async (): Promise<void> => {
    while (next < count) {
      const k = order[next++] as number;
      const notebookPath = options.notebooks[k] as string;
      const name = names[k] as string;
      if (signal?.aborted === true && ok && !interrupted) {
        interrupted = true;
        ok = false;
      }
      if (!ok) {
        slots[k] = { name, status: "not run", durationMs: null };
        continue;
      }
      try {
        const entry = await runOne(k, notebookPath, name);
        slots[k] = entry;
        if (entry.status === "ok") toExport.push(k);
      } catch (error) {
        ok = false; // an error of the runner itself: the other lanes start nothing more
        throw error;
      }
    }
    idleLanes++;
    if (signal?.aborted === true && !interrupted) {
      interrupted = true;
      ok = false;
    }
    if (!interrupted && toExport.length > 0) await exportAndSign(toExport.splice(0), idleLanes);
  };
  const runOne = async (k: number, notebookPath: string, name: string): Promise<ReportNotebookEntry> => {
    const tag = `[${k + 1}/${count}] ${name}`;
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
      outDir: stagingDir,
      hookConfigPath,
      timeoutSeconds: options.timeoutSeconds,
      env: options.env,
      ...(signal !== undefined ? { signal } : {}),
      onCell: (cellIndex, cellCount) => {
        cellText = `running cell index ${cellIndex} (of ${cellCount} cells)`;
        if (interactive) show();
      },
    });
    clearInterval(ticker);
    if (run.interrupted) {
      ok = false;
      interrupted = true;
      cellText = `INTERRUPTED (${signalName(signal)})`;
      show(true);
      const failure = run.failure;
      const where = failure
        ? ` while cell index ${failure.cellIndex} was running (first line: ${JSON.stringify(failure.firstLine)})`
        : "";
      write(`\nInterrupted (${signalName(signal)})${where} in ${notebookPath}; every process of the run was ended.\n`);
      // The partly executed notebook, marked as interrupted, takes the executed notebook's place in interrupted/.
      if (run.failedNotebookPath) {
        renameSync(run.failedNotebookPath, run.executedPath);
        if (readdirSync(dirname(run.failedNotebookPath)).length === 0) rmdirSync(dirname(run.failedNotebookPath));
      }
      return {
        name,
        status: "interrupted",
        durationMs: run.durationMs,
        ...(run.failedNotebookPath ? { notebook: relative(stagingDir, run.executedPath) } : {}),
        ...(failure !== undefined ? { failure } : {}),
      };
    }
    if (!run.ok) {
      ok = false;
      cellText = run.timedOut || run.failure?.stop === "timeout" ? "TIMED OUT" : "FAILED";
      show(true);
      const failure = run.failure;
      const where = failure
        ? `in cell index ${failure.cellIndex} (first line: ${JSON.stringify(failure.firstLine)})`
        : "before any cell could be identified";
      write(`\nNotebook ${notebookPath} failed ${where}:\n\n`);
      write(`${(failure?.errorText ?? run.detail).replace(/^/gm, "    ")}\n\n`);
      if (run.failedNotebookPath) {
        write(`The partly executed notebook is ${join(options.outDir, relative(stagingDir, run.failedNotebookPath))}\n`);
      }
      return {
        name,
        status: "failed",
        durationMs: run.durationMs,
        ...(run.failedNotebookPath ? { notebook: relative(stagingDir, run.failedNotebookPath) } : {}),
        failure: failure ?? { cellIndex: -1, firstLine: "", errorText: run.detail },
      };
    }
    // The HTML export and the signature wait until a lane has no notebook left: one nbconvert for many
    // notebooks costs a Python start-up and nbconvert's templates once, not once per notebook (about 1.3 s of
    // the 1.8 s a one-notebook export takes).
    cellText = "ok";
    write(interactive ? `\r${tag}: ok in ${formatDuration(run.durationMs)}\u001b[K\n` : `${tag}: ok in ${formatDuration(run.durationMs)}\n`);
    let claims: Claim[] = [];
    try {
      claims = notebookClaims(run.executedPath);
    } catch (error) {
      write(`${tag}: its claims could not be read (${error instanceof Error ? error.message : String(error)})\n`);
    }
    return {
      name,
      status: "ok",
      durationMs: run.durationMs,
      notebook: relative(stagingDir, run.executedPath),
      ...(claims.length > 0 ? { claims } : {}),
    };
  };
  /** The signature processes, one after the other (nbformat keeps the signatures in one database). */
  let signing: Promise<unknown> = Promise.resolve();
  /**
   * Exports the notebooks `batch` to HTML (`jupyter nbconvert --to html`, `processes` at once, each with a share of
   * about equal size) and signs them (`python -m nbformat.sign`, at the same time, after any earlier signature
   * process). A notebook whose export or signature failed is marked failed; an interrupt marks the run interrupted.
   */
  const exportAndSign = async (batch: readonly number[], processes: number): Promise<void> => {
    const paths = batch.map((k) => join(stagingDir, names[k] as string));
    write(`exporting ${batch.length} notebook${batch.length === 1 ? "" : "s"} to HTML and signing ${batch.length === 1 ? "it" : "them"}\n`);
    // The largest executed notebook first, each to the share with the fewest bytes so far: export time goes with size.
    const shares = Array.from({ length: Math.max(1, Math.min(processes, paths.length)) }, () => ({ bytes: 0, paths: [] as string[] }));
    for (const path of [...paths].sort((a, b) => statSync(b).size - statSync(a).size)) {
      const share = shares.reduce((least, s) => (s.bytes < least.bytes ? s : least));
      share.paths.push(path);
      share.bytes += statSync(path).size;
    }
    const commandOptions = { env: options.env, timeoutMs: 300000, ...(signal !== undefined ? { signal } : {}) };
    // `jupyter trust` is nbformat's TrustNotebookApp; Debian ships it without the jupyter-trust launcher.
    const sign = signing.then(() => runCommand(options.python, ["-m", "nbformat.sign", ...paths], commandOptions));
    signing = sign.catch(() => undefined);
    const [trust, ...exports] = await Promise.all([
      sign,
      ...shares.map((share) => runCommand(options.jupyter, ["nbconvert", "--to", "html", "--output-dir", stagingDir, ...share.paths], commandOptions)),
    ]);
    if (trust!.interrupted || exports.some((e) => e.interrupted)) {
      if (!interrupted) write(`\nInterrupted (${signalName(signal)}) while exporting the notebooks; every process of the run was ended.\n`);
      ok = false;
      interrupted = true;
      for (const k of batch) slots[k] = { ...(slots[k] as ReportNotebookEntry), status: "interrupted" };
      return;
    }
    const failedExport = exports.find((e) => e.status !== 0);
    for (const k of batch) {
      const entry = slots[k] as ReportNotebookEntry;
      const html = `${basename(names[k] as string, ".ipynb")}.html`;
      if (existsSync(join(stagingDir, html)) && trust!.status === 0) {
        slots[k] = { ...entry, html };
        continue;
      }
      ok = false;
      const detail = (trust!.status !== 0 ? trust!.stderr : failedExport?.stderr ?? "no HTML was written").trimEnd();
      write(`\nExporting or trusting ${join(stagingDir, entry.notebook ?? entry.name)} failed:\n${detail}\n`);
      slots[k] = { ...entry, status: "failed", failure: { cellIndex: -1, firstLine: "", errorText: `exporting or signing failed: ${detail}` } };
    }
  };
  let entries: ReportNotebookEntry[] = [];
  try {
    // Every lane settles before anything is cleaned up, so no notebook still writes into the staging folder.
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, count) }, () => lane()));
    const broken = lanes.find((l): l is PromiseRejectedResult => l.status === "rejected");
    if (broken !== undefined) throw broken.reason;
    entries = slots.map((e, k) => e ?? { name: names[k] as string, status: "not run", durationMs: null });
    if (!interrupted) {
      const finished = entries.filter((e) => e.status === "ok" && e.durationMs !== null).map((e) => ({ name: e.name, durationMs: e.durationMs as number }));
      writeNotebookTimings(stagingDir, recorded.timings, options.mode, finished);
    }
  } catch (error) {
    rmSync(stagingDir, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(hookDir, { recursive: true, force: true });
  }
  const git = gitState(options.root);
  const parameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (key.startsWith("MP_") && value !== undefined) parameters[key] = value;
  parameters["MP_MODE"] = options.mode;
  const summary: ReportSummary = {
    title: interrupted ? "migration-penalties: notebook report (interrupted)" : "migration-penalties: notebook report",
    mode: options.mode,
    startedAt,
    commit: git.commit,
    dirty: git.dirty,
    parameters,
    notebooks: entries,
    // The API reference (npm run docs) is not built by the report; it moves into the new report at the swap.
    ...(existsSync(join(options.outDir, "api", "index.html")) ? { apiReference: "api/index.html" } : {}),
  };
  writeFileSync(join(stagingDir, "index.html"), reportIndexHtml(summary));
  if (interrupted) {
    const interruptedDir = join(options.outDir, "interrupted");
    mkdirSync(options.outDir, { recursive: true });
    rmSync(interruptedDir, { recursive: true, force: true });
    renameSync(stagingDir, interruptedDir);
    write(
      `The report in ${options.outDir} is unchanged; what this run did is in ${interruptedDir}` +
        ` (index.html; a notebook stopped midway is marked as interrupted).\n`,
    );
    return { ok: false, summary, indexPath: join(interruptedDir, "index.html"), interrupted: true };
  }
  swapInFolder(stagingDir, options.outDir, keptFromEarlierReport);
  return { ok, summary, indexPath: join(options.outDir, "index.html"), interrupted: false };
}

