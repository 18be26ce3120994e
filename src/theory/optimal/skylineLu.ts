/**
 * LU factorisation without pivoting of a square matrix stored by its envelope (skyline, or profile, storage),
 * and solves with it and with its transpose. Private to src/theory/optimal (not in the package's barrel).
 *
 * Why by hand: the matrices here are I - P of the truncated two-queue chain lumped by the swap of the queues
 * (twoQueueGrid.ts), of order about (N + 1)^2 / 2 (5 * 10^3 at N = 100, 3 * 10^4 at N = 250). Row i of level x
 * (the longer queue's length) reaches back about x columns and forward about K x, so a fixed band as wide as
 * the widest row would cost about four times the envelope's work. No maintained npm package offers a band or
 * envelope solver (@stdlib/lapack has no dgbtrf; ml-sparse-matrix has no solver), and a dense solver
 * (ml-matrix) costs n^3 / 3: 3e13 flops at N = 250.
 *
 * Why no pivoting: the matrix I - P_T, where P_T is the transition matrix restricted to a set T of states from
 * which the chain leaves T with positive probability, is a nonsingular M-matrix (Z-matrix with a nonnegative
 * inverse: (I - P_T)^{-1} = sum_k P_T^k converges). Gaussian elimination without pivoting on a nonsingular
 * M-matrix never meets a zero pivot and every Schur complement is again a nonsingular M-matrix (Berman and
 * Plemmons, "Nonnegative Matrices in the Mathematical Sciences", 1994, ch. 6, condition (E17); Higham,
 * "Accuracy and Stability of Numerical Algorithms", 2nd ed., Sec. 9.6: growth factor 1 for row diagonally
 * dominant M-matrices), so elimination is stable.
 *
 * Why the envelope holds every fill-in: without pivoting, the first nonzero column of each row of L and the
 * first nonzero row of each column of U are those of the matrix (George and Liu, "Computer Solution of Large
 * Sparse Positive Definite Systems", 1981, Sec. 4.2; the argument does not use symmetry). So row i is stored
 * from its first nonzero column f_i to c_i = max(i, max over rows i' <= i of the last column j whose first
 * nonzero row is at most i'): every U entry of row i lies there, and c is nondecreasing, so the update of row
 * i by a pivot row k < i (columns k + 1 .. c_k) stays inside row i's storage.
 */
import { SKYLINE_FACTOR_WASM_BASE64 } from "./skylineFactorWasm";

/**
 * The most entries stored: 2^28 (2 GiB, MAX_SOLVER_BYTES of twoQueueGrid.ts), so that the entries and the
 * index arrays fit in one WebAssembly memory (at most 4 GiB) with 32-bit offsets.
 */
const MAX_STORED_ENTRIES = 2 ** 28;

// The WebAssembly API of Node (its types are not in the project's lib: ES2022 and @types/node).
interface WasmApi {
  readonly Module: new (bytes: ArrayBufferView) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
  readonly Memory: new (descriptor: { initial: number; maximum?: number }) => { readonly buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;
type FactorExport = (n: number, first: number, last: number, lastRow: number, base: number, values: number) => number;
let compiledFactor: object | null = null;

/** The elimination loop's module (skylineFactor.as.ts), compiled once per thread (synchronously: it is tiny). */
function factorModule(): object {
  if (compiledFactor === null) compiledFactor = new wasm.Module(Buffer.from(SKYLINE_FACTOR_WASM_BASE64, "base64"));
  return compiledFactor;
}

export class SkylineLu {
  readonly order: number;
  /** f_i: the first stored column of row i. */
  readonly firstColumn: Int32Array;
  /** c_i: the last stored column of row i (nondecreasing in i). */
  readonly lastColumn: Int32Array;
  /** Where row i starts in `values`, shifted so that entry (i, j) is values[rowBase[i] + j]. */
  readonly rowBase: Int32Array;
  /** lastRow[k]: the last row i whose first column is <= k (the rows a pivot k may update). */
  readonly lastRow: Int32Array;
  /** Every stored entry; after `factor()`, U on and right of the diagonal and the multipliers of L left of it. */
  readonly values: Float64Array;
  private factored = false;
  /** The elimination loop (skylineFactor.as.ts) of this object's memory, and where the arrays lie in it. */
  private readonly wasmFactor: FactorExport;
  private readonly layout: { readonly first: number; readonly last: number; readonly lastRow: number; readonly base: number; readonly values: number };

  /**
   * The storage for a matrix of the given pattern: `firstColumn[i]` the first nonzero column of row i (at most
   * i) and `firstRow[j]` the first nonzero row of column j (at most j). Entries outside are zero. Cost O(order)
   * plus the storage, 8 bytes per stored entry (`SkylineLu.storedEntries`).
   */
  constructor(firstColumn: Int32Array, firstRow: Int32Array) {
    const n = firstColumn.length;
    if (firstRow.length !== n) throw new RangeError("SkylineLu: firstColumn and firstRow differ in length");
    this.order = n;
    const lastColumn = SkylineLu.lastColumns(firstRow);
    const rowBase = new Int32Array(n);
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const f = firstColumn[i]!;
      if (!(f >= 0 && f <= i) || !(firstRow[i]! >= 0 && firstRow[i]! <= i)) throw new RangeError(`SkylineLu: bad pattern at ${i}`);
      rowBase[i] = offset - f; // >= 0: every earlier row stores at least its diagonal, so offset >= i >= f
      offset += lastColumn[i]! - f + 1;
    }
    if (offset > MAX_STORED_ENTRIES) throw new RangeError(`SkylineLu: ${offset} entries exceed ${MAX_STORED_ENTRIES}`);
    // lastRow[k] = max { i : f_i <= k }: the last row of each first column, then a running maximum
    const lastRow = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) if (i > lastRow[firstColumn[i]!]!) lastRow[firstColumn[i]!] = i;
    for (let k = 0, running = -1; k < n; k++) {
      running = Math.max(running, lastRow[k]!, k);
      lastRow[k] = running;
    }
    // Everything lives in the memory of one instance of the elimination loop (skylineFactor.as.ts): the four
    // index arrays, then the entries, 16-byte aligned. The memory is released with this object.
    const valuesAt = Math.ceil((16 * n) / 16) * 16;
    const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil((valuesAt + 8 * offset) / 65536)) });
    const instance = new wasm.Instance(factorModule(), { env: { memory } });
    this.wasmFactor = (instance.exports as { readonly factor: FactorExport }).factor;
    this.layout = { first: 0, last: 4 * n, lastRow: 8 * n, base: 12 * n, values: valuesAt };
    this.firstColumn = new Int32Array(memory.buffer, 0, n);
    this.firstColumn.set(firstColumn);
    this.lastColumn = new Int32Array(memory.buffer, 4 * n, n);
    this.lastColumn.set(lastColumn);
    this.lastRow = new Int32Array(memory.buffer, 8 * n, n);
    this.lastRow.set(lastRow);
    this.rowBase = new Int32Array(memory.buffer, 12 * n, n);
    this.rowBase.set(rowBase);
    this.values = new Float64Array(memory.buffer, valuesAt, offset); // zero: a fresh memory
  }

  /** c_i for a pattern given by the first nonzero row of each column (see the class comment). */
  static lastColumns(firstRow: Int32Array): Int32Array {
    const n = firstRow.length;
    const last = new Int32Array(n).fill(-1);
    for (let j = 0; j < n; j++) if (j > last[firstRow[j]!]!) last[firstRow[j]!] = j;
    let running = -1;
    for (let i = 0; i < n; i++) {
      running = Math.max(running, last[i]!, i);
      last[i] = running;
    }
    return last;
  }

  /** The number of stored entries for a pattern (8 bytes each), without allocating them. */
  static storedEntries(firstColumn: Int32Array, firstRow: Int32Array): number {
    const last = SkylineLu.lastColumns(firstRow);
    let total = 0;
    for (let i = 0; i < firstColumn.length; i++) total += last[i]! - firstColumn[i]! + 1;
    return total;
  }

  /** Adds `value` to entry (i, j), which must lie in row i's storage. */
  add(i: number, j: number, value: number): void {
    if (!(i >= 0 && i < this.order) || j < this.firstColumn[i]! || j > this.lastColumn[i]!) {
      throw new RangeError(`entry (${i}, ${j}) outside the envelope`);
    }
    const at = this.rowBase[i]! + j;
    this.values[at] = (this.values[at] as number) + value;
  }

  /**
   * Factors in place (Doolittle, no pivoting): for each pivot k, the rows below it whose envelope reaches
   * column k are updated over columns k + 1 .. c_k. Cost about sum over k of (rows reached) (c_k - k) flops,
   * skipping zero multipliers. Returns false when a pivot is not positive and finite (the matrix is then not
   * a nonsingular M-matrix). The loop runs in WebAssembly (skylineFactor.as.ts says why and how); its
   * results are those of the plain loop
   *   for i in k+1 .. lastRow[k] with first[i] <= k and a(i, k) != 0:
   *     a(i, k) /= a(k, k); for j in k+1 .. c_k: a(i, j) -= a(i, k) a(k, j)
   * to the last bit (tested).
   */
  factor(): boolean {
    const { first, last, lastRow, base, values } = this.layout;
    const ok = this.wasmFactor(this.order, first, last, lastRow, base, values) === 1;
    this.factored = ok;
    return ok;
  }

  /** Solves A x = b in place (b becomes x). Cost O(stored entries). */
  solve(b: Float64Array): void {
    this.requireFactored();
    const { order: n, firstColumn: first, lastColumn: last, rowBase: base, values: a } = this;
    for (let i = 0; i < n; i++) { // L y = b (unit lower)
      const rowI = base[i]!;
      let sum = b[i]!;
      for (let j = first[i]!; j < i; j++) sum -= a[rowI + j]! * b[j]!;
      b[i] = sum;
    }
    for (let i = n - 1; i >= 0; i--) { // U x = y
      const rowI = base[i]!;
      let sum = b[i]!;
      const end = last[i]!;
      for (let j = i + 1; j <= end; j++) sum -= a[rowI + j]! * b[j]!;
      b[i] = sum / a[rowI + i]!;
    }
  }

  /** Solves A^T x = b in place (b becomes x): U^T z = b, then L^T x = z. Cost O(stored entries). */
  solveTransposed(b: Float64Array): void {
    this.requireFactored();
    const { order: n, firstColumn: first, lastColumn: last, rowBase: base, values: a } = this;
    for (let i = 0; i < n; i++) { // U^T z = b: column-oriented forward substitution
      const rowI = base[i]!;
      const zi = b[i]! / a[rowI + i]!;
      b[i] = zi;
      if (zi === 0) continue;
      const end = last[i]!;
      for (let j = i + 1; j <= end; j++) b[j] = (b[j] as number) - a[rowI + j]! * zi;
    }
    for (let i = n - 1; i >= 0; i--) { // L^T x = z: column-oriented backward substitution (unit diagonal)
      const rowI = base[i]!;
      const xi = b[i]!;
      if (xi === 0) continue;
      for (let j = first[i]!; j < i; j++) b[j] = (b[j] as number) - a[rowI + j]! * xi;
    }
  }

  private requireFactored(): void {
    if (!this.factored) throw new Error("SkylineLu: factor() first");
  }
}
