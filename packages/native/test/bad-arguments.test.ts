import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lstmCell, lstmCellGrad } from '../src/cells.js';
import { registerNativeBackend } from '../src/index.js';
import { loadNativeAddon, setNativeThreads } from '../src/internal.js';
import { unavailable } from './native-available.js';

describe.skipIf(unavailable !== undefined)('bad shapes and dtypes are JavaScript errors, never a crash', () => {
  beforeAll(async () => {
    registerNativeBackend();
    await tf.setBackend('native');
  });

  it('the addon checks every argument', () => {
    const addon = loadNativeAddon();
    const f = new Float32Array(16);
    expect(() => addon.sgemm(false, false, 1, 4, 4, 4, 1, f, 0, f, 0, 0, new Float32Array(3))).toThrow(/sgemm: c has 3 elements, the shapes need 16/);
    expect(() => addon.sgemm(false, false, 1, 4, 4, 4, 1, new Float64Array(16) as unknown as Float32Array, 0, f, 0, 0, f)).toThrow(
      /sgemm: a must be a Float32Array/,
    );
    expect(() => addon.sgemm(false, false, 2, 4, 4, 4, 1, f, 16, f, 0, 0, f)).toThrow(/sgemm: a has 16 elements, the shapes need 32/);
    expect(() => addon.sgemm(0 as unknown as boolean, false, 1, 4, 4, 4, 1, f, 0, f, 0, 0, f)).toThrow(/transA must be a boolean/);
    expect(() => addon.sgemm(false, false, 1, -1, 4, 4, 1, f, 0, f, 0, 0, f)).toThrow(/m must be in \[0/);
    expect(() => addon.sgemm(false, false, 1, 1.5, 4, 4, 1, f, 0, f, 0, 0, f)).toThrow(/m must be an integer/);
    expect(() => (addon.lstmCell as unknown as (n: number) => void)(1)).toThrow(/lstmCell: expected 9 arguments, got 1/);
    expect(() => addon.lstmCell(2, 4, f, f, f, f, f, null, null)).toThrow(/lstmCell: x has 16 elements, the shapes need 32/);
    expect(() => addon.lstmCellGrad(1, 4, 0, 1, 2, f, f, f, f, f, f, f, f)).toThrow(/carried must be in \[0, 1\]/);
    expect(() => addon.gruCell(1, 4, f, f, f, 'out' as unknown as Float32Array)).toThrow(/gruCell: out must be a Float32Array/);
    expect(() => addon.binary(7, 0, f, f, f)).toThrow(/op must be in \[0, 3\]/);
    expect(() => addon.binary(0, 3, f, new Float32Array(3), f)).toThrow(/multiple of the row/);
    expect(() => addon.unary(0, new Float32Array(2), f)).toThrow(/unary: x has 2 elements, the shapes need 16/);
    expect(() => addon.segmentSum(new Float32Array(2) as unknown as Int32Array, f, 4, f)).toThrow(/segmentSum: ids must be an Int32Array/);
    expect(() => addon.segmentSum(new Int32Array(5), f, 4, f)).toThrow(/segmentSum: x has 16 elements, the shapes need 20/);
    expect(() => addon.segmentSum(new Int32Array(2), f, 3, f)).toThrow(/multiple of width/);
    expect(() => addon.maskedNll(f, 4, new Int32Array([0, 1, 4, 2]), new Float32Array(4), 0)).toThrow(/maskedNll: every id must be in \[0, vocab\)/);
    expect(() => addon.maskedNll(f, 4, new Int32Array(5), new Float32Array(5), 0)).toThrow(/maskedNll: logits has 16 elements, the shapes need 20/);
    expect(() => addon.maskedNllGrad(f, 4, new Int32Array(4), new Float32Array(4), 0, 1, new Float32Array(3))).toThrow(/maskedNllGrad: out has 3 elements/);
    expect(() => setNativeThreads(0)).toThrow(/threads must be a positive integer/);
  });

  it('the kernels check shapes and dtypes of tensors', () => {
    const x = tf.zeros([2, 8]);
    expect(() => lstmCell(x as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D)).toThrow(/SeqloomLstmCell: r must be \[2, 8\]/);
    expect(() => lstmCell(x as tf.Tensor2D, x as tf.Tensor2D, tf.zeros([1, 2]) as tf.Tensor2D)).toThrow(/c must be \[≥2, 2\]/);
    expect(() => lstmCell(x as tf.Tensor2D, x as tf.Tensor2D, tf.zeros([2, 2], 'int32') as tf.Tensor2D)).toThrow(/c must be float32, got int32/);
    const act = tf.zeros([2, 8]) as tf.Tensor2D;
    const h = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => lstmCellGrad(act, h, h, tf.zeros([2, 3]) as tf.Tensor2D, h, h, { outRow: 0, finalRow: 0, carried: 0 })).toThrow(/dy must be \[\*, 2\]/);
    expect(() => lstmCellGrad(act, h, h, h, h, h, { outRow: 5, finalRow: 0, carried: 0 })).toThrow(/dy has 4 elements/);
    expect(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 2]))).toThrow(/inner shapes/);
    expect(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([5], 'int32'))).toThrow(/indices\[0\] = 5 is not in \[0, 2\]/);
    // the process is still alive and computing
    expect(Array.from(tf.matMul(tf.ones([1, 2]), tf.ones([2, 1])).dataSync())).toEqual([2]);
  });
});
