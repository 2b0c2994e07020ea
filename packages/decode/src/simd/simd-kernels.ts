import { expSumF32 } from './exp-f32-kernel.js';
import { samplingKernels } from './sampling-kernels.js';
import {
  advance,
  blockOffset,
  buildModule,
  F32,
  F64,
  f64Const,
  get,
  HIGH_TO_LOW,
  I32,
  i32Const,
  MAGIC,
  op,
  set,
  simd,
  sumLanes,
  tee,
  V128,
  v,
  v128Load,
  type WasmFunction,
  whileBelow,
} from './wasm-emit.js';

/**
 * The decoder's WebAssembly SIMD kernels over one row of float32 logits held
 * at address 0 of the module's memory, padded with −Infinity to a multiple of
 * 8 entries (`blocks` = padded length / 8):
 *
 * - `rowMax(blocks) → f32`: the largest entry, NaN skipped (−Infinity when none);
 * - `expSum(blocks, max, constPtr) → f64`: Σ exp(x − max) in float64, NaN when an entry
 *   is NaN; |max| must stay below 2^20 (so that max − 690 is exact enough in
 *   float32); a masked −Infinity entry adds e^−690, nothing next to the 1 of
 *   the maximum, and blocks of 8 masked entries are skipped;
 * - `expSumF32(blocks, max, constPtr) → f64`: the same sum with exp in float32 (to a
 *   relative 3e-7; `exp-f32-kernel.ts`), for greedy and beam scores;
 * - `firstAbove(from, blocks, t) → i32`: the first block at or after `from`
 *   holding an entry > t, else `blocks`;
 * - `subtract(blocks, shift)`: every entry x becomes float32(x − shift), the
 *   difference taken in float64 (as in plain TypeScript);
 * - `maskBelow(blocks, t)`, `scale(blocks, factor)`: top-k / min-p masking and
 *   temperature; and the top-p and sampling kernels of `sampling-kernels.ts`.
 *
 * exp is 2^t with t = (x − max)·log₂e split as t = k + r (k the nearest
 * integer, |r| ≤ ½): a degree-7 polynomial (a weighted least-squares fit)
 * gives 2^r to a relative 5e-11 and k is added to its exponent bits. Two float64 lanes at
 * a time, two accumulators.
 */

/**
 * Coefficients of 2^r on [−½, ½], constant term first: exactly 1 at 0 (the
 * maximum weighs exactly 1), relative error below 5e-11.
 */
const EXP2_POLY = [
  1, 0.6931471807056735, 0.24022651065444378, 0.0555041036296685, 0.009618038302386266, 0.0013333937556950116, 0.00015466701245945064, 1.5195537406842706e-5,
];
/** Entries are raised to at least max − FLOOR_NATS: −Infinity and tiny terms become e^−690 (still a normal float64). */
const FLOOR_NATS = 690;

/**
 * The constants of `expSum`, each in both float64 lanes, read from the address
 * of its third parameter into locals from CONST_LOCAL on (read from memory as
 * `EXP_F32_CONSTANTS` are, for the same reason).
 */
export const EXP_SUM_CONSTANTS: readonly number[] = [Math.LOG2E, MAGIC, ...EXP2_POLY];
const CONSTANTS = EXP_SUM_CONSTANTS;
const CONST_LOCAL = 12;

/** Swap halves, then neighbours: two shuffles that fold four lanes into lane 0. */
function reduceShuffles(combine: number[], local: number): number[] {
  const swap = (lanes: number[]) => [...get(local), ...get(local), ...v(simd.shuffle, ...lanes)];
  return [
    ...get(local),
    ...swap(HIGH_TO_LOW),
    ...combine,
    ...set(local),
    ...get(local),
    ...swap([4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11]),
    ...combine,
    ...set(local),
  ];
}

function rowMax(): WasmFunction {
  // params: blocks; locals: p, end, a, b
  const [blocks, p, end, a, b] = [0, 1, 2, 3, 4];
  const lowest = [...f64Const(-Infinity), op.f32DemoteF64, ...v(simd.f32x4Splat)];
  const pmax = v(simd.f32x4Pmax);
  return {
    name: 'rowMax',
    params: [I32],
    result: F32,
    locals: [I32, I32, V128, V128],
    body: [
      ...lowest,
      ...set(a),
      ...lowest,
      ...set(b),
      ...blockOffset(blocks, end),
      ...whileBelow(p, end, [
        ...get(a),
        ...get(p),
        ...v128Load(0),
        ...pmax,
        ...set(a),
        ...get(b),
        ...get(p),
        ...v128Load(16),
        ...pmax,
        ...set(b),
        ...advance(p, 32),
      ]),
      ...get(a),
      ...get(b),
      ...pmax,
      ...set(a),
      ...reduceShuffles(pmax, a),
      ...get(a),
      ...v(simd.f32x4ExtractLane, 0),
    ],
  };
}

/**
 * exp(x − max) for the two float64 lanes that `promote` puts on the stack,
 * added to the accumulator local `acc`; `t`, `s` are scratch locals.
 */
function expAddLanes(promote: number[], m: number, t: number, s: number, acc: number): number[] {
  const c = (value: number): number[] => get(CONST_LOCAL + CONSTANTS.indexOf(value));
  const horner: number[] = [...c(EXP2_POLY[7])];
  for (let i = 6; i >= 0; i--) horner.push(...get(t), ...v(simd.f64x2Mul), ...c(EXP2_POLY[i]), ...v(simd.f64x2Add));
  return [
    // t = (x − max)·log₂e ≥ −FLOOR_NATS·log₂e
    ...promote,
    ...get(m),
    ...v(simd.f64x2Sub),
    ...c(Math.LOG2E),
    ...v(simd.f64x2Mul),
    ...tee(t),
    // s = t + MAGIC: k = round(t) in its low mantissa bits; then t ← r = t − (s − MAGIC)
    ...c(MAGIC),
    ...v(simd.f64x2Add),
    ...set(s),
    ...get(t),
    ...get(s),
    ...c(MAGIC),
    ...v(simd.f64x2Sub),
    ...v(simd.f64x2Sub),
    ...set(t),
    // 2^r by Horner, times 2^k by adding k to the exponent bits
    ...horner,
    ...get(s),
    ...i32Const(52),
    ...v(simd.i64x2Shl),
    ...v(simd.i64x2Add),
    ...get(acc),
    ...v(simd.f64x2Add),
    ...set(acc),
  ];
}

function expSum(): WasmFunction {
  // params: blocks, max, constPtr; locals: p, end, m, x, t, s, acc0, acc1, floor, the constants
  const [blocks, max, constPtr, p, end, m, x, t, s, acc0, acc1, floor] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  // x = max(entry, max − FLOOR_NATS) as float32 (pmax keeps a NaN entry, which then makes the sum NaN)
  const load = (offset: number) => [...get(p), ...v128Load(offset), ...get(floor), ...v(simd.f32x4Pmax), ...set(x)];
  const low = [...get(x), ...v(simd.f64x2PromoteLowF32x4)];
  const high = [...get(x), ...get(x), ...v(simd.shuffle, ...HIGH_TO_LOW), ...v(simd.f64x2PromoteLowF32x4)];
  const vector = (offset: number) => [...load(offset), ...expAddLanes(low, m, t, s, acc0), ...expAddLanes(high, m, t, s, acc1)];
  return {
    name: 'expSum',
    params: [I32, F64, I32],
    result: F64,
    locals: [I32, I32, ...new Array<number>(7 + CONSTANTS.length).fill(V128)],
    body: [
      ...CONSTANTS.flatMap((_, i) => [...get(constPtr), ...v128Load(16 * i), ...set(CONST_LOCAL + i)]),
      ...get(max),
      ...v(simd.f64x2Splat),
      ...set(m),
      ...get(max),
      ...f64Const(FLOOR_NATS),
      op.f64Sub,
      op.f32DemoteF64,
      ...v(simd.f32x4Splat),
      ...set(floor),
      ...blockOffset(blocks, end),
      ...whileBelow(p, end, [
        // a block of 8 entries all at or below the floor (masked rows) adds nothing: skipped
        ...get(p),
        ...v128Load(0),
        ...get(floor),
        ...v(simd.f32x4Le),
        ...get(p),
        ...v128Load(16),
        ...get(floor),
        ...v(simd.f32x4Le),
        ...v(simd.and),
        ...v(simd.i32x4AllTrue),
        op.i32Eqz,
        op.if,
        op.void,
        ...vector(0),
        ...vector(16),
        op.end,
        ...advance(p, 32),
      ]),
      ...sumLanes(acc0, acc1),
    ],
  };
}

function firstAbove(): WasmFunction {
  // params: from, blocks, t; locals: p, end, tv
  const [from, blocks, t, p, end, tv] = [0, 1, 2, 3, 4, 5];
  const gt = (offset: number) => [...get(p), ...v128Load(offset), ...get(tv), ...v(simd.f32x4Gt)];
  return {
    name: 'firstAbove',
    params: [I32, I32, F32],
    result: I32,
    locals: [I32, I32, V128],
    body: [
      ...get(t),
      ...v(simd.f32x4Splat),
      ...set(tv),
      ...blockOffset(from, p),
      ...blockOffset(blocks, end),
      ...whileBelow(p, end, [
        ...gt(0),
        ...gt(16),
        ...v(simd.or),
        ...v(simd.anyTrue),
        op.if,
        op.void,
        ...get(p),
        ...i32Const(5),
        op.i32ShrU,
        op.return,
        op.end,
        ...advance(p, 32),
      ]),
      ...get(blocks),
    ],
  };
}

/**
 * `name(blocks, y)`: every staged entry x becomes float32(x ∘ y), the operation (`f64x2Op`)
 * taken in float64 as plain TypeScript does: `subtract(blocks, shift)` (x − shift) and
 * `scale(blocks, factor)` (temperature, x · factor).
 */
function elementwiseF64(name: string, f64x2Op: number): WasmFunction {
  // params: blocks, y; locals: p, end, d, x
  const [blocks, y, p, end, d, x] = [0, 1, 2, 3, 4, 5];
  const lanes = (promote: number[]) => [...promote, ...get(d), ...v(f64x2Op), ...v(simd.f32x4DemoteF64x2Zero)];
  return {
    name,
    params: [I32, F64],
    result: null,
    locals: [I32, I32, V128, V128],
    body: [
      ...get(y),
      ...v(simd.f64x2Splat),
      ...set(d),
      ...blockOffset(blocks, end),
      ...whileBelow(p, end, [
        ...get(p),
        ...get(p),
        ...v128Load(0),
        ...set(x),
        ...lanes([...get(x), ...v(simd.f64x2PromoteLowF32x4)]),
        ...lanes([...get(x), ...get(x), ...v(simd.shuffle, ...HIGH_TO_LOW), ...v(simd.f64x2PromoteLowF32x4)]),
        ...v(simd.shuffle, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23),
        ...v(simd.store, 4, 0),
        ...advance(p, 16),
      ]),
    ],
  };
}

/** `subtractF32(blocks, shift)`: every staged entry x becomes x − shift in float32 arithmetic (`shift` a float32; the log-softmax of scores). */
function subtractF32(): WasmFunction {
  // params: blocks, shift; locals: p, end, d
  const [blocks, shift, p, end, d] = [0, 1, 2, 3, 4];
  const lane = (offset: number) => [...get(p), ...get(p), ...v128Load(offset), ...get(d), ...v(simd.f32x4Sub), ...v(simd.store, 4, offset)];
  return {
    name: 'subtractF32',
    params: [I32, F32],
    result: null,
    locals: [I32, I32, V128],
    body: [...get(shift), ...v(simd.f32x4Splat), ...set(d), ...blockOffset(blocks, end), ...whileBelow(p, end, [...lane(0), ...lane(16), ...advance(p, 32)])],
  };
}

/** `maskBelow(blocks, t)` (top-k, min-p): every staged entry below the float32 `t` becomes −Infinity (NaN stays). */
function maskBelow(): WasmFunction {
  const [blocks, t, p, end, tv, ninf, x] = [0, 1, 2, 3, 4, 5, 6];
  const masked = (offset: number) => [
    ...get(p),
    ...get(ninf),
    ...get(p),
    ...v128Load(offset),
    ...tee(x),
    ...get(x),
    ...get(tv),
    ...v(simd.f32x4Lt),
    ...v(simd.bitselect),
    ...v(simd.store, 4, offset),
  ];
  return {
    name: 'maskBelow',
    params: [I32, F32],
    result: null,
    locals: [I32, I32, V128, V128, V128],
    body: [
      ...get(t),
      ...v(simd.f32x4Splat),
      ...set(tv),
      ...f64Const(-Infinity),
      op.f32DemoteF64,
      ...v(simd.f32x4Splat),
      ...set(ninf),
      ...blockOffset(blocks, end),
      ...whileBelow(p, end, [...masked(0), ...masked(16), ...advance(p, 32)]),
    ],
  };
}

/** The kernels' module bytes (about 1 KB: small enough for synchronous compilation on a browser's main thread). */
export function simdKernelBytes(): Uint8Array {
  return buildModule([
    rowMax(),
    expSum(),
    expSumF32(),
    firstAbove(),
    elementwiseF64('subtract', simd.f64x2Sub),
    subtractF32(),
    maskBelow(),
    elementwiseF64('scale', simd.f64x2Mul),
    ...samplingKernels(),
  ]);
}
