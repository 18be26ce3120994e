import { parseArgs } from "node:util";
import { ParameterError } from "../model/parameterError";

/**
 * A subcommand of the `migration-penalties` CLI. Each lives in src/cli/commands/<name>.ts as
 * `export const command: CliCommand = { ... }` and is listed in the registry of src/cli/main.ts.
 */
export interface CliCommand {
  /** The word typed after `migration-penalties`. */
  readonly name: string;
  /** One line for `migration-penalties --help`. */
  readonly summary: string;
  /** The full help text of the subcommand (flags, defaults, examples). */
  readonly usage: string;
  /**
   * Runs the subcommand with the arguments after its name. Resolves to the process exit code. Bad flags throw
   * ParameterError (main prints its message and exits 2).
   */
  run(argv: string[]): Promise<number>;
}

/** The flag specification accepted by {@link parseCliFlags}: every flag is a string or a boolean. */
export type CliFlagSpec = Record<string, { readonly type: "string" | "boolean"; readonly short?: string }>;

/** Parsed flags: strings for string flags, true for boolean flags that were given. */
export type CliFlags = Record<string, string | boolean | undefined>;

/**
 * Parses `argv` with node:util parseArgs in strict mode (unknown flags, missing values and positional
 * arguments are errors). Cost O(argv length).
 *
 * @param argv the arguments after the subcommand's name
 * @param spec the flags the subcommand accepts
 * @throws ParameterError naming the offending argument
 * @example
 * parseCliFlags(["--lambda", "0.5", "--json"], { lambda: { type: "string" }, json: { type: "boolean" } })
 * // => { lambda: "0.5", json: true }
 */
export function parseCliFlags(argv: string[], spec: CliFlagSpec): CliFlags {
  try {
    const { values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false });
    return { ...(values as CliFlags) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-{1,2}[^'\s]+)/.exec(message)?.[1];
    if (flag) {
      const at = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
      const value = at >= 0 ? (argv[at]!.includes("=") ? argv[at]!.slice(flag.length + 1) : argv[at + 1]) : undefined;
      throw new ParameterError(flag, value, "a flag of this command with its value (see --help)", message.split("\n")[0]);
    }
    throw new ParameterError("arguments", argv.join(" "), "the flags of this command (see --help)", message);
  }
}

/** Bounds for {@link numberFlag}. */
export interface NumberFlagRange {
  readonly min?: number;
  readonly max?: number;
  /** Whether min itself is allowed (default true). */
  readonly minInclusive?: boolean;
  /** Whether max itself is allowed (default true). */
  readonly maxInclusive?: boolean;
  /** Require an integer (accepts forms like 1e6). */
  readonly integer?: boolean;
}

/**
 * A numeric flag, validated: undefined when absent (then `fallback`), otherwise a finite number in range,
 * written in any form Number() reads ("0.75", "1e6"). Cost O(1).
 *
 * @param flags parsed flags
 * @param name the flag's name without dashes
 * @param range allowed range
 * @param fallback value when the flag is absent
 * @throws ParameterError naming the flag, for example `--lambda = "abc" is out of range: a finite number > 0`
 * @example
 * numberFlag({ events: "1e6" }, "events", { min: 1, integer: true }) // => 1000000
 */
export function numberFlag(flags: CliFlags, name: string, range: NumberFlagRange = {}, fallback?: number): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const { min = -Infinity, max = Infinity, minInclusive = true, maxInclusive = true, integer = false } = range;
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  const ok = Number.isFinite(value) &&
    (minInclusive ? value >= min : value > min) &&
    (maxInclusive ? value <= max : value < max) &&
    (!integer || Number.isInteger(value));
  if (!ok) throw new ParameterError(`--${name}`, raw, describeRange(range));
  return value;
}

/**
 * Like {@link numberFlag} but required: absent is an error naming the flag.
 *
 * @throws ParameterError naming the flag when absent or out of range
 * @example
 * requiredNumberFlag({ lambda: "0.75" }, "lambda", { min: 0, minInclusive: false }) // => 0.75
 */
export function requiredNumberFlag(flags: CliFlags, name: string, range: NumberFlagRange = {}): number {
  const value = numberFlag(flags, name, range);
  if (value === undefined) throw new ParameterError(`--${name}`, undefined, `required: ${describeRange(range)}`);
  return value;
}

/**
 * A sample count d: a positive integer, or "inf"/"infinity" for the shortest other queue. Cost O(1).
 *
 * @throws ParameterError naming the flag
 * @example
 * samplesFlag({ d: "inf" }, "d", 2) // => Infinity
 */
export function samplesFlag(flags: CliFlags, name: string, fallback: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  if (typeof raw === "string" && /^(inf|infinity)$/i.test(raw.trim())) return Infinity;
  return numberFlag(flags, name, { min: 1, integer: true }) as number;
}

/**
 * A flag restricted to a list of words. Cost O(choices).
 *
 * @throws ParameterError naming the flag and listing the choices
 * @example
 * choiceFlag({ policy: "abounce" }, "policy", ["none", "abounce"]) // => "abounce"
 */
export function choiceFlag<T extends string>(flags: CliFlags, name: string, choices: readonly T[], fallback?: T): T {
  const raw = flags[name];
  if (raw === undefined && fallback !== undefined) return fallback;
  if (typeof raw === "string" && (choices as readonly string[]).includes(raw)) return raw as T;
  throw new ParameterError(`--${name}`, raw, `one of ${choices.join(", ")}`);
}

function describeRange(range: NumberFlagRange): string {
  const { min = -Infinity, max = Infinity, minInclusive = true, maxInclusive = true, integer = false } = range;
  const kind = integer ? "an integer" : "a finite number";
  const parts: string[] = [];
  if (min !== -Infinity) parts.push(`${minInclusive ? ">=" : ">"} ${min}`);
  if (max !== Infinity) parts.push(`${maxInclusive ? "<=" : "<"} ${max}`);
  return parts.length > 0 ? `${kind} ${parts.join(" and ")}` : kind;
}

/**
 * Re-issues a library ParameterError under the command-line flag that set the parameter (for example
 * "threshold (C)" -> "--C"), so the message names what the user typed. Other errors pass through unchanged.
 *
 * @param error anything thrown
 * @param flagOf the library's parameter names mapped to flags
 * @example
 * renameParameterError(new ParameterError("threshold (C)", 1, "a finite number >= K = 2"), { "threshold (C)": "--C" }).message
 * // => "--C = 1 is out of range: a finite number >= K = 2"
 */
export function renameParameterError(error: unknown, flagOf: Readonly<Record<string, string>>): unknown {
  if (!(error instanceof ParameterError)) return error;
  const flag = flagOf[error.parameter];
  if (flag === undefined) return error;
  const allowed = error.allowed.split(error.parameter.split(" ")[0] as string).join(flag.replace(/^--/, ""));
  return new ParameterError(flag, error.value, allowed, error.note);
}

/** True for a ParameterError or an error of node:util parseArgs (unknown flag, missing value). */
export function isUsageError(error: unknown): error is Error {
  if (error instanceof ParameterError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
