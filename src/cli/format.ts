/**
 * Numbers for the command line's plain output, written to the digits they carry: an estimate to its interval,
 * a computed value to its error bound, a closed form to 10 significant digits, and 0 for a value below the
 * rounding of the computation that produced it. Text only (the JSON output keeps every digit).
 */

/** Most significant digits printed for any value. */
const MAX_DIGITS = 10;

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return "0";
  return undefined;
}

function exponentForm(x: number, digits: number): string {
  const [mantissa = "", exponent = ""] = x.toExponential(Math.max(0, digits - 1)).split("e");
  return `${mantissa}e${exponent.replace("+", "")}`;
}

/**
 * x to `digits` significant digits, trailing zeros dropped; exponent form below 1e-4 and from 1e15. Cost O(1).
 *
 * @param x any number (NaN, inf and -inf are written as words)
 * @param digits significant digits, an integer in [1, 17] (default 6)
 * @example
 * formatSignificant(0.8866175248374878, 10) // => "0.8866175248"
 * formatSignificant(2.147038870254383e-12, 4) // => "2.147e-12"
 * formatSignificant(1e7) // => "10000000"
 */
export function formatSignificant(x: number, digits = 6): string {
  const s = special(x);
  if (s !== undefined) return s;
  const r = Number(x.toPrecision(Math.min(17, Math.max(1, digits))));
  const a = Math.abs(r);
  if (a < 1e-4 || a >= 1e15) return exponentForm(r, Math.min(digits, significantDigitsOf(r)));
  return r.toFixed(Math.max(0, Math.min(20, digits - Math.floor(Math.log10(a)) - 1))).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}

function significantDigitsOf(x: number): number {
  const mantissa = x.toExponential().split("e")[0] as string;
  return mantissa.replace(/[-.]/g, "").length;
}

/**
 * x rounded to a multiple of 10^exponent (at most 10 significant digits). Cost O(1).
 *
 * @example
 * formatToPlace(2.24613, -3) // => "2.246"
 * formatToPlace(0.0000026312, -7) // => "2.6e-6"
 */
export function formatToPlace(x: number, exponent: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const place = Math.max(exponent, magnitude - MAX_DIGITS + 1);
  if (place > magnitude) {
    // Below the place shown: round to a multiple of 10^place (0 or one unit).
    const rounded = Math.round(x / 10 ** place) * 10 ** place;
    return rounded === 0 ? "0" : formatSignificant(rounded, 1);
  }
  const digits = magnitude - place + 1;
  if (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e15) return exponentForm(x, digits);
  return place >= 0 ? String(Math.round(x / 10 ** place) * 10 ** place) : x.toFixed(Math.min(20, -place));
}

/**
 * An estimate with its 95% interval, each written to the place of the second significant digit of the
 * half-width, for example "2.2461 [2.2398, 2.2524]". Without a finite interval, the mean to 4 digits followed by
 * "(no interval)". Cost O(1).
 *
 * @param estimate { mean, ci95: [lo, hi] }
 * @example
 * formatEstimate({ mean: 2.246134, ci95: [2.239812, 2.252456] }) // => "2.2461 [2.2398, 2.2525]"
 * formatEstimate({ mean: 0.0031684210526316, ci95: [-0.016497222288245385, 0.02283406439350858] }) // => "0.003 [-0.016, 0.023]"
 */
export function formatEstimate(estimate: { readonly mean: number; readonly ci95: readonly [number, number] }): string {
  const [lo, hi] = estimate.ci95;
  const half = (hi - lo) / 2;
  if (!(Number.isFinite(half) && half > 0)) {
    return Number.isFinite(lo) && lo === hi ? formatSignificant(estimate.mean, MAX_DIGITS) : `${formatSignificant(estimate.mean, 4)} (no interval)`;
  }
  const place = Math.floor(Math.log10(half)) - 1;
  return `${formatToPlace(estimate.mean, place)} [${formatToPlace(lo, place)}, ${formatToPlace(hi, place)}]`;
}

/**
 * A computed value with a bound on its error, to the place of the error's first significant digit (at most 10
 * significant digits; 10 when the error is 0, unknown or not finite). Cost O(1).
 *
 * @param x the value
 * @param error a bound on |error|
 * @example
 * formatWithError(3.2255159123, 2.2e-6) // => "3.225516"
 * formatWithError(0.8941043369681516, 1e-12) // => "0.8941043370"
 */
export function formatWithError(x: number, error: number): string {
  if (!(Number.isFinite(error) && error > 0)) return formatSignificant(x, MAX_DIGITS);
  return formatToPlace(x, Math.floor(Math.log10(error)));
}

/**
 * A value computed in floating point with a bound on its rounding error: "0" when |x| is within the bound (the
 * computation cannot tell it from 0), else the value to the bound's place. Cost O(1).
 *
 * @param x the computed value
 * @param rounding a bound on its rounding error (> 0)
 * @example
 * formatBeyondRounding(1.1102230246251565e-16, 4.9e-15) // => "0"
 * formatBeyondRounding(0.9473684210526336, 4.9e-15) // => "0.9473684211"
 */
export function formatBeyondRounding(x: number, rounding: number): string {
  if (Number.isFinite(x) && Math.abs(x) <= rounding) return "0";
  return formatWithError(x, rounding);
}

/**
 * A count or a budget: exact below 1e6, else in exponent form when that is exact ("1e7", "2.5e6"), else with
 * three significant digits. Cost O(1).
 *
 * @example
 * formatCount(10000) // => "10000"
 * formatCount(1e7) // => "1e7"
 * formatCount(2000000000) // => "2e9"
 */
export function formatCount(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  if (Math.abs(x) < 1e6) return String(x);
  if (Number(x.toPrecision(3)) === x) return exponentForm(x, significantDigitsOf(x));
  return `${exponentForm(x, 3)}`;
}
