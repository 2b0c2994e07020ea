// Tiny seqloom models for the safetensors and PyTorch-twin tests: the export
// matrix's models with EVERY weight random (biases, the GRU's recurrent bias
// and the output bias too, so that a mapping that drops or misplaces one shows),
// saved as checkpoints with a character tokenizer, and seqloom's own
// teacher-forced logits through its StepModel.
import { join } from 'node:path';
import { createRng } from '@seqloom/decode';
import { type ModelConfig, Seq2SeqModel, saveCheckpoint } from '@seqloom/seq2seq';
import type { Tokenizer } from '@seqloom/tokenizer';
import { charTokenizer, type ExportCase, LM_CASES, SEQ2SEQ_CASES, SOURCE_TEXT, tinyModel } from './export-models.js';

/** The export matrix plus a frozen pretrained source embedding, and dropout (training only). */
export const TWIN_CASES: readonly ExportCase[] = [
  ...SEQ2SEQ_CASES,
  { name: 'lstm, general, frozen source embedding, dropout', config: { cell: 'lstm', attention: 'general', dropout: 0.1, embeddingDropout: 0.1 } },
  ...LM_CASES,
];

export const isFrozenCase = (c: ExportCase) => c.name.includes('frozen');

/** Probe rows: ragged sources (padding, masks, reverse starts), equal-length decoder inputs (bos first). */
export function probeRows(tokenizer: Tokenizer, lm: boolean): { sources: number[][]; targets: number[][] } {
  const ids = (text: string) => tokenizer.encode(text);
  const sources = lm ? [[], [], []] : [ids('the fox'), ids('a dog'), ids('quick brown')];
  const targets = ['fox eht', 'god a', 'kciuq '].map((t) => [tokenizer.bosId, ...ids(t).slice(0, 5)]);
  return { sources, targets };
}

/** A model of the case with every weight uniform in ±0.5 (frozen case: a frozen pretrained source embedding). */
export function randomModel(c: ExportCase, tokenizer: Tokenizer, seed = 11): Seq2SeqModel {
  const base = tinyModel(c.config, tokenizer, tokenizer, seed);
  const values = new Map<string, Float32Array>();
  const rng = createRng(seed);
  for (const [name, variable] of base.namedWeights())
    values.set(
      name,
      Float32Array.from({ length: variable.size }, () => rng.next() - 0.5),
    );
  const config: Partial<ModelConfig> = base.config;
  base.dispose();
  const frozen = isFrozenCase(c) ? { sourceEmbedding: { matrix: values.get('encoder/embedding')!, trainable: false } } : {};
  return Seq2SeqModel.create(config, { initialValues: values, ...frozen });
}

/** Saves a random model of the case as a checkpoint with the character tokenizer, under `root/name`. */
export async function savedCase(root: string, name: string, c: ExportCase, tokenizer: Tokenizer): Promise<{ dir: string; model: Seq2SeqModel }> {
  const model = randomModel(c, tokenizer);
  const dir = join(root, name);
  await saveCheckpoint(dir, { model, tokenizers: { target: tokenizer }, generation: { strategy: 'greedy', maxNewTokens: 12 } });
  return { dir, model };
}

/** The tokenizer of every case. */
export function twinTokenizer(): Promise<Tokenizer> {
  return charTokenizer(`${SOURCE_TEXT} ${[...SOURCE_TEXT].reverse().join('')}`);
}

/** seqloom's teacher-forced logits [row][step][vocab] through its StepModel (start, then one step per decoder input). */
export async function seqloomLogits(model: Seq2SeqModel, sources: number[][], targets: number[][]): Promise<number[][][]> {
  const steps = model.asStepModel();
  let state = await steps.start(model.config.task === 'lm' ? targets.map(() => []) : sources);
  const vocab = model.config.targetVocabSize;
  const out = targets.map(() => [] as number[][]);
  for (let t = 0; t < targets[0].length; t++) {
    const { logits, state: next } = await steps.step(
      state,
      Int32Array.from(targets, (row) => row[t]),
    );
    state = next;
    out.forEach((rows, r) => rows.push(Array.from(logits.subarray(r * vocab, (r + 1) * vocab))));
  }
  steps.dispose(state);
  return out;
}

/** Largest |a − b| over two logit arrays of the same shape. */
export function maxDifference(a: number[][][], b: number[][][]): number {
  let worst = 0;
  a.forEach((rows, r) => rows.forEach((row, t) => row.forEach((x, v) => (worst = Math.max(worst, Math.abs(x - b[r][t][v]))))));
  return worst;
}
