/**
 * The result files of a planned study's units (internal to study run and study merge): one file per unit,
 * `<unit id>.json`, written atomically, holding the unit's replication results without their timings, the
 * manifest hash, the unit and the code that computed it, behind a SHA-256 checksum. No time, host or duration
 * goes into the file, so computing a unit again gives the same bytes. A unit whose computation failed leaves
 * `<unit id>.failed.json` with the error instead.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { canonicalJson, parseCacheJson } from "./cache/cacheJson";
import { writeFileAtomic } from "./cache/writeFileAtomic";
import type { ReplicationResult } from "../simulate/replicationResult";
import type { ManifestUnit, StudyManifest } from "./studyManifest";

const FORMAT = 1;
const CHECKSUM_PREFIX = '{"checksum":"sha256:';

/** A replication result as stored: without its timings (wall-clock seconds and events per second). */
export type StoredReplication = Omit<ReplicationResult, "wallSeconds" | "eventsPerSecond">;

/**
 * Where results go when no folder is given: `<manifest folder>/<manifest name without extension>-results`. Cost O(1).
 *
 * @example
 * defaultResultsDirectory("/scratch/runs/demo.json") // => "/scratch/runs/demo-results"
 */
export function defaultResultsDirectory(manifestFile: string): string {
  const path = resolve(manifestFile);
  return join(dirname(path), `${basename(path, extname(path))}-results`);
}

/**
 * The result file of a unit: `<directory>/<unit id>.json`. Cost O(1).
 *
 * @example
 * unitResultFile("/r", { id: "0123456789abcdef-r0-3" } as ManifestUnit) // => "/r/0123456789abcdef-r0-3.json"
 */
export function unitResultFile(directory: string, unit: ManifestUnit): string {
  return join(directory, `${unit.id}.json`);
}

/**
 * The failure record of a unit: `<directory>/<unit id>.failed.json`. Cost O(1).
 *
 * @example
 * unitFailureFile("/r", { id: "0123456789abcdef-r0-3" } as ManifestUnit) // => "/r/0123456789abcdef-r0-3.failed.json"
 */
export function unitFailureFile(directory: string, unit: ManifestUnit): string {
  return join(directory, `${unit.id}.failed.json`);
}

/**
 * The exact text of a unit's result file: a checksum line over the canonical content (no timings). Equal
 * replications give equal text. Cost O(size of the results).
 *
 * @example
 * const cells = studyGrid({ lambda: [0.5] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const manifest = planStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 2 } });
 * const unit = manifest.units[0];
 * const cell = manifest.cells[unit.cell];
 * const results = [unit.from, unit.to - 1].map((r) => simulateReplication(cell.system, cell.options, r));
 * const text = unitResultText(manifest, unit, results);
 * text.startsWith('{"checksum":"sha256:') // => true
 * unitResultText(manifest, unit, results.map((r) => ({ ...r, wallSeconds: 0 }))) === text // => true (no timings in it)
 */
export function unitResultText(manifest: StudyManifest, unit: ManifestUnit, results: readonly ReplicationResult[]): string {
  const cell = manifest.cells[unit.cell];
  const replications: StoredReplication[] = results.map((r) => {
    const { wallSeconds: _wall, eventsPerSecond: _speed, ...kept } = r;
    return kept;
  });
  const body = canonicalJson({
    format: FORMAT,
    manifestHash: manifest.manifestHash,
    unit: { index: unit.index, id: unit.id, cell: unit.cell, key: unit.key, from: unit.from, to: unit.to },
    provenance: { study: manifest.study.name, seed: cell?.seed, code: manifest.code },
    replications,
  }, "unit result");
  const checksum = createHash("sha256").update(body).digest("hex");
  return `${CHECKSUM_PREFIX}${checksum}",${body.slice(1)}\n`;
}

/**
 * Writes a unit's result atomically (writeFileAtomic) and removes a failure record a previous attempt left.
 * Cost: one write, fsync and rename.
 *
 * @throws the file system's error when the folder cannot be written
 * @example
 * const cells = studyGrid({ lambda: [0.5] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const manifest = planStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 2 } });
 * const unit = manifest.units[0];
 * const cell = manifest.cells[unit.cell];
 * const results = [unit.from, unit.to - 1].map((r) => simulateReplication(cell.system, cell.options, r));
 * import { mkdirSync } from "node:fs";
 * mkdirSync("results");
 * writeUnitResult("results", manifest, unit, results);
 * readUnitResult("results", manifest, unit).kind // => "done"
 */
export function writeUnitResult(directory: string, manifest: StudyManifest, unit: ManifestUnit, results: readonly ReplicationResult[]): void {
  writeFileAtomic(unitResultFile(directory, unit), unitResultText(manifest, unit, results));
  rmSync(unitFailureFile(directory, unit), { force: true });
}

/**
 * Records that a unit failed, with the error (atomically): merge reports it. Cost: one small write.
 *
 * @example
 * const cells = studyGrid({ lambda: [0.5] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const manifest = planStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 2 } });
 * const unit = manifest.units[0];
 * import { mkdirSync } from "node:fs";
 * mkdirSync("results");
 * writeUnitFailure("results", manifest, unit, "a simulation replication failed: out of memory");
 * readUnitResult("results", manifest, unit) // => { kind: "failed", reason: "it failed: a simulation replication failed: out of memory" }
 */
export function writeUnitFailure(directory: string, manifest: StudyManifest, unit: ManifestUnit, error: string): void {
  writeFileAtomic(unitFailureFile(directory, unit), `${JSON.stringify({ manifestHash: manifest.manifestHash, unit: unit.id, error })}\n`);
}

/** The state of a unit's result. */
export type UnitState =
  | { readonly kind: "done"; readonly replications: readonly ReplicationResult[] }
  | { readonly kind: "missing" }
  | { readonly kind: "failed"; readonly reason: string };

function stored(file: string, manifest: StudyManifest, unit: ManifestUnit): UnitState | { kind: "invalid"; reason: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "missing" };
    return { kind: "invalid", reason: `its result file cannot be read (${(e as Error).message})` };
  }
  const head = CHECKSUM_PREFIX.length;
  const checksum = text.slice(head, head + 64);
  if (!text.startsWith(CHECKSUM_PREFIX) || !/^[0-9a-f]{64}$/.test(checksum) || text.slice(head + 64, head + 66) !== '",' || !text.endsWith("\n")) {
    return { kind: "invalid", reason: "its result file has no checksum (damaged or not a unit result)" };
  }
  const body = `{${text.slice(head + 66, -1)}`;
  if (createHash("sha256").update(body).digest("hex") !== checksum) {
    return { kind: "invalid", reason: "its result file does not match its checksum (edited, truncated or damaged)" };
  }
  let entry: { format?: unknown; manifestHash?: unknown; unit?: { id?: unknown; from?: unknown; to?: unknown }; replications?: StoredReplication[] };
  try {
    entry = parseCacheJson(body) as typeof entry;
  } catch (e) {
    return { kind: "invalid", reason: `its result file cannot be parsed (${(e as Error).message})` };
  }
  if (entry.format !== FORMAT) return { kind: "invalid", reason: "its result file has another format" };
  if (entry.manifestHash !== manifest.manifestHash) return { kind: "invalid", reason: "its result file belongs to another manifest" };
  const reps = entry.replications;
  if (entry.unit?.id !== unit.id || !Array.isArray(reps) || reps.length !== unit.to - unit.from ||
    reps.some((r, k) => r?.replication !== unit.from + k || r?.seed !== manifest.cells[unit.cell]?.seed)) {
    return { kind: "invalid", reason: "its result file holds other replications than the unit's" };
  }
  // timings are not stored: NaN says unknown (they enter no result)
  return { kind: "done", replications: reps.map((r) => ({ ...r, wallSeconds: NaN, eventsPerSecond: NaN })) };
}

/**
 * The state of a unit in a results folder: done (a valid result file for this manifest and unit, with its
 * replications, whose timings read as NaN), failed (a failure record, or a result file that is damaged or
 * belongs to another manifest), or missing. Cost: reading and checking one file.
 *
 * @example
 * const cells = studyGrid({ lambda: [0.5] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const manifest = planStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 2 } });
 * const unit = manifest.units[0];
 * readUnitResult("results", manifest, unit) // => { kind: "missing" } (before the unit ran)
 */
export function readUnitResult(directory: string, manifest: StudyManifest, unit: ManifestUnit): UnitState {
  const result = stored(unitResultFile(directory, unit), manifest, unit);
  if (result.kind === "done") return result;
  try {
    const failure = JSON.parse(readFileSync(unitFailureFile(directory, unit), "utf8")) as { manifestHash?: unknown; error?: unknown };
    if (failure.manifestHash === manifest.manifestHash) return { kind: "failed", reason: `it failed: ${String(failure.error)}` };
  } catch {
    // no failure record (or an unreadable one): the result file decides
  }
  if (result.kind === "invalid") return { kind: "failed", reason: result.reason };
  return { kind: "missing" };
}
