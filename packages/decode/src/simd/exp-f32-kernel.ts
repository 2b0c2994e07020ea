import {
  advance,
  blockOffset,
  F32,
  F64,
  get,
  HIGH_TO_LOW,
  I32,
  i32Const,
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
 * `expSumF32(blocks, max, constPtr) → f64`: Σ exp(x − max) over the staged row (see
 * `simd-kernels.ts`), with exp in float32, four lanes at a time, for the
 * scores of greedy and beam search (sampling keeps the float64 `expSum`).
 *
 * d = x − max (float32, ≤ 0) is split as d = n·ln2 + r, n = round(d·log₂e)
 * (rounded by adding 1.5·2^23, which leaves n in the low mantissa bits:
 * shifted left by 23 they are 2^n's exponent), r = d − n·ln2 with ln2 in two
 * parts (so n·ln2 loses nothing); e^r = 1 + r + r²·q(r) with q a cubic (a
 * weighted least-squares fit, evaluated by Estrin's scheme: relative error
 * 1.7e-7 in float32), and n is added to its exponent bits. An entry below
 * max − FLOOR (−Infinity too) counts as exactly 0; a NaN entry makes the sum
 * NaN. Each term is within a relative 1.7e-7 + |d|·6e-8 (d's own float32
 * rounding) of exact; the terms of two vectors are added in float32 (one
 * more rounding, 6e-8) and those sums accumulated in float64 (each half
 * promoted); the maximum's own term is exactly 1. No block is skipped: the
 * rows scored here are seldom masked (sampling's masked rows take `expSum`).
 */

/** e^r = 1 + r + r²·(Q[0] + Q[1]·r + Q[2]·r² + Q[3]·r³) on [−ln2/2, ln2/2]: relative error 1.7e-7 evaluated in float32. */
const Q = [0.499992311000824, 0.16667114198207855, 0.04189012572169304, 0.008312533609569073];
/** ln2 = LN2_HI + LN2_LO, LN2_HI with 9 significant bits (n·LN2_HI is exact for |n| ≤ 2^15). */
const LN2_HI = 0.693359375;
const LN2_LO = Math.LN2 - LN2_HI;
/** Entries below max − FLOOR count as 0 (e^−86 ≈ 4e−38, still a normal float32, is the smallest term built). */
const FLOOR = 86;

/** 1.5·2^23: for |t| < 2^22, float32(t + ROUND) holds round(t) in its low mantissa bits. */
const ROUND = 12582912;

/**
 * The constants, in the order the kernel reads them, each splat to four
 * lanes, from the address of its third parameter: −FLOOR, log₂e, LN2_HI,
 * LN2_LO, 1, ROUND, Q. They are read from memory rather than written as
 * `f32x4.splat` of constants (or of parameters): V8's optimising compiler
 * rebuilds such a splat at every use inside the loop (one to three
 * instructions each, up to half of the loop's), while a loaded vector stays
 * in a register or one reload away.
 */
export const EXP_F32_CONSTANTS: readonly number[] = [-FLOOR, Math.LOG2E, LN2_HI, LN2_LO, 1, ROUND, ...Q];

export function expSumF32(): WasmFunction {
  // params: blocks, max, constPtr; locals: p, end (i32), then v128: m, d, s, n, r, e, acc0, acc1, the constants
  const constPtr = 2;
  const [blocks, max, p, end, m, d, s, n, r, e, acc0, acc1] = [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const CONST = 13;
  const c = (i: number): number[] => get(CONST + i);
  const [floor, log2e, ln2Hi, ln2Lo, one, round] = [0, 1, 2, 3, 4, 5];
  const q = (i: number) => c(6 + i);
  const mul = v(simd.f32x4Mul);
  const add = v(simd.f32x4Add);
  const sub = v(simd.f32x4Sub);
  // q(r) = (Q0 + Q1·r) + r²·(Q2 + Q3·r), r² in local n: a short dependency chain (the loop is latency-bound)
  const estrin = [...q(1), ...get(r), ...mul, ...q(0), ...add, ...get(n), ...q(3), ...get(r), ...mul, ...q(2), ...add, ...mul, ...add];
  const vector = (offset: number): number[] => [
    // d = x − max; s = d·log₂e + ROUND holds n = round(d·log₂e) in its low bits; r = (d − n·LN2_HI) − n·LN2_LO
    ...get(p),
    ...v128Load(offset),
    ...get(m),
    ...sub,
    ...tee(d),
    ...c(log2e),
    ...mul,
    ...c(round),
    ...add,
    ...tee(s),
    ...c(round),
    ...sub,
    ...set(n),
    ...get(d),
    ...get(n),
    ...c(ln2Hi),
    ...mul,
    ...sub,
    ...get(n),
    ...c(ln2Lo),
    ...mul,
    ...sub,
    ...set(r),
    // e = 1 + (r + r²·q(r)), times 2^n by adding n to the exponent bits; 0 where d < −FLOOR (there n is out of range)
    ...get(r),
    ...get(r),
    ...mul,
    ...set(n), // n ← r²
    ...c(one),
    ...get(r),
    ...get(n),
    ...estrin,
    ...mul,
    ...add,
    ...add,
    ...get(s),
    ...i32Const(23),
    ...v(simd.i32x4Shl),
    ...v(simd.i32x4Add),
    ...get(d),
    ...c(floor),
    ...v(simd.f32x4Lt),
    ...v(simd.andnot),
    // a NaN entry's lane becomes all ones (a NaN): its bits, added to n's, could otherwise make a number
    ...get(d),
    ...get(d),
    ...v(simd.f32x4Ne),
    ...v(simd.or),
  ];
  // the two vectors' terms are added in float32 (one rounding, 6e-8), then both halves promoted and summed in float64
  const accumulate = [
    ...add,
    ...tee(e),
    ...v(simd.f64x2PromoteLowF32x4),
    ...get(acc0),
    ...v(simd.f64x2Add),
    ...set(acc0),
    ...get(e),
    ...get(e),
    ...v(simd.shuffle, ...HIGH_TO_LOW),
    ...v(simd.f64x2PromoteLowF32x4),
    ...get(acc1),
    ...v(simd.f64x2Add),
    ...set(acc1),
  ];
  return {
    name: 'expSumF32',
    params: [I32, F32, I32],
    result: F64,
    locals: [I32, I32, ...new Array<number>(8 + EXP_F32_CONSTANTS.length).fill(V128)],
    body: [
      ...EXP_F32_CONSTANTS.flatMap((_, i) => [...get(constPtr), ...v128Load(16 * i), ...set(CONST + i)]),
      ...get(max),
      ...v(simd.f32x4Splat),
      ...set(m),
      ...blockOffset(blocks, end),
      ...whileBelow(p, end, [...vector(0), ...vector(16), ...accumulate, ...advance(p, 32)]),
      ...sumLanes(acc0, acc1),
    ],
  };
}
