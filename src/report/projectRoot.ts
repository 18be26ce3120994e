import { resolve } from "node:path";

/**
 * The project root, two levels above this module (dist/report/ once compiled, src/report/ under tsx).
 * Cost O(1).
 *
 * @returns an absolute path
 * @example
 * import { existsSync } from "node:fs";
 * import { join } from "node:path";
 * existsSync(join(reportProjectRoot(), "package.json")) // => true
 */
export function reportProjectRoot(): string {
  return resolve(__dirname, "..", "..");
}
