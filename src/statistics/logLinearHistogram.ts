import { ParameterError, requireNumber } from "../model/parameterError";

/**
 * A fixed-bin histogram for non-negative values (the simulator's job delays, in time units) with bounded
 * memory and a stated resolution, in the manner of HdrHistogram (log-linear buckets).
 *
 * A value x is quantised to ticks t = floor(x * 1024) (tick = 2^-10 time units). Ticks below 256 each get a
 * bin of their own (absolute width 2^-10 for x < 0.25). Above, every power-of-two range [2^e, 2^(e+1)) of
 * ticks is cut into 128 equal bins, so a bin's width is at most 1/128 of its lower edge. Values with
 * t >= 2^31 (x >= 2^21 = 2097152 time units) go to one overflow bin. 3201 bins in all.
 *
 * Resolution of a quantile read from the histogram (the midpoint of the bin holding it): within
 * 2^-11 ~ 0.0005 time units for values below 0.25, and within 1/256 ~ 0.39% of the value above.
 * Histograms of independent runs merge by adding counts.
 */
export const LOG_LINEAR_TICKS_PER_UNIT = 1024;
const SUB_BITS = 7;
const SUB_BINS = 1 << SUB_BITS; // 128
const MAX_VALUE = 2147483648 / LOG_LINEAR_TICKS_PER_UNIT; // 2^21
/** Number of bins including the overflow bin (the last). */
export const LOG_LINEAR_HISTOGRAM_BINS = (31 - SUB_BITS + 1) * SUB_BINS + 1; // 3201
/** Index of the overflow bin. */
export const LOG_LINEAR_OVERFLOW_BIN = LOG_LINEAR_HISTOGRAM_BINS - 1;

/**
 * The bin of a value (see the resolution above). Cost O(1), no allocation (Math.clz32, no logarithm), so the
 * simulator calls it once per completed job.
 *
 * @param value a non-negative number (time units); negative values and NaN land in bin 0, values >= 2^21 in
 *   the overflow bin (not validated: hot path)
 * @returns an integer in [0, LOG_LINEAR_HISTOGRAM_BINS)
 * @example
 * logLinearBin(0.1) // => 102 (tick floor(102.4))
 * logLinearBin(3)   // => 704 (3072 ticks = 1.5 x 2^11: range 5 of 128 bins, sub-bin 64)
 */
export function logLinearBin(value: number): number {
  if (!(value < MAX_VALUE)) return value >= MAX_VALUE ? LOG_LINEAR_OVERFLOW_BIN : 0;
  const ticks = (value * LOG_LINEAR_TICKS_PER_UNIT) | 0;
  if (ticks < 2 * SUB_BINS) return ticks < 0 ? 0 : ticks;
  const exponent = 31 - Math.clz32(ticks); // 8..30
  return (exponent - SUB_BITS + 1) * SUB_BINS + ((ticks >>> (exponent - SUB_BITS)) & (SUB_BINS - 1));
}

/**
 * The value range [lo, hi) of a bin, in the value's units. The overflow bin is [2^21, Infinity).
 * Cost O(1).
 *
 * @param bin an integer in [0, LOG_LINEAR_HISTOGRAM_BINS); anything else returns [NaN, NaN]
 * @example
 * logLinearBinBounds(704) // => [3, 3.015625]
 */
export function logLinearBinBounds(bin: number): [number, number] {
  if (!Number.isInteger(bin) || bin < 0 || bin >= LOG_LINEAR_HISTOGRAM_BINS) return [NaN, NaN];
  if (bin === LOG_LINEAR_OVERFLOW_BIN) return [MAX_VALUE, Infinity];
  if (bin < 2 * SUB_BINS) return [bin / LOG_LINEAR_TICKS_PER_UNIT, (bin + 1) / LOG_LINEAR_TICKS_PER_UNIT];
  const exponent = Math.floor(bin / SUB_BINS) + SUB_BITS - 1;
  const sub = bin % SUB_BINS;
  const width = 2 ** (exponent - SUB_BITS);
  const lo = (SUB_BINS + sub) * width;
  return [lo / LOG_LINEAR_TICKS_PER_UNIT, (lo + width) / LOG_LINEAR_TICKS_PER_UNIT];
}

/**
 * The p-quantile of the values counted in a log-linear histogram: the midpoint of the first bin at which the
 * cumulative count reaches p times the total (Infinity when that is the overflow bin). Resolution as stated
 * above. Cost O(bins).
 *
 * @param counts bin counts, length LOG_LINEAR_HISTOGRAM_BINS (not mutated)
 * @param p the probability, 0 < p < 1
 * @returns the quantile in the value's units, or NaN for an empty histogram
 * @throws ParameterError when p is outside (0, 1) or counts has the wrong length
 * @example
 * const counts = new Array(LOG_LINEAR_HISTOGRAM_BINS).fill(0);
 * counts[logLinearBin(1)] = 3; counts[logLinearBin(3)] = 1;
 * logLinearQuantile(counts, 0.5) // => 1.00390625 (midpoint of [1, 1.0078125))
 */
export function logLinearQuantile(counts: ArrayLike<number>, p: number): number {
  requireNumber("p", p, 0, 1);
  if (counts.length !== LOG_LINEAR_HISTOGRAM_BINS) {
    throw new ParameterError("counts.length", counts.length, `exactly ${LOG_LINEAR_HISTOGRAM_BINS} (one count per bin)`);
  }
  let total = 0;
  for (let b = 0; b < counts.length; b++) total += counts[b] as number;
  if (!(total > 0)) return NaN;
  const target = p * total;
  let cumulative = 0;
  for (let b = 0; b < counts.length; b++) {
    cumulative += counts[b] as number;
    if (cumulative >= target && (counts[b] as number) > 0) {
      const [lo, hi] = logLinearBinBounds(b);
      return hi === Infinity ? Infinity : (lo + hi) / 2;
    }
  }
  return NaN;
}
