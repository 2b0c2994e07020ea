import { beforeAll, describe, expect, it } from 'vitest';
import { ModelConfigError, Seq2SeqModel, setBackend } from '../src/index.js';

beforeAll(async () => {
  await setBackend('wasm');
});

const H = 6;
/** The four gate slices [i, f, g, o] of a fused LSTM bias. */
const gates = (bias: Float32Array) => [0, 1, 2, 3].map((k) => Array.from(bias.subarray(k * H, (k + 1) * H)));

describe('forgetBias', () => {
  it('sets where every LSTM layer’s forget-gate bias starts (default 1), and nothing else', () => {
    const config = { sourceVocabSize: 20, targetVocabSize: 20, hiddenSize: H, embeddingSize: 4, layers: 2, bidirectional: true };
    const plain = Seq2SeqModel.create(config, { seed: 3 });
    const zero = Seq2SeqModel.create(config, { seed: 3, forgetBias: 0 });
    const half = Seq2SeqModel.create(config, { seed: 3, forgetBias: -0.5 });
    const biasNames = [...plain.namedWeights().keys()].filter((n) => /\/l\d\/bias$/.test(n));
    expect(biasNames.length).toBe(6); // encoder forward, backward and decoder, two layers each
    for (const name of biasNames) {
      const [i, f, g, o] = gates(plain.namedWeights().get(name)!.dataSync() as Float32Array);
      expect(f).toEqual(Array(H).fill(1));
      for (const other of [i, g, o]) expect(other).toEqual(Array(H).fill(0));
      expect(gates(zero.namedWeights().get(name)!.dataSync() as Float32Array).flat()).toEqual(Array(4 * H).fill(0));
      expect(gates(half.namedWeights().get(name)!.dataSync() as Float32Array)[1]).toEqual(Array(H).fill(-0.5));
    }
    for (const [name, w] of plain.namedWeights()) {
      if (biasNames.includes(name)) continue;
      expect(Array.from(zero.namedWeights().get(name)!.dataSync()), name).toEqual(Array.from(w.dataSync()));
    }
    for (const m of [plain, zero, half]) m.dispose();
    expect(() => Seq2SeqModel.create(config, { forgetBias: Number.NaN })).toThrow(ModelConfigError);
    expect(() => Seq2SeqModel.create(config, { forgetBias: Number.POSITIVE_INFINITY })).toThrow(/"forgetBias": expected a finite number/);
  });

  it('leaves GRU biases at zero', () => {
    const gru = Seq2SeqModel.create({ sourceVocabSize: 20, targetVocabSize: 20, hiddenSize: H, embeddingSize: 4, cell: 'gru' }, { forgetBias: 3 });
    for (const [name, w] of gru.namedWeights())
      if (/bias$/.test(name) && !name.startsWith('output'))
        expect(
          Array.from(w.dataSync()).every((x) => x === 0),
          name,
        ).toBe(true);
    gru.dispose();
  });
});
