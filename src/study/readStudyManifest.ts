import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ParameterError } from "../model/parameterError";
import { parseCacheJson } from "./cache/cacheJson";
import { codeVersion } from "./cache/codeVersion";
import { MANIFEST_FORMAT, type ManifestCode, type StudyManifest, manifestBodyHash } from "./studyManifest";

/** Why a manifest was refused. */
export type StudyManifestProblem = "edited" | "other code";

/**
 * A manifest that must not be used: edited after planning (its hash no longer matches) or planned by other code
 * (its results would be cached under a code version that did not compute them).
 */
export class StudyManifestError extends Error {
  readonly problem: StudyManifestProblem;
  readonly file: string;

  constructor(problem: StudyManifestProblem, file: string, message: string) {
    super(message);
    this.name = "StudyManifestError";
    this.problem = problem;
    this.file = file;
  }
}

/** Options of {@link readStudyManifest}. */
export interface ReadManifestOptions {
  /** Refuse a manifest planned by other code (default true; `study slurm` only warns). */
  readonly requireSameCode?: boolean;
}

/**
 * One line naming a code version: package, commit, tree, Node.js and the first 16 digits of the code hash.
 * Cost O(1).
 *
 * @example
 * describeCode({ packageVersion: "0.1.0", commit: "unknown", dirty: false, codeTree: "dist", node: "v20.20.2", codeHash: "ab".repeat(32) })
 * // => "migration-penalties 0.1.0 (no git commit, dist/, Node.js v20.20.2, code hash abababababababab)"
 */
export function describeCode(code: Omit<ManifestCode, "node"> & { readonly node?: string }): string {
  const commit = code.commit === "unknown" ? "no git commit" : `commit ${code.commit.slice(0, 12)}${code.dirty ? " with uncommitted changes" : ""}`;
  return `migration-penalties ${code.packageVersion} (${commit}, ${code.codeTree}/, Node.js ${code.node ?? "?"}, code hash ${code.codeHash.slice(0, 16)})`;
}

/**
 * The code running now, in the manifest's terms (codeVersion and the Node.js version). Cost: codeVersion.
 *
 * @example
 * currentManifestCode().node === process.version // => true
 */
export function currentManifestCode(): ManifestCode {
  const v = codeVersion();
  return { packageVersion: v.packageVersion, commit: v.commit, dirty: v.dirty, codeTree: v.codeTree, node: process.version, codeHash: v.codeHash };
}

function differences(a: ManifestCode, b: ManifestCode): string {
  const names: string[] = [];
  if (a.packageVersion !== b.packageVersion) names.push("package version");
  if (a.commit !== b.commit) names.push("commit");
  if (a.dirty !== b.dirty) names.push("uncommitted changes");
  if (a.codeTree !== b.codeTree) names.push("code tree (dist/ or src/)");
  if (a.node !== b.node) names.push("Node.js");
  return names.length > 0
    ? `they differ in: ${names.join(", ")}`
    : "same package, commit and Node.js: the compiled files or the installed packages differ (rebuild, or npm ci)";
}

/**
 * Reads a study manifest (written by `migration-penalties study plan` or writeStudyManifest) and checks it:
 * its hash must match its content, and, unless told otherwise, the code running now must be the code that
 * planned it (codeVersion().codeHash: same compiled files, Node.js and installed packages), since its results are
 * cached under that code's hash. Cost: reading the file, one SHA-256 over it, codeVersion.
 *
 * @param file the manifest's path
 * @param options requireSameCode (default true)
 * @returns the manifest
 * @throws ParameterError when the file cannot be read or is not a manifest of this layout; StudyManifestError
 *   ("edited") when its hash no longer matches its content, ("other code") when other code planned it, naming
 *   both versions
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * writeStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 4 } }, "runs/demo.json", { replicationsPerUnit: 2 });
 * readStudyManifest("runs/demo.json").units.length // => 4
 * readStudyManifest("runs/none.json") // throws ParameterError "a readable manifest file"
 */
export function readStudyManifest(file: string, options: ReadManifestOptions = {}): StudyManifest {
  if (typeof file !== "string" || file === "") throw new ParameterError("manifest", file, "the path of a manifest (migration-penalties study plan)");
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ParameterError("manifest", file, "a readable manifest file (migration-penalties study plan)", (e as Error).message);
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parseCacheJson(text) as Record<string, unknown>;
  } catch (e) {
    throw new StudyManifestError("edited", path, `${path} is not a readable manifest (${(e as Error).message}): it was damaged or edited; plan the study again`);
  }
  if (parsed === null || typeof parsed !== "object" || typeof parsed["manifestHash"] !== "string" || parsed["format"] === undefined) {
    throw new ParameterError("manifest", file, "a manifest written by migration-penalties study plan", "it has no manifestHash or format");
  }
  if (parsed["format"] !== MANIFEST_FORMAT) {
    throw new ParameterError("manifest", file, `a manifest of format ${MANIFEST_FORMAT}`, `it has format ${String(parsed["format"])}; plan the study again`);
  }
  const { manifestHash, ...body } = parsed;
  let computed: string;
  try {
    computed = manifestBodyHash(body as Omit<StudyManifest, "manifestHash">);
  } catch {
    computed = "";
  }
  if (computed !== manifestHash) {
    throw new StudyManifestError("edited", path,
      `${path} was changed after it was planned: its hash ${String(manifestHash).slice(0, 23)}... no longer matches its content ` +
      `(${computed === "" ? "unreadable" : `${computed.slice(0, 23)}...`}). Do not edit a manifest by hand: plan the study again (migration-penalties study plan).`);
  }
  const manifest = parsed as unknown as StudyManifest;
  if (options.requireSameCode ?? true) {
    const now = currentManifestCode();
    if (now.codeHash !== manifest.code.codeHash) {
      throw new StudyManifestError("other code", path,
        `${path} was planned by other code: planned by ${describeCode(manifest.code)}; this is ${describeCode(now)}; ` +
        `${differences(manifest.code, now)}. Run it with the code that planned it, or plan the study again with this code.`);
    }
  }
  return manifest;
}
