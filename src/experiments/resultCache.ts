import { createHash, randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ParameterError } from "../model/parameterError";
import { type CodeVersion, codeVersion, projectRoot } from "./codeVersion";

/** Where a cached result came from. Written beside every result. */
export interface Provenance extends CodeVersion {
  /** The study's name, for example "figure4-tails". */
  readonly study: string;
  /** Every parameter that determines the result (including seed and replications). JSON-serialisable. */
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
  /** The file holding it. */
  readonly file: string;
}

/** Options of {@link cachedStudy}. */
export interface CacheOptions {
  /** Directory of cache files; default <project>/data/cache. */
  readonly directory?: string;
  /**
   * "use" (default): reuse a matching entry, compute otherwise; "refresh": always compute and overwrite;
   * "off": compute and write nothing. The environment variable MP_CACHE overrides the default.
   */
  readonly mode?: "use" | "refresh" | "off";
}

/**
 * JSON with object keys sorted, so equal parameters give equal text whatever their key order. NaN and
 * the infinities (d = Infinity, a NaN estimate) are kept as `{"nonFinite": "Infinity"}` rather than
 * JSON's lossy null; {@link parseCacheJson} turns them back into numbers.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "number" && !Number.isFinite(v)) return { nonFinite: String(v) };
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v as Record<string, unknown>).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    if (typeof v === "function") throw new ParameterError("params", "[function]", "JSON-serialisable values only (a function cannot be cached)");
    return v;
  });
}

/** Parses text written by {@link canonicalJson}, restoring NaN and the infinities. */
export function parseCacheJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tag = (v as { nonFinite?: unknown }).nonFinite;
      if (keys.length === 1 && (tag === "NaN" || tag === "Infinity" || tag === "-Infinity")) return Number(tag);
    }
    return v;
  });
}

/**
 * Writes a file atomically: the text goes to a temporary file in the same directory, is flushed to disk,
 * then renamed over the target, so a crash or interrupt never leaves a half-written file under the
 * target's name. Cost: one write, one fsync, one rename.
 */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Runs a study once and caches its result in data/cache with its provenance (parameters, seed,
 * replications, package version, commit, source hash). An entry is reused only when its study name,
 * parameters and source hash all equal the request's; anything else recomputes, never silently
 * reusing a result for other parameters or other code. Writes are atomic.
 *
 * @param study a name made of letters, digits, '-' and '_'
 * @param params every input that determines the result (JSON-serialisable; functions are refused)
 * @param compute the computation, run only on a cache miss
 * @example
 * const r = await cachedStudy("demo", { lambda: 0.5, seed: 1 }, () => ({ answer: 42 }));
 * r.result.answer // => 42
 */
export async function cachedStudy<T>(
  study: string,
  params: unknown,
  compute: () => T | Promise<T>,
  options: CacheOptions = {},
): Promise<CachedResult<T>> {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(study)) {
    throw new ParameterError("study", study, "1-80 characters from letters, digits, '-' and '_'");
  }
  const envMode = process.env["MP_CACHE"];
  const mode = options.mode ?? (envMode === "refresh" || envMode === "off" ? envMode : "use");
  const version = codeVersion();
  const paramsText = canonicalJson(params);
  const key = createHash("sha256").update(`${study}\0${paramsText}\0${version.codeHash}`).digest("hex").slice(0, 20);
  const directory = options.directory ?? join(projectRoot(), "data", "cache");
  const file = join(directory, `${study}-${key}.json`);

  if (mode === "use") {
    let text: string | undefined;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        const entry = parseCacheJson(text) as { provenance: Provenance; result: T };
        const p = entry.provenance;
        if (p.study === study && p.codeHash === version.codeHash && canonicalJson(p.params) === paramsText) {
          return { result: entry.result, provenance: p, fromCache: true, file };
        }
      } catch {
        // unreadable entry: recompute and overwrite it
      }
    }
  }
  const started = process.hrtime.bigint();
  const result = await compute();
  const provenance: Provenance = {
    ...version,
    study,
    params: parseCacheJson(paramsText),
    createdAt: new Date().toISOString(),
    computeSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    node: process.version,
  };
  if (mode !== "off") {
    mkdirSync(directory, { recursive: true });
    writeFileAtomic(file, `${canonicalJson({ provenance, result })}\n`);
  }
  return { result, provenance, fromCache: false, file };
}
