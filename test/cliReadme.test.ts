/**
 * Every command line in the README runs as written: each `node dist/cli/main.js ...` line (backslash continuations
 * joined) and each command quoted inline parses against its command's flag declarations, with no placeholder such
 * as `[--flag value]`; simulate lines also pass the simulator's own validation, and the quick ones (theory, drift,
 * meanfield, exact) are run here, exiting as the README says (0, or 2 for the refusal it describes). The long
 * simulate and optimal lines and the study lines are validated here and were run by hand.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { commandPaths, parseFlags } from "../src/cli/args";
import { simulateArguments } from "../src/cli/commands/simulate";
import { COMMANDS, runCli } from "../src/cli/main";
import { validateSystem } from "../src/model/system";
import { resolveSimulationOptions } from "../src/simulate/simulationOptions";
import { captureOutput } from "./support/captureOutput";

const readme = readFileSync(resolve(__dirname, "..", "README.md"), "utf8").replace(/\\\n/g, " ");
const paths = commandPaths(COMMANDS);
const names = COMMANDS.map((c) => c.name).join("|");
const lines = [
  ...[...readme.matchAll(/^\s+node dist\/cli\/main\.js (.+)$/gm)].map((m) => m[1]!.replace(/\s+/g, " ").trim()),
  ...[...readme.matchAll(new RegExp(`\`((?:${names}) --[^\`]*)\``, "g"))].map((m) => m[1]!),
];

test("the README shows command lines for every command", () => {
  assert.ok(lines.length >= 10, `${lines.length} command lines`);
  for (const { path } of paths) assert.ok(lines.some((l) => l.startsWith(`${path} `)), path);
});

for (const line of lines) {
  test(`README: ${line}`, async () => {
    assert.doesNotMatch(line, /[[\]<>|]/, "no placeholders: the line runs as written");
    // The longest command path the line starts with ("study run ..." before "study ...").
    const found = [...paths].sort((a, b) => b.path.length - a.path.length).find((c) => line.startsWith(`${c.path} `));
    assert.ok(found, line);
    const argv = line.slice(found.path.length + 1).split(" ");
    const name = found.path;
    const flags = parseFlags(argv, found.command.flags(), found.path, found.command.positionals ?? []);
    if (name === "simulate") {
      const { params, options } = simulateArguments(flags);
      validateSystem(params);
      resolveSimulationOptions(params, options);
    }
    // Long runs, and the study commands (they write manifests and results into the checkout), are validated
    // here and were run by hand (the cluster test runs plan, run, merge and slurm for real).
    if (name === "simulate" || name === "optimal" || name.startsWith("study ")) return;
    // The README calls `theory --K 2 --C 1e7` a 20-minute computation: it is refused without --force.
    const refused = /--C 1e7/.test(line);
    await new Promise((r) => setTimeout(r, 10));
    const out = await captureOutput(() => runCli(line.split(" ")));
    assert.equal(out.code, refused ? 2 : 0, out.stderr);
    if (refused) assert.match(out.stderr, /--force/);
  });
}
