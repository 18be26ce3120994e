/**
 * The API reference (TypeDoc on the package barrel, configured in tsconfig.json's typedocOptions; `npm run docs`
 * writes it into reports/api/) builds without a warning: every {@link} resolves to a documented name, every tag
 * is known, every @param names a parameter. Validation only (nothing is written), about 6 s.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");

test("TypeDoc validates the curated entry without warnings", () => {
  const typedoc = join(root, "node_modules", "typedoc", "bin", "typedoc");
  const r = spawnSync(process.execPath, [typedoc, "--tsconfig", "tsconfig.json", "--emit", "none", "--logLevel", "Warn", "--treatWarningsAsErrors"],
    { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  const output = `${r.stdout}${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, "");
  assert.equal(r.status, 0, output);
  assert.doesNotMatch(output, /\[(warning|error)\]/, output);
});
