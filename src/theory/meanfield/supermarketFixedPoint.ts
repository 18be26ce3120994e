import { requireInteger, requireNumber } from "../../model/parameterError";

/**
 * The closed-form fixed point of the supermarket model in which an arrival joins the shortest of its own
 * queue and d sampled queues (d + 1 choices, K = 1): s_i = lambda^(((d+1)^i - 1)/d), i = 0..levels
 * (Vvedenskaya, Dobrushin, Karpelevich 1996 [3]; Mitzenmacher 1996 [1], with d + 1 choices). It is the fixed
 * point of ds_i/dt = lambda (s_{i-1}^{d+1} - s_i^{d+1}) - (s_i - s_{i+1}), which is what the derived system
 * reduces to for SQ(d) (see derivedMeanFieldSystem). d = 0 gives no sharing, s_i = lambda^i.
 * Computed as exp(ln(lambda) ((d+1)^i - 1)/d); values below the smallest double are 0.
 *
 * Cost O(levels).
 *
 * @param arrivalRate lambda in (0, 1) (ParameterError otherwise)
 * @param samples d: an integer >= 0 (ParameterError otherwise)
 * @param levels last level returned: an integer in [0, 1e6] (ParameterError otherwise)
 * @example
 * supermarketFixedPoint(0.5, 1, 3) // => Float64Array [1, 0.5, 0.12500000000000003, 0.007812500000000002]
 */
export function supermarketFixedPoint(arrivalRate: number, samples: number, levels: number): Float64Array {
  requireNumber("arrivalRate (lambda)", arrivalRate, 0, 1);
  requireInteger("samples (d)", samples, 0);
  requireInteger("levels", levels, 0, 1_000_000);
  const out = new Float64Array(levels + 1);
  const logLambda = Math.log(arrivalRate);
  for (let i = 0; i <= levels; i++) {
    const exponent = samples === 0 ? i : (Math.pow(samples + 1, i) - 1) / samples;
    out[i] = Math.exp(logLambda * exponent);
  }
  return out;
}
