import { beforeAll, describe, expect, it } from 'vitest';
import { ModelConfigError, Seq2SeqModel, setBackend } from '../src/index.js';

beforeAll(async () => {
  await setBackend('wasm');
});

const maxAbs = (values: Float32Array): number => values.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe('embeddingInit', () => {
  it('sets the uniform range of fresh embeddings (default ±0.1), and leaves the other weights alone', () => {
    const config = { sourceVocabSize: 40, targetVocabSize: 40, hiddenSize: 8, embeddingSize: 16 };
    const plain = Seq2SeqModel.create(config, { seed: 1 });
    const wide = Seq2SeqModel.create(config, { seed: 1, embeddingInit: Math.sqrt(3) });
    for (const name of ['encoder/embedding', 'decoder/embedding']) {
      const a = plain.namedWeights().get(name)!.dataSync() as Float32Array;
      const b = wide.namedWeights().get(name)!.dataSync() as Float32Array;
      expect(maxAbs(a)).toBeLessThanOrEqual(0.1);
      expect(maxAbs(b)).toBeLessThanOrEqual(Math.sqrt(3));
      expect(maxAbs(b)).toBeGreaterThan(1.5);
      const variance = b.reduce((s, x) => s + x * x, 0) / b.length;
      expect(variance).toBeGreaterThan(0.8);
      expect(variance).toBeLessThan(1.2);
    }
    expect(Array.from(wide.namedWeights().get('output/kernel')!.dataSync())).toEqual(Array.from(plain.namedWeights().get('output/kernel')!.dataSync()));
    plain.dispose();
    wide.dispose();
    expect(() => Seq2SeqModel.create(config, { embeddingInit: 0 })).toThrow(ModelConfigError);
    expect(() => Seq2SeqModel.create(config, { embeddingInit: -1 })).toThrow(/"embeddingInit": expected a positive number/);
  });
});
