/**
 * A small WebAssembly binary writer for the decoder's SIMD kernels: a module
 * that defines and exports its own memory (`memory`) and exports functions of
 * i32/f32/f64 parameters with at most one result. Instructions are opcode
 * bytes with LEB128 immediates; SIMD instructions go through {@link v}. The byte
 * level (LEB128, sections, opcodes) is @seqloom/core's wasm-module-bytes.
 */
import {
  uleb128,
  WASM_EXTERNAL,
  WASM_OP,
  WASM_SIMD_OP,
  WASM_TYPE,
  wasmExport,
  wasmFunctionBody,
  wasmFunctionType,
  wasmI32Const,
  wasmLocalGet,
  wasmLocalSet,
  wasmLocalTee,
  wasmModuleOf,
  wasmSimd,
} from '@seqloom/core';

// Core opcodes, LEB128, `i32.const`/`f64.const`, `local.get/set/tee` and the while-below loop under the kernels' short names.
export {
  sleb128 as sleb,
  uleb128 as uleb,
  WASM_OP as op,
  wasmF64Const as f64Const,
  wasmI32Const as i32Const,
  wasmLocalGet as get,
  wasmLocalSet as set,
  wasmLocalTee as tee,
  wasmWhileBelow as whileBelow,
} from '@seqloom/core';

/** Value types. */
export const { i32: I32, f32: F32, f64: F64, v128: V128 } = WASM_TYPE;

/** 1.5 · 2^52: t + MAGIC rounds t to an integer held in the low mantissa bits. */
export const MAGIC = 6755399441055744;

/** Lanes 2, 3 of a f32x4 moved to lanes 0, 1 (for the second `f64x2.promote_low_f32x4`). */
export const HIGH_TO_LOW = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/** SIMD opcodes (prefix 0xfd) used by the kernels. */
export const simd = WASM_SIMD_OP;

/** One SIMD instruction, with its immediate bytes. */
export const v = wasmSimd;

/** `v128.load offset` (16-byte aligned address + `offset`). */
export function v128Load(offset = 0): number[] {
  return v(simd.load, 4, ...uleb128(offset));
}

/** `local = block · 32`: the byte offset of block `block` (a local) of a staged row of 8-float32 blocks; of its block count, the row's end. */
export function blockOffset(block: number, local: number): number[] {
  return [...wasmLocalGet(block), ...wasmI32Const(5), WASM_OP.i32Shl, ...wasmLocalSet(local)];
}

/** `local += bytes` for an i32 address local: the step of every loop over a staged row. */
export function advance(local: number, bytes: number): number[] {
  return [...wasmLocalGet(local), ...wasmI32Const(bytes), WASM_OP.i32Add, ...wasmLocalSet(local)];
}

/** The float64 sum of all four lanes of two f64x2 accumulators (`a` is overwritten). */
export function sumLanes(a: number, b: number): number[] {
  return [
    ...wasmLocalGet(a),
    ...wasmLocalGet(b),
    ...wasmSimd(WASM_SIMD_OP.f64x2Add),
    ...wasmLocalTee(a),
    ...wasmSimd(WASM_SIMD_OP.f64x2ExtractLane, 0),
    ...wasmLocalGet(a),
    ...wasmSimd(WASM_SIMD_OP.f64x2ExtractLane, 1),
    WASM_OP.f64Add,
  ];
}

/** A `v128.const` with `value` in both float64 lanes. */
export function f64x2Const(value: number): number[] {
  return v(simd.const, ...new Uint8Array(new Float64Array([value, value]).buffer));
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

/** A module with one exported memory (`memory`, one page to start) and `functions` exported by name. */
export function buildModule(functions: readonly WasmFunction[]): Uint8Array {
  return wasmModuleOf({
    types: functions.map((f) => wasmFunctionType(f.params, f.result === null ? [] : [f.result])),
    functions: functions.map((_, i) => i),
    memories: [[0x00, 1]], // limits: a minimum only, one page
    exports: [wasmExport('memory', WASM_EXTERNAL.memory, 0), ...functions.map((f, i) => wasmExport(f.name, WASM_EXTERNAL.function, i))],
    bodies: functions.map((f) =>
      wasmFunctionBody(
        f.locals.map((type) => ({ count: 1, type })),
        f.body,
      ),
    ),
  });
}
