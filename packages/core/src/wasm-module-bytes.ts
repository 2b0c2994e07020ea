/**
 * The byte level of a WebAssembly module, for seqloom's small generated
 * kernels (decode's SIMD kernels, seq2seq's helpers on the tfjs wasm heap):
 * LEB128 integers, names, vectors, sections, function types and bodies, the
 * module header, and the opcodes those kernels use. Instructions are opcode
 * bytes followed by their immediates, as plain number arrays. Browser-safe.
 */

/** Value types (the binary format's type bytes). */
export const WASM_TYPE = Object.freeze({ i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const);

/** Section ids. */
export const WASM_SECTION = Object.freeze({ type: 1, import: 2, function: 3, memory: 5, export: 7, code: 10 } as const);

/** Import and export kinds. */
export const WASM_EXTERNAL = Object.freeze({ function: 0x00, memory: 0x02 } as const);

/** Core (one-byte) opcodes used by seqloom's kernels; `void` is the empty block type. */
export const WASM_OP = Object.freeze({
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
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Load: 0x2b,
  i32Load16U: 0x2f,
  i32Store: 0x36,
  f32Store: 0x38,
  f64Store: 0x39,
  i32Store16: 0x3b,
  i32Const: 0x41,
  f32Const: 0x43,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  f32Mul: 0x94,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Min: 0xa4,
  i32TruncF64S: 0xaa,
  f32DemoteF64: 0xb6,
  f64PromoteF32: 0xbb,
} as const);

/** 128-bit SIMD opcodes (after the 0xfd prefix, LEB128-encoded) used by seqloom's kernels. */
export const WASM_SIMD_OP = Object.freeze({
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  i16x8Splat: 0x10,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  i32x4ExtractLane: 0x1b,
  f32x4ExtractLane: 0x1f,
  f64x2ExtractLane: 0x21,
  i16x8Eq: 0x2d,
  i16x8GtU: 0x32,
  f32x4Eq: 0x41,
  f32x4Ne: 0x42,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  f32x4Le: 0x45,
  and: 0x4e,
  andnot: 0x4f,
  or: 0x50,
  bitselect: 0x52,
  anyTrue: 0x53,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i32x4AllTrue: 0xa3,
  i32x4Bitmask: 0xa4,
  i32x4ExtendLowI16x8S: 0xa7,
  i32x4ExtendHighI16x8S: 0xa8,
  i32x4Shl: 0xab,
  i32x4ShrS: 0xac,
  i32x4Add: 0xae,
  i64x2Shl: 0xcb,
  i64x2Add: 0xce,
  f32x4Abs: 0xe0,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Pmax: 0xeb,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Pmin: 0xf6,
  f64x2Pmax: 0xf7,
} as const);

/** The module header: the magic `\0asm` and binary format version 1. */
export const WASM_MODULE_HEADER: readonly number[] = Object.freeze([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** `value` (taken as an unsigned 32-bit integer) in unsigned LEB128. */
export function uleb128(value: number): number[] {
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

/** `value` (taken as a signed 32-bit integer) in signed LEB128. */
export function sleb128(value: number): number[] {
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

/** A name: its UTF-8 byte count, then the bytes. */
export function wasmName(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb128(bytes.length), ...bytes];
}

/** A vector: the item count, then the items' bytes in order. */
export function wasmVector(items: readonly (readonly number[])[]): number[] {
  return [...uleb128(items.length), ...items.flat()];
}

/** A section: its id, its byte size, then `content`. */
export function wasmSection(id: number, content: readonly number[]): number[] {
  return [id, ...uleb128(content.length), ...content];
}

/** A function type `params → results` (value types from {@link WASM_TYPE}). */
export function wasmFunctionType(params: readonly number[], results: readonly number[]): number[] {
  return [0x60, ...uleb128(params.length), ...params, ...uleb128(results.length), ...results];
}

/** Locals of one type declared together in a function body. */
export interface WasmLocalGroup {
  /** How many locals. */
  readonly count: number;
  /** Their value type (from {@link WASM_TYPE}). */
  readonly type: number;
}

/** A code section entry: the body's byte size, its local groups, `body`, then `end`. */
export function wasmFunctionBody(locals: readonly WasmLocalGroup[], body: readonly number[]): number[] {
  const code = [...wasmVector(locals.map((l) => [...uleb128(l.count), l.type])), ...body, WASM_OP.end];
  return [...uleb128(code.length), ...code];
}

/** A whole module: the header, then `sections` (each from {@link wasmSection}, in id order). */
export function wasmModule(sections: readonly (readonly number[])[]): Uint8Array {
  return new Uint8Array([...WASM_MODULE_HEADER, ...sections.flat()]);
}

/** An export entry: `name`, its kind (from {@link WASM_EXTERNAL}) and the index of what it exports. */
export function wasmExport(name: string, kind: number, index: number): number[] {
  return [...wasmName(name), kind, ...uleb128(index)];
}

/** The parts of a module, each entry already encoded; an absent part writes no section (an empty one writes an empty section). */
export interface WasmModuleParts {
  /** Function types ({@link wasmFunctionType}). */
  readonly types: readonly (readonly number[])[];
  /** Import entries: module name, field name, kind, then the kind's description. */
  readonly imports?: readonly (readonly number[])[];
  /** The type index of each defined function. */
  readonly functions: readonly number[];
  /** Defined memories: their limits. */
  readonly memories?: readonly (readonly number[])[];
  /** Export entries ({@link wasmExport}). */
  readonly exports: readonly (readonly number[])[];
  /** One code entry per defined function ({@link wasmFunctionBody}). */
  readonly bodies: readonly (readonly number[])[];
}

/** A module of `parts`, its sections in id order. */
export function wasmModuleOf(parts: WasmModuleParts): Uint8Array {
  const sections: [number, readonly (readonly number[])[] | undefined][] = [
    [WASM_SECTION.type, parts.types],
    [WASM_SECTION.import, parts.imports],
    [WASM_SECTION.function, parts.functions.map((index) => uleb128(index))],
    [WASM_SECTION.memory, parts.memories],
    [WASM_SECTION.export, parts.exports],
    [WASM_SECTION.code, parts.bodies],
  ];
  return wasmModule(sections.filter(([, items]) => items !== undefined).map(([id, items]) => wasmSection(id, wasmVector(items ?? []))));
}

/** `local.get index`. */
export function wasmLocalGet(index: number): number[] {
  return [WASM_OP.localGet, ...uleb128(index)];
}

/** `local.set index`. */
export function wasmLocalSet(index: number): number[] {
  return [WASM_OP.localSet, ...uleb128(index)];
}

/** `local.tee index`. */
export function wasmLocalTee(index: number): number[] {
  return [WASM_OP.localTee, ...uleb128(index)];
}

/** `i32.const value`. */
export function wasmI32Const(value: number): number[] {
  return [WASM_OP.i32Const, ...sleb128(value)];
}

/** `f32.const value` (the value rounded to float32, little-endian). */
export function wasmF32Const(value: number): number[] {
  return [WASM_OP.f32Const, ...new Uint8Array(new Float32Array([value]).buffer)];
}

/** `f64.const value` (little-endian). */
export function wasmF64Const(value: number): number[] {
  return [WASM_OP.f64Const, ...new Uint8Array(new Float64Array([value]).buffer)];
}

/** One SIMD instruction: the 0xfd prefix, `opcode` (from {@link WASM_SIMD_OP}) in LEB128, then its immediate bytes. */
export function wasmSimd(opcode: number, ...immediates: number[]): number[] {
  return [0xfd, ...uleb128(opcode), ...immediates];
}

/** `while (local[index] < local[end]) { body }` (unsigned i32 compare) as a block/loop pair; `body` advances `local[index]`. */
export function wasmWhileBelow(index: number, end: number, body: readonly number[]): number[] {
  const { block, loop, void: empty, i32GeU, brIf, br, end: close } = WASM_OP;
  return [block, empty, loop, empty, ...wasmLocalGet(index), ...wasmLocalGet(end), i32GeU, brIf, 1, ...body, br, 0, close, close];
}
