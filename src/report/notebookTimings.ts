import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunMode } from "./runMode";

/**
 * How long each notebook took when it last ran to the end, per run mode: milliseconds by notebook file name.
 * The report folder keeps it as `timings.json`; the runner reads it to start the longest notebooks first.
 */
export type NotebookTimings = Partial<Record<RunMode, Readonly<Record<string, number>>>>;

/** The file in the report folder that holds the timings. */
export const TIMINGS_FILE = "timings.json";

const MODES: readonly RunMode[] = ["quick", "full"];

/**
 * Reads `<folder>/timings.json`. A missing file is no timings; a file that cannot be read or parsed, or an entry that
 * is not a finite non-negative number of milliseconds, is left out, and `problem` says what was wrong (the timings
 * only order the notebooks, so nothing fails because of them).
 *
 * Cost: one small file read.
 *
 * @param folder the report folder
 * @returns the timings found, and a description of what was left out ("" when nothing was)
 * @example
 * import { mkdirSync, writeFileSync } from "node:fs";
 * mkdirSync("reports");
 * writeFileSync("reports/timings.json", JSON.stringify({ full: { "a.ipynb": 4000, "b.ipynb": "soon" } }));
 * readNotebookTimings("reports")
 * // => { timings: { full: { "a.ipynb": 4000 } }, problem: 'reports/timings.json: full["b.ipynb"] is not a duration' }
 */
export function readNotebookTimings(folder: string): { timings: NotebookTimings; problem: string } {
  const path = join(folder, TIMINGS_FILE);
  if (!existsSync(path)) return { timings: {}, problem: "" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    return { timings: {}, problem: `${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { timings: {}, problem: `${path}: not a JSON object` };
  const timings: NotebookTimings = {};
  const problems: string[] = [];
  for (const mode of MODES) {
    const record: unknown = (parsed as Record<string, unknown>)[mode];
    if (record === undefined) continue;
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      problems.push(`${mode} is not an object`);
      continue;
    }
    const kept: Record<string, number> = {};
    for (const [name, value] of Object.entries(record)) {
      if (typeof value === "number" && Number.isFinite(value) && value >= 0) kept[name] = value;
      else problems.push(`${mode}[${JSON.stringify(name)}] is not a duration`);
    }
    timings[mode] = kept;
  }
  return { timings, problem: problems.length > 0 ? `${path}: ${problems.join("; ")}` : "" };
}

/**
 * The order in which to start the notebooks: those without a recorded time first, in the order given (a new
 * notebook may be long), then the others from the longest recorded time to the shortest (equal times in the order
 * given). With several at once the longest then run first and the short ones fill the end, so the lanes finish close
 * together (the longest-processing-time rule). The times are those of `mode`, or the other mode's where they cover
 * more of the notebooks (after a quick setup, the first full report is ordered by the quick times); the two modes'
 * times are never mixed.
 *
 * Cost: O(m log m) for m notebooks.
 *
 * @param names the notebooks' file names, in the order given (name order)
 * @param mode the run mode
 * @param timings the recorded timings
 * @returns the indices into `names`, in start order
 * @example
 * startOrder(["a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb"], "full", { full: { "a.ipynb": 8000, "b.ipynb": 45000, "d.ipynb": 20000 } })
 * // => [2, 1, 3, 0]  (c has no time; then b, d, a)
 */
export function startOrder(names: readonly string[], mode: RunMode, timings: NotebookTimings): number[] {
  const own = timings[mode] ?? {};
  const other = timings[mode === "full" ? "quick" : "full"] ?? {};
  const covered = (record: Readonly<Record<string, number>>): number => names.filter((name) => Object.hasOwn(record, name)).length;
  const recorded = covered(other) > covered(own) ? other : own;
  const time = (k: number): number | undefined => {
    const name = names[k] as string;
    return Object.hasOwn(recorded, name) ? recorded[name] : undefined;
  };
  const indices = names.map((_, k) => k);
  const unknown = indices.filter((k) => time(k) === undefined);
  const known = indices.filter((k) => time(k) !== undefined).sort((a, b) => (time(b) as number) - (time(a) as number) || a - b);
  return [...unknown, ...known];
}

/**
 * Writes `<folder>/timings.json`: `previous` with the durations of this run's notebooks that ran to the end put in
 * for `mode` (a notebook that failed, was interrupted or did not run keeps its earlier time).
 *
 * Cost: one small file write.
 *
 * @param folder where to write
 * @param previous the timings read before the run
 * @param mode this run's mode
 * @param finished name and duration (ms) of each notebook that ran to the end
 * @returns the timings written
 * @example
 * import { mkdirSync, readFileSync } from "node:fs";
 * mkdirSync("out");
 * writeNotebookTimings("out", { full: { "a.ipynb": 9000 } }, "full", [{ name: "b.ipynb", durationMs: 3000 }]);
 * JSON.parse(readFileSync("out/timings.json", "utf8")) // => { full: { "a.ipynb": 9000, "b.ipynb": 3000 } }
 */
export function writeNotebookTimings(
  folder: string,
  previous: NotebookTimings,
  mode: RunMode,
  finished: readonly { readonly name: string; readonly durationMs: number }[],
): NotebookTimings {
  const record: Record<string, number> = { ...(previous[mode] ?? {}) };
  for (const { name, durationMs } of finished) record[name] = Math.round(durationMs);
  const timings: NotebookTimings = { ...previous, [mode]: record };
  writeFileSync(join(folder, TIMINGS_FILE), `${JSON.stringify(timings, null, 2)}\n`);
  return timings;
}
