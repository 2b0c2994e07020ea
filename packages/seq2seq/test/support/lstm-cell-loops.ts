import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { LSTM_CELL_KERNEL } from '../../src/kernels/lstm-cell-wasm.js';
import { asWasmBackend, callKernel } from '../../src/kernels/wasm-backend-internals.js';

// Test oracle only: the fused LSTM cell as TypeScript loops on the wasm heap,
// the specification the WebAssembly kernel (lstm-cell-wasm.ts) is checked
// against bit for bit. The model never runs it.

interface LstmCellArgs {
  inputs: { x: TensorInfo; r: TensorInfo; c: TensorInfo };
  attrs: { full: boolean };
  backend: unknown;
}

/** The cell's outputs once h (and tanh c) are written: frees σ(2c'), and the gates unless they are an output. */
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
 * The pointwise part of an LSTM step as one wasm kernel. Inputs: the projected
 * input `x` and recurrent product `r` ([B, 4H], gates [i, f, g, o]) and the
 * cell state `c` ([B, H]). Outputs `[h', c']`, and with `full` also the
 * activated gates [σi, σf, tanh g, σo] ([B, 4H]) and tanh c' ([B, H]), which a
 * backward pass needs. Both nonlinearities run on the backend's vectorised
 * `Sigmoid` kernel (tanh x = 2σ(2x) − 1; the stock wasm `Tanh` is scalar and
 * ~10× slower) and `Add`; the rest is three tight loops over [B, H] on the
 * wasm heap.
 */
export function makeLstmCellKernel(sigmoid: KernelConfig, add: KernelConfig): KernelConfig {
  const kernelFunc = (args: LstmCellArgs): TensorInfo[] => {
    const backend = asWasmBackend(args.backend);
    const { x, r, c } = args.inputs;
    const [rows, width] = x.shape as [number, number];
    const hidden = width / 4;
    // z = x + r (the backend's vectorised Add), g block doubled, so σ(z) holds σi, σf, σ(2g), σo
    const z = callKernel(add, { a: x, b: r }, args.backend);
    {
      const zv = backend.typedArrayFromHeap(z) as Float32Array;
      for (let b = 0; b < rows; b++) {
        const start = b * width + 2 * hidden;
        for (let k = start; k < start + hidden; k++) zv[k] = 2 * zv[k]!;
      }
    }
    const gates = callKernel(sigmoid, { x: z }, args.backend);
    backend.disposeData(z.dataId);
    const cNext = backend.makeOutput([rows, hidden], 'float32');
    const twice = backend.makeOutput([rows, hidden], 'float32');
    {
      const s = backend.typedArrayFromHeap(gates) as Float32Array;
      const cv = backend.typedArrayFromHeap(c) as Float32Array;
      const cn = backend.typedArrayFromHeap(cNext) as Float32Array;
      const tw = backend.typedArrayFromHeap(twice) as Float32Array;
      for (let b = 0; b < rows; b++) {
        const g0 = b * width;
        const h0 = b * hidden;
        for (let j = 0; j < hidden; j++) {
          const g = 2 * s[g0 + 2 * hidden + j]! - 1;
          s[g0 + 2 * hidden + j] = g;
          const value = s[g0 + hidden + j]! * cv[h0 + j]! + s[g0 + j]! * g;
          cn[h0 + j] = value;
          tw[h0 + j] = 2 * value;
        }
      }
    }
    const squashed = callKernel(sigmoid, { x: twice }, args.backend);
    backend.disposeData(twice.dataId);
    const h = backend.makeOutput([rows, hidden], 'float32');
    const tanhC = args.attrs.full ? backend.makeOutput([rows, hidden], 'float32') : null;
    {
      const s = backend.typedArrayFromHeap(gates) as Float32Array;
      const sq = backend.typedArrayFromHeap(squashed) as Float32Array;
      const hv = backend.typedArrayFromHeap(h) as Float32Array;
      const tv = tanhC === null ? null : (backend.typedArrayFromHeap(tanhC) as Float32Array);
      for (let b = 0; b < rows; b++) {
        const o0 = b * width + 3 * hidden;
        const h0 = b * hidden;
        for (let j = 0; j < hidden; j++) {
          const tc = 2 * sq[h0 + j]! - 1;
          hv[h0 + j] = s[o0 + j]! * tc;
          if (tv !== null) tv[h0 + j] = tc;
        }
      }
    }
    return cellOutputs(backend, squashed, gates, h, cNext, tanhC);
  };
  return { kernelName: LSTM_CELL_KERNEL, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
