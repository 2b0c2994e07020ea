/**
 * A minimal WebAssembly binary writer for seqloom's small helper modules:
 * functions of i32 parameters that work on the memory of the tfjs wasm
 * backend, which they import as `env.memory`. Instructions are written as
 * opcode bytes ({@link op}) with LEB128 immediates; the byte level (LEB128,
 * sections, opcodes) is @seqloom/core's wasm-module-bytes.
 */
import {
  wasmLocalGet as get,
  wasmI32Const as i32Const,
  WASM_OP as op,
  wasmLocalSet as set,
  uleb128 as uleb,
  WASM_EXTERNAL,
  WASM_SIMD_OP,
  WASM_TYPE,
  wasmExport,
  wasmFunctionBody,
  wasmFunctionType,
  wasmModuleOf,
  wasmName,
  wasmSimd,
} from '@seqloom/core';

// Opcodes, LEB128, constants, `local.get/set` and the while-below loop under the helpers' short names.
export {
  sleb128 as sleb,
  uleb128 as uleb,
  WASM_OP as op,
  wasmF32Const as f32Const,
  wasmF64Const as f64Const,
  wasmI32Const as i32Const,
  wasmLocalGet as get,
  wasmLocalSet as set,
  wasmWhileBelow as whileBelow,
} from '@seqloom/core';

/** Value types. */
export const { i32, f64, v128 } = WASM_TYPE;

/** 128-bit SIMD instructions (prefix 0xfd, LEB128 opcode). */
export const simd = WASM_SIMD_OP;

/** One SIMD instruction without immediates. */
export function v(opcode: number): number[] {
  return wasmSimd(opcode);
}

/** `v128.load` / `v128.store` (16-byte alignment hint, no offset). */
export const v128Load = wasmSimd(simd.load, 4, 0);
export const v128Store = wasmSimd(simd.store, 4, 0);

/** `i8x16.shuffle` with the 16 lane indices. */
export function shuffle(lanes: readonly number[]): number[] {
  return wasmSimd(simd.shuffle, ...lanes);
}

/** `f32.load` / `f32.store` with 4-byte alignment and no offset. */
export const f32Load = [op.f32Load, 2, 0];
export const f32Store = [op.f32Store, 2, 0];

/** `i32.load` with 4-byte alignment and no offset; `memory.copy` (bulk memory) within memory 0. */
export const i32Load = [op.i32Load, 2, 0];
export const memoryCopy = [0xfc, 0x0a, 0, 0];

/** `local[i] += delta` for an i32 local, `delta` an instruction sequence. */
export function addTo(i: number, delta: number[]): number[] {
  return [...get(i), ...delta, op.i32Add, ...set(i)];
}

/** `while (local[counter] !== 0) { body; local[counter]-- }` as a block/loop pair. */
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

/** One exported function: `params` i32 parameters, no result, extra locals, body. */
export interface WasmFunction {
  name: string;
  params: number;
  locals: { count: number; type: number }[];
  body: number[];
}

/**
 * A module importing `env.memory` (shared when `shared`, as the threaded
 * backend's is) and exporting `functions`.
 */
export function buildModule(functions: readonly WasmFunction[], shared: boolean): Uint8Array {
  const arities = [...new Set(functions.map((f) => f.params))];
  const limits = shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0]; // shared: minimum 0, maximum 65536 pages
  return wasmModuleOf({
    types: arities.map((n) => wasmFunctionType(new Array<number>(n).fill(i32), [])),
    imports: [[...wasmName('env'), ...wasmName('memory'), WASM_EXTERNAL.memory, ...limits]],
    functions: functions.map((f) => arities.indexOf(f.params)),
    exports: functions.map((f, i) => wasmExport(f.name, WASM_EXTERNAL.function, i)),
    bodies: functions.map((f) => wasmFunctionBody(f.locals, f.body)),
  });
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
