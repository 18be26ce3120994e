import { extname } from "node:path";
import type { DataFrame } from "danfojs-node";
import { ParameterError } from "../model/parameterError";
import { type PolicySpec, policyLabel, sampleCount } from "../model/policy";
import { DEFAULT_SAMPLING } from "../model/sampling";
import { loadDanfo as danfo } from "./dataFrame";
import type { StudyCellResult, StudyResult } from "./runStudy";

/** The estimates a study's DataFrame carries, each as three columns: the mean and its 95% bounds (`_lo`, `_hi`). */
export const FRAME_ESTIMATES = ["meanQueueLength", "meanDelay", "migrationFraction", "effectiveLoad", "throughput"] as const;

type Row = Record<string, number | string | boolean>;


function isPolicy(value: unknown): value is PolicySpec {
  return value !== null && typeof value === "object" && typeof (value as { kind?: unknown }).kind === "string";
}

/** An axis value as a table cell: numbers, strings and booleans as they are, a policy as its label, else JSON. */
function axisCell(value: unknown): number | string | boolean {
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (isPolicy(value)) {
    try {
      return policyLabel(value);
    } catch {
      return JSON.stringify(value);
    }
  }
  return JSON.stringify(value) ?? String(value);
}

function axisColumns(cell: StudyCellResult): Row {
  const row: Row = {};
  for (const [name, value] of Object.entries(cell.axes)) row[name] = axisCell(value);
  return row;
}

/**
 * The rows of {@link studyFrame} as plain objects (for code that does not need a DataFrame). Cost O(cells).
 *
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const study = await runStudy({ name: "demo", cells, simulation: { events: 1e5, replications: 2 } });
 * const row = studyRows(study)[0];
 * [row.lambda, row.policy, row.meanQueueLength, row.meanQueueLength_lo, row.meanQueueLength_hi] // => [0.5, "no sharing", 1.0011, 0.711, 1.291]
 */
export function studyRows(study: Pick<StudyResult, "cells">): Row[] {
  return study.cells.map((cell) => {
    const p = cell.point;
    const s = cell.system;
    const row: Row = {
      ...axisColumns(cell),
      policy: policyLabel(s.policy),
      queues: s.queues,
      arrivalRate: s.arrivalRate,
      migrationPenalty: s.migrationPenalty,
      samples: sampleCount(s.policy),
      sampling: s.sampling ?? DEFAULT_SAMPLING,
      replications: p.replications,
      events: p.events,
      seed: cell.seed,
    };
    for (const name of FRAME_ESTIMATES) {
      const e = p[name];
      row[name] = e.mean;
      row[`${name}_lo`] = e.ci95[0];
      row[`${name}_hi`] = e.ci95[1];
    }
    row["stability"] = p.stability.verdict;
    row["growthRatePerQueue"] = p.stability.growthRatePerQueue;
    row["growthRatePerQueue_lo"] = p.stability.growthRatePerQueueCi95[0];
    row["growthRatePerQueue_hi"] = p.stability.growthRatePerQueueCi95[1];
    row["fromCache"] = cell.fromCache;
    row["key"] = cell.key;
    return row;
  });
}

/**
 * A study as a danfojs-node DataFrame, one row per cell: the axes (a policy axis shows its label), the system
 * (policy, queues, arrivalRate, migrationPenalty, samples, sampling), the run (replications, events, seed), each
 * estimate of FRAME_ESTIMATES as `name`, `name_lo`, `name_hi` (95% bounds), the stability verdict with the
 * growth rate per queue and its bounds, fromCache and the cell key. Cost O(cells); the first call loads
 * danfojs-node (about 2 s).
 *
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const study = await runStudy({ name: "demo", cells, simulation: { events: 1e5, replications: 2 } });
 * const frame = studyFrame(study);
 * frame.shape // => [2, 31] (one row per cell)
 * frame.columns.slice(0, 3) // => ["lambda", "policy", "queues"] (the axes come first)
 */
export function studyFrame(study: Pick<StudyResult, "cells">): DataFrame {
  const d = danfo();
  return new d.DataFrame(studyRows(study));
}

/**
 * The queue-length tails of a study in long form, one row per (cell, level): the axes, policy, `level` l,
 * `tail` = P(Q >= l) (so level 0 has tail 1) and its 95% bounds `tail_lo`, `tail_hi` (NaN with one
 * replication), and the cell key. Cost O(cells x levels).
 *
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const study = await runStudy({ name: "demo", cells, simulation: { events: 1e5, replications: 2 } });
 * const tails = tailFrame(study);
 * tails.columns // => ["lambda", "policy", "level", "tail", "tail_lo", "tail_hi", "key"] (the axes, then the tail in long form)
 */
export function tailFrame(study: Pick<StudyResult, "cells">): DataFrame {
  const rows: Row[] = [];
  for (const cell of study.cells) {
    const axes = axisColumns(cell);
    const policy = policyLabel(cell.system.policy);
    cell.point.tail.forEach((tail, level) => {
      const ci = cell.point.tailCi95?.[level];
      rows.push({ ...axes, policy, level, tail, tail_lo: ci ? ci[0] : NaN, tail_hi: ci ? ci[1] : NaN, key: cell.key });
    });
  }
  return new (danfo().DataFrame)(rows);
}

/**
 * Writes a DataFrame as CSV or JSON (by the file's extension, .csv or .json; JSON as an array of row
 * objects, where NaN becomes null), through danfojs-node. Cost O(cells).
 *
 * @throws ParameterError for another extension
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const study = await runStudy({ name: "demo", cells, simulation: { events: 1e5, replications: 2 } });
 * import { readFileSync } from "node:fs";
 * exportFrame(studyFrame(study), "demo.csv");
 * readFileSync("demo.csv", "utf8").split("\n")[0].split(",").slice(0, 4) // => ["lambda", "policy", "queues", "arrivalRate"]
 * exportFrame(studyFrame(study), "demo.xlsx") // throws ParameterError "a path ending in .csv or .json"
 */
export function exportFrame(frame: DataFrame, file: string): void {
  const d = danfo();
  const extension = extname(file).toLowerCase();
  if (extension === ".csv") d.toCSV(frame, { filePath: file });
  else if (extension === ".json") d.toJSON(frame, { filePath: file }); // danfojs's default: an array of row objects
  else throw new ParameterError("file", file, "a path ending in .csv or .json");
}
