import { delimiter, join } from "node:path";

/**
 * The environment for Jupyter commands run for this project: the project's own kernelspecs
 * (registered by `npm run setup` under .jupyter/share/jupyter) come first on JUPYTER_PATH, and
 * JUPYTER_DATA_DIR is .jupyter/data, so that notebook signatures written by `jupyter trust` and read by
 * `npm run notebook` stay inside the project; nothing is written to a global Jupyter directory. Every
 * other variable (MP_MODE and any MP_* parameter) passes through unchanged, which is how notebook
 * parameters reach the kernel. Pure; cost O(size of env).
 *
 * @param root the project root (absolute)
 * @param env the environment to extend; default `process.env`
 * @returns a new environment object
 * @example
 * jupyterEnvironment("/p", {}).JUPYTER_PATH // => "/p/.jupyter/share/jupyter"
 */
export function jupyterEnvironment(
  root: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  const kernels = join(root, ".jupyter", "share", "jupyter");
  const existing = (env["JUPYTER_PATH"] ?? "").split(delimiter).filter((p) => p !== "" && p !== kernels);
  out["JUPYTER_PATH"] = [kernels, ...existing].join(delimiter);
  out["JUPYTER_DATA_DIR"] = join(root, ".jupyter", "data");
  // Debian's Python 3.11 prints a debugger warning from every kernel-management command otherwise.
  out["PYDEVD_DISABLE_FILE_VALIDATION"] = "1";
  return out;
}
