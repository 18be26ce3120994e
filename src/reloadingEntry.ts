/**
 * The package entry (package.json "main"): `import * as mp from "migration-penalties"` loads this file,
 * which returns the barrel `./index` and makes re-running that import pick up recompiled code.
 *
 * Why: Node caches every required module, so a notebook kernel that imported the package once keeps
 * the old code after `npm run watch` (tsc --watch) rewrites dist/. This entry therefore
 * 1. compares, for each compiled module of this package (a .js file under dist/) that is in Node's
 *    require cache, the file's modification time now with the one it had when it was loaded;
 * 2. if any differs (or the file is gone), removes every module of this package from the cache, so that
 *    the barrel and all the modules it imports are evaluated again from the new files (dropping only the
 *    changed files would leave the barrel holding the old ones);
 * 3. requires the barrel, records the modification times of the modules just loaded, and removes itself
 *    from the cache, so that the next `import`/`require` of the package runs steps 1-3 again.
 * Other packages (danfojs, plotly, ...) stay cached. State that must outlive a reload (for example
 * whether the plotly bundle is already in the notebook) lives on `globalThis`. Objects created before a
 * reload are instances of the old classes (`instanceof` against the new ones is false): re-run the
 * cells that create them.
 *
 * Cost per import: one directory walk and one `stat` per compiled file (milliseconds); a reload costs
 * what the first import cost.
 */
import { readdirSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import type * as Barrel from "./index";

const loadedKey = Symbol.for("migration-penalties.entry.loadedModificationTimes");

function compiledModules(dir: string, out: Map<string, number>): Map<string, number> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) compiledModules(path, out);
    else if (entry.isFile() && entry.name.endsWith(".js")) out.set(path, statSync(path).mtimeMs);
  }
  return out;
}

const packageDir = __dirname + sep;
const holder = globalThis as { [loadedKey]?: Map<string, number> };
const loadedAt = (holder[loadedKey] ??= new Map<string, number>());
const onDisk = compiledModules(__dirname, new Map<string, number>());
const cache = require.cache;

let stale = false;
for (const [file, modified] of loadedAt) {
  if (cache[file] === undefined) loadedAt.delete(file);
  else if (onDisk.get(file) !== modified) stale = true;
}
if (stale) {
  for (const file of Object.keys(cache)) {
    if (file.startsWith(packageDir) && file !== __filename) delete cache[file];
  }
  loadedAt.clear();
}

const barrel = require("./index") as typeof Barrel;

for (const file of Object.keys(cache)) {
  const modified = onDisk.get(file);
  if (modified !== undefined && file !== __filename && !loadedAt.has(file)) loadedAt.set(file, modified);
}
delete cache[__filename];

export = barrel;
