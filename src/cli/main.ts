#!/usr/bin/env node
/**
 * The `migration-penalties` command line: a registry of subcommands, each in src/cli/commands/<name>.ts
 * exporting `command: CliCommand` (see src/cli/args.ts): its flags as declarations, its help text parts and
 * `run(flags)`. main parses every command line with the one parser (parseFlags) and prints every help from the
 * declarations (commandHelp). To add a command, write its file and list it in COMMANDS; a command made of
 * subcommands (`study plan|run|...`) is a CliCommandGroup whose subcommands are CliCommands.
 *
 *   migration-penalties --help
 *   migration-penalties <command> --help
 *   migration-penalties simulate --policy abounce --n 100 --lambda 0.75 --K 2 --C 2 --d 10 --events 1e7
 *
 * Exit codes: 0 success, 1 failure while running (meanfield: no fixed point), 2 bad command line (one line on
 * stderr naming the flag, no stack trace).
 */
import { type CliCommand, type CliEntry, commandHelp, groupHelp, isCommandGroup, isUsageError, parseFlags, suggestFlag } from "./args";
import { command as simulateCommand } from "./commands/simulate";
import { command as theoryCommand } from "./commands/theory";
import { command as driftCommand } from "./commands/drift";
import { command as meanfieldCommand } from "./commands/meanfield";
import { command as exactCommand } from "./commands/exact";
import { command as optimalCommand } from "./commands/optimal";
import { command as studyCommand } from "./commands/study";

/** The registered subcommands, in the order --help lists them. */
export const COMMANDS: readonly CliEntry[] = [simulateCommand, theoryCommand, driftCommand, meanfieldCommand, exactCommand, optimalCommand, studyCommand];

/** The top-level help text. */
export function cliHelp(commands: readonly CliEntry[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: migration-penalties <command> [flags]",
    "",
    "Load balancing with migration penalties (Farias, Moallemi, Prabhakar): simulator and theory.",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `migration-penalties <command> --help` for a command's flags.",
  ].join("\n");
}

/**
 * Runs the CLI on `argv` (the arguments after the program name). Resolves to the exit code; writes errors to
 * stderr as one line without a stack trace.
 *
 * @param argv for example ["simulate", "--policy", "none", "--lambda", "0.5"]
 * @param commands the registry (default COMMANDS)
 */
export async function runCli(argv: string[], commands: readonly CliEntry[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(cliHelp(commands) + "\n");
    return name === undefined ? 2 : 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    const hint = suggestFlag(name, commands.map((c) => c.name));
    process.stderr.write(`migration-penalties: unknown command "${name}"${hint ? `; did you mean ${hint}?` : ""}; commands: ${commands.map((c) => c.name).join(", ")}\n`);
    return 2;
  }
  let command: CliCommand;
  let path = name;
  let args = rest;
  if (isCommandGroup(entry)) {
    const [sub, ...subRest] = rest;
    if (sub === undefined || sub === "--help" || sub === "-h") {
      process.stdout.write(groupHelp(entry) + "\n");
      return sub === undefined ? 2 : 0;
    }
    const found = entry.subcommands.find((c) => c.name === sub);
    if (!found) {
      const hint = suggestFlag(sub, entry.subcommands.map((c) => c.name));
      process.stderr.write(`migration-penalties ${name}: unknown subcommand "${sub}"${hint ? `; did you mean ${hint}?` : ""}; ` +
        `subcommands: ${entry.subcommands.map((c) => c.name).join(", ")}\n`);
      return 2;
    }
    command = found;
    path = `${name} ${sub}`;
    args = subRest;
  } else {
    command = entry;
  }
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(commandHelp(command, path) + "\n");
    return 0;
  }
  try {
    return await command.run(parseFlags(args, command.flags(), path, command.positionals ?? []));
  } catch (error) {
    if (isUsageError(error)) {
      // One policy for every command: a bad flag is one line naming it on stderr, exit 2, no stack trace.
      process.stderr.write(`migration-penalties ${path}: ${error.message.replace(/\s*\n\s*/g, " ")}\n`);
      return 2;
    }
    process.stderr.write(`migration-penalties ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
