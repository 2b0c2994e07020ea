import {
  advance,
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
 * `expSumF32(blocks, max) → f64`: Σ exp(x − max) over the staged row (see
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
 * rounding) of exact, and the terms are summed in float64 (each half of the
 * vector promoted); the maximum's own term is exactly 1.
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

/** The constants, one f32x4 local each from CONST on: −FLOOR, log₂e, LN2_HI, LN2_LO, 1, ROUND, Q. */
const CONSTANTS = [-FLOOR, Math.LOG2E, LN2_HI, LN2_LO, 1, ROUND, ...Q];

/** `f32.const value` splat to four lanes (shorter than a `v128.const`). */
function f32x4Const(value: number): number[] {
  return [0x43, ...new Uint8Array(new Float32Array([value]).buffer), ...v(simd.f32x4Splat)];
}

/** Opcodes beyond those of `wasm-emit.ts`. */
const f32x4 = { add: 0xe4, sub: 0xe5, mul: 0xe6, ne: 0x42, lt: 0x43 } as const;
const I32X4_SHL = 0xab;
const I32X4_ADD = 0xae;
const V128_ANDNOT = 0x4f;

export function expSumF32(): WasmFunction {
  // params: blocks, max; locals: p, end (i32), then v128: m, skip, d, s, n, r, e, acc0, acc1, constants
  const [blocks, max, p, end, m, skip, d, s, n, r, e, acc0, acc1, CONST] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const c = (i: number): number[] => get(CONST + i);
  const [floor, log2e, ln2Hi, ln2Lo, one, round] = [0, 1, 2, 3, 4, 5];
  const q = (i: number) => c(6 + i);
  const mul = v(f32x4.mul);
  const add = v(f32x4.add);
  const sub = v(f32x4.sub);
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
    ...v(I32X4_SHL),
    ...v(I32X4_ADD),
    ...get(d),
    ...c(floor),
    ...v(f32x4.lt),
    ...v(V128_ANDNOT),
    // a NaN entry's lane becomes all ones (a NaN): its bits, added to n's, could otherwise make a number
    ...get(d),
    ...get(d),
    ...v(f32x4.ne),
    ...v(simd.or),
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
    params: [I32, F32],
    result: F64,
    locals: [I32, I32, ...new Array<number>(9 + CONSTANTS.length).fill(V128)],
    body: [
      ...CONSTANTS.flatMap((value, i) => [...f32x4Const(value), ...set(CONST + i)]),
      ...get(max),
      ...v(simd.f32x4Splat),
      ...tee(m),
      ...c(floor),
      ...add,
      ...set(skip),
      ...get(blocks),
      ...i32Const(5),
      op.i32Shl,
      ...set(end),
      ...whileBelow(p, end, [
        // four entries all at or below max − FLOOR (masked) add nothing: skipped
        ...get(p),
        ...v128Load(0),
        ...get(skip),
        ...v(simd.f32x4Le),
        ...v(simd.i32x4AllTrue),
        op.i32Eqz,
        op.if,
        op.void,
        ...vector(0),
        op.end,
        ...advance(p, 16),
      ]),
      ...sumLanes(acc0, acc1),
    ],
  };
}
