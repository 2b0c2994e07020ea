import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { lstmCellSimdFunction } from './lstm-cell-simd.js';
import { asWasmBackend, callKernel } from './wasm-backend-internals.js';
import { heapModule, type HeapFunction } from './heap-module.js';
import {
  addTo, countDown, f32Const, f32Load, f32Store, f64, f64Const, get, i32, i32Const, op, set, whileBelow,
  type WasmFunction,
} from './wasm-binary.js';

/** Name of seqloom's fused LSTM-cell kernel (wasm backend). */
export const LSTM_CELL_KERNEL = 'SeqloomLstmCell';

/**
 * The cell's outputs once h (and tanh c) are written: frees σ(2c'), and the
 * gates unless they are an output (`full`: tanh c given).
 */
function cellOutputs(
  backend: ReturnType<typeof asWasmBackend>,
  squashed: TensorInfo,
  gates: TensorInfo,
  h: TensorInfo,
  cNext: TensorInfo,
  tanhC: TensorInfo | null,
): TensorInfo[] {
  backend.disposeData(squashed.dataId);
  if (tanhC === null) {
    backend.disposeData(gates.dataId);
    return [h, cNext];
  }
  return [h, cNext, gates, tanhC];
}

/**
 * The fused LSTM cell's three loops for a hidden size that is not a multiple
 * of 4, as WebAssembly functions over the backend's heap (float64 arithmetic
 * rounded once to float32, the same as the SIMD function, so results agree
 * bit for bit with the TypeScript oracle in the tests):
 *
 * - `scale_g(z, rows, hidden)`: doubles the g block of every row of z [B, 4H];
 * - `cell_mid(s, c, cn, tw, rows, hidden)`: from s = σ(z): g = 2σ(2g) − 1
 *   (written back into s), c' = σf·c + σi·g, and 2c';
 * - `cell_out(s, sq, h, tc, rows, hidden)`: tanh c' = 2σ(2c') − 1 and
 *   h' = σo·tanh c' (tanh c' also stored at `tc` unless it is 0).
 *
 * Arguments are byte offsets into the heap and counts.
 */
function lstmFunctions(): WasmFunction[] {
  const p = (n: number) => get(n);
  const hbFromHidden = (hidden: number, hb: number) => [...p(hidden), ...i32Const(2), op.i32Shl, ...set(hb)];
  const promoteAt = (address: number[]) => [...address, ...f32Load, op.f64PromoteF32];
  const plus = (base: number, offset: number[]) => [...p(base), ...offset, op.i32Add];
  const times = (local: number, k: number) => [...p(local), ...i32Const(k), op.i32Mul];
  const step4 = (...locals: number[]) => locals.flatMap((l) => addTo(l, i32Const(4)));

  // scale_g: params z 0, rows 1, hidden 2; locals hb 3, ptr 4, end 5
  const scaleG: WasmFunction = {
    name: 'scale_g', params: 3, locals: [{ count: 3, type: i32 }],
    body: [
      ...hbFromHidden(2, 3),
      ...plus(0, times(3, 2)), ...set(4),
      ...countDown(1, [
        ...plus(4, p(3)), ...set(5),
        ...whileBelow(4, 5, [...p(4), ...p(4), ...f32Load, ...f32Const(2), op.f32Mul, ...f32Store, ...step4(4)]),
        ...addTo(4, times(3, 3)),
      ]),
    ],
  };
  // cell_mid: params s 0, c 1, cn 2, tw 3, rows 4, hidden 5; locals hb 6, end 7 (i32), g 8, v 9 (f64)
  const gAddress = plus(0, times(6, 2));
  const cellMid: WasmFunction = {
    name: 'cell_mid', params: 6, locals: [{ count: 2, type: i32 }, { count: 2, type: f64 }],
    body: [
      ...hbFromHidden(5, 6),
      ...countDown(4, [
        ...plus(0, p(6)), ...set(7),
        ...whileBelow(0, 7, [
          ...f64Const(2), ...promoteAt(gAddress), op.f64Mul, ...f64Const(1), op.f64Sub, ...set(8),
          ...gAddress, ...p(8), op.f32DemoteF64, ...f32Store,
          ...promoteAt(plus(0, p(6))), ...promoteAt(p(1)), op.f64Mul, ...promoteAt(p(0)), ...p(8), op.f64Mul, op.f64Add, ...set(9),
          ...p(2), ...p(9), op.f32DemoteF64, ...f32Store,
          ...p(3), ...f64Const(2), ...p(9), op.f64Mul, op.f32DemoteF64, ...f32Store,
          ...step4(0, 1, 2, 3),
        ]),
        ...addTo(0, times(6, 3)),
      ]),
    ],
  };
  // cell_out: params s 0, sq 1, h 2, tc 3, rows 4, hidden 5; locals hb 6, end 7 (i32), t 8 (f64)
  const cellOut: WasmFunction = {
    name: 'cell_out', params: 6, locals: [{ count: 2, type: i32 }, { count: 1, type: f64 }],
    body: [
      ...hbFromHidden(5, 6),
      ...countDown(4, [
        ...plus(0, p(6)), ...set(7),
        ...whileBelow(0, 7, [
          ...f64Const(2), ...promoteAt(p(1)), op.f64Mul, ...f64Const(1), op.f64Sub, ...set(8),
          ...p(2), ...promoteAt(plus(0, times(6, 3))), ...p(8), op.f64Mul, op.f32DemoteF64, ...f32Store,
          ...p(3), ...i32Const(0), op.i32Ne, op.if, op.void, ...p(3), ...p(8), op.f32DemoteF64, ...f32Store, ...step4(3), op.end,
          ...step4(0, 1, 2),
        ]),
        ...addTo(0, times(6, 3)),
      ]),
    ],
  };
  return [scaleG, cellMid, cellOut];
}

type Loop = HeapFunction;
/** The loops, and the whole cell in SIMD (hidden size a multiple of 4; see {@link lstmCellSimdFunction}). */
interface LstmLoops { scaleG: Loop; cellMid: Loop; cellOut: Loop; cell: Loop }

/** The loops instantiated on the backend's memory, or null when its memory cannot be reached. */
export function lstmLoopsFor(backend: object): LstmLoops | null {
  const exports = heapModule(backend, 'lstm-cell', () => [...lstmFunctions(), lstmCellSimdFunction()]);
  if (exports === null) return null;
  return { scaleG: exports['scale_g']!, cellMid: exports['cell_mid']!, cellOut: exports['cell_out']!, cell: exports['lstm_cell']! };
}

interface LstmCellArgs {
  inputs: { x: TensorInfo; r: TensorInfo; c: TensorInfo };
  attrs: { full: boolean };
  backend: object;
}

/**
 * The pointwise part of an LSTM step as one wasm kernel (`SeqloomLstmCell`).
 * Inputs: the projected input `x` and recurrent product `r` ([B, 4H], gates
 * [i, f, g, o]) and the cell state `c` (its first B rows are read). Outputs
 * `[h', c']`, and with `full` also the activated gates [σi, σf, tanh g, σo]
 * ([B, 4H]) and tanh c' ([B, H]), which a backward pass needs. One SIMD pass
 * when the hidden size is a multiple of 4, else the backend's vectorised Add
 * and Sigmoid (tanh x = 2σ(2x) − 1) around the three loops.
 */
export function makeLstmCellWasmKernel(sigmoid: KernelConfig, add: KernelConfig): KernelConfig {
  const kernelFunc = (args: LstmCellArgs): TensorInfo[] => {
    const loops = lstmLoopsFor(args.backend);
    if (loops === null) {
      throw new Error(`${LSTM_CELL_KERNEL}: the wasm backend's memory cannot be reached (expected @tensorflow/tfjs-backend-wasm 4.22.0); ` +
        "use the reference kernels (Seq2SeqModel.create(config, { kernels: referenceKernels })) or setBackend('cpu').");
    }
    const backend = asWasmBackend(args.backend);
    const offset = (t: TensorInfo) => backend.typedArrayFromHeap(t).byteOffset;
    const { x, r, c } = args.inputs;
    const [rows, width] = x.shape as [number, number];
    const hidden = width / 4;
    if (hidden % 4 === 0) {
      const h = backend.makeOutput([rows, hidden], 'float32');
      const cNext = backend.makeOutput([rows, hidden], 'float32');
      if (!args.attrs.full) {
        loops.cell(offset(x), offset(r), offset(c), offset(h), offset(cNext), 0, 0, rows, hidden);
        return [h, cNext];
      }
      const gates = backend.makeOutput([rows, width], 'float32');
      const tanhC = backend.makeOutput([rows, hidden], 'float32');
      loops.cell(offset(x), offset(r), offset(c), offset(h), offset(cNext), offset(gates), offset(tanhC), rows, hidden);
      return [h, cNext, gates, tanhC];
    }
    const z = callKernel(add, { a: x, b: r }, args.backend); // [B, 4H]
    loops.scaleG(offset(z), rows, hidden);
    const gates = callKernel(sigmoid, { x: z }, args.backend); // σi, σf, σ(2g), σo
    backend.disposeData(z.dataId);
    const cNext = backend.makeOutput([rows, hidden], 'float32');
    const twice = backend.makeOutput([rows, hidden], 'float32');
    loops.cellMid(offset(gates), offset(c), offset(cNext), offset(twice), rows, hidden);
    const squashed = callKernel(sigmoid, { x: twice }, args.backend);
    backend.disposeData(twice.dataId);
    const h = backend.makeOutput([rows, hidden], 'float32');
    const tanhC = args.attrs.full ? backend.makeOutput([rows, hidden], 'float32') : null;
    loops.cellOut(offset(gates), offset(squashed), offset(h), tanhC === null ? 0 : offset(tanhC), rows, hidden);
    return cellOutputs(backend, squashed, gates, h, cNext, tanhC);
  };
  return { kernelName: LSTM_CELL_KERNEL, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
