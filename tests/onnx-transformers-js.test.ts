import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoModelForSeq2SeqLM, AutoTokenizer, env, type PreTrainedModel, Tensor } from '@huggingface/transformers';
import { generate } from '@seqloom/decode';
import { hfGenerationOptions, loadOnnxSeq2Seq, type OnnxSeq2Seq } from '@seqloom/onnx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Parity of @seqloom/onnx with transformers.js (@huggingface/transformers, on the
// same onnxruntime-node) on the fixtures of packages/onnx: both tokenize the source
// texts as Hugging Face does, and greedy generate() on the same source ids gives
// the same ids on both, equal to what Hugging Face generate() in PyTorch returned
// (expected.json).

const FIXTURES = fileURLToPath(new URL('../packages/onnx/fixtures/', import.meta.url));
const MODELS = readdirSync(FIXTURES)
  .filter((d) => d.startsWith('tiny-'))
  .sort();

interface Case {
  name: string;
  source_ids: number[];
  source_text?: string;
  generate_kwargs: Record<string, unknown>;
  sequences: number[][];
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

// local files only: the fixtures folder is the model root, nothing is fetched or cached
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = FIXTURES;
env.useFSCache = false;

/** A [1, n] int64 tensor of `values`, as transformers.js takes input ids. */
const row = (values: readonly number[]): Tensor =>
  new Tensor(
    'int64',
    BigInt64Array.from(values, (v) => BigInt(v)),
    [1, values.length],
  );

/** transformers.js generate() on exactly `sourceIds` (no tokenizer involved): the sequence with the decoder start token. */
async function transformersJsIds(model: PreTrainedModel, sourceIds: readonly number[], kwargs: Record<string, unknown>): Promise<number[][]> {
  const out = (await model.generate({ inputs: row(sourceIds), attention_mask: row(sourceIds.map(() => 1)), ...kwargs })) as Tensor;
  return (out.tolist() as bigint[][]).map((r) => r.map(Number));
}

it('finds the ONNX fixtures', () => {
  expect(MODELS.length).toBeGreaterThan(0);
});

describe.each(MODELS)('%s', (name) => {
  const dir = join(FIXTURES, name);
  const allCases = readJson(join(dir, 'expected.json')).cases as Case[];
  const cases = allCases.filter((c) => c.name === 'greedy');
  const generationConfig = readJson(join(dir, 'generation_config.json'));
  let seqloom: OnnxSeq2Seq;
  let hfjs: PreTrainedModel;

  beforeAll(async () => {
    seqloom = await loadOnnxSeq2Seq(dir, { sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } });
    hfjs = await AutoModelForSeq2SeqLM.from_pretrained(name, {
      local_files_only: true,
      dtype: 'fp32',
      session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
    });
  });
  afterAll(async () => {
    await seqloom?.dispose();
    await hfjs?.dispose();
  });

  it('has greedy cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it('transformers.js and seqloom tokenize the source texts as the fixture says', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
    const withText = allCases.filter((c) => typeof c.source_text === 'string');
    expect(withText.length).toBeGreaterThan(0);
    for (const c of withText) {
      expect(tokenizer.encode(c.source_text!), c.source_text).toEqual(c.source_ids);
      expect(seqloom.encode(c.source_text!), c.source_text).toEqual(c.source_ids);
    }
  });

  it.each(cases.map((c, i) => [`#${i}`, c] as const))('greedy %s: transformers.js, seqloom and PyTorch give the same ids', async (_label, c) => {
    const maxNew = c.generate_kwargs.max_new_tokens;
    expect(typeof maxNew, 'the fixture case sets max_new_tokens').toBe('number');
    const js = await transformersJsIds(hfjs, c.source_ids, { do_sample: false, num_beams: 1, max_new_tokens: maxNew });
    const options = hfGenerationOptions({ ...generationConfig, ...c.generate_kwargs }, `${name}/expected.json`);
    const [result] = await generate(seqloom.model, [c.source_ids], options);
    const ours = [seqloom.model.bosId, ...result.best.ids];
    expect(js).toEqual([ours]);
    expect(ours).toEqual(c.sequences[0]);
  });

  // transformers.js 4.3.2 has no beam search: generate() takes the first (best) of the
  // num_beams candidates at every step and returns one sequence per input, whatever
  // num_return_sequences says. So num_beams: 5 gives the greedy output.
  it.each(cases.map((c, i) => [`#${i}`, c] as const))('transformers.js num_beams: 5 returns the greedy sequence (%s)', async (_label, c) => {
    const beam = await transformersJsIds(hfjs, c.source_ids, {
      do_sample: false,
      num_beams: 5,
      num_return_sequences: 3,
      max_new_tokens: c.generate_kwargs.max_new_tokens,
    });
    expect(beam).toEqual([c.sequences[0]]);
  });
});
