import { nextUniform53, nextXoroshiro128PlusHigh32, type Xoroshiro128PlusState } from "./xoroshiro128Plus";

/**
 * Exp(1) variates by the ziggurat method of Marsaglia and Tsang ("The ziggurat method for generating random
 * variables", Journal of Statistical Software 5(8), 2000; their REXP with 256 layers), used for the holding
 * times of the continuous-time clock so that the event loop avoids a Math.log per event.
 *
 * The method: the area under f(x) = exp(-x) is covered by 255 horizontal layers of equal area v plus a base
 * layer (a rectangle of the same area v that ends in the tail x > r). Layer i has right edge x_i
 * (x_255 = r = 7.69711747013104972, decreasing to x_1, with x_0 = 0); a layer is chosen uniformly and a point
 * x = U x_i is accepted at once when x < x_{i-1}, which happens with probability about 0.989. Otherwise the
 * point falls in the wedge between f(x_i) and f(x_{i-1}), accepted when a uniform height lies under f(x),
 * or, for the base layer, in the tail, where x = r + Exp(1) by the memorylessness of the exponential law.
 *
 * Differences from the published C code, both on the side of quality: the layer index and the abscissa come
 * from disjoint bits of one 64-bit output (index: bits 24-31 of the low word; abscissa: the high word), and
 * the uniform heights are 53-bit.
 */
const ZIGGURAT_R = 7.69711747013104972;
const ZIGGURAT_V = 3.949659822581572e-3;
const TWO_POW_32 = 4294967296;

/** ke[i]: acceptance bound for the 32-bit abscissa in layer i; we[i] = x_i / 2^32; fe[i] = exp(-x_i). */
const ke = new Float64Array(256);
const we = new Float64Array(256);
const fe = new Float64Array(256);
(function setupZiggurat(): void {
  // Marsaglia and Tsang (2000), the setup of REXP, transcribed.
  let de = ZIGGURAT_R;
  let te = de;
  const q = ZIGGURAT_V / Math.exp(-de);
  ke[0] = Math.floor((de / q) * TWO_POW_32);
  ke[1] = 0;
  we[0] = q / TWO_POW_32;
  we[255] = de / TWO_POW_32;
  fe[0] = 1;
  fe[255] = Math.exp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(ZIGGURAT_V / de + Math.exp(-de));
    ke[i + 1] = Math.floor((de / te) * TWO_POW_32);
    te = de;
    fe[i] = Math.exp(-de);
    we[i] = de / TWO_POW_32;
  }
})();

/**
 * The ziggurat's tables, for the simulator's WebAssembly kernel, which draws the same variates from the same
 * tables (read only: the arrays are this module's own). ke[i]: acceptance bound for the 32-bit abscissa in
 * layer i; we[i] = x_i / 2^32; fe[i] = exp(-x_i). Cost: none (computed once at load).
 *
 * @example
 * EXPONENTIAL_ZIGGURAT_TABLES.fe[0] // => 1
 */
export const EXPONENTIAL_ZIGGURAT_TABLES: { readonly ke: Float64Array; readonly we: Float64Array; readonly fe: Float64Array } = { ke, we, fe };

/**
 * Advances `state` and returns an Exp(1) variate (mean 1). Expected cost: one generator step and one table
 * lookup (about 98.9% of calls); the rest go through a slow path. No allocation. Mutates `state`.
 *
 * @param state a xoroshiro128+ state (for example from `replicationStreamState`); not validated (hot path)
 * @returns a non-negative double
 * @example
 * import { replicationStreamState } from "./replicationStream";
 * const s = replicationStreamState(1, 0);
 * nextExponential(s) // => 1.5135288996415455
 */
export function nextExponential(state: Xoroshiro128PlusState): number {
  const hi = nextXoroshiro128PlusHigh32(state);
  return exponentialFromWords(hi, (state[4] as number) >>> 0, state);
}

/**
 * The ziggurat Exp(1) variate from the two words of one generator step (high word: the abscissa; bits 24-31
 * of the low word: the layer), as the event loop draws them from its buffer (fillXoroshiro128PlusWords). The
 * rare slow path (about 1.1%) draws further words from `state`. Cost O(1) expected, no allocation.
 *
 * @param high the high word of a step, in [0, 2^32)
 * @param low the low word of the same step, in [0, 2^32)
 * @param state the generator for the slow path
 * @returns a non-negative double
 * @example
 * import { replicationStreamState } from "./replicationStream";
 * exponentialFromWords(2534622633, 3124026799, replicationStreamState(1, 0)) // => 1.5135288996415455
 */
export function exponentialFromWords(high: number, low: number, state: Xoroshiro128PlusState): number {
  const layer = low >>> 24;
  if (high < (ke[layer] as number)) return high * (we[layer] as number);
  return exponentialZigguratSlow(state, high, layer);
}

/** The rare branch of {@link exponentialFromWords}: wedge test, base-layer tail, or a fresh try. */
function exponentialZigguratSlow(state: Xoroshiro128PlusState, abscissa: number, layer: number): number {
  let jz = abscissa;
  let iz = layer;
  for (;;) {
    if (iz === 0) return ZIGGURAT_R - Math.log(1 - nextUniform53(state));
    const x = jz * (we[iz] as number);
    const top = fe[iz - 1] as number;
    const bottom = fe[iz] as number;
    if (bottom + nextUniform53(state) * (top - bottom) < Math.exp(-x)) return x;
    // A fresh try, drawn as in nextExponential.
    jz = nextXoroshiro128PlusHigh32(state);
    iz = (state[4] as number) >>> 24;
    if (jz < (ke[iz] as number)) return jz * (we[iz] as number);
  }
}
