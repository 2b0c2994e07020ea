import { LSTM_CELL_KERNEL } from '@seqloom/core';
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { type HeapFunction, heapModule } from './heap-module.js';
import { lstmCellSimdFunction } from './lstm-cell-simd.js';
import { asWasmBackend, type WasmBackendInternals } from './wasm-backend-internals.js';

/** The kernel name (@seqloom/core's kernel contract), re-exported for this module's users. */
export { LSTM_CELL_KERNEL };

/** The SIMD LSTM cell (see {@link lstmCellSimdFunction}) instantiated on the backend's memory, or null when its memory cannot be reached. */
export function lstmLoopsFor(backend: object): { cell: HeapFunction } | null {
  const exports = heapModule(backend, 'lstm-cell', () => [lstmCellSimdFunction()]);
  return exports === null ? null : { cell: exports['lstm_cell']! };
}

interface LstmCellArgs {
  inputs: { x: TensorInfo; r: TensorInfo; c: TensorInfo };
  attrs: { full: boolean };
  backend: object;
}

/** Outputs of one cell call: h', c', and with `full` the gates and tanh c'. */
function makeOutputs(backend: WasmBackendInternals, rows: number, hidden: number, full: boolean): TensorInfo[] {
  const shapes = full
    ? [
        [rows, hidden],
        [rows, hidden],
        [rows, 4 * hidden],
        [rows, hidden],
      ]
    : [
        [rows, hidden],
        [rows, hidden],
      ];
  return shapes.map((shape) => backend.makeOutput(shape, 'float32'));
}

/** Runs the SIMD cell on inputs and outputs already on the heap (hidden ≥ 4). */
function runCell(
  cell: HeapFunction,
  backend: WasmBackendInternals,
  x: TensorInfo,
  r: TensorInfo,
  c: TensorInfo,
  outs: TensorInfo[],
  rows: number,
  hidden: number,
): void {
  const offset = (t: TensorInfo | undefined) => (t === undefined ? 0 : backend.typedArrayFromHeap(t).byteOffset);
  cell(offset(x), offset(r), offset(c), offset(outs[0]), offset(outs[1]), offset(outs[2]), offset(outs[3]), rows, hidden);
}

/**
 * Copies `rows` rows of `blocks` blocks of `from` units each between row
 * layouts of different block widths (`to` units per block, zero-filled past
 * `from`), e.g. [B, 4·H] ↔ [B, 4·4].
 */
function copyBlocks(src: Float32Array, dst: Float32Array, rows: number, blocks: number, from: number, to: number, units: number): void {
  for (let b = 0; b < rows; b++) {
    for (let k = 0; k < blocks; k++) {
      for (let j = 0; j < units; j++) dst[(b * blocks + k) * to + j] = src[(b * blocks + k) * from + j]!;
    }
  }
}

/** Hidden size 1–3: the SIMD cell on copies padded to 4 units (each unit is computed on its own, so the values are the same). */
function runPadded(
  cell: HeapFunction,
  backend: WasmBackendInternals,
  x: TensorInfo,
  r: TensorInfo,
  c: TensorInfo,
  outs: TensorInfo[],
  rows: number,
  hidden: number,
): void {
  const padded = [backend.makeOutput([rows, 16], 'float32'), backend.makeOutput([rows, 16], 'float32'), backend.makeOutput([rows, 4], 'float32')];
  const paddedOuts = outs.map((out) => backend.makeOutput([rows, out.shape[1] === hidden ? 4 : 16], 'float32'));
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array; // views after every allocation
  [x, r, c].forEach((input, i) => {
    const dst = view(padded[i]!);
    dst.fill(0);
    const blocks = i < 2 ? 4 : 1;
    copyBlocks(view(input), dst, rows, blocks, hidden, 4, hidden);
  });
  runCell(cell, backend, padded[0]!, padded[1]!, padded[2]!, paddedOuts, rows, 4);
  outs.forEach((out, i) => copyBlocks(view(paddedOuts[i]!), view(out), rows, out.shape[1] === hidden ? 1 : 4, 4, hidden, hidden));
  [...padded, ...paddedOuts].forEach((t) => backend.disposeData(t.dataId));
}

/**
 * The pointwise part of an LSTM step as one wasm kernel (`SeqloomLstmCell`),
 * the SIMD function of `lstm-cell-simd.ts`. Inputs: the projected input `x`
 * and recurrent product `r` ([B, 4H], gates [i, f, g, o]) and the cell state
 * `c` (its first B rows are read). Outputs `[h', c']`, and with `full` also
 * the activated gates [σi, σf, tanh g, σo] ([B, 4H]) and tanh c' ([B, H]),
 * which a backward pass needs.
 */
export function makeLstmCellWasmKernel(): KernelConfig {
  const kernelFunc = (args: LstmCellArgs): TensorInfo[] => {
    const loops = lstmLoopsFor(args.backend);
    if (loops === null) {
      throw new Error(
        `${LSTM_CELL_KERNEL}: the wasm backend's memory cannot be reached (expected @tensorflow/tfjs-backend-wasm 4.22.0); ` +
          "use the reference kernels (Seq2SeqModel.create(config, { kernels: referenceKernels })) or setBackend('cpu').",
      );
    }
    const backend = asWasmBackend(args.backend);
    const { x, r, c } = args.inputs;
    const [rows, width] = x.shape as [number, number];
    const hidden = width / 4;
    const outs = makeOutputs(backend, rows, hidden, args.attrs.full);
    if (hidden >= 4) runCell(loops.cell, backend, x, r, c, outs, rows, hidden);
    else if (rows > 0) runPadded(loops.cell, backend, x, r, c, outs, rows, hidden);
    return outs;
  };
  return { kernelName: LSTM_CELL_KERNEL, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
