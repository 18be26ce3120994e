import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ParameterError } from "../../model/parameterError";
import { canonicalJson, parseCacheJson } from "./cacheJson";
import { type CodeVersion, currentCode, projectRoot } from "./codeVersion";
import { removeOrphanTemporaries, writeFileAtomic } from "./writeFileAtomic";

export { canonicalJson, parseCacheJson } from "./cacheJson";
export { writeFileAtomic } from "./writeFileAtomic";

/** Where a cached result came from. Written beside every result. */
export interface Provenance extends CodeVersion {
  /** The study's name, for example "figure4-tails". */
  readonly study: string;
  /** Every parameter that determines the result (including seed and replications), as canonicalJson encodes it. */
  readonly params: unknown;
  /** ISO time the computation finished. */
  readonly createdAt: string;
  /** Wall-clock seconds the computation took. */
  readonly computeSeconds: number;
  /** Node.js version. */
  readonly node: string;
}

/** A result with its provenance, and whether it came from the cache. */
export interface CachedResult<T> {
  readonly result: T;
  readonly provenance: Provenance;
  /** True when read from disk, false when computed in this call. */
  readonly fromCache: boolean;
  /** The file holding it (not written when the cache is off or could not be written). */
  readonly file: string;
}

/** Options of {@link cachedStudy}. */
export interface CacheOptions {
  /** Directory of cache files; default the environment variable MP_CACHE_DIR, else <project>/data/cache. */
  readonly directory?: string;
  /**
   * "use" (default): reuse a matching entry, compute otherwise; "refresh": always compute and overwrite;
   * "off": compute and neither read nor write. Without it, the environment variable MP_CACHE decides
   * (same three values; unset or empty means "use").
   */
  readonly mode?: "use" | "refresh" | "off";
}

/** Version of the entry layout; entries of another layout are never read. */
const FORMAT = 2;
const CHECKSUM_PREFIX = '{"checksum":"sha256:';
const MODES = ["use", "refresh", "off"] as const;
const HOW_TO_MOVE =
  "point the cache elsewhere with the environment variable MP_CACHE_DIR=<directory> (or CacheOptions.directory), " +
  "or turn it off with MP_CACHE=off";

const warned = new Set<string>();
const openedDirectories = new Set<string>();

/** Prints a message on stderr, once per process for each key. */
function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  process.stderr.write(`migration-penalties cache: ${message}\n`);
}

function errorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const message = e instanceof Error ? e.message : String(e);
  return code !== undefined && !message.startsWith(code) ? `${code}: ${message}` : message;
}

function cacheMode(options: CacheOptions): "use" | "refresh" | "off" {
  if (options.mode !== undefined) {
    if (!(MODES as readonly unknown[]).includes(options.mode)) throw new ParameterError("cache mode", options.mode, '"use", "refresh" or "off"');
    return options.mode;
  }
  const env = process.env["MP_CACHE"];
  if (env === undefined || env === "") return "use";
  if (!(MODES as readonly string[]).includes(env)) throw new ParameterError("MP_CACHE", env, '"use", "refresh", "off" or unset');
  return env as "use" | "refresh" | "off";
}

function cacheDirectory(options: CacheOptions): string {
  if (options.directory !== undefined) {
    if (typeof options.directory !== "string" || options.directory === "") {
      throw new ParameterError("cache directory", options.directory, "a non-empty path");
    }
    return resolve(options.directory);
  }
  const env = process.env["MP_CACHE_DIR"];
  return env !== undefined && env !== "" ? resolve(env) : join(projectRoot(), "data", "cache");
}

/** The text of an entry: its checksum (SHA-256 of everything after it), then the canonical entry. */
function entryText(provenance: Provenance, resultText: string): string {
  const body = `{"format":${FORMAT},"provenance":${canonicalJson(provenance, "provenance")},"result":${resultText}}`;
  const checksum = createHash("sha256").update(body).digest("hex");
  return `${CHECKSUM_PREFIX}${checksum}",${body.slice(1)}\n`;
}

type Lookup<T> =
  | { readonly kind: "missing" }
  | { readonly kind: "unusable"; readonly reason: string }
  | { readonly kind: "hit"; readonly result: T; readonly provenance: Provenance };

/** Reads the entry of a request and says whether it may be served: never a part, an edit or a mismatch. */
function lookup<T>(file: string, study: string, paramsText: string, codeHash: string): Lookup<T> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    if (code === "EACCES" || code === "EPERM") {
      warnOnce(`unreadable ${dirname(file)}`, `cannot read the results cache in ${dirname(file)} (${errorText(e)}): computing instead; ${HOW_TO_MOVE}`);
      return { kind: "missing" };
    }
    return { kind: "unusable", reason: `it cannot be read (${errorText(e)})` };
  }
  const head = CHECKSUM_PREFIX.length;
  const checksum = text.slice(head, head + 64);
  if (!text.startsWith(CHECKSUM_PREFIX) || !/^[0-9a-f]{64}$/.test(checksum) || text.slice(head + 64, head + 66) !== '",') {
    return { kind: "unusable", reason: "it has no checksum (damaged, or written by an older version)" };
  }
  const body = `{${text.slice(head + 66).replace(/\n$/, "")}`;
  if (createHash("sha256").update(body).digest("hex") !== checksum) {
    return { kind: "unusable", reason: "its checksum does not match its content (edited, truncated or damaged)" };
  }
  let entry: { format?: unknown; provenance?: Provenance; result?: T };
  try {
    entry = parseCacheJson(body) as typeof entry;
  } catch (e) {
    return { kind: "unusable", reason: `it cannot be parsed (${errorText(e)})` };
  }
  const p = entry?.provenance;
  if (entry === null || typeof entry !== "object" || entry.format !== FORMAT || p === null || typeof p !== "object") {
    return { kind: "unusable", reason: "it is not an entry of this version" };
  }
  if (!Object.hasOwn(entry, "result") || entry.result === null || entry.result === undefined) {
    return { kind: "unusable", reason: "it holds no result" };
  }
  let storedParams: string;
  try {
    storedParams = canonicalJson(p.params, "provenance.params");
  } catch {
    storedParams = "";
  }
  if (p.study !== study || p.codeHash !== codeHash || storedParams !== paramsText) {
    return { kind: "unusable", reason: "it was written for another study, other parameters or other code" };
  }
  return { kind: "hit", result: entry.result, provenance: p };
}

/**
 * Runs a study once and caches its result with its provenance (parameters, seed, replications, package
 * version, commit, the hash of the code that ran). Guarantees:
 * - An entry is served only when its study name, its parameters (canonicalJson: key order does not matter,
 *   NaN, Infinity, -0, Maps and typed arrays are told apart) and its code hash equal the request's, where the
 *   code hash identifies the compiled files actually running (dist/ or, through tsx, src/; see codeVersion),
 *   the Node.js version and the installed packages; and only when its SHA-256 checksum matches and it holds
 *   a result. A result is never served for other parameters or other code.
 * - An entry that fails these checks (edited, damaged, truncated, written by an older version) is recomputed
 *   and overwritten, with one line on stderr.
 * - Writes are atomic (temporary file, fsync, rename): readers, including other processes computing the same
 *   study at the same time, see a complete entry or none. Temporaries of writers that were killed are removed
 *   the first time a process uses the directory.
 * - A finished computation is never lost: when the cache cannot be written (permissions, read-only file
 *   system, full disk, a file where the directory should be) the result is returned, with one line on stderr
 *   saying how to point the cache elsewhere (MP_CACHE_DIR or options.directory). A result the cache cannot
 *   hold faithfully (a Set, a class instance, null, ...) is returned uncached, with one line on stderr.
 * - When the package's compiled files changed on disk after this process loaded them (a rebuild that a
 *   notebook has not re-imported yet), the code that would run is a mix of old and new: results are computed
 *   and neither read from nor written to the cache, with one line on stderr, until the package is reloaded.
 *
 * Cost: on a hit, reading and checking one file; on a miss, the computation plus one atomic write; each call
 * also stats the package's code files twice (a few milliseconds).
 *
 * @param study a name made of letters, digits, '-' and '_' (at most 80 characters)
 * @param params every input that determines the result (see canonicalJson for what it accepts)
 * @param compute the computation, run only on a cache miss; its result should be encodable by canonicalJson
 * @param options directory and mode (see CacheOptions; environment variables MP_CACHE_DIR and MP_CACHE)
 * @throws ParameterError for a bad study name, mode or directory, or params the cache cannot encode
 *   faithfully (for example a Set or a function), before any work
 * @example
 * const r = await cachedStudy("demo", { lambda: 0.5, seed: 1 }, () => ({ answer: 42 }), { mode: "off" });
 * r.result.answer // => 42
 * r.fromCache // => false (mode "off": computed, neither read nor written)
 */
export async function cachedStudy<T>(
  study: string,
  params: unknown,
  compute: () => T | Promise<T>,
  options: CacheOptions = {},
): Promise<CachedResult<T>> {
  if (typeof study !== "string" || !/^[A-Za-z0-9_-]{1,80}$/.test(study)) {
    throw new ParameterError("study", study, "1-80 characters from letters, digits, '-' and '_'");
  }
  const mode = cacheMode(options);
  const directory = cacheDirectory(options);
  const paramsText = canonicalJson(params, "params");
  const code = currentCode();
  const before = code.version;
  const key = createHash("sha256").update(`${study}\0${paramsText}\0${before.codeHash}`).digest("hex").slice(0, 20);
  const file = join(directory, `${study}-${key}.json`);

  let usable = mode !== "off";
  if (usable) {
    const changed = code.changedSinceLoad;
    if (changed.length > 0) {
      usable = false;
      warnOnce(
        "code changed",
        `${changed.length} compiled file(s) changed on disk since this process loaded them (${changed.slice(0, 3).join(", ")}` +
          `${changed.length > 3 ? ", ..." : ""}): results are computed but neither read from nor written to the cache ` +
          "until the package is reloaded (in a notebook: re-run the import cell) or the process restarts",
      );
    }
  }
  if (mode !== "off" && !openedDirectories.has(directory)) {
    openedDirectories.add(directory);
    removeOrphanTemporaries(directory);
  }
  if (usable && mode === "use") {
    const found = lookup<T>(file, study, paramsText, before.codeHash);
    if (found.kind === "hit") return { result: found.result, provenance: found.provenance, fromCache: true, file };
    if (found.kind === "unusable") warnOnce(`unusable ${file}\0${found.reason}`, `entry ${file} is unusable (${found.reason}): recomputing and overwriting it`);
  }

  const started = process.hrtime.bigint();
  const result = await compute();
  const provenance: Provenance = {
    ...before,
    study,
    params: parseCacheJson(paramsText),
    createdAt: new Date().toISOString(),
    computeSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    node: process.version,
  };
  if (!usable) return { result, provenance, fromCache: false, file };

  const after = currentCode();
  if (after.version.codeHash !== before.codeHash || after.changedSinceLoad.length > 0) {
    warnOnce(`code changed during ${file}`, `the package's code changed on disk while ${study} was computed: its result is returned but not cached`);
    return { result, provenance, fromCache: false, file };
  }
  let resultText: string;
  try {
    if (result === null || result === undefined) throw new ParameterError("result", result, "a value other than null or undefined");
    resultText = canonicalJson(result, "result");
  } catch (e) {
    warnOnce(`unencodable ${study}`, `the result of ${study} cannot be cached (${errorText(e)}): it is returned but not stored`);
    return { result, provenance, fromCache: false, file };
  }
  try {
    mkdirSync(directory, { recursive: true });
    writeFileAtomic(file, entryText(provenance, resultText));
  } catch (e) {
    warnOnce(
      `unwritable ${directory}`,
      `cannot write to the results cache in ${directory} (${errorText(e)}); results are still computed and returned, ` +
        `but not saved: ${HOW_TO_MOVE}`,
    );
  }
  return { result, provenance, fromCache: false, file };
}
