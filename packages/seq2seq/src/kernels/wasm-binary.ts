/**
 * A minimal WebAssembly binary writer for seqloom's small helper modules:
 * functions of i32 parameters that work on the memory of the tfjs wasm
 * backend, which they import as `env.memory`. Instructions are written as
 * opcode bytes ({@link op}) with LEB128 immediates.
 */

/** Opcodes used by seqloom's helper modules (WebAssembly MVP). */
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  void: 0x40,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Const: 0x41,
  f32Const: 0x43,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  f32Mul: 0x94,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f32DemoteF64: 0xb6,
  f64PromoteF32: 0xbb,
} as const;

/** Value types. */
export const i32 = 0x7f;
export const f64 = 0x7c;
export const v128 = 0x7b;

/** 128-bit SIMD instructions (prefix 0xfd, LEB128 opcode). */
export const simd = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  f32x4Gt: 0x44,
  andnot: 0x4f,
  bitselect: 0x52,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i32x4Shl: 0xab,
  i32x4ShrS: 0xac,
  f32x4Abs: 0xe0,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
} as const;

/** One SIMD instruction without immediates. */
export function v(opcode: number): number[] {
  return [0xfd, ...uleb(opcode)];
}

/** `v128.load` / `v128.store` (16-byte alignment hint, no offset). */
export const v128Load = [0xfd, ...uleb(simd.load), 4, 0];
export const v128Store = [0xfd, ...uleb(simd.store), 4, 0];

/** `i8x16.shuffle` with the 16 lane indices. */
export function shuffle(lanes: readonly number[]): number[] {
  return [0xfd, ...uleb(simd.shuffle), ...lanes];
}

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** `i32.const value`. */
export function i32Const(value: number): number[] {
  return [op.i32Const, ...sleb(value)];
}

/** `f32.const value`. */
export function f32Const(value: number): number[] {
  return [op.f32Const, ...new Uint8Array(new Float32Array([value]).buffer)];
}

/** `f64.const value`. */
export function f64Const(value: number): number[] {
  return [op.f64Const, ...new Uint8Array(new Float64Array([value]).buffer)];
}

/** `f32.load` / `f32.store` with 4-byte alignment and no offset. */
export const f32Load = [op.f32Load, 2, 0];
export const f32Store = [op.f32Store, 2, 0];

/** `i32.load` with 4-byte alignment and no offset; `memory.copy` (bulk memory) within memory 0. */
export const i32Load = [op.i32Load, 2, 0];
export const memoryCopy = [0xfc, 0x0a, 0, 0];

/** `local.get i`, `local.set i`. */
export const get = (i: number): number[] => [op.localGet, ...uleb(i)];
export const set = (i: number): number[] => [op.localSet, ...uleb(i)];

/** `local[i] += delta` for an i32 local, `delta` an instruction sequence. */
export function addTo(i: number, delta: number[]): number[] {
  return [...get(i), ...delta, op.i32Add, ...set(i)];
}

/**
 * `while (local[counter] !== 0) { body; local[counter]-- }` and
 * `while (local[p] < local[end]) body` as block/loop pairs.
 */
export function countDown(counter: number, body: number[]): number[] {
  return [
    op.block,
    op.void,
    op.loop,
    op.void,
    ...get(counter),
    op.i32Eqz,
    op.brIf,
    1,
    ...body,
    ...get(counter),
    ...i32Const(1),
    op.i32Sub,
    ...set(counter),
    op.br,
    0,
    op.end,
    op.end,
  ];
}
export function whileBelow(p: number, end: number, body: number[]): number[] {
  return [op.block, op.void, op.loop, op.void, ...get(p), ...get(end), op.i32GeU, op.brIf, 1, ...body, op.br, 0, op.end, op.end];
}

/** One exported function: `params` i32 parameters, no result, extra locals, body. */
export interface WasmFunction {
  name: string;
  params: number;
  locals: { count: number; type: number }[];
  body: number[];
}

function section(id: number, bytes: number[]): number[] {
  return [id, ...uleb(bytes.length), ...bytes];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

/**
 * A module importing `env.memory` (shared when `shared`, as the threaded
 * backend's is) and exporting `functions`.
 */
export function buildModule(functions: readonly WasmFunction[], shared: boolean): Uint8Array {
  const arities = [...new Set(functions.map((f) => f.params))];
  const types = arities.flatMap((n) => [0x60, ...uleb(n), ...new Array<number>(n).fill(i32), 0]);
  const limits = shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  const imports = [1, ...name('env'), ...name('memory'), 0x02, ...limits];
  const funcs = [...uleb(functions.length), ...functions.flatMap((f) => uleb(arities.indexOf(f.params)))];
  const exports = [...uleb(functions.length), ...functions.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)])];
  const bodies = functions.map((f) => {
    const locals = [...uleb(f.locals.length), ...f.locals.flatMap((l) => [...uleb(l.count), l.type])];
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
    ...section(1, [...uleb(arities.length), ...types]),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, [...uleb(bodies.length), ...bodies.flat()]),
  ]);
}

/** The slice of the WebAssembly global used here (no DOM lib in this project). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemory;
}

/** A `WebAssembly.Memory`. */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Whether `value` is a `WebAssembly.Memory`. */
export function isWasmMemory(value: unknown): value is WasmMemory {
  return value instanceof wasmApi.Memory;
}

/** Compiles and instantiates `bytes` synchronously (the modules are tiny) on `memory`; returns its exports. */
export function instantiateOn(bytes: Uint8Array, memory: WasmMemory): Record<string, unknown> {
  return new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } }).exports;
}
