import type { MeanFieldSystem } from "./meanFieldSystem";

/**
 * The right-hand side ds/dt of a truncated mean-field system at state s:
 * ds_i/dt = stayUp_i + migrationUp_i - (s_i - s_{i+1}) for i = 1..L, with s_{L+1} = 0 and ds_0/dt = 0.
 * Cost: one `upwardRates` call, O(L min(K, L)) for the built-in rules.
 *
 * @param system a derived or printed system
 * @param s occupancy state, length L + 1 >= 2, s[0] = 1, entries in [0, 1] (not mutated)
 * @param out optional output array of length L + 1 (allocated when omitted)
 * @param complement optional u_k = 1 - s_k to full relative precision (levels near 1 then keep their balance)
 * @returns ds/dt (out); entries are NaN if s holds NaN
 * @example
 * const sys = derivedMeanFieldSystem({ arrivalRate: 0.5, migrationPenalty: 2, policy: noSharing() });
 * meanFieldDrift(sys, Float64Array.from([1, 0.5, 0.25, 0])) // => Float64Array [0, 0, -0.125, 0.125] (s_3 = 0 < 0.125)
 */
/**
 * Work arrays of meanFieldDrift, kept between calls of the same length: an ODE integration evaluates ds/dt
 * some 10^5 times, and upwardRates writes every entry, so nothing carries over from one call to the next.
 */
let scratch = { stayUp: new Float64Array(0), migrationUp: new Float64Array(0) };

export function meanFieldDrift(system: MeanFieldSystem, s: Float64Array, out?: Float64Array, complement?: Float64Array): Float64Array {
  const L = s.length - 1;
  const result = out ?? new Float64Array(L + 1);
  if (scratch.stayUp.length !== L + 1) scratch = { stayUp: new Float64Array(L + 1), migrationUp: new Float64Array(L + 1) };
  const { stayUp, migrationUp } = scratch;
  system.upwardRates(s, stayUp, migrationUp, complement);
  result[0] = 0;
  for (let i = 1; i <= L; i++) {
    const next = i < L ? (s[i + 1] as number) : 0;
    const down = complement !== undefined && next >= 0.5
      ? (complement[i + 1] as number) - (complement[i] as number)
      : (s[i] as number) - next;
    result[i] = (stayUp[i] as number) + (migrationUp[i] as number) - down;
  }
  return result;
}
