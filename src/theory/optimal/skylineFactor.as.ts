// The elimination loop of SkylineLu.factor (skylineLu.ts) as a WebAssembly function, written in
// AssemblyScript (compiled by scripts/build-kernel.js into skylineFactorWasm.ts; not compiled by tsc). It
// does the same floating-point operations on every entry, in the same order for each entry, as the
// TypeScript loop it replaces, so the factors are bit-identical (tested against a copy of that loop).
//
// Why WebAssembly, and why written this way: the LU of notebook 08's larger grids spends nearly all its
// time in one update, row_i[j] -= f_i row_k[j] over the columns of pivot row k, some 10^10 times. Here
// it runs on two lanes at once (f64x2: a multiply, then a subtract, each rounded as in scalar code; there
// is no fused multiply-add in WebAssembly's SIMD), on plain loads and stores without bounds checks, and two
// rows i are updated in one pass so that each pair of pivot-row entries is loaded once for both. Deferring
// a row's update until its partner is found changes no result: during pivot k, rows below k read only row k
// and themselves. About 2.5 times the TypeScript loop at N = 250.
//
// Memory (laid out by skylineLu.ts): four Int32 arrays of n entries (each row's first and last stored
// column, the last row each pivot reaches, each row's offset) and the Float64 entries.

/** Updates one row by the pivot row over `count` columns (the row left over when the rows come in pairs). */
@inline function updateRow(row: usize, pivotRow: usize, factor: f64, count: i32): void {
  const f = f64x2.splat(factor);
  let j: i32 = 0;
  for (; j + 1 < count; j += 2) {
    v128.store(row, f64x2.sub(v128.load(row), f64x2.mul(f, v128.load(pivotRow))));
    row += 16;
    pivotRow += 16;
  }
  if (j < count) store<f64>(row, load<f64>(row) - factor * load<f64>(pivotRow));
}

/**
 * Factors in place (Doolittle, no pivoting; see SkylineLu.factor). Returns 1, or 0 when a pivot is not
 * positive and finite. Addresses: `first`, `last`, `lastRow`, `base` Int32 arrays of n entries, `values`
 * the entries (entry (i, j) at values + 8 (base[i] + j)).
 */
export function factor(n: i32, first: usize, last: usize, lastRow: usize, base: usize, values: usize): i32 {
  for (let k: i32 = 0; k < n; k++) {
    const rowK = values + ((<usize>load<i32>(base + (<usize>k << 2))) << 3);
    const pivot = load<f64>(rowK + (<usize>k << 3));
    if (!(pivot > 0) || !isFinite(pivot)) return 0;
    const count = load<i32>(last + (<usize>k << 2)) - k; // columns k + 1 .. last[k]
    const end = load<i32>(lastRow + (<usize>k << 2));
    const pivotNext = rowK + (<usize>k << 3) + 8; // entry (k, k + 1)
    let waiting: usize = 0; // entry (i, k + 1) of a row whose update waits for a partner row
    let waitingFactor: f64 = 0;
    for (let i: i32 = k + 1; i <= end; i++) {
      if (load<i32>(first + (<usize>i << 2)) > k) continue;
      const at = values + ((<usize>load<i32>(base + (<usize>i << 2))) << 3) + (<usize>k << 3);
      const entry = load<f64>(at);
      if (entry == 0) continue;
      const f = entry / pivot;
      store<f64>(at, f);
      if (waiting == 0) {
        waiting = at + 8;
        waitingFactor = f;
        continue;
      }
      let row1 = waiting;
      let row2 = at + 8;
      let pivotRow = pivotNext;
      const f1 = f64x2.splat(waitingFactor);
      const f2 = f64x2.splat(f);
      let j: i32 = 0;
      for (; j + 1 < count; j += 2) {
        const r = v128.load(pivotRow);
        v128.store(row1, f64x2.sub(v128.load(row1), f64x2.mul(f1, r)));
        v128.store(row2, f64x2.sub(v128.load(row2), f64x2.mul(f2, r)));
        row1 += 16;
        row2 += 16;
        pivotRow += 16;
      }
      if (j < count) {
        const r = load<f64>(pivotRow);
        store<f64>(row1, load<f64>(row1) - waitingFactor * r);
        store<f64>(row2, load<f64>(row2) - f * r);
      }
      waiting = 0;
    }
    if (waiting != 0) updateRow(waiting, pivotNext, waitingFactor, count);
  }
  return 1;
}
