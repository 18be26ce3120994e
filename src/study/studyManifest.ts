import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ParameterError, requireInteger } from "../model/parameterError";
import type { SystemParams } from "../model/system";
import { canonicalJson, parseCacheJson } from "./cache/cacheJson";
import { codeVersion } from "./cache/codeVersion";
import { writeFileAtomic } from "./cache/writeFileAtomic";
import type { ResolvedSimulationOptions, SimulationOptions } from "../simulate/simulationOptions";
import { resolveStudy } from "./resolveStudy";
import type { StudyOptions } from "./runStudy";

/** A study as a manifest takes it: what runStudy takes, without its callbacks and cache (they do not travel). */
export type StudyDefinition<A extends Record<string, unknown> = Record<string, unknown>> = Omit<StudyOptions<A>, "onProgress" | "cache">;

/** The code that planned a manifest; only the same code may run or merge it (codeHash decides). */
export interface ManifestCode {
  readonly packageVersion: string;
  readonly commit: string;
  /** True when the checkout had uncommitted changes under src/ at planning time. */
  readonly dirty: boolean;
  /** "dist" (compiled, as the CLI and notebooks run) or "src" (through tsx, as the unit tests run). */
  readonly codeTree: string;
  /** The Node.js version (part of codeHash). */
  readonly node: string;
  /** codeVersion().codeHash: the code files, Node.js and the installed packages. */
  readonly codeHash: string;
}

/** One cell of a planned study: its configuration and its derived seed. */
export interface ManifestCell {
  /** Position in the study (the order of the merged DataFrame). */
  readonly index: number;
  /** The cell's key (studyGrid): its identity, its seed's input and part of its result files' names. */
  readonly key: string;
  readonly axes: Readonly<Record<string, unknown>>;
  readonly system: SystemParams;
  /** The cell's seed (cellSeed of the study seed and the key). */
  readonly seed: number;
  /** The study's simulation options for the cell with its seed: the options of its cache key. */
  readonly options: SimulationOptions;
  /** The same options resolved (defaults filled, validated) by the planning code. */
  readonly resolved: ResolvedSimulationOptions;
  /** Replications of the cell (resolved.replications). */
  readonly replications: number;
}

/** A unit of work: replications [from, to) of one cell. Replication r always uses stream r of the cell's seed. */
export interface ManifestUnit {
  readonly index: number;
  /** `<cell key>-r<from>-<to - 1>`: the name of its result file (`<id>.json`). */
  readonly id: string;
  /** The cell's index in `cells`. */
  readonly cell: number;
  readonly key: string;
  readonly from: number;
  /** Exclusive. */
  readonly to: number;
  /** Estimated work in events (warm-ups included): what the shards balance. */
  readonly cost: number;
}

/** A study planned for running elsewhere: its cells, the units of work, the code that planned it, and a hash over all of it. */
export interface StudyManifest {
  readonly format: number;
  /** "sha256:<hex>" over the canonical text of every other field: a manifest edited by hand no longer matches. */
  readonly manifestHash: string;
  readonly study: {
    readonly name: string;
    readonly seed: number;
    readonly commonRandomNumbers: boolean;
    readonly pathPoints: number;
  };
  readonly code: ManifestCode;
  /** The number of shards the units were split for: the default array size of `study slurm` and of `study run`. */
  readonly plannedShards: number;
  readonly cells: readonly ManifestCell[];
  readonly units: readonly ManifestUnit[];
}

/** Options of {@link planStudyManifest} and {@link writeStudyManifest}. */
export interface ManifestPlanOptions {
  /**
   * The number of shards (array tasks) the study will run as, an integer in [1, 100000]. With it, a cell whose
   * replications are a large share of the work is split into several units so that the shards balance (each unit
   * at most a quarter of one shard's share, when replications allow). Default: one shard per unit.
   */
  readonly shards?: number;
  /**
   * At most this many replications per unit, an integer in [1, 10000] (overrides the split chosen for `shards`).
   * Default: whole cells without `shards`.
   */
  readonly replicationsPerUnit?: number;
}

/** Layout version of manifests; another version is never read. */
export const MANIFEST_FORMAT = 1;

/** Expected events of one replication, warm-up included: what a unit costs. */
function replicationCost(system: SystemParams, o: ResolvedSimulationOptions): number {
  if (o.budget === "events") return o.events + o.warmup;
  return (o.time + o.warmup) * system.queues * (system.arrivalRate + 1);
}

/**
 * The hash of a manifest body (everything but the hash): "sha256:" and the SHA-256 of its canonical text
 * (canonicalJson), so key order and formatting do not matter and every value does. Cost O(size).
 *
 * @throws ParameterError for a body canonicalJson cannot encode
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * writeStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 4 } }, "runs/demo.json", { replicationsPerUnit: 2 });
 * const { manifestHash, ...body } = readStudyManifest("runs/demo.json");
 * manifestBodyHash(body) === manifestHash // => true
 */
export function manifestBodyHash(body: Omit<StudyManifest, "manifestHash">): string {
  return `sha256:${createHash("sha256").update(canonicalJson(body, "manifest")).digest("hex")}`;
}

/** Splits `count` replications into `parts` consecutive ranges whose sizes differ by at most one. */
function ranges(count: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const base = Math.floor(count / parts);
  const extra = count % parts;
  let from = 0;
  for (let k = 0; k < parts; k++) {
    const size = base + (k < extra ? 1 : 0);
    out.push([from, from + size]);
    from += size;
  }
  return out;
}

/**
 * Plans a study for running as independent shards (a Slurm job array, a Kubernetes Indexed Job, GNU parallel):
 * the cells with their configuration, derived seed and resolved options (resolveStudy, as runStudy derives
 * them), the units of work (replication ranges of the cells), the planning code's version and a hash over all
 * of it. Nothing is simulated. Replication r of a cell always uses stream r of the cell's seed, so units can run
 * anywhere in any order and the merged cell equals the one runStudy computes. Cost O(cells + units), plus
 * codeVersion (a stat per code file).
 *
 * @param study the study definition (what runStudy takes; onProgress and cache are ignored)
 * @param options shards and replicationsPerUnit (see ManifestPlanOptions)
 * @returns the manifest (plain data; writeStudyManifest writes it)
 * @throws ParameterError for a bad study (see resolveStudy), duplicate or malformed cell keys, a precision-driven
 *   simulation (its replications depend on earlier results and cannot be planned ahead), axes or systems the
 *   manifest cannot encode faithfully, or bad options
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) => ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * const m = planStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 4 } }, { shards: 4 });
 * m.units.map((u) => [u.cell, u.from, u.to]) // => [[0, 0, 1], [0, 1, 2], [0, 2, 3], [0, 3, 4], [1, 0, 1], [1, 1, 2], [1, 2, 3], [1, 3, 4]]
 */
export function planStudyManifest(study: StudyDefinition, options: ManifestPlanOptions = {}): StudyManifest {
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object with shards and replicationsPerUnit");
  const shards = options.shards === undefined ? undefined : requireInteger("shards", options.shards, 1, 100_000);
  const perUnit = options.replicationsPerUnit === undefined ? undefined : requireInteger("replicationsPerUnit", options.replicationsPerUnit, 1, 10_000);
  const resolved = resolveStudy(study);
  const seen = new Map<string, number>();
  const cells: ManifestCell[] = resolved.cells.map(({ cell, options: o, resolved: r, seed }, index) => {
    if (typeof cell.key !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(cell.key)) {
      throw new ParameterError(`cells[${index}].key`, cell.key, "1-64 letters, digits, '-' or '_' (studyGrid makes 16 hex digits)");
    }
    const previous = seen.get(cell.key);
    if (previous !== undefined) throw new ParameterError(`cells[${index}].key`, cell.key, "a key no other cell has", `cell ${previous} has it too`);
    seen.set(cell.key, index);
    if (r.precision !== undefined) {
      throw new ParameterError("precision", o.precision, "absent: a precision-driven run adds replications in rounds that depend on earlier results, so it cannot be planned ahead (give events and replications)", `cell ${index}`);
    }
    return { index, key: cell.key, axes: cell.axes, system: cell.system, seed, options: o, resolved: r, replications: r.replications };
  });

  const costs = cells.map((c) => replicationCost(c.system, c.resolved));
  const total = cells.reduce((s, c, k) => s + c.replications * (costs[k] as number), 0);
  const units: ManifestUnit[] = [];
  cells.forEach((c, k) => {
    const cost = costs[k] as number;
    let size: number;
    if (perUnit !== undefined) size = Math.min(perUnit, c.replications);
    else if (shards !== undefined) size = Math.max(1, Math.min(c.replications, Math.floor(total / (4 * shards) / cost)));
    else size = c.replications;
    for (const [from, to] of ranges(c.replications, Math.ceil(c.replications / size))) {
      units.push({ index: units.length, id: `${c.key}-r${from}-${to - 1}`, cell: k, key: c.key, from, to, cost: (to - from) * cost });
    }
  });

  const v = codeVersion();
  const body: Omit<StudyManifest, "manifestHash"> = {
    format: MANIFEST_FORMAT,
    study: { name: resolved.name, seed: resolved.seed, commonRandomNumbers: resolved.commonRandomNumbers, pathPoints: resolved.pathPoints },
    code: { packageVersion: v.packageVersion, commit: v.commit, dirty: v.dirty, codeTree: v.codeTree, node: process.version, codeHash: v.codeHash },
    plannedShards: shards ?? units.length,
    // through the cache's faithful text and back: what is planned is exactly what a reader of the file gets
    cells: parseCacheJson(canonicalJson(cells, "cells")) as ManifestCell[],
    units,
  };
  return { manifestHash: manifestBodyHash(body), ...body };
}

/**
 * The text of a manifest file: indented JSON, `manifestHash` first, values JSON cannot hold (NaN, Infinity)
 * written as the results cache writes them. Cost O(size).
 *
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * writeStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 4 } }, "runs/demo.json", { replicationsPerUnit: 2 });
 * import { readFileSync } from "node:fs";
 * manifestText(readStudyManifest("runs/demo.json")) === readFileSync("runs/demo.json", "utf8") // => true
 * manifestText(readStudyManifest("runs/demo.json")).startsWith('{\n "manifestHash": "sha256:') // => true
 */
export function manifestText(manifest: StudyManifest): string {
  const { manifestHash, ...body } = manifest;
  const plain = JSON.parse(canonicalJson(body, "manifest")) as Record<string, unknown>;
  return `${JSON.stringify({ manifestHash, ...plain }, null, 1)}\n`;
}

/**
 * Plans a study (planStudyManifest) and writes its manifest atomically, in one call: a notebook's study
 * exported for a cluster. The file is what `migration-penalties study run` and `study merge` read; the same
 * definition passed to runStudy later reads the merged cells from the cache. Cost: planStudyManifest plus one
 * write.
 *
 * @param study the study definition (what runStudy takes)
 * @param file where to write the manifest (its folder is created)
 * @param options shards and replicationsPerUnit (see ManifestPlanOptions)
 * @returns the manifest written
 * @throws ParameterError as planStudyManifest, or for an empty file name; the file system's error when the file
 *   cannot be written
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) => ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * writeStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 4 } }, "runs/demo.json", { replicationsPerUnit: 2 }).units.length
 * // => 4 (two replication ranges per cell)
 */
export function writeStudyManifest(study: StudyDefinition, file: string, options: ManifestPlanOptions = {}): StudyManifest {
  if (typeof file !== "string" || file === "") throw new ParameterError("file", file, "a path for the manifest");
  const manifest = planStudyManifest(study, options);
  const target = resolve(file);
  mkdirSync(dirname(target), { recursive: true });
  writeFileAtomic(target, manifestText(manifest));
  return manifest;
}
