import * as tf from '@tensorflow/tfjs';
import { Add, Sigmoid } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeLstmCellKernel } from '../../test/support/lstm-cell-loops.js';
import { lstmLoopsFor, makeLstmCellWasmKernel } from './lstm-cell-wasm.js';
import { registerSeqloomWasmKernels } from './register-wasm-kernels.js';
import { registerThreadedWasmBackend } from './threaded-wasm.js';

type Run = (args: { inputs: Record<string, tf.TensorInfo>; attrs: { full: boolean }; backend: unknown }) => tf.TensorInfo[];

function outputs(run: Run, inputs: Record<string, tf.Tensor>, full: boolean): number[][] {
  return run({ inputs, attrs: { full }, backend: tf.backend() }).map((info) => {
    const t = tf.engine().makeTensorFromTensorInfo(info);
    const values = Array.from(t.dataSync());
    t.dispose();
    return values;
  });
}

beforeAll(async () => {
  await registerThreadedWasmBackend({ threads: 2 });
  registerSeqloomWasmKernels();
  await tf.setBackend('wasm');
});

describe('LSTM cell kernel on the threaded wasm build (shared heap)', () => {
  it('instantiates on the shared memory and matches the TypeScript loops bit for bit', () => {
    expect(lstmLoopsFor(tf.backend())).not.toBeNull();
    const sigmoid = tf.getKernel(Sigmoid, 'wasm')!;
    const add = tf.getKernel(Add, 'wasm')!;
    const wasm = makeLstmCellWasmKernel().kernelFunc as unknown as Run;
    const plain = makeLstmCellKernel(sigmoid, add).kernelFunc as unknown as Run;
    for (const [rows, hidden] of [
      [70, 64],
      [9, 7],
    ] as const) {
      const inputs = {
        x: tf.randomUniform([rows, 4 * hidden], -6, 6, 'float32', 1),
        r: tf.randomUniform([rows, 4 * hidden], -6, 6, 'float32', 2),
        c: tf.randomUniform([rows, hidden], -3, 3, 'float32', 3),
      };
      for (const full of [false, true]) expect(outputs(wasm, inputs, full)).toEqual(outputs(plain, inputs, full));
      tf.dispose(Object.values(inputs));
    }
  });
});
