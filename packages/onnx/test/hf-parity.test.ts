import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@seqloom/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfGenerationOptions, loadOnnxSeq2Seq, type OnnxSeq2Seq } from '../src/index.js';

// Parity with Hugging Face generate() in PyTorch on the same weights: the
// fixtures (fixtures/build_fixtures.py) hold tiny Marian, T5 and BART exports
// and what generate() returned for each case.

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const MODELS = readdirSync(FIXTURES)
  .filter((d) => d.startsWith('tiny-'))
  .sort();

interface Case {
  name: string;
  source_ids: number[];
  source_text?: string;
  generate_kwargs: Record<string, unknown>;
  sequences: number[][];
  sequences_scores?: number[] | null;
  /** Greedy: log-softmax of the processed scores at each chosen token. */
  processed_token_logprobs?: number[] | null;
}
interface Expected {
  logits: { source_ids: number[]; decoder_input_ids: number[]; logits: number[][] }[];
  cases: Case[];
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe.each(MODELS)('%s', (name) => {
  const dir = join(FIXTURES, name);
  const expected = readJson(join(dir, 'expected.json')) as unknown as Expected;
  const generationConfig = readJson(join(dir, 'generation_config.json'));
  const layouts = ['merged', 'split'] as const;
  const loaded: Partial<Record<(typeof layouts)[number], OnnxSeq2Seq>> = {};

  beforeAll(async () => {
    for (const layout of layouts) loaded[layout] = await loadOnnxSeq2Seq(dir, { decoder: layout, sessionOptions: { intraOpNumThreads: 1 } });
  });
  afterAll(async () => {
    for (const l of Object.values(loaded)) await l?.dispose();
  });

  it.each(layouts)('teacher-forced logits equal PyTorch within 1e-4 (%s decoder)', async (layout) => {
    const { model } = loaded[layout]!;
    for (const check of expected.logits) {
      let state = await model.start([check.source_ids]);
      for (let t = 0; t < check.logits.length; t++) {
        const out = await model.step(state, Int32Array.of(check.decoder_input_ids[t]));
        state = out.state;
        const want = check.logits[t];
        expect(out.logits.length).toBe(want.length);
        let worst = 0;
        for (let v = 0; v < want.length; v++) worst = Math.max(worst, Math.abs(out.logits[v] - want[v]));
        expect(worst, `step ${t}`).toBeLessThan(1e-4);
      }
      model.dispose(state);
    }
  });

  it('encodes source texts as the Hugging Face tokenizer does', () => {
    const withText = expected.cases.filter((c) => typeof c.source_text === 'string');
    expect(withText.length).toBeGreaterThan(0);
    for (const c of withText) expect(loaded.merged!.encode(c.source_text!), c.source_text).toEqual(c.source_ids);
  });

  it.each(expected.cases.map((c, i) => [`${c.name} #${i}`, c] as const))('%s: same ids and scores as generate()', async (_label, c) => {
    const options = hfGenerationOptions({ ...generationConfig, ...c.generate_kwargs }, 'generate_kwargs');
    for (const layout of layouts) {
      const [result] = await generate(loaded[layout]!.model, [c.source_ids], options);
      const ids = result.hypotheses.map((h) => h.ids);
      expect(ids, layout).toEqual(c.sequences.map((s) => s.slice(1)));
      if (c.sequences_scores) {
        result.hypotheses.forEach((h, i) => expect(Math.abs(h.score - c.sequences_scores![i]), `${layout} hypothesis ${i}`).toBeLessThan(1e-4));
      }
      const perToken = c.processed_token_logprobs;
      if (perToken && typeof perToken[0] === 'number') {
        result.best.tokenLogProbs.forEach((lp, i) => expect(Math.abs(lp - perToken[i]), `${layout} token ${i}`).toBeLessThan(1e-4));
      }
    }
  });
});
