import { generate } from '@seqloom/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seq2SeqModel, setBackend } from '../src/index.js';
import { DecodingPool, WorkerPoolError } from '../src/parallel/index.js';

let model: Seq2SeqModel;
let pool: DecodingPool;
const sources = Array.from({ length: 7 }, (_, i) => Array.from({ length: 3 + (i % 4) }, (_, t) => 3 + ((i * 5 + t * 3) % 9)));

beforeAll(async () => {
  await setBackend('wasm');
  model = Seq2SeqModel.create({ sourceVocabSize: 12, targetVocabSize: 12, embeddingSize: 8, hiddenSize: 16, attention: 'general' }, { seed: 5 });
  pool = await DecodingPool.create(model, { threads: 3 });
}, 60_000);
afterAll(async () => {
  await pool.close();
  model.dispose();
});

describe('DecodingPool', () => {
  it('runs three threads and gives the single-thread results for greedy and beam search', async () => {
    expect(pool.threads).toBe(3);
    for (const options of [{ maxNewTokens: 6 }, { strategy: 'beam' as const, beamWidth: 3, numReturn: 2, maxNewTokens: 6 }]) {
      const alone = await generate(model.asStepModel(), sources, options);
      const pooled = await pool.generate(sources, options);
      expect(pooled.map((r) => r.hypotheses.map((h) => h.ids))).toEqual(alone.map((r) => r.hypotheses.map((h) => h.ids)));
      pooled.forEach((r, i) => expect(r.best.score).toBeCloseTo(alone[i]!.best.score, 4));
    }
  });

  it('keeps sampling on one thread, so a seed gives the same draws', async () => {
    const options = { strategy: 'sample' as const, seed: 11, maxNewTokens: 5 };
    const alone = await generate(model.asStepModel(), sources, options);
    expect((await pool.generate(sources, options)).map((r) => r.best.ids)).toEqual(alone.map((r) => r.best.ids));
  });

  it("stops every thread's rows when the signal aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    const results = await pool.generate(sources, { maxNewTokens: 6, signal: controller.signal });
    expect(results.map((r) => r.best.finishReason)).toEqual(sources.map(() => 'aborted'));
  });

  it('close() rejects a generate call still running, and later ones', async () => {
    const other = await DecodingPool.create(model, { threads: 2 });
    const running = other.generate(sources, { strategy: 'beam', beamWidth: 4, maxNewTokens: 40 }).then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    await other.close();
    expect(await running).toMatch(/closed/);
    await expect(other.generate(sources)).rejects.toThrow(/after close/);
  }, 30_000);

  it('reports a bad option once, and refuses a bad thread count', async () => {
    await expect(pool.generate(sources, { beamWidth: 0, strategy: 'beam' })).rejects.toThrow(/beamWidth/);
    await expect(DecodingPool.create(model, { threads: 0 })).rejects.toThrow(WorkerPoolError);
    await expect(DecodingPool.create(model, { threads: 0 })).rejects.toThrow(/threads must be an integer from 1 to 16, got 0/);
  });
});

describe('Seq2SeqModel.create({ initialValues })', () => {
  it('starts named weights from given values and checks their size', () => {
    const values = new Map([...model.namedWeights()].map(([name, v]) => [name, v.dataSync() as Float32Array]));
    const copy = Seq2SeqModel.create(model.config, { seed: 99, initialValues: values });
    for (const [name, v] of copy.namedWeights()) expect(Array.from(v.dataSync())).toEqual(Array.from(values.get(name)!));
    copy.dispose();
    const [name] = [...values.keys()];
    expect(() => Seq2SeqModel.create(model.config, { initialValues: new Map([[name!, new Float32Array(3)]]) })).toThrow(
      new RegExp(`initial values of weight "${name}": expected \\d+ values`),
    );
  });
});
