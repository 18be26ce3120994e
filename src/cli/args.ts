import { closest, distance } from "fastest-levenshtein";
import { ParameterError } from "../model/parameterError";

/**
 * The command line's one flag parser. A command declares its flags ({@link FlagDeclaration}: name, kind, range,
 * default, help text, help group, and when the flag applies); {@link parseFlags} reads `argv` against the
 * declarations and {@link commandHelp} writes the help from the same declarations, so the two cannot drift.
 * Every usage error is a {@link CliUsageError} (a ParameterError naming the flag) with a one-line message;
 * src/cli/main.ts prints it on stderr and exits 2.
 */

/** What a flag holds: a number, an integer, d (an integer or inf), one word of a list, numbers separated by commas, presence, or text. */
export type FlagKind = "number" | "integer" | "samples" | "choice" | "list" | "boolean" | "string";

/** A parsed value: numbers (Infinity for `inf` where allowed), a word, a list of numbers, true, or false for a word mapped to false. */
export type FlagValue = number | string | boolean | readonly number[];

/**
 * When a flag applies: `flag` holds one of `values` (a choice flag, or a boolean flag with `[true]`), or, without
 * `values`, `flag` was given. A flag given where it does not apply is refused, naming the flag and the values it
 * belongs to.
 */
export interface FlagCondition {
  readonly flag: string;
  readonly values?: readonly (string | boolean)[];
  /** Words after the values in the refusal and the help, for example "(the policies that sample)". */
  readonly describe?: string;
}

/** The declaration of one flag. */
export interface FlagDeclaration {
  /** The flag without its dashes, for example "lambda" (typed `--lambda`). */
  readonly name: string;
  readonly kind: FlagKind;
  /** One line (or a short paragraph): what the flag means. The value's range, the default and where it applies are added by the help. */
  readonly help: string;
  /** The section of the help the flag is listed in, for example "system", "run", "output". */
  readonly group: string;
  /** The value's name in the help, for example "L" (default: the name in capitals, "N" for numbers of one letter). */
  readonly metavar?: string;
  /** Bounds of a number, an integer, d, or each element of a list. */
  readonly min?: number;
  readonly max?: number;
  /** Whether min, max are excluded (default: included). */
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  /** For lists: whether the elements are integers (default: any number). */
  readonly integerElements?: boolean;
  /** For numbers and lists: accept `inf`, `Infinity` (any case) as Infinity. Default false (d always accepts inf). */
  readonly allowInfinity?: boolean;
  /** For choices: the words accepted (matched case-insensitively), and optionally a line of help for each. */
  readonly choices?: readonly string[];
  readonly choiceHelp?: Readonly<Record<string, string>>;
  /** Words accepted besides numbers, with their values, for example { none: false } for "no check grid". */
  readonly words?: Readonly<Record<string, FlagValue>>;
  /**
   * The value when the flag is absent and applies: a constant, or a function of the values parsed so far
   * (flags declared earlier), returning undefined when there is none.
   */
  readonly default?: FlagValue | ((values: ParsedFlags) => FlagValue | undefined);
  /** How the help shows the default (default: the constant, written readably). */
  readonly defaultHelp?: string;
  /** The flag must be given (when it applies, and has no default). */
  readonly required?: boolean;
  /** Words after "--x is required" (default: the range). */
  readonly requiredHelp?: string;
  /** When the flag applies (all must hold); absent: always. */
  readonly appliesWhen?: readonly FlagCondition[];
  /** A remark added to range errors, for example why the bound is there. */
  readonly rangeNote?: string;
  /** Flags that cannot be given together with this one. */
  readonly conflictsWith?: readonly string[];
}

/** A positional argument (a file, for example): the words of the line that are not flags or their values, in order. */
export interface PositionalDeclaration {
  /** Its name in the help and in messages, written <name>. */
  readonly name: string;
  /** One line: what it is. */
  readonly help: string;
  /** Whether it must be given (default true). */
  readonly required?: boolean;
}

/**
 * A usage error: a ParameterError naming the flag, with a one-line message written for a person at a terminal
 * ("unknown flag --evnts; did you mean --events?", "--events: missing value", "--policy is required: ...").
 *
 * @example
 * new CliUsageError("--events", undefined, "an integer", "--events: missing value").message // => "--events: missing value"
 */
export class CliUsageError extends ParameterError {
  constructor(flag: string, value: unknown, allowed: string, message: string) {
    super(flag, value, allowed);
    this.message = message;
    this.name = "CliUsageError";
  }
}

/**
 * The values of a parsed command line, by flag name (given, or defaulted where the flag applies). Accessors
 * check the kind: asking a number of a word is a programming error (Error, not a usage error).
 */
export class ParsedFlags {
  private readonly values = new Map<string, FlagValue>();
  private readonly given = new Map<string, string | true>();
  private readonly words = new Map<string, string>();

  /** @param command the command's name, for messages */
  constructor(readonly command: string) {}

  /** Sets a value (the parser, and tests that build flags by hand). */
  set(name: string, value: FlagValue, raw?: string | true): this {
    this.values.set(name, value);
    if (raw !== undefined) this.given.set(name, raw);
    return this;
  }

  /** Sets a positional argument (the parser). */
  setPositional(name: string, value: string): this {
    this.words.set(name, value);
    return this;
  }

  /** A positional argument by its declared name, or undefined when it was not given. */
  positional(name: string): string | undefined {
    return this.words.get(name);
  }

  /** Whether the flag was typed on the command line. */
  has(name: string): boolean {
    return this.given.has(name);
  }

  /** The text typed for the flag (true for a boolean flag), or undefined. */
  raw(name: string): string | true | undefined {
    return this.given.get(name);
  }

  /** The value, or undefined when the flag is absent without a default, or does not apply. */
  value(name: string): FlagValue | undefined {
    return this.values.get(name);
  }

  /** A number flag's value, or undefined. */
  optionalNumber(name: string): number | undefined {
    const v = this.values.get(name);
    if (v === undefined || typeof v === "number") return v;
    throw new Error(`flag --${name} holds ${JSON.stringify(v)}, not a number`);
  }

  /** A number flag's value; Error when it has none (declare a default or make it required). */
  number(name: string): number {
    const v = this.optionalNumber(name);
    if (v === undefined) throw new Error(`flag --${name} has no value (declare a default or make it required)`);
    return v;
  }

  /** A choice or string flag's value, or undefined. */
  optionalString(name: string): string | undefined {
    const v = this.values.get(name);
    if (v === undefined || typeof v === "string") return v;
    throw new Error(`flag --${name} holds ${JSON.stringify(v)}, not a word`);
  }

  /** A choice or string flag's value; Error when it has none. */
  string(name: string): string {
    const v = this.optionalString(name);
    if (v === undefined) throw new Error(`flag --${name} has no value (declare a default or make it required)`);
    return v;
  }

  /** A boolean flag: true when given. */
  boolean(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** A list flag's numbers, or undefined. */
  optionalList(name: string): readonly number[] | undefined {
    const v = this.values.get(name);
    if (v === undefined || Array.isArray(v)) return v as readonly number[] | undefined;
    throw new Error(`flag --${name} holds ${JSON.stringify(v)}, not a list`);
  }
}

const INFINITY_WORD = /^[+]?(inf|infinity)$/i;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Reads a number as typed: decimal or exponent notation ("0.75", "1e6", "-0.5"); `inf`, `Infinity` (any case)
 * when `allowInfinity`. Cost O(length).
 *
 * @returns the number, or NaN when the text is not a number (hexadecimal, empty, words)
 * @example
 * readNumber("1e6") // => 1000000
 * readNumber("INF", true) // => Infinity
 * readNumber("abc") // => NaN
 */
export function readNumber(text: string, allowInfinity = false): number {
  const t = text.trim();
  if (allowInfinity && INFINITY_WORD.test(t)) return Infinity;
  if (allowInfinity && /^-(inf|infinity)$/i.test(t)) return -Infinity;
  return NUMBER_TEXT.test(t) ? Number(t) : NaN;
}

/**
 * A bound written for reading: small numbers as they are, powers of two as 2^e (with their value when it is
 * long), other long numbers in exponent form. Cost O(1).
 *
 * @example
 * readableNumber(2 ** 50) // => "2^50 ≈ 1.1e15"
 * readableNumber(2 ** 12) // => "2^12 = 4096"
 * readableNumber(2 ** -12) // => "2^-12 ≈ 2.4e-4"
 * readableNumber(0xffffffff) // => "2^32 - 1 ≈ 4.3e9"
 * readableNumber(1e10) // => "1e10"
 * readableNumber(0.75) // => "0.75"
 */
export function readableNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  const a = Math.abs(x);
  const sign = x < 0 ? "-" : "";
  const e = Math.log2(a);
  const short = (v: number): string => (v >= 1e-3 && v < 1e6 ? String(Number(v.toPrecision(3))) : v.toExponential(1).replace("e+", "e").replace(".0e", "e"));
  if (a > 0 && Number.isInteger(e) && Math.abs(e) >= 10) {
    return Number.isInteger(a) && a < 1e6 ? `${sign}2^${e} = ${x}` : `${sign}2^${e} ≈ ${sign}${short(a)}`;
  }
  if (Number.isInteger(x) && a >= 1e6 && Number.isInteger(Math.log2(a + 1))) return `${sign}2^${Math.log2(a + 1)} - 1 ≈ ${sign}${short(a)}`;
  if (a < 1e6 && (a >= 1e-4 || a === 0)) return String(x);
  const compact = x.toExponential().replace("e+", "e");
  if (Number(x.toPrecision(3)) === x) return compact.replace(/\.?0+e/, "e");
  return `${x} ≈ ${sign}${short(a)}`;
}

/**
 * The range of a flag in words, as errors and the help write it, for example "an integer in [40, 2^50 ≈ 1.1e15]",
 * "a number > 0", "an integer >= 1, or inf", "one of time, events". Cost O(choices).
 *
 * @example
 * describeFlagRange({ name: "events", kind: "integer", help: "", group: "run", min: 40, max: 2 ** 50 })
 * // => "an integer in [40, 2^50 ≈ 1.1e15]"
 */
export function describeFlagRange(flag: FlagDeclaration): string {
  const words = flag.words ? Object.keys(flag.words).map((w) => `, or ${w}`).join("") : "";
  switch (flag.kind) {
    case "boolean":
      return "no value (present or absent)";
    case "string":
      return "a word";
    case "choice":
      return `one of ${(flag.choices ?? []).join(", ")}`;
    case "samples":
      return `${bounds("an integer", { ...flag, min: flag.min ?? 1 })}, or inf`;
    case "list": {
      const element = flag.integerElements ? "integers" : "numbers";
      const range = bounds("", flag).trim();
      return `${element} separated by commas${range ? ` (each ${range})` : ""}${flag.allowInfinity ? " (inf allowed)" : ""}`;
    }
    case "integer":
      return bounds("an integer", flag) + words;
    case "number": {
      const bounded = flag.min !== undefined && flag.min !== -Infinity && flag.max !== undefined && flag.max !== Infinity;
      return bounds(flag.allowInfinity ? "a number (or inf)" : bounded ? "a number" : "a finite number", flag) + words;
    }
  }
}

function bounds(kind: string, flag: Pick<FlagDeclaration, "min" | "max" | "minExclusive" | "maxExclusive">): string {
  const { min, max, minExclusive = false, maxExclusive = false } = flag;
  const lo = min !== undefined && min !== -Infinity ? min : undefined;
  const hi = max !== undefined && max !== Infinity ? max : undefined;
  if (lo !== undefined && hi !== undefined) {
    return `${kind} in ${minExclusive ? "(" : "["}${readableNumber(lo)}, ${readableNumber(hi)}${maxExclusive ? ")" : "]"}`;
  }
  if (lo !== undefined) return `${kind} ${minExclusive ? ">" : ">="} ${readableNumber(lo)}`;
  if (hi !== undefined) return `${kind} ${maxExclusive ? "<" : "<="} ${readableNumber(hi)}`;
  return kind;
}

/** Flags with the same name in one command are a programming error. */
function indexFlags(flags: readonly FlagDeclaration[]): Map<string, FlagDeclaration> {
  const byName = new Map<string, FlagDeclaration>();
  for (const f of flags) {
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(f.name)) throw new Error(`flag name "${f.name}" is not letters, digits and '-'`);
    if (byName.has(f.name)) throw new Error(`flag --${f.name} is declared twice (a policy parameter's symbol may collide with a command's own flag)`);
    byName.set(f.name, f);
  }
  for (const f of flags) {
    for (const c of f.appliesWhen ?? []) if (!byName.has(c.flag)) throw new Error(`flag --${f.name} depends on undeclared --${c.flag}`);
    for (const c of f.conflictsWith ?? []) if (!byName.has(c)) throw new Error(`flag --${f.name} conflicts with undeclared --${c}`);
  }
  return byName;
}

/**
 * The declared flag closest to a mistyped name, or undefined when none is close: the same name in another case,
 * the only flag the name starts, or the flag at the smallest edit distance when that distance is small for the
 * name's length (0 for one or two letters, 1 for three or four, 2 for five or six, 3 beyond). Cost O(flags x
 * length^2).
 *
 * @example
 * suggestFlag("evnts", ["events", "time", "warmup"]) // => "events"
 * suggestFlag("k", ["K", "C"]) // => "K"
 * suggestFlag("x", ["n", "d"]) // => undefined
 */
export function suggestFlag(typed: string, names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  const lower = typed.toLowerCase();
  const sameCase = names.find((n) => n.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const prefixed = names.filter((n) => n.toLowerCase().startsWith(lower));
  if (lower.length >= 2 && prefixed.length === 1) return prefixed[0];
  const best = closest(lower, names.map((n) => n.toLowerCase()));
  const allowed = Math.max(0, Math.min(3, Math.floor((typed.length - 1) / 2)));
  if (distance(lower, best) > allowed) return undefined;
  return names.find((n) => n.toLowerCase() === best);
}

interface Given {
  readonly flag: FlagDeclaration;
  /** The text of the value, or true for a boolean flag. */
  readonly raw: string | true;
}

/**
 * Parses a command line against the command's flag declarations, before any work. Cost O(argv x flags).
 *
 * Forms: `--name value`, `--name=value`, `--name` for a boolean flag. A value may start with one dash
 * (`--lambda -0.5` reads -0.5 and then checks its range); a token starting with two dashes is a flag, never a
 * value. Order of the checks: the form of the line (unknown flags with a suggestion, a missing value, a value
 * given to a boolean flag, a flag given twice, stray words), then the flags other flags depend on (such as
 * --policy), then whether each given flag applies, then every value against its range, then required flags and
 * defaults (in declaration order, so a default may read a flag declared before it), then conflicts.
 *
 * @param argv the arguments after the command's name
 * @param flags the command's declarations
 * @param command the command's name, for messages ("study run" for a subcommand)
 * @param positionals the command's positional arguments, in order (default none: every word must be a flag)
 * @returns the values
 * @throws CliUsageError naming the flag, in one line
 * @example
 * const flags: FlagDeclaration[] = [
 *   { name: "lambda", kind: "number", help: "arrival rate", group: "system", min: 0, minExclusive: true, required: true },
 *   { name: "json", kind: "boolean", help: "print JSON", group: "output" },
 * ];
 * parseFlags(["--lambda", "0.5", "--json"], flags, "demo").number("lambda") // => 0.5
 * parseFlags(["--lambda", "-0.5"], flags, "demo")
 * // throws CliUsageError "--lambda = -0.5 is out of range: a finite number > 0"
 * parseFlags(["--lamda", "0.5"], flags, "demo")
 * // throws CliUsageError "unknown flag --lamda; did you mean --lambda?"
 */
export function parseFlags(
  argv: readonly string[], flags: readonly FlagDeclaration[], command: string, positionals: readonly PositionalDeclaration[] = [],
): ParsedFlags {
  const byName = indexFlags(flags);
  const given = new Map<string, Given>();
  const words: string[] = [];
  const seeHelp = `(see ${command} --help)`;

  // 1. The form of the line.
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!token.startsWith("--") || token === "--") {
      if (/^-[A-Za-z]/.test(token)) {
        const hint = suggestFlag(token.replace(/^-+/, "").split("=")[0] as string, [...byName.keys()]);
        throw new CliUsageError(token, token, "a flag with two dashes",
          `unknown flag ${token}: flags start with two dashes${hint ? `; did you mean --${hint}?` : ""} ${seeHelp}`);
      }
      if (token !== "--" && !token.startsWith("-") && words.length < positionals.length) {
        words.push(token);
        continue;
      }
      const previous = i > 0 ? (argv[i - 1] as string) : undefined;
      const after = previous !== undefined && previous.startsWith("--") && byName.get(previous.slice(2))?.kind === "boolean"
        ? `; --${previous.slice(2)} takes no value` : "";
      throw new CliUsageError("arguments", token, "flags only",
        `unexpected argument ${JSON.stringify(token)}${after}: every argument is a flag written --name value ${seeHelp}`);
    }
    const eq = token.indexOf("=");
    const name = eq >= 0 ? token.slice(2, eq) : token.slice(2);
    const inline = eq >= 0 ? token.slice(eq + 1) : undefined;
    const flag = byName.get(name);
    if (!flag) {
      const hint = suggestFlag(name, [...byName.keys()]);
      throw new CliUsageError(`--${name}`, inline, "a flag of this command",
        `unknown flag --${name}${hint ? `; did you mean --${hint}?` : ""} ${seeHelp}`);
    }
    let raw: string | true;
    if (flag.kind === "boolean") {
      if (inline !== undefined) {
        throw new CliUsageError(`--${name}`, inline, "no value",
          `--${name} = ${JSON.stringify(inline)}: --${name} is a boolean flag and takes no value (write --${name} alone)`);
      }
      raw = true;
    } else if (inline !== undefined) {
      if (inline.trim() === "") throw missingValue(flag);
      raw = inline;
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw missingValue(flag);
      raw = next;
      i++;
    }
    const before = given.get(name);
    if (before) {
      const shown = (r: string | true): string => (r === true ? `--${name}` : JSON.stringify(r));
      throw new CliUsageError(`--${name}`, raw, "one occurrence",
        `--${name} is given twice (${shown(before.raw)}, then ${shown(raw)}): give each flag once`);
    }
    given.set(name, { flag, raw });
  }

  const values = new ParsedFlags(command);
  positionals.forEach((p, k) => {
    const word = words[k];
    if (word !== undefined) values.setPositional(p.name, word);
    else if (p.required !== false) throw new CliUsageError(`<${p.name}>`, undefined, p.help, `<${p.name}> is required: ${p.help} ${seeHelp}`);
  });
  const convertGiven = (g: Given): void => {
    values.set(g.flag.name, convert(g.flag, g.raw), g.raw);
  };
  const applies = (flag: FlagDeclaration): FlagCondition | undefined =>
    (flag.appliesWhen ?? []).find((c) => !conditionHolds(c, values));
  const fill = (flag: FlagDeclaration): void => {
    if (values.value(flag.name) !== undefined || applies(flag) !== undefined) return;
    const d = typeof flag.default === "function" ? flag.default(values) : flag.default;
    if (d !== undefined) {
      values.set(flag.name, d);
    } else if (flag.required) {
      throw new CliUsageError(`--${flag.name}`, undefined, describeFlagRange(flag),
        `--${flag.name} is required${requiredContext(flag)}: ${flag.requiredHelp ?? describeFlagRange(flag)}`);
    }
  };

  // 2. The flags others depend on, in declaration order, with their defaults.
  const controllers = new Set(flags.flatMap((f) => (f.appliesWhen ?? []).map((c) => c.flag)));
  for (const flag of flags) {
    if (!controllers.has(flag.name)) continue;
    const g = given.get(flag.name);
    if (g) convertGiven(g);
  }
  for (const flag of flags) if (controllers.has(flag.name)) fill(flag);

  // 3. Whether each given flag applies.
  for (const g of given.values()) {
    const failed = applies(g.flag);
    if (failed) throw notApplicable(g.flag, failed, values);
  }

  // 4. Every other value, in the order typed; 5. defaults and required flags; 6. conflicts.
  for (const g of given.values()) if (!controllers.has(g.flag.name)) convertGiven(g);
  for (const flag of flags) fill(flag);
  for (const flag of flags) {
    if (!given.has(flag.name)) continue;
    for (const other of flag.conflictsWith ?? []) {
      if (given.has(other)) {
        throw new CliUsageError(`--${flag.name}`, given.get(flag.name)?.raw, `absent with --${other}`,
          `--${flag.name} and --${other} cannot be given together: choose one`);
      }
    }
  }
  return values;
}

function missingValue(flag: FlagDeclaration): CliUsageError {
  return new CliUsageError(`--${flag.name}`, undefined, describeFlagRange(flag),
    `--${flag.name}: missing value (expected ${describeFlagRange(flag)})`);
}

function conditionHolds(condition: FlagCondition, values: ParsedFlags): boolean {
  if (condition.values === undefined) return values.has(condition.flag);
  const v = values.value(condition.flag);
  return v !== undefined && condition.values.includes(v as string | boolean);
}

function describeCondition(condition: FlagCondition): string {
  const words = condition.describe ? ` ${condition.describe}` : "";
  if (condition.values === undefined || (condition.values.length === 1 && condition.values[0] === true)) return `--${condition.flag}${words}`;
  const shown = condition.values.map(String);
  const list = shown.length <= 1 ? shown.join("") : `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
  return `--${condition.flag} ${list}${words}`;
}

function requiredContext(flag: FlagDeclaration): string {
  const conditions = flag.appliesWhen ?? [];
  return conditions.length === 0 ? "" : ` with ${conditions.map((c) => describeCondition(c)).join(" and ")}`;
}

function notApplicable(flag: FlagDeclaration, condition: FlagCondition, values: ParsedFlags): CliUsageError {
  const current = values.value(condition.flag);
  const instead = condition.values === undefined || current === undefined || typeof current === "boolean"
    ? ""
    : `, not to --${condition.flag} ${String(current)}`;
  return new CliUsageError(`--${flag.name}`, values.raw(flag.name), `only with ${describeCondition(condition)}`,
    `--${flag.name} applies only to ${describeCondition(condition)}${instead}`);
}

function convert(flag: FlagDeclaration, raw: string | true): FlagValue {
  if (flag.kind === "boolean") return true;
  const text = raw as string;
  const name = `--${flag.name}`;
  if (flag.kind === "string") return text;
  if (flag.kind === "choice") {
    const choices = flag.choices ?? [];
    const found = choices.find((c) => c === text) ?? choices.find((c) => c.toLowerCase() === text.trim().toLowerCase());
    if (found !== undefined) return found;
    const hint = suggestFlag(text, choices);
    throw new CliUsageError(name, text, describeFlagRange(flag),
      `${name} = ${JSON.stringify(text)} is out of range: ${describeFlagRange(flag)}${hint ? `; did you mean ${hint}?` : ""}`);
  }
  if (flag.words) {
    const word = Object.keys(flag.words).find((w) => w.toLowerCase() === text.trim().toLowerCase());
    if (word !== undefined) return flag.words[word] as FlagValue;
  }
  if (flag.kind === "list") {
    const parts = text.split(",");
    const list = parts.map((part) => {
      // inf is read as a number, then refused by the range unless the flag allows it.
      const x = readNumber(part, true);
      if (Number.isNaN(x)) {
        throw new CliUsageError(name, text, describeFlagRange(flag),
          `${name} = ${JSON.stringify(text)}: ${JSON.stringify(part.trim())} is not a number (expected ${describeFlagRange(flag)})`);
      }
      if (!inRange(flag, x, flag.integerElements === true)) {
        throw new CliUsageError(name, text, describeFlagRange(flag),
          `${name} = ${JSON.stringify(text)} is out of range: ${describeFlagRange(flag)} (${readableNumber(x)} is not)${note(flag)}`);
      }
      return x;
    });
    return list;
  }
  const samples = flag.kind === "samples";
  // inf is read as a number, then refused by the range unless the flag allows it (d always does).
  const x = readNumber(text, true);
  if (Number.isNaN(x)) {
    throw new CliUsageError(name, text, describeFlagRange(flag),
      `${name} = ${JSON.stringify(text)} is not a number (expected ${describeFlagRange(flag)})`);
  }
  if (samples && x === Infinity) return x;
  const ok = inRange(samples ? { ...flag, min: flag.min ?? 1 } : flag, x, flag.kind !== "number");
  if (!ok) {
    const shown = Number.isFinite(x) ? String(x) : JSON.stringify(text);
    throw new CliUsageError(name, x, describeFlagRange(flag), `${name} = ${shown} is out of range: ${describeFlagRange(flag)}${note(flag)}`);
  }
  return x;
}

function note(flag: FlagDeclaration): string {
  return flag.rangeNote ? ` (${flag.rangeNote})` : "";
}

function inRange(flag: Pick<FlagDeclaration, "min" | "max" | "minExclusive" | "maxExclusive" | "allowInfinity">, x: number, integer: boolean): boolean {
  const { min = -Infinity, max = Infinity, minExclusive = false, maxExclusive = false } = flag;
  if (!Number.isFinite(x) && !(flag.allowInfinity && x === Infinity)) return false;
  if (integer && Number.isFinite(x) && !Number.isInteger(x)) return false;
  return (minExclusive ? x > min : x >= min) && (maxExclusive ? x < max : x <= max);
}

/**
 * A subcommand of the `migration-penalties` CLI. Each lives in src/cli/commands/<name>.ts as
 * `export const command: CliCommand = { ... }` and is listed in the registry of src/cli/main.ts. main parses the
 * command line against `flags()` and calls `run` with the values; `--help` prints {@link commandHelp}.
 */
export interface CliCommand {
  /** The word typed after `migration-penalties`. */
  readonly name: string;
  /** One line for `migration-penalties --help`. */
  readonly summary: string;
  /** What the command computes, a paragraph for its help. */
  readonly description: string;
  /** The command's flags (a function: policy flags are read from the policy declarations at first use). */
  flags(): readonly FlagDeclaration[];
  /** Its positional arguments, in order (for example a manifest file); default none. */
  readonly positionals?: readonly PositionalDeclaration[];
  /** Further help sections (limits, output fields), each a title and its text. */
  readonly notes?: readonly (readonly [string, string])[];
  /** Command lines shown in the help, without the program name; each must run as written. */
  readonly examples: readonly string[];
  /**
   * Runs the command with the parsed flags. Resolves to the process exit code. Bad values found later throw
   * ParameterError naming the flag (main prints its message and exits 2).
   */
  run(flags: ParsedFlags): Promise<number>;
}

/**
 * A command made of subcommands, for example `study plan|run|merge|slurm`: main takes the word after the group's
 * name as the subcommand, parses the rest against that subcommand's flags, and prints `study run --help` from
 * its declarations.
 */
export interface CliCommandGroup {
  readonly name: string;
  /** One line for `migration-penalties --help`. */
  readonly summary: string;
  /** A paragraph for the group's help, above the list of its subcommands. */
  readonly description: string;
  readonly subcommands: readonly CliCommand[];
}

/** What the registry of src/cli/main.ts lists: commands and groups of subcommands. */
export type CliEntry = CliCommand | CliCommandGroup;

/**
 * Whether an entry of the registry is a group of subcommands. Cost O(1).
 *
 * @example
 * isCommandGroup({ name: "g", summary: "", description: "", subcommands: [] }) // => true
 */
export function isCommandGroup(entry: CliEntry): entry is CliCommandGroup {
  return Array.isArray((entry as CliCommandGroup).subcommands);
}

/**
 * Every command of a registry with the words that call it ("simulate", "study run"), groups expanded. Cost O(entries).
 *
 * @example
 * import { COMMANDS } from "./main";
 * commandPaths(COMMANDS).map((c) => c.path).includes("study run") // => true
 */
export function commandPaths(entries: readonly CliEntry[]): { readonly path: string; readonly command: CliCommand }[] {
  return entries.flatMap((e) => (isCommandGroup(e) ? e.subcommands.map((c) => ({ path: `${e.name} ${c.name}`, command: c })) : [{ path: e.name, command: e }]));
}

/**
 * The help of a group: its description and its subcommands, each with its summary. Cost O(subcommands).
 *
 * @example
 * groupHelp({ name: "g", summary: "", description: "A group.", subcommands: [] }).split("\n")[0] // => "usage: migration-penalties g <subcommand> [flags]"
 */
export function groupHelp(group: CliCommandGroup): string {
  const width = Math.max(0, ...group.subcommands.map((c) => c.name.length));
  return [
    `usage: migration-penalties ${group.name} <subcommand> [flags]`,
    "",
    ...wrap(group.description, HELP_WIDTH),
    "",
    "subcommands:",
    ...group.subcommands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    `Run \`migration-penalties ${group.name} <subcommand> --help\` for its flags.`,
  ].join("\n");
}

/** How every command prints JSON, said once in every command's help. */
export const JSON_CONVENTIONS =
  "--json prints one JSON object, described by src/cli/outputSchema.json (JSON Schema draft 2020-12, one definition " +
  "per command): tail[i] = P(Q >= i) with tail[0] = 1; every estimate is {mean, ci95: [lo, hi]} (extra fields " +
  "allowed). JSON has no NaN or Infinity: a number that is not finite prints as null (NaN, an unstable rule's " +
  "mean, a switching point that never migrates), except d, the number of queues sampled, which prints as the " +
  "string \"inf\" when infinite.";

const HELP_WIDTH = 110;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/ +/)) {
      if (line !== "" && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === "" ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines;
}

function metavar(flag: FlagDeclaration): string {
  if (flag.kind === "boolean") return "";
  if (flag.metavar) return flag.metavar;
  if (flag.kind === "list") return `${flag.name.slice(0, 1).toUpperCase()},...`;
  return flag.name.length <= 2 ? flag.name.toUpperCase() : flag.name.replace(/-/g, "_").toUpperCase();
}

function defaultText(flag: FlagDeclaration): string | undefined {
  if (flag.defaultHelp !== undefined) return flag.defaultHelp;
  if (flag.default === undefined || typeof flag.default === "function" || flag.kind === "boolean") return undefined;
  const d = flag.default;
  return typeof d === "number" ? readableNumber(d) : Array.isArray(d) ? d.map(readableNumber).join(",") : String(d);
}

/**
 * The full help of a command, generated from its declarations: the usage line with the required flags, the
 * description, every flag by group with its range, default and where it applies (choices with their own
 * lines), the notes, how JSON is printed, and the examples. Cost O(flags).
 *
 * @param command the command
 * @param path the words that call it (default its name; "study run" for a subcommand)
 * @example
 * import { command as simulate } from "./commands/simulate";
 * commandHelp(simulate).split("\n")[0] // => "usage: migration-penalties simulate --policy P --lambda L [flags]"
 */
export function commandHelp(command: CliCommand, path: string = command.name): string {
  const flags = command.flags();
  indexFlags(flags);
  const required = flags.filter((f) => f.required && f.default === undefined && (f.appliesWhen ?? []).length === 0);
  const positionals = command.positionals ?? [];
  const head = [
    ...positionals.map((p) => (p.required === false ? `[<${p.name}>]` : `<${p.name}>`)),
    ...required.map((f) => `--${f.name} ${metavar(f)}`),
  ];
  const lines = [
    `usage: migration-penalties ${path} ${head.join(" ")}${head.length > 0 ? " " : ""}[flags]`,
    "",
    ...wrap(command.description, HELP_WIDTH),
  ];
  if (positionals.length > 0) {
    lines.push("", "arguments:", ...positionals.map((p) => `  <${p.name}>  ${p.help}${p.required === false ? "" : " (required)"}`));
  }
  const groups = [...new Set(flags.map((f) => f.group))];
  const left = (f: FlagDeclaration): string => `  --${f.name}${metavar(f) ? ` ${metavar(f)}` : ""}`;
  const column = Math.min(30, Math.max(0, ...flags.map((f) => left(f).length)) + 2);
  for (const group of groups) {
    lines.push("", `${group}:`);
    for (const f of flags.filter((x) => x.group === group)) {
      const parts = [f.help.replace(/\.?$/, ".")];
      if (f.kind !== "boolean" && f.kind !== "string") parts.push(`Value: ${describeFlagRange(f)}.`);
      const conditions = f.appliesWhen ?? [];
      if (conditions.length > 0) parts.push(`Only with ${conditions.map(describeCondition).join(" and ")}.`);
      const d = defaultText(f);
      if (d !== undefined) parts.push(`Default ${d}.`);
      else if (f.required) parts.push("Required.");
      const text = wrap(parts.join(" "), HELP_WIDTH - column);
      const head = left(f);
      const firstOnOwnLine = head.length + 1 > column;
      if (firstOnOwnLine) lines.push(head);
      text.forEach((t, k) => lines.push(`${(k === 0 && !firstOnOwnLine ? head : "").padEnd(column)}${t}`));
      if (f.kind === "choice" && f.choiceHelp) {
        const width = Math.max(...(f.choices ?? []).map((c) => c.length));
        for (const c of f.choices ?? []) {
          const help = f.choiceHelp[c];
          if (help === undefined) continue;
          wrap(help, HELP_WIDTH - column - width - 4).forEach((t, k) =>
            lines.push(`${"".padEnd(column + 2)}${(k === 0 ? c : "").padEnd(width)}  ${t}`));
        }
      }
    }
  }
  for (const [title, text] of command.notes ?? []) lines.push("", `${title}:`, ...wrap(text, HELP_WIDTH - 2).map((t) => `  ${t}`));
  if (flags.some((f) => f.name === "json")) lines.push("", "JSON:", ...wrap(JSON_CONVENTIONS, HELP_WIDTH - 2).map((t) => `  ${t}`));
  if (command.examples.length > 0) {
    lines.push("", command.examples.length === 1 ? "example:" : "examples:", ...command.examples.map((e) => `  migration-penalties ${e}`));
  }
  return lines.join("\n");
}

/**
 * Re-issues a library ParameterError under the command-line flag that set the parameter (for example
 * "threshold (C)" -> "--C"), so the message names what the user typed; the API's words for opting out
 * ("allowOutsidePaper", "force: true") become the flags'. Other errors pass through unchanged. Cost O(message).
 *
 * @param error anything thrown
 * @param flagOf the library's parameter names mapped to flags; a name ending in "[" matches indexed names
 *   ("migrateFrom[" matches "migrateFrom[2]")
 * @example
 * renameParameterError(new ParameterError("threshold (C)", 1, "a finite number >= K = 2"), { "threshold (C)": "--C" }).message
 * // => "--C = 1 is out of range: a finite number >= K = 2"
 */
export function renameParameterError(error: unknown, flagOf: Readonly<Record<string, string>>): unknown {
  if (!(error instanceof ParameterError) || error instanceof CliUsageError) return error;
  const flag = flagOf[error.parameter] ??
    Object.entries(flagOf).find(([name]) => name.endsWith("[") && error.parameter.startsWith(name))?.[1];
  if (flag === undefined) return error;
  const word = error.parameter.split(" ")[0] as string;
  const allowed = error.allowed.split(word).join(flag.replace(/^--/, ""));
  const indexed = error.parameter.match(/\[\d+\]$/)?.[0];
  const noteText = error.note?.replace(/pass allowOutsidePaper/g, "add --allow-outside-paper").replace(/allowOutsidePaper/g, "--allow-outside-paper");
  return new ParameterError(indexed ? `${flag}${indexed}` : flag, error.value, allowed, noteText);
}

/**
 * True for a ParameterError (a usage error of the command line, or a bad value found by the library): main
 * prints its message in one line and exits 2. Cost O(1).
 *
 * @example
 * isUsageError(new ParameterError("--n", 0, "an integer >= 1")) // => true
 * isUsageError(new Error("disk full")) // => false
 */
export function isUsageError(error: unknown): error is Error {
  return error instanceof ParameterError;
}
