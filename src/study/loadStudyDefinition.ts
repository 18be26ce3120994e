import { existsSync } from "node:fs";
import { extname, resolve } from "node:path";
import { ParameterError } from "../model/parameterError";
import type { StudyDefinition } from "./studyManifest";

const EXTENSIONS = [".js", ".cjs", ".ts", ".cts"];

/**
 * Loads a study definition from a module: its default export, or else its export named `study`, an object with
 * what runStudy takes (name, cells, simulation, and optionally seed, commonRandomNumbers, pathPoints). JavaScript
 * modules (.js, .cjs) load with require; TypeScript modules (.ts, .cts) through tsx (the project's development
 * dependency), so a study can import the package by name ("migration-penalties") or its sources. Loading runs
 * the module's code. Cost: loading the module.
 *
 * @param file the module's path, ending in .js, .cjs, .ts or .cts
 * @returns the definition (validated later by planStudyManifest)
 * @throws ParameterError for a missing file, another extension, or a module without a definition; the
 *   module's own error when loading it fails
 * @example
 * // A study module usually builds its cells with the package (scripts/cluster/study.js); this one lists them.
 * import { writeFileSync } from "node:fs";
 * writeFileSync("study.js", `exports.study = { name: "mm1", simulation: { events: 1e5 },
 *   cells: [{ key: "k0", axes: { lambda: 0.5 }, system: { queues: 10, arrivalRate: 0.5, migrationPenalty: 1, policy: { kind: "none" } } }] };`);
 * const study = loadStudyDefinition("study.js");
 * [study.name, study.cells.length] // => ["mm1", 1]
 * loadStudyDefinition("missing.js") // throws ParameterError "an existing module"
 */
export function loadStudyDefinition(file: string): StudyDefinition {
  if (typeof file !== "string" || file === "") throw new ParameterError("study", file, "the path of a module (.js or .ts) exporting a study");
  const path = resolve(file);
  const extension = extname(path).toLowerCase();
  if (!EXTENSIONS.includes(extension)) throw new ParameterError("study", file, `a module ending in ${EXTENSIONS.join(", ")}`);
  if (!existsSync(path)) throw new ParameterError("study", file, "an existing module", "no such file");
  let loaded: Record<string, unknown>;
  if (extension === ".ts" || extension === ".cts") {
    let tsx: { require: (id: string, fromFile: string) => unknown };
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      tsx = require("tsx/cjs/api") as typeof tsx;
    } catch {
      throw new ParameterError("study", file, "a JavaScript module (.js), or install the development dependencies (npm ci) so that tsx can load TypeScript");
    }
    loaded = tsx.require(path, __filename) as Record<string, unknown>;
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(path) as Record<string, unknown>;
  }
  const exported = (loaded?.["default"] ?? loaded?.["study"] ?? loaded) as Partial<StudyDefinition> | undefined;
  if (exported === null || typeof exported !== "object" || !("cells" in exported) || !("name" in exported)) {
    throw new ParameterError("study", file, "a module whose default export (or export `study`) is a study: { name, cells, simulation, seed?, ... }");
  }
  return exported as StudyDefinition;
}
