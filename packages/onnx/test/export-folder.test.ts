import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTrainedModel, saveCheckpoint, generateTexts as seqloomTexts } from '@seqloom/seq2seq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, OnnxExportError } from '../src/export/index.js';
import { ProtoWriter } from '../src/export/protobuf-writer.js';
import { generateTexts, isOnnxExportFolder, loadOnnxSeq2Seq, OnnxModelError } from '../src/index.js';
import { charTokenizer, SOURCE_TEXT, TARGET_TEXT, tempFolder, tinyModel, useTestBackend } from './support/export-models.js';

// The export folder: what it holds, its config.json, that it decodes to the
// checkpoint's own texts with its generation defaults, and that nothing the
// user has is replaced without being asked.

let root: string;
let cleanup: () => Promise<void>;
let checkpoint: string;
const GENERATION = { strategy: 'beam', beamWidth: 3, numReturn: 2, maxNewTokens: 12 };
beforeAll(async () => {
  await useTestBackend();
  ({ dir: root, cleanup } = await tempFolder('folder'));
  const [source, target] = [await charTokenizer(SOURCE_TEXT), await charTokenizer(TARGET_TEXT)];
  const model = tinyModel({ cell: 'lstm', layers: 2, bidirectional: true, attention: 'bahdanau' }, source, target, 5);
  checkpoint = join(root, 'checkpoint');
  await saveCheckpoint(checkpoint, { model, tokenizers: { source, target }, generation: GENERATION });
  model.dispose();
});
afterAll(() => cleanup());

describe("exportOnnx writes a folder that onnxruntime runs with seqloom's conventions", () => {
  it('holds both graphs, both tokenizers, the generation options and a config.json naming the I/O', async () => {
    const out = join(root, 'export');
    const result = await exportOnnx(checkpoint, out);
    const names = [
      'config.json',
      'decoder_step.onnx',
      'encoder.onnx',
      'generation.json',
      'source-tokenizer.json',
      'source-tokenizer_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ];
    expect(result.files).toEqual(names.map((n) => join(out, n)));
    expect((await readdir(out)).sort()).toEqual(names);
    expect((await readdir(root)).sort()).toEqual(['checkpoint', 'export']); // no temporary folder left
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      format: 'seqloom-onnx',
      formatVersion: 1,
      task: 'seq2seq',
      cell: 'lstm',
      layers: 2,
      hiddenSize: 8,
      attention: 'bahdanau',
      inputFeeding: true,
      encoder: { file: 'encoder.onnx', inputs: ['input_ids', 'attention_mask'] },
      decoder: { file: 'decoder_step.onnx', outputs: ['logits', 'next.h.0', 'next.c.0', 'next.h.1', 'next.c.1', 'next.feed', 'attention'] },
      memory: ['memory', 'memory_keys'],
      files: { tokenizer: 'tokenizer.json', sourceTokenizer: 'source-tokenizer.json', generation: 'generation.json' },
    });
    expect(config.decoder.inputs).toEqual([
      'input_ids',
      'state.h.0',
      'state.c.0',
      'state.h.1',
      'state.c.1',
      'state.feed',
      'memory',
      'memory_keys',
      'memory_mask',
    ]);
    expect(config.state.map((s: { output: string }) => s.output)).toEqual(['next.h.0', 'next.c.0', 'next.h.1', 'next.c.1', 'next.feed']);
    expect(JSON.parse(await readFile(join(out, 'generation.json'), 'utf8'))).toEqual(GENERATION);
    const has = async (name: string) => existsSync(join(out, name));
    expect(await isOnnxExportFolder(has)).toBe(true);
    expect(await isOnnxExportFolder(async (name) => existsSync(join(checkpoint, name)))).toBe(false);
  });

  it("decodes to the checkpoint's own texts with its saved generation options", async () => {
    const texts = ['the lazy dog', 'a fox', 'jumps over'];
    const trained = await loadTrainedModel(checkpoint);
    const expected = await seqloomTexts(trained, texts);
    trained.dispose();
    const loaded = await loadOnnxSeq2Seq(join(root, 'export'), { sessionOptions: { intraOpNumThreads: 1 } });
    expect(loaded.modelType).toBe('seqloom');
    expect(loaded.generation).toEqual(GENERATION);
    const got = await generateTexts(loaded, texts);
    await loaded.dispose();
    expect(got.map((g) => g.hypotheses.map((h) => h.text))).toEqual(expected.map((e) => e.nBest.map((h) => h.text)));
    got.forEach((g, i) => g.hypotheses.forEach((h, j) => expect(h.score).toBeCloseTo(expected[i]!.nBest[j]!.score, 4)));
  });

  it('refuses a non-empty folder unless asked, and replaces only an earlier export', async () => {
    const out = join(root, 'export');
    await expect(exportOnnx(checkpoint, out)).rejects.toThrow(
      new OnnxExportError(`${out} already exists and is not empty; choose another output folder or pass overwrite (--overwrite) to replace an earlier export`),
    );
    await exportOnnx(checkpoint, out, { overwrite: true });
    const mine = join(root, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'notes.txt'), 'keep me');
    await expect(exportOnnx(checkpoint, mine, { overwrite: true })).rejects.toThrow(
      /holds files that are not a seqloom ONNX export .* so it is not replaced; choose a new or empty folder$/,
    );
    expect(await readFile(join(mine, 'notes.txt'), 'utf8')).toBe('keep me');
    await expect(exportOnnx(checkpoint, join(mine, 'notes.txt'))).rejects.toThrow(/notes\.txt is a file; the ONNX export is a folder/);
    await expect(exportOnnx(checkpoint, checkpoint, { overwrite: true })).rejects.toThrow(/is not replaced/);
    expect(existsSync(join(checkpoint, 'weights.bin'))).toBe(true);
  });

  it('names the file and field of a damaged config.json', async () => {
    const out = join(root, 'damaged');
    await exportOnnx(checkpoint, out);
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
    await writeFile(join(out, 'config.json'), JSON.stringify({ ...config, memory: ['memory', 'nope'] }));
    await expect(loadOnnxSeq2Seq(out)).rejects.toThrow(
      new OnnxModelError(
        `${out}/config.json: memory nope does not run from the encoder to the decoder; export the model again with seqloom export --format onnx`,
      ),
    );
    await writeFile(join(out, 'config.json'), JSON.stringify({ ...config, cell: 'transformer' }));
    await expect(loadOnnxSeq2Seq(out)).rejects.toThrow(`${out}/config.json: field "cell" is "transformer"; expected one of lstm, gru, rnn`);
  });
});

describe('the protobuf writer', () => {
  it('writes varints, negative ints as ten bytes, floats little-endian and nested messages', () => {
    expect([...new ProtoWriter().int(1, 300).finish()]).toEqual([8, 0xac, 0x02]);
    expect([...new ProtoWriter().int(3, -1).finish()]).toEqual([24, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
    expect([...new ProtoWriter().float(2, 1).finish()]).toEqual([21, 0, 0, 0x80, 0x3f]);
    expect([...new ProtoWriter().message(7, (m) => m.string(1, 'ab')).finish()]).toEqual([58, 4, 10, 2, 97, 98]);
  });
});
