import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCheckpoint, Seq2SeqModel, setBackend } from '@seqloom/seq2seq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from './helpers/fixtures.js';
import { seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let textFile: string;
const H = 8;
const LM = [
  '--task',
  'lm',
  '--hidden',
  String(H),
  '--embedding',
  '4',
  '--window',
  '16',
  '--batch-size',
  '4',
  '--max-steps',
  '1',
  '--lr',
  '1e-9',
  '--backend',
  'wasm',
  '-q',
];

beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('forget-bias'));
  textFile = join(dir, 'text.txt');
  await writeFile(textFile, 'the cat sat on the mat. '.repeat(10));
  await setBackend('wasm');
});
afterAll(() => cleanup());

/** The forget-gate slice of the trained decoder layer's bias. */
async function forgetGate(out: string): Promise<number[]> {
  const model = await loadCheckpoint(out, { prefer: 'last', createModel: (config) => Seq2SeqModel.create(config) });
  const bias = model.model.namedWeights().get('decoder/l0/bias')!.dataSync() as Float32Array;
  const slice = Array.from(bias.subarray(H, 2 * H));
  model.model.dispose();
  return slice;
}

describe('seqloom train --forget-bias', () => {
  it('starts the LSTM forget gate where it says (default 1), and refuses a value that is not a number', async () => {
    const plain = join(dir, 'plain');
    expect((await seqloomInProcess(['train', '--data', textFile, '--out', plain, ...LM])).code).toBe(0);
    for (const x of await forgetGate(plain)) expect(x).toBeCloseTo(1, 5);
    const zero = join(dir, 'zero');
    const run = await seqloomInProcess(['train', '--data', textFile, '--out', zero, ...LM, '--forget-bias', '0']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const x of await forgetGate(zero)) expect(Math.abs(x)).toBeLessThan(1e-5);
    const bad = await seqloomInProcess(['train', '--data', textFile, '--out', join(dir, 'bad'), ...LM, '--forget-bias', 'open']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--forget-bias/);
  });
});
