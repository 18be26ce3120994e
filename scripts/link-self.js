// Makes the package importable by its own name (node_modules/<name> -> project root), so
// notebooks and scripts write `import * as mp from "migration-penalties"`. No global state.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const root = path.resolve(__dirname, "..");
const name = require(path.join(root, "package.json")).name;
const link = path.join(root, "node_modules", name);
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  const st = fs.lstatSync(link);
  if (st.isSymbolicLink() && path.resolve(path.dirname(link), fs.readlinkSync(link)) === root) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  // no link yet
}
fs.symlinkSync(path.relative(path.dirname(link), root), link, "dir");
