import { LSTM_CELL_GRAD_KERNEL } from '@seqloom/core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { LstmCellGradAttrs } from './kernel-set.js';
import { asWasmBackend } from './wasm-backend-internals.js';

/** The kernel name (@seqloom/core's kernel contract), re-exported for this module's users. */
export { LSTM_CELL_GRAD_KERNEL };

interface LstmCellGradArgs {
  inputs: { act: TensorInfo; cPrev: TensorInfo; tanhC: TensorInfo; dy: TensorInfo; dhNext: TensorInfo; dcNext: TensorInfo };
  attrs: LstmCellGradAttrs;
  backend: unknown;
}

/**
 * The pointwise part of one LSTM backward step over the n rows still running
 * at this step, as one wasm kernel. Inputs: the activated gates `act`
 * [σi, σf, tanh g, σo] ([n, 4H]), the previous cell state `cPrev` (first n of
 * its rows), tanh c ([n, H]), the whole layer gradient `dy` (rows of this
 * step's h, then of the final h and c) and the gradients flowing back from the
 * next step (`dhNext` = dG·Uᵀ, `dcNext`; first `carried` rows). Outputs the
 * gate pre-activation gradient dG ([n, 4H]) and dc_prev = dc ⊙ σf ([n, H]).
 */
export function makeLstmCellGradKernel(): KernelConfig {
  const kernelFunc = (args: LstmCellGradArgs): TensorInfo[] => {
    const backend = asWasmBackend(args.backend);
    const { act, cPrev, tanhC, dy, dhNext, dcNext } = args.inputs;
    const { outRow, finalRow, carried } = args.attrs;
    const [rows, width] = act.shape as [number, number];
    const hidden = width / 4;
    const final = (dy.shape[0]! - finalRow) / 2; // B: the final-h block, then the final-c block
    const dG = backend.makeOutput([rows, width], 'float32');
    const dcPrev = backend.makeOutput([rows, hidden], 'float32');
    // views taken after makeOutput: allocation may have grown the heap
    const a = backend.typedArrayFromHeap(act) as Float32Array;
    const cp = backend.typedArrayFromHeap(cPrev) as Float32Array;
    const tc = backend.typedArrayFromHeap(tanhC) as Float32Array;
    const d = backend.typedArrayFromHeap(dy) as Float32Array;
    const dhN = backend.typedArrayFromHeap(dhNext) as Float32Array;
    const dcN = backend.typedArrayFromHeap(dcNext) as Float32Array;
    const g = backend.typedArrayFromHeap(dG) as Float32Array;
    const out = backend.typedArrayFromHeap(dcPrev) as Float32Array;
    for (let b = 0; b < rows; b++) {
      const a0 = b * width;
      const h0 = b * hidden;
      const fromNext = b < carried;
      const dh0 = fromNext ? h0 : (finalRow + b) * hidden;
      const dc0 = fromNext ? h0 : (finalRow + final + b) * hidden;
      const dhCarry = fromNext ? dhN : d;
      const dcCarry = fromNext ? dcN : d;
      const out0 = (outRow + b) * hidden;
      for (let j = 0; j < hidden; j++) {
        const i = a[a0 + j]!;
        const f = a[a0 + hidden + j]!;
        const gg = a[a0 + 2 * hidden + j]!;
        const o = a[a0 + 3 * hidden + j]!;
        const t = tc[h0 + j]!;
        const dh = d[out0 + j]! + dhCarry[dh0 + j]!;
        const dc = dcCarry[dc0 + j]! + dh * o * (1 - t * t);
        g[a0 + j] = dc * gg * i * (1 - i);
        g[a0 + hidden + j] = dc * cp[h0 + j]! * f * (1 - f);
        g[a0 + 2 * hidden + j] = dc * i * (1 - gg * gg);
        g[a0 + 3 * hidden + j] = dh * t * o * (1 - o);
        out[h0 + j] = dc * f;
      }
    }
    return [dG, dcPrev];
  };
  return { kernelName: LSTM_CELL_GRAD_KERNEL, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
