import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../backend.js';
import { Seq2SeqModel } from '../seq2seq-model.js';
import { parentGroups } from './shared-parent-step.js';

beforeAll(async () => {
  await setBackend('wasm');
});

const sources = [
  [3, 4, 5],
  [6, 7],
  [8, 9, 10, 11],
];
const first = [1, 1, 1];

/** Logits of three steps where rows are reordered twice (repeats, drops) between them. */
async function reordered(model: Seq2SeqModel): Promise<Float32Array[]> {
  const sm = model.asStepModel();
  const out: Float32Array[] = [];
  let r = await sm.step(await sm.start(sources), Int32Array.from(first));
  out.push(r.logits);
  let state = sm.reorder(r.state, Int32Array.of(0, 0, 2, 1, 2)); // beam-like: shared parents
  r = await sm.step(state, Int32Array.of(4, 5, 6, 7, 8));
  out.push(r.logits);
  state = sm.reorder(sm.reorder(r.state, Int32Array.of(4, 4, 1, 0)), Int32Array.of(3, 0, 2)); // composed, rows dropped
  r = await sm.step(state, Int32Array.of(9, 3, 5));
  out.push(r.logits);
  sm.dispose(r.state);
  return out;
}

/** The same rows built without any reorder: duplicated sources fed the same tokens. */
async function direct(model: Seq2SeqModel): Promise<Float32Array[]> {
  const sm = model.asStepModel();
  const run = async (rows: number[], tokens: number[][]): Promise<Float32Array> => {
    let state = await sm.start(rows.map((s) => sources[s]!));
    let logits = new Float32Array(0);
    for (const ids of tokens) {
      const r = await sm.step(state, Int32Array.from(ids));
      state = r.state;
      logits = r.logits;
    }
    sm.dispose(state);
    return logits;
  };
  // step 2 rows continue rows [0, 0, 2, 1, 2]; step 3 rows are step-2 rows [4, 4, 1, 0][3, 0, 2] = [0, 4, 1]
  return [
    await run([0, 1, 2], [first]),
    await run(
      [0, 0, 2, 1, 2],
      [
        [1, 1, 1, 1, 1],
        [4, 5, 6, 7, 8],
      ],
    ),
    await run(
      [0, 2, 0],
      [
        [1, 1, 1],
        [4, 8, 5],
        [9, 3, 5],
      ],
    ),
  ];
}

describe('decoding steps after a reorder', () => {
  it('groups parents: distinct rows ascending, each row pointing at its parent', () => {
    const { unique, position } = parentGroups(Int32Array.of(4, 1, 4, 0, 1));
    expect(Array.from(unique)).toEqual([0, 1, 4]);
    expect(Array.from(position)).toEqual([2, 1, 2, 0, 1]);
  });

  const configs = [
    { cell: 'lstm', layers: 1, attention: 'none' },
    { cell: 'lstm', layers: 2, attention: 'none' },
    { cell: 'gru', layers: 2, attention: 'none' },
    { cell: 'lstm', layers: 1, attention: 'general' },
  ] as const;
  for (const c of configs) {
    it(`${c.cell} × ${c.layers}, attention ${c.attention}: the same bits as rows that were never reordered, nothing leaks`, async () => {
      const model = Seq2SeqModel.create({ sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 8, embeddingSize: 6, ...c }, { seed: 5 });
      const before = tf.memory().numTensors;
      const got = await reordered(model);
      const want = await direct(model);
      expect(tf.memory().numTensors).toBe(before);
      got.forEach((logits, t) => expect(Array.from(logits)).toEqual(Array.from(want[t]!)));
      model.dispose();
    });
  }
});
