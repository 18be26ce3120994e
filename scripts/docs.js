#!/usr/bin/env node
// npm run docs: the API reference (TypeDoc) into reports/api, unless reports/api was built from the same
// inputs: the same src/ files, tsconfig.json and installed TypeDoc and TypeScript versions, recorded in
// reports/api/.inputs.sha256 after a build. `npm run docs -- --force` builds in any case.
"use strict";
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "reports", "api");
const record = path.join(out, ".inputs.sha256");

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

function inputsHash() {
  const hash = crypto.createHash("sha256");
  const version = (name) => JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version;
  hash.update(`typedoc ${version("typedoc")}\ntypescript ${version("typescript")}\n`);
  for (const file of [path.join(root, "tsconfig.json"), ...files(path.join(root, "src")).sort()]) {
    hash.update(`${path.relative(root, file)}\n`);
    hash.update(fs.readFileSync(file));
  }
  return hash.digest("hex");
}

const current = inputsHash();
const force = process.argv.includes("--force");
if (!force && fs.existsSync(path.join(out, "index.html")) && fs.existsSync(record) && fs.readFileSync(record, "utf8").trim() === current) {
  process.stderr.write("reports/api is current (built from the same sources); npm run docs -- --force rebuilds it\n");
  process.exit(0);
}
fs.rmSync(record, { force: true });
const typedoc = path.join(root, "node_modules", "typedoc", "bin", "typedoc");
const result = spawnSync(process.execPath, [typedoc, "--tsconfig", path.join(root, "tsconfig.json"), "--logLevel", "Warn"], { cwd: root, stdio: "inherit" });
if (result.status === 0) fs.writeFileSync(record, `${current}\n`);
process.exit(result.status ?? 1);
