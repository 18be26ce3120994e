import { createHash } from "node:crypto";
import { ParameterError } from "../model/parameterError";
import { isTransferable } from "../model/policy";
import { type SystemParams, validateSystem } from "../model/system";
import { canonicalJson } from "./cache/resultCache";

/** One configuration of a study: the system to simulate, the grid values that made it, and its key. */
export interface StudyCell<A extends Record<string, unknown> = Record<string, unknown>> {
  /**
   * A stable identifier of the system alone (16 hex digits of SHA-256 over its canonical JSON), independent of
   * the axes' names and of which other cells the study has: the cell's seed derives from it.
   */
  readonly key: string;
  /** The grid values of this cell, by axis name (the columns of the study's DataFrame). */
  readonly axes: A;
  /** The system (validated). */
  readonly system: SystemParams;
}

type AxisValues<A extends Record<string, readonly unknown[]>> = { readonly [K in keyof A]: A[K][number] };

/**
 * The key of a system: 16 hex digits of SHA-256 over its canonical JSON (keys sorted, NaN and infinities
 * kept). Equal systems have equal keys whatever their field order. Cost O(size of the system).
 *
 * @example
 * cellKey({ queues: 10, arrivalRate: 0.5, migrationPenalty: 1, policy: { kind: "none" } }).length // => 16
 */
export function cellKey(system: SystemParams): string {
  return createHash("sha256").update(canonicalJson(system)).digest("hex").slice(0, 16);
}

/**
 * The cells of a study: every combination of the axes' values (the Cartesian product, first axis slowest),
 * each turned into a system by `build`. Every system is validated before anything runs, and two combinations
 * that build the same system are refused (they would be one cell). Cost O(cells x axes).
 *
 * @param axes named lists of values, for example { C: [2, 3, 4], lambda: [0.7, 0.8] } (each non-empty)
 * @param build the system of one combination of values
 * @throws ParameterError naming the axis (empty), the cell (invalid system, with the system's own parameter
 *   named; a rule given as a function, which a study cannot cache) or the duplicate
 * @example
 * const cells = studyGrid({ C: [2, 3], lambda: [0.7, 0.8] }, ({ C, lambda }) =>
 *   ({ queues: 100, arrivalRate: lambda, migrationPenalty: 2, policy: abounce(C, 10) }));
 * cells.length   // => 4
 * cells[1].axes  // => { C: 2, lambda: 0.8 }
 */
export function studyGrid<A extends Record<string, readonly unknown[]>>(
  axes: A,
  build: (values: AxisValues<A>) => SystemParams,
): StudyCell<AxisValues<A>>[] {
  if (axes === null || typeof axes !== "object") throw new ParameterError("axes", axes, "an object of named, non-empty arrays");
  if (typeof build !== "function") throw new ParameterError("build", build, "a function from axis values to a system");
  const names = Object.keys(axes);
  for (const name of names) {
    const values = axes[name];
    if (!Array.isArray(values) || values.length === 0) throw new ParameterError(`axes.${name}`, values, "a non-empty array of values");
  }
  const combos: Record<string, unknown>[] = [{}];
  for (const name of names) {
    const next: Record<string, unknown>[] = [];
    for (const c of combos) for (const v of axes[name] as readonly unknown[]) next.push({ ...c, [name]: v });
    combos.splice(0, combos.length, ...next);
  }
  const seen = new Map<string, number>();
  return combos.map((values, index) => {
    const system = build(values as AxisValues<A>);
    try {
      validateSystem(system);
    } catch (error) {
      if (error instanceof ParameterError) {
        throw new ParameterError(error.parameter, error.value, error.allowed, `cell ${index} ${JSON.stringify(values)}${error.note ? `; ${error.note}` : ""}`);
      }
      throw error;
    }
    if (!isTransferable(system.policy)) {
      throw new ParameterError("policy", system.policy.kind,
        "a declared policy (a rule given as a function cannot be cached or sent to worker threads: use runSimulation)", `cell ${index}`);
    }
    const key = cellKey(system);
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw new ParameterError("axes", values, "combinations that build different systems",
        `cell ${index} builds the same system as cell ${previous}`);
    }
    seen.set(key, index);
    return { key, axes: values as AxisValues<A>, system };
  });
}

/**
 * Cells from a plain list of systems, with no axes (each cell's axes hold its index).
 *
 * @example
 * studyCells([{ queues: 10, arrivalRate: 0.5, migrationPenalty: 1, policy: { kind: "none" } }])[0].axes // => { index: 0 }
 */
export function studyCells(systems: readonly SystemParams[]): StudyCell<{ index: number }>[] {
  if (!Array.isArray(systems) || systems.length === 0) throw new ParameterError("systems", systems, "a non-empty array of systems");
  return studyGrid({ index: systems.map((_, k) => k) }, ({ index }) => systems[index] as SystemParams);
}
