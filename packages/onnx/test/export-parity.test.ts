import { join } from 'node:path';
import { type GenerateOptions, generate, type StepModel } from '@seqloom/decode';
import type { Tokenizer } from '@seqloom/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/export/index.js';
import { loadOnnxSeq2Seq } from '../src/index.js';
import {
  charTokenizer,
  type ExportCase,
  LM_CASES,
  SEQ2SEQ_CASES,
  SOURCE_TEXT,
  TARGET_TEXT,
  tempFolder,
  tinyModel,
  useTestBackend,
} from './support/export-models.js';

// For every configuration of the export matrix: the exported graphs on
// onnxruntime-node give seqloom's logits and attention (within 1e-4) over
// several steps with a beam-like reorder, and greedy, beam n-best and seeded
// sampling give seqloom's own outputs, through loadOnnxSeq2Seq.

const TOLERANCE = 1e-4;
const SESSION = { intraOpNumThreads: 1, interOpNumThreads: 1 };
let source: Tokenizer;
let target: Tokenizer;
let root: string;
let cleanup: () => Promise<void>;
let largest = 0;
beforeAll(async () => {
  console.log(`seqloom side: ${await useTestBackend()}`);
  source = await charTokenizer(SOURCE_TEXT);
  target = await charTokenizer(TARGET_TEXT);
  ({ dir: root, cleanup } = await tempFolder('parity'));
});
afterAll(async () => {
  console.log(`largest |logit or attention difference| over all configurations: ${largest.toExponential(2)}`);
  await cleanup();
});

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** Steps both models with the same tokens (reordering rows after step 2) and returns the largest difference seen. */
async function stepBoth(ours: StepModel<unknown>, theirs: StepModel<unknown>, sources: number[][]): Promise<number> {
  let [a, b] = [await ours.start(sources), await theirs.start(sources)];
  let previous = Int32Array.from(sources, () => ours.bosId);
  let worst = 0;
  for (let t = 0; t < 5; t++) {
    const [x, y] = [await ours.step(a, previous), await theirs.step(b, previous)];
    worst = Math.max(worst, maxDifference(x.logits, y.logits));
    if (x.attention) worst = Math.max(worst, maxDifference(x.attention, y.attention!));
    else expect(y.attention).toBeUndefined();
    [a, b] = [x.state, y.state];
    const rows = previous.length;
    previous = Int32Array.from({ length: rows }, (_, r) => 3 + ((t * 7 + r * 5) % (ours.vocabSize - 3)));
    if (t === 1) {
      const pick = Int32Array.from({ length: rows + 1 }, (_, i) => (i * 2) % rows); // a row repeats, as beams do
      [a, b] = [ours.reorder(a, pick), theirs.reorder(b, pick)];
      previous = Int32Array.from(pick, (r) => previous[r]!);
    }
  }
  ours.dispose(a);
  theirs.dispose(b);
  return worst;
}

async function sameOutputs(ours: StepModel<unknown>, theirs: StepModel<unknown>, sources: number[][], options: GenerateOptions): Promise<void> {
  const [x, y] = [await generate(ours, sources, options), await generate(theirs, sources, options)];
  expect(y.map((r) => r.hypotheses.map((h) => h.ids))).toEqual(x.map((r) => r.hypotheses.map((h) => h.ids)));
  x.forEach((r, i) => r.hypotheses.forEach((h, j) => expect(y[i]!.hypotheses[j]!.score).toBeCloseTo(h.score, 4)));
}

const DECODINGS: readonly [string, GenerateOptions][] = [
  ['greedy', { strategy: 'greedy', maxNewTokens: 10 }],
  ['beam 5, n-best 3', { strategy: 'beam', beamWidth: 5, numReturn: 3, maxNewTokens: 10 }],
  ['seeded sampling', { strategy: 'sample', numReturn: 3, seed: 11, temperature: 1.5, maxNewTokens: 10 }],
];

function runCase(c: ExportCase, index: number): void {
  it(c.name, async () => {
    const lm = c.config.task === 'lm';
    const src = c.config.shareEmbeddings ? target : source;
    const model = tinyModel(c.config, src, target, 20 + index);
    const dir = join(root, `case-${index}`);
    try {
      await exportOnnx({ model, sourceTokenizer: lm ? target : src, targetTokenizer: target, generation: {} }, dir);
      const loaded = await loadOnnxSeq2Seq(dir, { sessionOptions: SESSION });
      const ours = model.asStepModel() as StepModel<unknown>;
      const theirs = loaded.model as StepModel<unknown>;
      // sources of different lengths (padding); for a language model also an empty and a one-token prompt
      const texts = lm ? ['THE LAZY DOG', '', 'Q', 'FOX JUMPS'] : ['the lazy dog', 'a fox', 'quick brown fox jumps'];
      const sources = texts.map((t) => loaded.encode(t));
      expect(sources).toEqual(texts.map((t) => (lm ? target : src).encode(t)));
      const worst = await stepBoth(ours, theirs, sources);
      largest = Math.max(largest, worst);
      expect(worst).toBeLessThan(TOLERANCE);
      for (const [, options] of DECODINGS) await sameOutputs(ours, theirs, sources, options);
      await loaded.dispose();
    } finally {
      model.dispose();
    }
  });
}

describe("seqloom ONNX exports: onnxruntime-node gives seqloom's logits and outputs (seq2seq)", () => {
  SEQ2SEQ_CASES.forEach((c, i) => runCase(c, i));
});

describe('seqloom ONNX exports: language models (prime graph + decoder step)', () => {
  LM_CASES.forEach((c, i) => runCase(c, 100 + i));
});
