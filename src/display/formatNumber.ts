import { requireInteger } from "../model/parameterError";

const plainFormats = new Map<number, Intl.NumberFormat>();

function plainFormat(fractionDigits: number): Intl.NumberFormat {
  let format = plainFormats.get(fractionDigits);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { maximumFractionDigits: fractionDigits, useGrouping: true });
    plainFormats.set(fractionDigits, format);
  }
  return format;
}

/**
 * Formats a number for reading in a table: thousands separators, a fixed number of significant digits
 * for fractions, exponent notation for very small or very large magnitudes.
 *
 * Rules: integers below 1e15 in magnitude are shown exactly with separators (they are counts);
 * other numbers with 1e-4 <= |x| < 1e15 keep every digit of their integer part and enough decimals to
 * show `significantDigits` significant digits, trailing zeros dropped; smaller or larger magnitudes use
 * exponent notation with `significantDigits` digits in the mantissa (trailing zeros dropped).
 * NaN gives "NaN", infinities give "∞" and "-∞".
 *
 * Cost O(1).
 *
 * @param value any number
 * @param significantDigits significant digits for non-integers, an integer in [1, 17]; default 4
 * @returns the formatted text
 * @throws ParameterError when `significantDigits` is not an integer in [1, 17]
 * @example
 * formatNumber(1234567)        // => "1,234,567"
 * formatNumber(1234.56789)     // => "1,235"
 * formatNumber(3.14159265)     // => "3.142"
 * formatNumber(0.000123456)    // => "0.0001235"
 * formatNumber(0.0000123456)   // => "1.235e-5"
 * formatNumber(0.5)            // => "0.5"
 * formatNumber(2 / 3, 2)       // => "0.67"
 */
export function formatNumber(value: number, significantDigits = 4): string {
  requireInteger("significantDigits", significantDigits, 1, 17);
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "∞";
  if (value === -Infinity) return "-∞";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e15) return plainFormat(0).format(value);
  if (magnitude < 1e-4 || magnitude >= 1e15) {
    const [mantissa = "", exponent = ""] = value.toExponential(significantDigits - 1).split("e");
    const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
    return `${trimmed}e${exponent.replace("+", "")}`;
  }
  const integerDigits = Math.floor(Math.log10(magnitude)) + 1;
  const fractionDigits = Math.min(20, Math.max(0, significantDigits - integerDigits));
  const text = plainFormat(fractionDigits).format(value);
  return text === "-0" ? "0" : text;
}
