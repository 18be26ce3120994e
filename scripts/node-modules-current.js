#!/usr/bin/env node
// Exit status 0 when node_modules matches package-lock.json, 1 when `npm ci` is needed: node_modules or
// npm's record of what it installed (node_modules/.package-lock.json) is missing, or a package differs
// in version from the lock file, or a required (non-optional) package of the lock file is absent.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const root = path.resolve(__dirname, "..");

function read(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
  } catch {
    return null;
  }
}

const lock = read("package-lock.json");
const installed = read("node_modules/.package-lock.json");
if (!lock || !lock.packages || !installed || !installed.packages) {
  console.error("node_modules is missing or was not installed by npm: npm ci is needed");
  process.exit(1);
}
const stale = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  if (key === "") continue;
  const have = installed.packages[key];
  if (!have) {
    if (!entry.optional && !entry.peer) stale.push(`${key} (missing)`);
  } else if (have.version !== entry.version) {
    stale.push(`${key} (${have.version} installed, ${entry.version} locked)`);
  }
}
for (const key of Object.keys(installed.packages)) {
  if (!(key in lock.packages)) stale.push(`${key} (not in package-lock.json)`);
}
if (stale.length > 0) {
  console.error(`node_modules differs from package-lock.json: ${stale.slice(0, 5).join(", ")}${stale.length > 5 ? ", ..." : ""}`);
  process.exit(1);
}
