/**
 * A small WebAssembly binary writer for the decoder's SIMD kernels: a module
 * that defines and exports its own memory (`memory`) and exports functions of
 * i32/f32/f64 parameters with at most one result. Instructions are opcode
 * bytes with LEB128 immediates; SIMD instructions go through {@link v}.
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** 1.5 · 2^52: t + MAGIC rounds t to an integer held in the low mantissa bits. */
export const MAGIC = 6755399441055744;

/** Lanes 2, 3 of a f32x4 moved to lanes 0, 1 (for the second `f64x2.promote_low_f32x4`). */
export const HIGH_TO_LOW = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/** Core opcodes used by the kernels. */
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  void: 0x40,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Load: 0x2a,
  f64Load: 0x2b,
  i32Load16U: 0x2f,
  i32Store: 0x36,
  f64Store: 0x39,
  i32Store16: 0x3b,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Eq: 0x46,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Min: 0xa4,
  i32TruncF64S: 0xaa,
  f32DemoteF64: 0xb6,
  f64PromoteF32: 0xbb,
} as const;

/** SIMD opcodes (prefix 0xfd) used by the kernels. */
export const simd = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  i16x8Splat: 0x10,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  i16x8Eq: 0x2d,
  i16x8GtU: 0x32,
  bitselect: 0x52,
  i32x4ExtendLowI16x8S: 0xa7,
  i32x4ExtendHighI16x8S: 0xa8,
  i32x4ExtractLane: 0x1b,
  f32x4ExtractLane: 0x1f,
  f64x2ExtractLane: 0x21,
  f32x4Eq: 0x41,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  f32x4Le: 0x45,
  and: 0x4e,
  or: 0x50,
  anyTrue: 0x53,
  i32x4AllTrue: 0xa3,
  i32x4Bitmask: 0xa4,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i64x2Shl: 0xcb,
  i64x2Add: 0xce,
  f32x4Pmax: 0xeb,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Pmin: 0xf6,
  f64x2Pmax: 0xf7,
} as const;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    if ((rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** One SIMD instruction, with its immediate bytes. */
export function v(opcode: number, ...immediates: number[]): number[] {
  return [0xfd, ...uleb(opcode), ...immediates];
}

/** `v128.load offset` (16-byte aligned address + `offset`). */
export function v128Load(offset = 0): number[] {
  return v(simd.load, 4, ...uleb(offset));
}

/** `i32.const`, `f64.const`. */
export function i32Const(value: number): number[] {
  return [0x41, ...sleb(value)];
}
export function f64Const(value: number): number[] {
  return [0x44, ...new Uint8Array(new Float64Array([value]).buffer)];
}

/** A `v128.const` with `value` in both float64 lanes. */
export function f64x2Const(value: number): number[] {
  return v(simd.const, ...new Uint8Array(new Float64Array([value, value]).buffer));
}

/** `local.get`, `local.set`, `local.tee`. */
export const get = (i: number): number[] => [op.localGet, ...uleb(i)];
export const set = (i: number): number[] => [op.localSet, ...uleb(i)];
export const tee = (i: number): number[] => [op.localTee, ...uleb(i)];

/** `while (local[i] < local[end]) { body }` (unsigned) as a block/loop pair; `body` advances `i`. */
export function whileBelow(i: number, end: number, body: number[]): number[] {
  return [op.block, op.void, op.loop, op.void, ...get(i), ...get(end), op.i32GeU, op.brIf, 1, ...body, op.br, 0, op.end, op.end];
}

/** One exported function. */
export interface WasmFunction {
  name: string;
  params: readonly number[];
  result: number | null;
  /** Extra locals after the parameters, by type. */
  locals: readonly number[];
  body: number[];
}

function section(id: number, bytes: number[]): number[] {
  return [id, ...uleb(bytes.length), ...bytes];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

/** A module with one exported memory (`memory`, one page to start) and `functions` exported by name. */
export function buildModule(functions: readonly WasmFunction[]): Uint8Array {
  const types = functions.flatMap((f) => [0x60, ...uleb(f.params.length), ...f.params, ...(f.result === null ? [0] : [1, f.result])]);
  const funcs = [...uleb(functions.length), ...functions.flatMap((_, i) => uleb(i))];
  const memory = [1, 0x00, 1];
  const exports = [...uleb(functions.length + 1), ...name('memory'), 0x02, 0, ...functions.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)])];
  const bodies = functions.map((f) => {
    const locals = [...uleb(f.locals.length), ...f.locals.flatMap((type) => [1, type])];
    const code = [...locals, ...f.body, op.end];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [...uleb(functions.length), ...types]),
    ...section(3, funcs),
    ...section(5, memory),
    ...section(7, exports),
    ...section(10, [...uleb(bodies.length), ...bodies.flat()]),
  ]);
}
