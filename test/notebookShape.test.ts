/**
 * Notebooks stay thin: a parameters cell, calls into the package, tables, charts and rendered claims. Logic
 * lives in src/ with tests. Enforced on every notebooks/*.ipynb:
 * - at most 80 code lines per notebook and at most 20 per code cell (blank lines not counted);
 * - no function or const helper (a function, or an arrow function bound by const/let) defined in two notebooks;
 * - the notebook imports only the package's public entry ("migration-penalties");
 * - no cast into a policy's internals (`as { ratio: number }` and the like).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");
const dir = join(root, "notebooks");
const MAX_NOTEBOOK_LINES = 80;
const MAX_CELL_LINES = 20;

interface Notebook {
  readonly name: string;
  readonly cells: readonly string[];
}

function codeCells(file: string): Notebook {
  const nb = JSON.parse(readFileSync(join(dir, file), "utf8")) as { cells: Array<{ cell_type: string; source: string | string[] }> };
  const cells = nb.cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
  return { name: file, cells };
}

const lines = (source: string): string[] => source.split("\n").filter((l) => l.trim() !== "");
const notebooks = readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map(codeCells);

/** Names of functions and arrow functions a notebook defines at any depth. */
function helpers(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/\bfunction\s+([A-Za-z_$][\w$]*)\s*\(/g)) names.push(m[1] as string);
  for (const m of source.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>/g)) {
    names.push(m[1] as string);
  }
  return names;
}

test("every notebook has at most 80 code lines and at most 20 per code cell", () => {
  for (const nb of notebooks) {
    const total = nb.cells.reduce((s, c) => s + lines(c).length, 0);
    assert.ok(total <= MAX_NOTEBOOK_LINES, `${nb.name}: ${total} code lines (at most ${MAX_NOTEBOOK_LINES})`);
    nb.cells.forEach((c, k) => {
      const n = lines(c).length;
      assert.ok(n <= MAX_CELL_LINES, `${nb.name}, code cell ${k}: ${n} lines (at most ${MAX_CELL_LINES}): "${lines(c)[0]}"`);
    });
  }
});

test("no helper is defined in two notebooks", () => {
  const where = new Map<string, string>();
  for (const nb of notebooks) {
    for (const name of new Set(nb.cells.flatMap(helpers))) {
      const other = where.get(name);
      assert.equal(other, undefined, `${name} is defined in ${other} and ${nb.name}: move it into src/ with a test`);
      where.set(name, nb.name);
    }
  }
});

test("notebooks import only the package's public entry and do not reach into a policy's fields", () => {
  for (const nb of notebooks) {
    for (const source of nb.cells) {
      for (const m of source.matchAll(/\bfrom\s+"([^"]+)"|\brequire\("([^"]+)"\)/g)) {
        const spec = m[1] ?? m[2];
        assert.ok(spec === "migration-penalties" || spec === "tslab", `${nb.name} imports "${spec}"`);
      }
      assert.doesNotMatch(source, /as\s*\{\s*(ratio|threshold|samples|migrateFrom)\s*:/, `${nb.name} casts into a policy's internals`);
    }
  }
});

test("the helper finder sees functions and arrow functions (a check of the check)", () => {
  assert.deepEqual(helpers("function fmt(x) {}\nconst ci = (e: X) => 1;\nconst k = async (a) => 2;\nconst v = 3;\nlet g = x => x;"), ["fmt", "ci", "k", "g"]);
});
