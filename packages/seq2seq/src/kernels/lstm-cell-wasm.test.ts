import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Add, Sigmoid } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeLstmCellKernel } from '../../test/support/lstm-cell-loops.js';
import { lstmLoopsFor, makeLstmCellWasmKernel } from './lstm-cell-wasm.js';
import { registerSeqloomWasmKernels } from './register-wasm-kernels.js';
import { sleb, uleb } from './wasm-binary.js';

type Run = (args: { inputs: Record<string, tf.TensorInfo>; attrs: { full: boolean }; backend: unknown }) => tf.TensorInfo[];

/** Runs a kernel function directly and returns each output's values (and frees them). */
function outputs(run: Run, x: tf.Tensor, r: tf.Tensor, c: tf.Tensor, full: boolean): Float32Array[] {
  const infos = run({ inputs: { x, r, c }, attrs: { full }, backend: tf.backend() });
  return infos.map((info) => {
    const values = tf.engine().makeTensorFromTensorInfo(info);
    const data = values.dataSync() as Float32Array;
    values.dispose();
    return data;
  });
}

beforeAll(async () => {
  registerSeqloomWasmKernels();
  await tf.setBackend('wasm');
});

describe('LSTM cell kernel with WebAssembly loops', () => {
  it('reaches the backend memory', () => {
    expect(lstmLoopsFor(tf.backend())).not.toBeNull();
  });

  it('gives bit-identical outputs to the TypeScript loops, in both modes and with extreme inputs', () => {
    const sigmoid = tf.getKernel(Sigmoid, 'wasm')!;
    const add = tf.getKernel(Add, 'wasm')!;
    const wasm = makeLstmCellWasmKernel().kernelFunc as unknown as Run;
    const plain = makeLstmCellKernel(sigmoid, add).kernelFunc as unknown as Run;
    for (const [rows, hidden, scale] of [
      [1, 1, 1],
      [3, 5, 4],
      [17, 33, 30],
      [64, 64, 1e3],
      [2, 4, 3],
      [5, 12, 10],
      [33, 64, 200],
      [3, 8, 1e-30],
    ] as const) {
      const x = tf.randomUniform([rows, 4 * hidden], -scale, scale, 'float32', rows);
      const r = tf.randomUniform([rows, 4 * hidden], -scale, scale, 'float32', hidden);
      const c = tf.randomUniform([rows, hidden], -scale, scale, 'float32', 7);
      const before = tf.memory().numTensors;
      for (const full of [false, true]) {
        const got = outputs(wasm, x, r, c, full);
        const want = outputs(plain, x, r, c, full);
        expect(got.length).toBe(full ? 4 : 2);
        got.forEach((values, i) =>
          expect(Buffer.from(values.buffer, values.byteOffset, values.byteLength)).toEqual(
            Buffer.from(want[i]!.buffer, want[i]!.byteOffset, want[i]!.byteLength),
          ),
        );
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, r, c]);
    }
  });

  it('writes LEB128 immediates as the format expects', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(65536)).toEqual([0x80, 0x80, 0x04]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});
