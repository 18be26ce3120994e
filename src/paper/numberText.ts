import { formatNumber } from "../display/formatNumber";

/**
 * A number as the paper studies' sentences write it: formatNumber with 3 significant digits unless asked.
 * Cost O(1).
 *
 * @param x any number (NaN gives "NaN")
 * @param digits significant digits, an integer in [1, 17]
 * @example
 * num(0.0066497) // => "0.00665"
 */
export function num(x: number, digits = 3): string {
  return formatNumber(x, digits);
}

/**
 * An interval as the paper studies' sentences write it: "[lo, hi]". Cost O(1).
 *
 * @param interval [lo, hi] (a missing bound prints NaN)
 * @param digits significant digits, an integer in [1, 17]
 * @example
 * ci([0.00609, 0.00721]) // => "[0.00609, 0.00721]"
 */
export function ci(interval: readonly number[], digits = 3): string {
  return `[${formatNumber(interval[0] ?? NaN, digits)}, ${formatNumber(interval[1] ?? NaN, digits)}]`;
}

/**
 * Words joined as a sentence list. Cost O(words).
 *
 * @example
 * wordList(["a", "b", "c"]) // => "a, b and c"
 */
export function wordList(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
