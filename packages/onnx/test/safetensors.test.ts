import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTexts, loadCheckpoint, loadTrainedModel, Seq2SeqModel, validateModelConfig } from '@seqloom/seq2seq';
import type { Tokenizer } from '@seqloom/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  encodeSafetensors,
  exportSafetensors,
  fromTorchTensors,
  importSafetensors,
  type NamedTensor,
  SafetensorsError,
  torchShapes,
  toTorchTensors,
} from '../src/export/index.js';
import { tempFolder, useTestBackend } from './support/export-models.js';
import { savedCase, TWIN_CASES, twinTokenizer } from './support/twin-models.js';

const FILE = 'model.safetensors';
const tensor = (shape: number[], values?: number[]): NamedTensor => ({
  shape,
  data: Float32Array.from(values ?? Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i / 7 - 1)),
});

/** A file from a header object and a data region (the header as given: no checks, no padding). */
function craft(header: unknown, data = new Uint8Array(0), rawHeader?: string): Uint8Array {
  const json = new TextEncoder().encode(rawHeader ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const fails = (bytes: Uint8Array, expected?: Map<string, number[]>) => () => decodeSafetensors(bytes, FILE, expected ? { expected } : {});

describe('safetensors format', () => {
  it('round-trips tensors and metadata, header padded to 8 bytes, data contiguous', () => {
    const tensors = new Map([
      ['a.weight', tensor([2, 3])],
      ['b', tensor([4])],
      ['empty', tensor([0, 5])],
      ['scalar', tensor([], [3.5])],
    ]);
    const bytes = encodeSafetensors(tensors, { format: 'pt' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { data_offsets: number[] }>;
    expect(header['b'].data_offsets).toEqual([24, 40]);
    const { tensors: back, metadata } = decodeSafetensors(bytes, FILE);
    expect(metadata).toEqual({ format: 'pt' });
    expect([...back.keys()]).toEqual([...tensors.keys()]);
    for (const [name, t] of tensors) expect(back.get(name)).toEqual({ shape: t.shape, data: t.data });
  });

  it('reads F16 and BF16 as F32', () => {
    const data = new Uint8Array([0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00, /* bf16 */ 0x80, 0x3f, 0x40, 0xc0]);
    const bytes = craft({ h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] }, b: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] } }, data);
    const { tensors } = decodeSafetensors(bytes, FILE);
    expect(Array.from(tensors.get('h')!.data)).toEqual([1, -2, 2 ** -24]);
    expect(Array.from(tensors.get('b')!.data)).toEqual([1, -3]);
  });

  it('names the file and the tensor for every malformed input', () => {
    const four = new Uint8Array(8);
    const entry = (begin: number, end: number, shape = [1]) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(5), /^model\.safetensors: is 5 bytes long; a safetensors file starts with an 8-byte header length/],
      [huge, /declares a 1099511627776-byte header, but 8 bytes is the most it can hold; the file is truncated/],
      [craft(null, undefined, '{"a": '), /its header is not valid UTF-8 JSON/],
      [craft(null, undefined, '\xff'), /not valid UTF-8 JSON/],
      [craft([1, 2]), /its header must be a JSON object/],
      [
        craft(null, four, '{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}'),
        /names tensor "w" twice in its header/,
      ],
      [craft({ w: { dtype: 'F32', data_offsets: [0, 4] } }, four), /tensor "w": expected \{"dtype": "F32", "shape": \[non-negative integers\]/],
      [craft({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, four), /tensor "w": expected/],
      [craft({ w: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, four), /tensor "w" has dtype I64; seqloom reads F32 \(and F16, BF16\)/],
      [craft({ w: entry(0, 8, [1]) }, four), /tensor "w" spans bytes \[0, 8\), but F32 \[1\] takes 4; the header is corrupt/],
      [craft({ a: entry(0, 4), b: entry(8, 12) }, new Uint8Array(12)), /tensor "b" starts at byte 8 of the data, expected 4: tensors must be contiguous/],
      [craft({ a: entry(0, 4), b: entry(0, 4) }, four), /tensor "[ab]" starts at byte 0 of the data, expected 4/],
      [craft({ a: entry(0, 4) }, new Uint8Array(6)), /its tensors cover 4 bytes of data but the file holds 6; the file is truncated or has trailing bytes/],
      [craft({ a: entry(0, 4) }, new Uint8Array(2)), /its tensors cover 4 bytes of data but the file holds 2/],
      [craft({ __metadata__: { format: 1 } }), /"__metadata__" must map strings to strings/],
    ];
    for (const [bytes, message] of cases) {
      expect(fails(bytes)).toThrow(SafetensorsError);
      expect(fails(bytes)).toThrow(message);
    }
  });

  it('checks names and shapes against the expected set', () => {
    const bytes = encodeSafetensors(
      new Map([
        ['a', tensor([2, 2])],
        ['b', tensor([3])],
      ]),
    );
    const expected = (entries: [string, number[]][]) => new Map(entries);
    expect(
      fails(
        bytes,
        expected([
          ['a', [2, 2]],
          ['b', [3]],
          ['c', [1]],
        ]),
      ),
    ).toThrow('model.safetensors: lacks tensor "c" [1] that the model of config.json needs');
    expect(
      fails(
        bytes,
        expected([
          ['a', [4]],
          ['b', [3]],
        ]),
      ),
    ).toThrow('model.safetensors: tensor "a" is [2, 2], config.json implies [4]');
    expect(fails(bytes, expected([['a', [2, 2]]]))).toThrow('model.safetensors: holds tensors the model of config.json does not have: "b"');
    expect(
      decodeSafetensors(bytes, FILE, {
        expected: expected([
          ['b', [3]],
          ['a', [2, 2]],
        ]),
      }).tensors.size,
    ).toBe(2);
  });
});

describe('PyTorch names', () => {
  const config = validateModelConfig({
    cell: 'lstm',
    layers: 2,
    bidirectional: true,
    attention: 'bahdanau',
    sourceVocabSize: 10,
    targetVocabSize: 12,
    hiddenSize: 4,
    embeddingSize: 3,
    tieEmbeddings: true,
  });

  it('names and shapes every tensor as PyTorch does ([out, in] weights, _reverse, bias_ih and bias_hh)', () => {
    const shapes = torchShapes(config);
    expect(Object.fromEntries(shapes)).toMatchObject({
      'encoder.embedding.weight': [10, 3],
      'encoder.lstm.weight_ih_l0': [16, 3],
      'encoder.lstm.weight_hh_l0_reverse': [16, 4],
      'encoder.lstm.weight_ih_l1': [16, 4],
      'encoder.lstm.bias_hh_l1_reverse': [16],
      'decoder.embedding.weight': [12, 3],
      'decoder.lstm.weight_ih_l0': [16, 7],
      'decoder.attn.linear_context.weight': [4, 4],
      'decoder.attn.linear_query.weight': [4, 4],
      'decoder.attn.v.weight': [1, 4],
      'decoder.attn.linear_out.weight': [4, 8],
      'generator.projection.weight': [3, 4],
      'generator.bias': [12],
    });
    expect(shapes.has('generator.weight')).toBe(false);
    expect(shapes.size).toBe(2 + 2 * 2 * 4 + 2 * 4 + 4 + 2);
  });

  it('transposes kernels, exports a zero bias_hh and sums bias_ih + bias_hh on the way back', () => {
    const weights = new Map([...torchShapes(config)].map(([name, shape]) => [name, tensor(shape)]));
    const seqloom = fromTorchTensors(config, weights);
    const kernel = seqloom.get('encoder/fwd/l0/kernel')!; // [3, 16] from weight_ih [16, 3]
    expect(kernel[1 * 16 + 5]).toBe(weights.get('encoder.lstm.weight_ih_l0')!.data[5 * 3 + 1]);
    const bias = seqloom.get('decoder/l1/bias')!;
    expect(bias[2]).toBeCloseTo(weights.get('decoder.lstm.bias_ih_l1')!.data[2] + weights.get('decoder.lstm.bias_hh_l1')!.data[2], 6);
    const again = toTorchTensors(config, seqloom);
    expect(again.get('encoder.lstm.weight_ih_l0')).toEqual(weights.get('encoder.lstm.weight_ih_l0'));
    expect(Array.from(again.get('decoder.lstm.bias_hh_l1')!.data).every((x) => x === 0)).toBe(true);
  });

  it("keeps the GRU's recurrent bias as bias_hh, and names shared embeddings once", () => {
    const gru = validateModelConfig({ cell: 'gru', sourceVocabSize: 9, targetVocabSize: 9, hiddenSize: 4, embeddingSize: 4, shareEmbeddings: true });
    const weights = new Map([...torchShapes(gru)].map(([name, shape]) => [name, tensor(shape)]));
    expect(weights.has('encoder.embedding.weight')).toBe(false);
    const seqloom = fromTorchTensors(gru, weights);
    expect(seqloom.get('decoder/l0/recurrent_bias')).toEqual(weights.get('decoder.gru.bias_hh_l0')!.data);
    expect(seqloom.get('embedding')).toEqual(weights.get('decoder.embedding.weight')!.data);
  });
});

let dir: string;
let cleanup: () => Promise<void>;
let tokenizer: Tokenizer;
beforeAll(async () => {
  await useTestBackend();
  ({ dir, cleanup } = await tempFolder('safetensors'));
  tokenizer = await twinTokenizer();
});
afterAll(() => cleanup());

const INPUTS = ['the fox', 'a lazy dog', 'quick'];

describe('exportSafetensors → importSafetensors', () => {
  it('gives identical weights and identical generate() outputs, for every configuration', async () => {
    for (const [i, c] of TWIN_CASES.entries()) {
      const { dir: checkpoint, model } = await savedCase(dir, `case-${i}`, c, tokenizer);
      model.dispose();
      const exported = join(dir, `export-${i}`);
      const { files } = await exportSafetensors(checkpoint, exported);
      expect(files.map((f) => f.slice(exported.length + 1))).toEqual([
        'config.json',
        'generation.json',
        'model.safetensors',
        'tokenizer.json',
        'tokenizer_config.json',
      ]);
      const imported = join(dir, `imported-${i}`);
      await importSafetensors(exported, imported);
      const [before, after] = [await loadTrainedModel(checkpoint), await loadTrainedModel(imported)];
      for (const [name, variable] of before.model.namedWeights())
        expect(after.model.namedWeights().get(name)!.dataSync(), `${c.name}: ${name}`).toEqual(variable.dataSync());
      expect(after.config.frozen).toEqual(before.config.frozen);
      const inputs = c.config.task === 'lm' ? ['the', ''] : INPUTS;
      for (const options of [{}, { strategy: 'beam' as const, beamWidth: 3, numReturn: 2 }]) {
        const expected = await generateTexts(before, inputs, options);
        expect(
          expected.some((g) => g.ids.length > 0),
          c.name,
        ).toBe(true);
        expect(await generateTexts(after, inputs, options), c.name).toEqual(expected);
      }
      before.dispose();
      after.dispose();
    }
  });

  it('writes config.json with PyTorch names for frozen weights, and refuses to replace a folder that is not an export', async () => {
    const frozen = TWIN_CASES.findIndex((c) => c.name.includes('frozen'));
    const config = JSON.parse(await readFile(join(dir, `export-${frozen}`, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      format: 'seqloom-safetensors',
      formatVersion: 1,
      names: 'pytorch',
      frozen: ['encoder.embedding.weight'],
      files: { weights: 'model.safetensors', tokenizer: 'tokenizer.json' },
    });
    await exportSafetensors(join(dir, 'case-0'), join(dir, 'export-0')); // an earlier export is replaced
    const foreign = join(dir, 'foreign');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'mine');
    await expect(exportSafetensors(join(dir, 'case-0'), foreign)).rejects.toThrow(
      `${foreign}: is not empty and holds no seqloom safetensors export (config.json)`,
    );
    expect(await readFile(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
    await expect(importSafetensors(join(dir, 'export-0'), foreign)).rejects.toThrow('holds no seqloom checkpoint');
  });
});

describe('importSafetensors on a damaged folder', () => {
  /** A copy of export-0 with one file replaced. */
  async function damaged(name: string, file: string, content: string | Uint8Array): Promise<string> {
    const folder = join(dir, `damaged-${name}`);
    await mkdir(folder, { recursive: true });
    for (const f of ['config.json', 'generation.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'])
      await writeFile(join(folder, f), await readFile(join(dir, 'export-0', f)));
    await writeFile(join(folder, file), content);
    return folder;
  }
  const config = async () => JSON.parse(await readFile(join(dir, 'export-0', 'config.json'), 'utf8')) as Record<string, unknown>;

  it('names the file and the fix', async () => {
    const base = await config();
    const model = base.model as Record<string, unknown>;
    const cases: [string, string, string | Uint8Array, string][] = [
      [
        'format',
        'config.json',
        JSON.stringify({ ...base, format: 'seqloom-checkpoint' }),
        'config.json: is not the config of a seqloom safetensors folder (expected "format": "seqloom-safetensors")',
      ],
      ['version', 'config.json', JSON.stringify({ ...base, formatVersion: 9 }), 'config.json: "formatVersion" is 9; this seqloom reads version 1'],
      [
        'model',
        'config.json',
        JSON.stringify({ ...base, model: { ...model, cell: 'transformer' } }),
        'config.json: "model": Invalid model option "cell": got "transformer"',
      ],
      [
        'other-model',
        'config.json',
        JSON.stringify({ ...base, model: { ...model, hiddenSize: 16 } }),
        'model.safetensors: tensor "encoder.lstm.weight_ih_l0" is [32, 6], config.json implies [64, 6]; the file and config.json come from different models',
      ],
      [
        'escape',
        'config.json',
        JSON.stringify({ ...base, files: { ...(base.files as object), tokenizer: '../x.json' } }),
        'config.json: files.tokenizer is "../x.json", which has a ".." segment',
      ],
      [
        'frozen',
        'config.json',
        JSON.stringify({ ...base, frozen: ['decoder.lstm.weight_ih_l0'] }),
        'config.json: "frozen" names "decoder.lstm.weight_ih_l0"; a seqloom model can keep only its embeddings frozen',
      ],
      ['json', 'tokenizer.json', '{', 'tokenizer.json: is not valid JSON'],
      ['generation', 'generation.json', JSON.stringify({ strategy: 'beam', beamWidth: 0 }), 'generation.json: holds invalid decoding options'],
      ['weights', 'model.safetensors', new Uint8Array(3), 'model.safetensors: is 3 bytes long'],
    ];
    for (const [name, file, content, message] of cases) {
      const folder = await damaged(name, file, content);
      const error = await importSafetensors(folder, join(dir, `out-${name}`)).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(SafetensorsError);
      expect((error as Error).message, name).toContain(message);
    }
    await expect(importSafetensors(join(dir, 'nowhere'), join(dir, 'out'))).rejects.toThrow(`${join(dir, 'nowhere', 'config.json')}: cannot be read (ENOENT)`);
  });

  it('loads the imported checkpoint with loadCheckpoint', async () => {
    const loaded = await loadCheckpoint(join(dir, 'imported-0'), { createModel: (c) => Seq2SeqModel.create(c) });
    expect(loaded.config.format).toBe('seqloom-checkpoint');
    loaded.model.dispose();
  });
});
