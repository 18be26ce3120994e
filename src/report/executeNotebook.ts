import { existsSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { notebookFailure, type NotebookFailure } from "./notebookFailure";
import { runCommand } from "./runCommand";

/** Options of `executeNotebook`. */
export interface ExecuteNotebookOptions {
  /** The jupyter command (for example /usr/bin/jupyter). */
  readonly jupyter: string;
  /** Folder for the executed notebook (<name>.ipynb) and, on failure, failed/<name>.ipynb. */
  readonly outDir: string;
  /** The nbconvert configuration file with the runner's hooks (`nbconvertHookConfig`). */
  readonly hookConfigPath: string;
  /** Time limit for the whole notebook, in seconds; also nbconvert's per-cell limit. */
  readonly timeoutSeconds: number;
  /** The kernel's environment (see `jupyterEnvironment`). */
  readonly env: Record<string, string>;
  /** Called when a code cell starts: its 0-based index among all cells and the number of cells. */
  readonly onCell?: (cellIndex: number, cellCount: number) => void;
  /** Where the kernel's own stdout and stderr go (a file; default: a temporary file next to the hook config). */
  readonly kernelLogPath?: string;
  /** Stops the run: the partly executed notebook is saved (marked as interrupted) and the kernel is ended. */
  readonly signal?: AbortSignal;
}

/** The outcome of executing one notebook. */
export interface ExecuteNotebookResult {
  readonly ok: boolean;
  readonly durationMs: number;
  /** outDir/<name>.ipynb, written when the run succeeded. */
  readonly executedPath: string;
  /** Where the failing cell is and its error (when the run failed). */
  readonly failure?: NotebookFailure;
  /** The partly executed notebook, saved when a cell failed, the kernel died, the time limit struck or the run was interrupted. */
  readonly failedNotebookPath?: string;
  readonly timedOut: boolean;
  /** True when `signal` stopped the run. */
  readonly interrupted: boolean;
  /** The end of nbconvert's stderr, for failures that left no cell error (kernel died, timeout, bad notebook). */
  readonly detail: string;
}

function lastLines(text: string, count: number): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "").trimEnd().split("\n").slice(-count).join("\n");
}

/**
 * The useful end of nbconvert's stderr: from the last Python exception line (for example
 * "nbclient.exceptions.CellTimeoutError: A cell timed out ...", "DeadKernelError: Kernel died") to the
 * end, or else its last lines.
 */
function nbconvertErrorSummary(stderr: string): string {
  const lines = stderr
    .replace(/\u001b\[[0-9;]*[A-Za-z]/g, "")
    .split("\n")
    .filter((l) => !l.startsWith("[mp-report] cell"));
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b/.test(lines[i]!)) return lines.slice(i).join("\n").trimEnd();
  }
  return lastLines(lines.join("\n"), 25);
}

function cellSourceFirstLine(notebookPath: string, index: number): string {
  try {
    const nb = JSON.parse(readFileSync(notebookPath, "utf8")) as { cells?: { source?: string | string[] }[] };
    const source = nb.cells?.[index]?.source;
    const text = Array.isArray(source) ? source.join("") : (source ?? "");
    return (text.split("\n").find((line) => line.trim() !== "") ?? "").trim();
  } catch {
    return "";
  }
}

function kernelLogTail(path: string): string {
  try {
    return lastLines(readFileSync(path, "utf8"), 20);
  } catch {
    return "";
  }
}

/**
 * Executes one notebook headless with `jupyter nbconvert --to notebook --execute` (never
 * `--allow-errors`: after an error tslab skips the remaining cells and nbconvert would still report
 * success), under a per-cell timeout (`--ExecutePreprocessor.timeout`) and a process-level time limit
 * (`runCommand`: the process tree is ended 15 s after the notebook's limit). The kernel runs in the
 * notebook's own folder with `options.env`; its own output goes to `kernelLogPath`. On failure the result
 * names the failing cell and carries its real error text, read from the partly executed notebook that the
 * hooks saved (`notebookFailure`): a cell's error, a kernel that died ("kernel died (exit code 3)", with
 * the end of the kernel's log), a timeout, or an interrupt through `signal` (the process tree is ended).
 *
 * Cost: the notebook's own run time plus kernel start-up (a few seconds).
 *
 * @param notebookPath the .ipynb to execute
 * @param options jupyter command, output folder, hook config, time limit, environment, progress callback
 * @returns the outcome
 * @example
 * // (test/report.test.ts runs real notebooks, which takes a kernel and seconds; here the jupyter command is missing)
 * import { writeFileSync } from "node:fs";
 * writeFileSync("empty.ipynb", JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
 * const run = await executeNotebook("empty.ipynb", { jupyter: "no-such-jupyter", outDir: "out", hookConfigPath: "hooks.py",
 *   timeoutSeconds: 60, env: {} });
 * [run.ok, run.timedOut, run.detail] // => [false, false, "spawn no-such-jupyter ENOENT"]
 */
export async function executeNotebook(notebookPath: string, options: ExecuteNotebookOptions): Promise<ExecuteNotebookResult> {
  const name = basename(notebookPath, ".ipynb");
  const executedPath = join(options.outDir, `${name}.ipynb`);
  const failedNotebookPath = join(options.outDir, "failed", `${name}.ipynb`);
  const kernelLogPath = options.kernelLogPath ?? join(dirname(options.hookConfigPath), `${name}.kernel.log`);
  for (const stale of [executedPath, join(options.outDir, `${name}.html`), failedNotebookPath, kernelLogPath]) rmSync(stale, { force: true });
  let runningCell: number | undefined;
  const result = await runCommand(
    options.jupyter,
    [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      `--config=${options.hookConfigPath}`,
      `--ExecutePreprocessor.timeout=${Math.ceil(options.timeoutSeconds)}`,
      "--output-dir",
      options.outDir,
      "--output",
      name,
      notebookPath,
    ],
    {
      env: { ...options.env, MP_REPORT_FAILED_NOTEBOOK: failedNotebookPath, MP_REPORT_KERNEL_LOG: kernelLogPath },
      cwd: dirname(notebookPath),
      timeoutMs: options.timeoutSeconds * 1000 + 15000,
      graceMs: 5000,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      onStderrLine: (line) => {
        const match = /^\[mp-report\] cell (\d+) of (\d+)/.exec(line);
        if (match) {
          runningCell = Number(match[1]);
          options.onCell?.(runningCell, Number(match[2]));
        }
      },
    },
  );
  const ok = result.status === 0 && !result.timedOut && !result.interrupted && existsSync(executedPath);
  if (ok) {
    rmSync(kernelLogPath, { force: true });
    return { ok, durationMs: result.durationMs, executedPath, timedOut: false, interrupted: false, detail: "" };
  }
  // A notebook written by nbconvert before the stop struck is not the outcome of this run.
  if (result.interrupted || result.timedOut) rmSync(executedPath, { force: true });
  let failure: NotebookFailure | undefined;
  if (existsSync(failedNotebookPath)) {
    try {
      failure = notebookFailure(JSON.parse(readFileSync(failedNotebookPath, "utf8"))) ?? undefined;
    } catch {
      failure = undefined;
    }
  }
  const detail = nbconvertErrorSummary(result.stderr);
  if (failure === undefined && runningCell !== undefined) {
    failure = {
      cellIndex: runningCell,
      firstLine: cellSourceFirstLine(notebookPath, runningCell),
      errorText: result.interrupted
        ? "interrupted"
        : result.timedOut
          ? `The notebook did not finish within its time limit of ${options.timeoutSeconds} s; this cell was running.`
          : detail,
      ...(result.interrupted ? { stop: "interrupted" as const } : result.timedOut ? { stop: "timeout" as const } : {}),
    };
  }
  if (failure !== undefined && result.timedOut && !result.interrupted && failure.stop !== "timeout") {
    // The process-level limit struck (the hooks saw its SIGTERM as an interrupt).
    failure = {
      cellIndex: failure.cellIndex,
      firstLine: failure.firstLine,
      errorText: `The notebook did not finish within its time limit of ${options.timeoutSeconds} s; this cell was running.`,
      stop: "timeout",
    };
  }
  if (failure?.stop === "kernel died") {
    const log = kernelLogTail(kernelLogPath);
    if (log !== "") failure = { ...failure, errorText: `${failure.errorText}\nThe kernel's last output:\n${log.replace(/^/gm, "  ")}` };
  }
  rmSync(kernelLogPath, { force: true });
  return {
    ok: false,
    durationMs: result.durationMs,
    executedPath,
    ...(failure !== undefined ? { failure } : {}),
    ...(existsSync(failedNotebookPath) ? { failedNotebookPath } : {}),
    timedOut: result.timedOut,
    interrupted: result.interrupted,
    detail,
  };
}
