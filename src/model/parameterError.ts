/**
 * The one error policy of the package: bad configuration throws a `ParameterError` that names the
 * parameter, the value it got and the range it allows, before any work starts. A numeric domain
 * problem inside a computation (for example a formula evaluated outside its range by a caller that
 * opted out of validation) returns NaN instead; nothing returns undefined silently.
 *
 * @example
 * validateSystem({ queues: 0, arrivalRate: 0.5, migrationPenalty: 2, policy: noSharing() });
 * // throws ParameterError "queues (n) = 0 is out of range: an integer in [1, 10000000]"
 * const error = new ParameterError("samples (d)", 0, "an integer >= 1 or Infinity");
 * [error.parameter, error.value, error.allowed] // => ["samples (d)", 0, "an integer >= 1 or Infinity"]
 */
export class ParameterError extends RangeError {
  /** The parameter's name as the user wrote it (for example "arrivalRate (lambda)" or "--lambda"). */
  readonly parameter: string;
  /** The offending value. */
  readonly value: unknown;
  /** The allowed range, in words. */
  readonly allowed: string;
  /** A remark after the range (for example how to opt out of a paper's constraint), if any. */
  readonly note: string | undefined;

  constructor(parameter: string, value: unknown, allowed: string, note?: string) {
    super(`${parameter} = ${formatValue(value)} is out of range: ${allowed}${note ? ` (${note})` : ""}`);
    this.name = "ParameterError";
    this.parameter = parameter;
    this.value = value;
    this.allowed = allowed;
    this.note = note;
  }
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === "function") return "[function]";
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function requireInteger(parameter: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new ParameterError(parameter, value, range);
  }
  return value;
}

/** Throws unless `value` is a finite number with lo < value < hi (or <= when the bound is inclusive). */
export function requireNumber(
  parameter: string,
  value: unknown,
  lo: number,
  hi: number,
  { loInclusive = false, hiInclusive = false }: { loInclusive?: boolean; hiInclusive?: boolean } = {},
): number {
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (loInclusive ? value >= lo : value > lo) &&
    (hiInclusive ? value <= hi : value < hi);
  if (!ok) {
    const left = lo === -Infinity ? "" : `${lo} ${loInclusive ? "<=" : "<"} `;
    const right = hi === Infinity ? "" : ` ${hiInclusive ? "<=" : "<"} ${hi}`;
    throw new ParameterError(parameter, value, `a finite number with ${left}${parameter.split(" ")[0]}${right}`);
  }
  return value;
}
