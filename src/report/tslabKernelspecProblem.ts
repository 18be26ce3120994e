import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";

/**
 * Where `npm run setup` registers the tslab kernelspec inside the project (tslab install --prefix=<root>/.jupyter).
 * Pure; cost O(1).
 *
 * @param root the project root (absolute)
 * @returns the kernel.json path
 * @example
 * tslabKernelspecPath("/p") // => "/p/.jupyter/share/jupyter/kernels/tslab/kernel.json"
 */
export function tslabKernelspecPath(root: string): string {
  return join(root, ".jupyter", "share", "jupyter", "kernels", "tslab", "kernel.json");
}

/**
 * Checks, before anything starts a kernel, that the project's TypeScript kernel is registered and can
 * start: the kernelspec .jupyter/share/jupyter/kernels/tslab/kernel.json exists and parses, its command
 * is this project's node_modules/.bin/tslab and is executable, and (unless `probe` is false) `<command> --version` runs
 * and answers as tslab. A missing or broken kernelspec would otherwise make Jupyter fail late or wait
 * for a kernel that never starts.
 *
 * Cost: a file read, plus about 0.3 s to run the kernel binary with `--version` when probing.
 *
 * @param root the project root (absolute)
 * @param options `probe: false` skips running the binary
 * @returns null when the kernel is usable, otherwise one message saying what is wrong and the command that fixes it
 * @example
 * tslabKernelspecProblem("/nonexistent")
 * // => "The TypeScript kernel (tslab) is not registered in this project: /nonexistent/.jupyter/share/jupyter/kernels/tslab/kernel.json does not exist. Fix: npm run setup"
 */
export function tslabKernelspecProblem(root: string, options: { readonly probe?: boolean } = {}): string | null {
  const spec = tslabKernelspecPath(root);
  const fix = "Fix: npm run setup";
  if (!existsSync(spec)) {
    return `The TypeScript kernel (tslab) is not registered in this project: ${spec} does not exist. ${fix}`;
  }
  let argv: unknown;
  try {
    argv = (JSON.parse(readFileSync(spec, "utf8")) as { argv?: unknown }).argv;
  } catch (e) {
    return `The kernelspec ${spec} is broken: it is not valid JSON (${(e as Error).message}). ${fix}`;
  }
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === "string")) {
    return `The kernelspec ${spec} is broken: "argv" is not a list of strings. ${fix}`;
  }
  const command = argv[0] as string;
  if (!argv.includes("{connection_file}")) {
    return `The kernelspec ${spec} is broken: its argv does not pass {connection_file} to the kernel. ${fix}`;
  }
  if (!isAbsolute(command)) {
    return `The kernelspec ${spec} is broken: its command "${command}" is not an absolute path. ${fix}`;
  }
  const own = join(root, "node_modules", ".bin", "tslab");
  if (command !== own) {
    return `The kernelspec ${spec} starts ${command}, not this project's ${own} (was the checkout moved or copied?). ${fix}`;
  }
  try {
    accessSync(command, constants.X_OK);
  } catch {
    return `The kernelspec ${spec} is broken: its command ${command} does not exist or is not executable (moved checkout, or node_modules removed?). ${fix}`;
  }
  if (options.probe === false) return null;
  const run = spawnSync(command, ["--version"], { encoding: "utf8", timeout: 20000 });
  if (run.error || run.status !== 0 || !/tslab/.test(run.stdout)) {
    const detail = run.error ? run.error.message : (run.stderr || run.stdout || `exit status ${run.status}`).trim();
    return `The kernelspec ${spec} is broken: "${command} --version" failed (${detail}). ${fix}`;
  }
  return null;
}
