import { describe, expect, it } from 'vitest';
import {
  sleb128,
  uleb128,
  WASM_EXTERNAL,
  WASM_MODULE_HEADER,
  WASM_OP,
  WASM_SECTION,
  WASM_SIMD_OP,
  WASM_TYPE,
  wasmExport,
  wasmF32Const,
  wasmF64Const,
  wasmFunctionBody,
  wasmFunctionType,
  wasmI32Const,
  wasmLocalGet,
  wasmLocalSet,
  wasmLocalTee,
  wasmModule,
  wasmModuleOf,
  wasmName,
  wasmSection,
  wasmSimd,
  wasmVector,
  wasmWhileBelow,
} from '../src/index.js';

const { i32, f64, v128 } = WASM_TYPE;
const op = WASM_OP;

/**
 * `sum(n)`: 0 + 1 + … + (n − 1) with a while-below loop, `scale(x)`: x · 2.5
 * − 1.25 in f64, and `lanes()`: a f32x4 splat's lane 0 via SIMD, with an
 * exported memory.
 */
function smallModule(): Uint8Array {
  const [N, I, ACC] = [0, 1, 2];
  const sum = [
    ...wasmWhileBelow(I, N, [
      ...wasmLocalGet(ACC),
      ...wasmLocalGet(I),
      op.i32Add,
      ...wasmLocalSet(ACC),
      ...wasmLocalGet(I),
      ...wasmI32Const(1),
      op.i32Add,
      ...wasmLocalSet(I),
    ]),
    ...wasmLocalGet(ACC),
    ...wasmI32Const(-200),
    op.i32Add,
  ];
  const scale = [...wasmLocalGet(0), ...wasmF64Const(2.5), op.f64Mul, ...wasmF64Const(1.25), op.f64Sub];
  const lanes = [...wasmF32Const(0.75), ...wasmSimd(WASM_SIMD_OP.f32x4Splat), ...wasmLocalTee(0), ...wasmSimd(WASM_SIMD_OP.f32x4ExtractLane, 2)];
  const f32 = WASM_TYPE.f32;
  const types = [wasmFunctionType([i32], [i32]), wasmFunctionType([f64], [f64]), wasmFunctionType([], [f32])];
  const exports = [
    [...wasmName('memory'), WASM_EXTERNAL.memory, 0],
    ...['sum', 'scale', 'lanes'].map((name, i) => [...wasmName(name), WASM_EXTERNAL.function, ...uleb128(i)]),
  ];
  return wasmModule([
    wasmSection(WASM_SECTION.type, wasmVector(types)),
    wasmSection(WASM_SECTION.function, wasmVector([[0], [1], [2]])),
    wasmSection(WASM_SECTION.memory, [1, 0x00, 1]),
    wasmSection(WASM_SECTION.export, wasmVector(exports)),
    wasmSection(
      WASM_SECTION.code,
      wasmVector([wasmFunctionBody([{ count: 2, type: i32 }], sum), wasmFunctionBody([], scale), wasmFunctionBody([{ count: 1, type: v128 }], lanes)]),
    ),
  ]);
}

describe('WebAssembly module bytes', () => {
  it('writes LEB128 as the binary format specifies', () => {
    expect([0, 127, 128, 624485, 2 ** 32 - 1].map(uleb128)).toEqual([[0], [0x7f], [0x80, 0x01], [0xe5, 0x8e, 0x26], [0xff, 0xff, 0xff, 0xff, 0x0f]]);
    expect([0, -1, 63, 64, -64, -65, -123456, -(2 ** 31)].map(sleb128)).toEqual([
      [0],
      [0x7f],
      [0x3f],
      [0xc0, 0x00],
      [0x40],
      [0xbf, 0x7f],
      [0xc0, 0xbb, 0x78],
      [0x80, 0x80, 0x80, 0x80, 0x78],
    ]);
  });

  it('frames names, vectors and sections with their sizes', () => {
    expect(wasmName('é')).toEqual([2, 0xc3, 0xa9]);
    expect(wasmVector([[1, 2], [], [3]])).toEqual([3, 1, 2, 3]);
    expect(wasmSection(7, new Array<number>(200).fill(0)).slice(0, 3)).toEqual([7, 0xc8, 0x01]);
    expect(wasmFunctionType([i32, f64], [])).toEqual([0x60, 2, 0x7f, 0x7c, 0]);
    expect(wasmFunctionBody([{ count: 3, type: i32 }], [op.return])).toEqual([5, 1, 3, 0x7f, 0x0f, 0x0b]);
    expect([...wasmModule([]).slice(0, 8)]).toEqual([...WASM_MODULE_HEADER]);
  });

  it('builds a module that validates and runs', async () => {
    const bytes = smallModule();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const { instance } = await WebAssembly.instantiate(bytes);
    const { sum, scale, lanes, memory } = instance.exports as {
      sum: (n: number) => number;
      scale: (x: number) => number;
      lanes: () => number;
      memory: WebAssembly.Memory;
    };
    expect(sum(10)).toBe(45 - 200);
    expect(sum(0)).toBe(-200);
    expect(scale(3)).toBe(6.25);
    expect(lanes()).toBe(0.75);
    expect(memory.buffer.byteLength).toBe(65536);
  });

  it('assembles the same bytes from parts, a section for each part present (empty or not)', () => {
    const [sumType, exportMemory, sumBody] = [
      wasmFunctionType([i32], [i32]),
      wasmExport('memory', WASM_EXTERNAL.memory, 0),
      wasmFunctionBody([], wasmLocalGet(0)),
    ];
    const parts = { types: [sumType], functions: [0], memories: [[0x00, 1]], exports: [exportMemory], bodies: [sumBody] };
    const bySection = wasmModule([
      wasmSection(WASM_SECTION.type, wasmVector([sumType])),
      wasmSection(WASM_SECTION.function, [1, 0]),
      wasmSection(WASM_SECTION.memory, [1, 0x00, 1]),
      wasmSection(WASM_SECTION.export, wasmVector([exportMemory])),
      wasmSection(WASM_SECTION.code, wasmVector([sumBody])),
    ]);
    expect([...wasmModuleOf(parts)]).toEqual([...bySection]);
    expect(WebAssembly.validate(wasmModuleOf(parts))).toBe(true);
    expect(wasmModuleOf({ ...parts, memories: undefined }).length).toBe(bySection.length - 5); // no memory section: id, size, count, limits
    expect([...wasmModuleOf({ types: [], functions: [], exports: [], bodies: [] }).slice(8)]).toEqual([1, 1, 0, 3, 1, 0, 7, 1, 0, 10, 1, 0]);
  });

  it('rejects a module whose section size is wrong (the framing is what validation checks)', () => {
    const bytes = smallModule();
    bytes[9] += 1; // the type section's size byte
    expect(WebAssembly.validate(bytes)).toBe(false);
  });
});
