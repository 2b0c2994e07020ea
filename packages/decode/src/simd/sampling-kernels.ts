import {
  advance,
  blockOffset,
  F64,
  f64Const,
  f64x2Const,
  get,
  HIGH_TO_LOW,
  I32,
  i32Const,
  MAGIC,
  op,
  set,
  simd,
  tee,
  V128,
  v,
  v128Load,
  type WasmFunction,
  whileBelow,
} from './wasm-emit.js';

/**
 * The SIMD kernels of top-p and sampling (see `simd-kernels.ts` for the
 * staged row they work on): they repeat the plain path's exp-table arithmetic
 * of `log-softmax.ts` operation for operation, so their buckets, masses and
 * draws are the plain path's to the bit.
 */

/** The plain path's exp-table arithmetic (`log-softmax.ts`). */
const TABLE_K = 16;
const TABLE_A = Math.LN2 / TABLE_K;
const TABLE_C = [-TABLE_A, (TABLE_A * TABLE_A) / 2, -(TABLE_A * TABLE_A * TABLE_A) / 6, (TABLE_A * TABLE_A * TABLE_A * TABLE_A) / 24];

/**
 * `expBuckets(blocks, max, bucketPtr, powPtr, massPtr)` (top-p): per
 * entry u = min((max − x)·16·log₂e, 1024), j = round(u), weight
 * pow[j]·q(u − j) with the plain path's quartic q, in the plain path's order
 * of operations (the same bits); j is stored as a u16 at bucketPtr and the
 * weight added to the float64 at massPtr + 8j (the caller sums the masses). pow
 * holds 2048 float64 (2^(−j/16), 0 from j = 1024 on); j is masked to 11 bits.
 */
function expBuckets(): WasmFunction {
  const [blocks, max, bucketPtr, powPtr, massPtr, p, end, m, scale, x, u, s, q, j, e, ninf] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  // the constants of the quartic, in locals from K on (shorter code than a v128.const at each use)
  const K = 16;
  const constants = [1024, MAGIC, 1, ...TABLE_C];
  const quartic = (promote: number[]): number[] => [
    // u = min((max − x)·scale, 1024); s = u + ROUND; r = u − (s − ROUND) → q(r)
    ...get(m),
    ...promote,
    ...v(simd.f64x2Sub),
    ...get(scale),
    ...v(simd.f64x2Mul),
    ...get(K + 0),
    ...v(simd.f64x2Pmin),
    ...tee(u),
    ...get(K + 1),
    ...v(simd.f64x2Add),
    ...tee(s),
    ...get(K + 1),
    ...v(simd.f64x2Sub),
    ...set(x),
    ...get(u),
    ...get(x),
    ...v(simd.f64x2Sub),
    ...set(u), // u ← r
    // (1 + C1·r) + r²·((C2 + C3·r) + C4·r²)
    ...get(K + 2),
    ...get(K + 3),
    ...get(u),
    ...v(simd.f64x2Mul),
    ...v(simd.f64x2Add),
    ...get(u),
    ...get(u),
    ...v(simd.f64x2Mul),
    ...tee(x),
    ...get(K + 4),
    ...get(K + 5),
    ...get(u),
    ...v(simd.f64x2Mul),
    ...v(simd.f64x2Add),
    ...get(K + 6),
    ...get(x),
    ...v(simd.f64x2Mul),
    ...v(simd.f64x2Add),
    ...v(simd.f64x2Mul),
    ...v(simd.f64x2Add),
    ...set(q),
  ];
  const lane = (i: number): number[] => [
    ...get(s),
    ...v(simd.i32x4ExtractLane, 2 * i),
    ...i32Const(2047),
    op.i32And,
    ...set(j),
    ...get(bucketPtr),
    ...get(j),
    op.i32Store16,
    1,
    0,
    ...advance(bucketPtr, 2),
    ...get(powPtr),
    ...get(j),
    ...i32Const(3),
    op.i32Shl,
    op.i32Add,
    op.f64Load,
    3,
    0,
    ...get(q),
    ...v(simd.f64x2ExtractLane, i),
    op.f64Mul,
    ...set(e),
    ...get(massPtr),
    ...get(j),
    ...i32Const(3),
    op.i32Shl,
    op.i32Add,
    ...tee(j),
    ...get(j),
    op.f64Load,
    3,
    0,
    ...get(e),
    op.f64Add,
    op.f64Store,
    3,
    0,
  ];
  const low = [...get(x), ...v(simd.f64x2PromoteLowF32x4)];
  const high = [...get(x), ...get(x), ...v(simd.shuffle, ...HIGH_TO_LOW), ...v(simd.f64x2PromoteLowF32x4)];
  // quartic overwrites x: the 4 entries are loaded again for the second half
  const vector = (offset: number) => [
    ...get(p),
    ...v128Load(offset),
    ...set(x),
    ...quartic(low),
    ...lane(0),
    ...lane(1),
    ...get(p),
    ...v128Load(offset),
    ...set(x),
    ...quartic(high),
    ...lane(0),
    ...lane(1),
  ];
  const masked = (offset: number) => [...get(p), ...v128Load(offset), ...get(ninf), ...v(simd.f32x4Eq)];
  return {
    name: 'expBuckets',
    params: [I32, F64, I32, I32, I32],
    result: null,
    locals: [I32, I32, V128, V128, V128, V128, V128, V128, I32, F64, V128, ...new Array<number>(constants.length).fill(V128)],
    body: [
      ...f64Const(-Infinity),
      op.f32DemoteF64,
      ...v(simd.f32x4Splat),
      ...set(ninf),
      ...get(max),
      ...v(simd.f64x2Splat),
      ...set(m),
      ...f64x2Const(Math.LOG2E * TABLE_K),
      ...set(scale),
      ...constants.flatMap((value, i) => [...f64x2Const(value), ...set(K + i)]),
      ...blockOffset(blocks, end),
      ...whileBelow(p, end, [
        // a block of 8 masked entries: bucket 1024 each, weight 0 (adds nothing)
        ...masked(0),
        ...masked(16),
        ...v(simd.and),
        ...v(simd.i32x4AllTrue),
        op.if,
        op.void,
        ...get(bucketPtr),
        ...i32Const(1024),
        ...v(simd.i16x8Splat),
        ...v(simd.store, 4, 0),
        ...advance(bucketPtr, 16),
        op.else,
        ...vector(0),
        ...vector(16),
        op.end,
        ...advance(p, 32),
      ]),
    ],
  };
}

/**
 * `drawIndex(blocks, shift, u, powPtr) → i32` (sampling): the plain
 * `drawIndex` (`log-softmax.ts`) to the same bits — weights pow[j]·q(r) of
 * (shift − x)·16·log₂e summed in id order until they exceed u — skipping
 * blocks of 8 masked entries at a time. Returns the token, the last allowed
 * one when rounding leaves u above the total, −1 when every entry is masked,
 * and −2 when an entry lies above `shift` (the plain path handles that case).
 */
function drawIndex(): WasmFunction {
  const [blocks, shift, u, powPtr, p, end, q, qEnd, last, x, w, r, r2, acc, ninf] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const masked = (offset: number) => [...get(p), ...v128Load(offset), ...get(ninf), ...v(simd.f32x4Eq)];
  const weight = [
    // w = min((shift − x)·16·log₂e, 1024) (w ≥ 0 checked before); r = w − ((w + ROUND) − ROUND)
    ...get(w),
    ...f64Const(1024),
    op.f64Min,
    ...set(w),
    ...get(w),
    ...f64Const(MAGIC),
    op.f64Add,
    ...f64Const(MAGIC),
    op.f64Sub,
    ...set(r), // r holds j for now
    ...get(powPtr),
    ...get(r),
    op.i32TruncF64S,
    ...i32Const(3),
    op.i32Shl,
    op.i32Add,
    op.f64Load,
    3,
    0,
    ...get(w),
    ...get(r),
    op.f64Sub,
    ...tee(r),
    ...get(r),
    op.f64Mul,
    ...set(r2),
    // pow[j] · ((1 + C1·r) + r²·((C2 + C3·r) + C4·r²))
    ...f64Const(1),
    ...f64Const(TABLE_C[0]),
    ...get(r),
    op.f64Mul,
    op.f64Add,
    ...get(r2),
    ...f64Const(TABLE_C[1]),
    ...f64Const(TABLE_C[2]),
    ...get(r),
    op.f64Mul,
    op.f64Add,
    ...f64Const(TABLE_C[3]),
    ...get(r2),
    op.f64Mul,
    op.f64Add,
    op.f64Mul,
    op.f64Add,
    op.f64Mul,
    ...get(acc),
    op.f64Add,
    ...set(acc),
  ];
  const entry = [
    ...get(q),
    op.f32Load,
    2,
    0,
    op.f64PromoteF32,
    ...tee(x),
    ...f64Const(-Infinity),
    op.f64Ne,
    op.if,
    op.void,
    ...get(shift),
    ...get(x),
    op.f64Sub,
    ...f64Const(Math.LOG2E * TABLE_K),
    op.f64Mul,
    ...tee(w),
    ...f64Const(0),
    op.f64Ge,
    op.i32Eqz,
    op.if,
    op.void,
    ...i32Const(-2),
    op.return,
    op.end,
    ...weight,
    ...get(q),
    ...i32Const(2),
    op.i32ShrU,
    ...set(last),
    ...get(u),
    ...get(acc),
    op.f64Lt,
    op.if,
    op.void,
    ...get(last),
    op.return,
    op.end,
    op.end,
    ...advance(q, 4),
  ];
  return {
    name: 'drawIndex',
    params: [I32, F64, F64, I32],
    result: I32,
    locals: [I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, V128],
    body: [
      ...f64Const(-Infinity),
      op.f32DemoteF64,
      ...v(simd.f32x4Splat),
      ...set(ninf),
      ...i32Const(-1),
      ...set(last),
      ...blockOffset(blocks, end),
      ...whileBelow(p, end, [
        ...masked(0),
        ...masked(16),
        ...v(simd.and),
        ...v(simd.i32x4AllTrue),
        op.i32Eqz,
        op.if,
        op.void,
        ...get(p),
        ...tee(q),
        ...i32Const(32),
        op.i32Add,
        ...set(qEnd),
        ...whileBelow(q, qEnd, entry),
        op.end,
        ...advance(p, 32),
      ]),
      ...get(last),
    ],
  };
}

/**
 * `maskBeyond(blocks, bucketPtr, boundary, listPtr) → i32` (top-p, after
 * `expBuckets`): every staged entry whose u16 bucket is above `boundary`
 * becomes −Infinity, and the indices of the entries in bucket `boundary` are
 * written in order as i32 at listPtr; returns their number.
 */
function maskBeyond(): WasmFunction {
  const [blocks, bucketPtr, boundary, listPtr, p, end, count, i, eight, bnd, ninf, bv, gt] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const masked = (offset: number, extend: number) => [
    ...get(p),
    ...get(ninf),
    ...get(p),
    ...v128Load(offset),
    ...get(gt),
    ...v(extend),
    ...v(simd.bitselect),
    ...v(simd.store, 4, offset),
  ];
  const collect = [
    ...get(bucketPtr),
    ...get(i),
    ...i32Const(1),
    op.i32Shl,
    op.i32Add,
    op.i32Load16U,
    1,
    0,
    ...get(boundary),
    op.i32Eq,
    op.if,
    op.void,
    ...get(listPtr),
    ...get(count),
    ...i32Const(2),
    op.i32Shl,
    op.i32Add,
    ...get(p),
    ...i32Const(2),
    op.i32ShrU,
    ...get(i),
    op.i32Add,
    op.i32Store,
    2,
    0,
    ...advance(count, 1),
    op.end,
    ...advance(i, 1),
  ];
  return {
    name: 'maskBeyond',
    params: [I32, I32, I32, I32],
    result: I32,
    locals: [I32, I32, I32, I32, I32, V128, V128, V128, V128],
    body: [
      ...i32Const(8),
      ...set(eight),
      ...get(boundary),
      ...v(simd.i16x8Splat),
      ...set(bnd),
      ...f64Const(-Infinity),
      op.f32DemoteF64,
      ...v(simd.f32x4Splat),
      ...set(ninf),
      ...blockOffset(blocks, end),
      ...whileBelow(p, end, [
        ...get(bucketPtr),
        ...v128Load(0),
        ...tee(bv),
        ...get(bnd),
        ...v(simd.i16x8GtU),
        ...set(gt),
        ...masked(0, simd.i32x4ExtendLowI16x8S),
        ...masked(16, simd.i32x4ExtendHighI16x8S),
        ...get(bv),
        ...get(bnd),
        ...v(simd.i16x8Eq),
        ...v(simd.anyTrue),
        op.if,
        op.void,
        ...i32Const(0),
        ...set(i),
        ...whileBelow(i, eight, collect),
        op.end,
        ...advance(p, 32),
        ...advance(bucketPtr, 16),
      ]),
      ...get(count),
    ],
  };
}

/** The kernels of this file, for the module of `simd-kernels.ts`. */
export function samplingKernels(): WasmFunction[] {
  return [expBuckets(), drawIndex(), maskBeyond()];
}
