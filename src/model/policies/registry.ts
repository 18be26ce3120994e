import { readdirSync } from "node:fs";
import { extname, join } from "node:path";
import { ParameterError } from "../parameterError";
import type { PolicyDeclaration, PolicySpec } from "./policyDeclaration";

/**
 * The registry of policy declarations: every file of this folder that exports `declaration` (see
 * policyDeclaration.ts). The folder is read once, at first use, in whichever form the package runs (compiled
 * .js under dist/, or .ts sources under tsx), so that adding a policy is adding one file: nothing else lists
 * the policies. Worker threads load the same folder, so a declared policy also runs on them.
 */
let byKind: Map<string, PolicyDeclaration> | undefined;

const NOT_POLICIES = new Set(["registry", "policyDeclaration", "samples", "index"]);

function load(): Map<string, PolicyDeclaration> {
  if (byKind) return byKind;
  const extension = extname(__filename); // ".js" compiled, ".ts" from sources
  const map = new Map<string, PolicyDeclaration>();
  const files = readdirSync(__dirname).filter((f) => f.endsWith(extension) && !f.endsWith(`.d${extension}`)).sort();
  for (const file of files) {
    const base = file.slice(0, -extension.length);
    if (NOT_POLICIES.has(base)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(__dirname, file)) as { declaration?: PolicyDeclaration };
    const declaration = mod.declaration;
    if (!declaration) continue;
    if (!/^[a-z][a-z0-9-]*$/.test(declaration.kind)) throw new Error(`policy file ${file}: kind "${declaration.kind}" is not lower-case letters, digits and '-'`);
    if (map.has(declaration.kind)) throw new Error(`policy file ${file}: kind "${declaration.kind}" is declared twice`);
    map.set(declaration.kind, declaration);
  }
  byKind = map;
  return map;
}

/**
 * Every declared policy, in the order of their files' names. Cost: reads the folder once per process.
 *
 * @example
 * policyDeclarations().map((p) => p.kind).includes("abounce") // => true
 */
export function policyDeclarations(): readonly PolicyDeclaration[] {
  return [...load().values()];
}

/**
 * The declaration of a policy kind, or of a spec's kind. Cost O(1) after the first call.
 *
 * @throws ParameterError naming "policy" and listing the declared kinds when the kind is unknown
 * @example
 * policyDeclaration("mbounce").title // => "MBOUNCE(alpha, d)"
 */
export function policyDeclaration(kindOrSpec: string | PolicySpec): PolicyDeclaration {
  const kind = typeof kindOrSpec === "string" ? kindOrSpec : (kindOrSpec as { kind?: unknown } | null)?.kind;
  const declaration = typeof kind === "string" ? load().get(kind) : undefined;
  if (!declaration) {
    throw new ParameterError("policy", typeof kindOrSpec === "string" ? kindOrSpec : kind ?? kindOrSpec,
      `one of ${[...load().keys()].map((k) => `"${k}"`).join(", ")}`);
  }
  return declaration;
}

/**
 * Builds a policy of any declared kind from its parameter values (keyed by the declaration's parameter names)
 * and d. Validation happens where the policy is used (validateSystem), against K.
 *
 * @throws ParameterError for an unknown kind or a missing parameter
 * @example
 * makePolicy("abounce", { threshold: 3 }, 10) // => { kind: "abounce", threshold: 3, samples: 10 }
 */
export function makePolicy(kind: string, values: Readonly<Record<string, number | readonly number[]>> = {}, samples = 2): PolicySpec {
  const declaration = policyDeclaration(kind);
  for (const p of declaration.parameters) {
    if (values[p.name] === undefined) throw new ParameterError(p.name, undefined, `required for ${declaration.title}: ${p.description}`);
  }
  return declaration.create(values, samples);
}
