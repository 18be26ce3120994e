import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { extname, isAbsolute } from "node:path";
import { Piscina } from "piscina";
import { ParameterError } from "../model/parameterError";

/**
 * Pools of worker threads for computations other than simulations (exact solves that take seconds each), one
 * pool per exported task function, kept across calls like the simulator's pool (src/simulate/replicationPool.ts): piscina
 * (the Node.js organisation's worker pool) starts threads on demand up to the number of cores and lets idle
 * ones end after IDLE_MILLISECONDS; idle threads do not keep a script alive.
 */
const IDLE_MILLISECONDS = 60_000;
const poolsKey = Symbol.for("migration-penalties.taskPools");

interface PoolsHolder {
  [poolsKey]?: Map<string, Piscina>;
}

function poolFor(file: string, exportName: string): Piscina {
  const holder = globalThis as PoolsHolder;
  const pools = (holder[poolsKey] ??= new Map());
  const key = `${file}#${exportName}`;
  const existing = pools.get(key);
  if (existing) return existing;
  // From TypeScript sources (tests through tsx), the threads load the sources through tsx's require hook.
  const execArgv = extname(file) === ".ts" ? ["--require", require.resolve("tsx/cjs")] : [];
  // A thread loads its handler when it starts, by the pool's `name`: one pool per exported function.
  const created = new Piscina({ filename: file, name: exportName, minThreads: 0, maxThreads: Math.max(1, availableParallelism()), idleTimeout: IDLE_MILLISECONDS, execArgv });
  pools.set(key, created);
  return created;
}

/**
 * Runs a function exported by a module once per input on worker threads, as many at once as there are cores,
 * and resolves to the outputs in input order: for independent computations that take seconds each (for
 * example one exact two-queue solve per (λ, K) pair), so that they use every core. Inputs and outputs cross
 * threads by structured clone, so they must be plain data (numbers, strings, arrays, plain objects, typed
 * arrays). The function takes one argument and may return a promise. Cost: the computations divided among the
 * cores, plus the threads' start (about 0.1-0.5 s each, once per pool) and a millisecond per task.
 *
 * A task that throws rejects the call with an Error carrying the worker's message (the error's class does not
 * cross threads; a task that must report a ParameterError returns it as data).
 *
 * @param file absolute path of the module (its compiled .js file, or its .ts source under tsx): usually
 *   `join(__dirname, "someTask" + extname(__filename))` from the calling module
 * @param exportName the exported function's name
 * @param inputs one argument per call (may be empty)
 * @returns the outputs, in input order
 * @throws ParameterError for a missing or relative file, or an export name that is not an identifier (before any work)
 * @example
 * import { writeFileSync } from "node:fs";
 * import { join } from "node:path";
 * const file = join(process.cwd(), "square.js");
 * writeFileSync(file, "exports.square = (x) => x * x;");
 * await runOnWorkers(file, "square", [1, 2, 3]) // => [1, 4, 9] (each squared on a worker thread)
 */
export async function runOnWorkers<I, O>(file: string, exportName: string, inputs: readonly I[]): Promise<O[]> {
  if (typeof file !== "string" || !isAbsolute(file) || !existsSync(file)) throw new ParameterError("file", file, "the absolute path of an existing module");
  if (typeof exportName !== "string" || !/^[A-Za-z_$][\w$]*$/.test(exportName)) throw new ParameterError("exportName", exportName, "the name of an exported function");
  if (!Array.isArray(inputs)) throw new ParameterError("inputs", inputs, "an array of arguments");
  if (inputs.length === 0) return [];
  const pool = poolFor(file, exportName);
  try {
    return await Promise.all(inputs.map((input) => pool.run(input, { name: exportName }) as Promise<O>));
  } catch (error) {
    throw new Error(`a task ${exportName} of ${file} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
