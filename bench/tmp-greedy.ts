import { generate } from '@seqloom/decode';
import { setBackend, Seq2SeqModel } from '@seqloom/seq2seq';
import { makeBenchData } from './lib/bench-data.js';
import { parseBenchOptions } from './lib/bench-options.js';
await setBackend(process.env.BK ?? 'native');
const options = parseBenchOptions(['--config', process.argv[2] ?? 'A']);
const { shape } = options;
const data = makeBenchData(shape);
const cfg = { task: 'seq2seq', cell: 'lstm', layers: shape.layers, hiddenSize: shape.hidden, embeddingSize: shape.emb,
      attention: 'none', bidirectional: false, inputFeeding: false, dropout: 0, embeddingDropout: 0,
      sourceVocabSize: shape.vocab, targetVocabSize: shape.vocab, padId: 0, bosId: 1, eosId: 2, sourcePadId: 0 } as any;
const model = Seq2SeqModel.create(cfg, { seed: 1 });
const sm = model.asStepModel();
const sources = data.decodeSources.slice(0, 64);
for (const strategy of ['greedy', 'beam']) {
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await generate(sm, sources, { strategy, maxNewTokens: 20, minNewTokens: 20, beamWidth: 5 } as any);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(strategy, 'min', times[0]!.toFixed(2), 'ms median', times[15]!.toFixed(2), 'ms');
}
