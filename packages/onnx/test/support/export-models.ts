// Tiny seqloom models with random weights, exported to a temporary folder, for
// the export tests: every cell, bidirectional, every attention, input feeding
// on and off, tied/untied and shared embeddings, stacked, and language models.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBackend, type ModelConfig, Seq2SeqModel, setBackend } from '@seqloom/seq2seq';
import { type Tokenizer, tokenizerFromJson, trainCharTokenizer } from '@seqloom/tokenizer';

/** `native` when the addon is built (else `wasm`, said once); `SEQLOOM_TEST_BACKEND=wasm` forces wasm. */
export async function useTestBackend(): Promise<string> {
  await setBackend(process.env['SEQLOOM_TEST_BACKEND'] === 'wasm' ? 'wasm' : 'auto');
  return describeBackend();
}

export const SOURCE_TEXT = 'the quick brown fox jumps over a lazy dog';
export const TARGET_TEXT = 'THE QUICK BROWN FOX JUMPS OVER A LAZY DOG';

/** A character tokenizer over `text`. */
export async function charTokenizer(text: string): Promise<Tokenizer> {
  return tokenizerFromJson(await trainCharTokenizer([text]), {});
}

/** A named configuration of the export matrix. */
export interface ExportCase {
  name: string;
  config: Partial<ModelConfig>;
}

const small = { hiddenSize: 8, embeddingSize: 6 };

/** Every cell, bidirectional, every attention type, input feeding on/off, tied (with and without projection), shared embeddings, stacked. */
export const SEQ2SEQ_CASES: readonly ExportCase[] = [
  {
    name: 'lstm 2 layers, bidirectional, general, input feeding, untied',
    config: { cell: 'lstm', layers: 2, bidirectional: true, attention: 'general', inputFeeding: true },
  },
  {
    name: 'gru, bidirectional, bahdanau, no input feeding, tied (H ≠ E)',
    config: { cell: 'gru', bidirectional: true, attention: 'bahdanau', inputFeeding: false, tieEmbeddings: true },
  },
  {
    name: 'rnn 2 layers, dot, input feeding, tied (H = E), shared embeddings',
    config: { cell: 'rnn', layers: 2, attention: 'dot', inputFeeding: true, tieEmbeddings: true, shareEmbeddings: true, embeddingSize: 8 },
  },
  { name: 'lstm, no attention, untied', config: { cell: 'lstm', attention: 'none', inputFeeding: false } },
  { name: 'gru 2 layers, general, input feeding', config: { cell: 'gru', layers: 2, attention: 'general', inputFeeding: true } },
  { name: 'rnn, bidirectional, bahdanau, input feeding', config: { cell: 'rnn', bidirectional: true, attention: 'bahdanau', inputFeeding: true } },
  { name: 'lstm, dot, no input feeding, tied (H ≠ E)', config: { cell: 'lstm', attention: 'dot', inputFeeding: false, tieEmbeddings: true } },
];

export const LM_CASES: readonly ExportCase[] = [
  { name: 'lm lstm 2 layers', config: { task: 'lm', cell: 'lstm', layers: 2 } },
  { name: 'lm gru, tied', config: { task: 'lm', cell: 'gru', tieEmbeddings: true } },
  { name: 'lm rnn', config: { task: 'lm', cell: 'rnn' } },
];

/** A model of `config` with random weights over the tokenizers' vocabularies. */
export function tinyModel(config: Partial<ModelConfig>, source: Tokenizer, target: Tokenizer, seed = 7): Seq2SeqModel {
  const lm = config.task === 'lm';
  const shared = config.shareEmbeddings === true;
  const src = shared ? target : source;
  return Seq2SeqModel.create(
    {
      ...small,
      targetVocabSize: target.vocabSize,
      padId: target.padId,
      bosId: target.bosId,
      eosId: target.eosId,
      ...(lm ? {} : { sourceVocabSize: src.vocabSize, sourcePadId: src.padId }),
      ...config,
    },
    // embeddings of variance 1 spread the logits, so no two tokens nearly tie
    { seed, embeddingInit: 1.7 },
  );
}

/** A fresh temporary folder and its removal. */
export async function tempFolder(tag: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `seqloom-export-${tag}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
