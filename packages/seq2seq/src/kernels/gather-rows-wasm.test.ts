import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { GatherV2 } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { heapModule } from './heap-module.js';
import { registerSeqloomWasmKernels } from './register-wasm-kernels.js';

beforeAll(async () => {
  registerSeqloomWasmKernels();
  await tf.setBackend('wasm');
});

describe('GatherV2 rows by memory.copy (wasm)', () => {
  it('copies the indexed rows of float32, int32 and bool tensors, repeats included', async () => {
    gatherOnce(); // the module is built on first use
    expect(heapModule(tf.backend(), 'copy-rows', () => [])?.['copy_rows']).toBeTypeOf('function');
    const floats = tf.randomUniform([9, 3, 5], -1, 1, 'float32', 3);
    const ints = tf.range(0, 40, 1, 'int32').reshape([8, 5]);
    const bools = tf.tensor2d(
      [
        [true, false],
        [false, false],
        [true, true],
      ],
      [3, 2],
      'bool',
    );
    const ids = [8, 0, 3, 3, 7, 1];
    const want = (x: tf.Tensor, rows: number[]) => {
      const all = x.arraySync() as unknown[];
      return rows.map((r) => all[r]);
    };
    expect(tf.gather(floats, ids).arraySync()).toEqual(want(floats, ids));
    expect(tf.gather(ints, [7, 7, 0]).arraySync()).toEqual(want(ints, [7, 7, 0]));
    expect(tf.gather(bools, [2, 0]).arraySync()).toEqual(want(bools, [2, 0]));
    expect(
      tf.gather(
        floats,
        tf.tensor2d(
          [
            [1, 2],
            [8, 1],
          ],
          [2, 2],
          'int32',
        ),
      ).shape,
    ).toEqual([2, 2, 3, 5]);
  });

  it('rejects an index outside the rows, naming it, and frees its output', () => {
    const x = tf.zeros([3, 4]);
    const before = tf.memory().numTensors;
    expect(() => tf.gather(x, tf.tensor1d([0, 5], 'int32'))).toThrow(/index value 5 at position 1 is not in \[0, 2\]/);
    expect(tf.memory().numTensors).toBe(before + 1); // the index tensor only
    expect(tf.getKernel(GatherV2, 'wasm')).toBeDefined();
  });
});

function gatherOnce(): void {
  tf.tidy(() => tf.gather(tf.zeros([2, 2]), [1]));
}
