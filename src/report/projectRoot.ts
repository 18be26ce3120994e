import { resolve } from "node:path";

/**
 * The project root, two levels above this module (dist/report/ once compiled, src/report/ under tsx).
 * Cost O(1).
 *
 * @returns an absolute path
 * @example
 * reportProjectRoot() // => "/work/main" (in this checkout)
 */
export function reportProjectRoot(): string {
  return resolve(__dirname, "..", "..");
}
