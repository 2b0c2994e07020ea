import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenizerFromJson, trainCharTokenizer } from '@seqloom/tokenizer';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, filesReader, generateTexts, loadTrainedModelFromFiles, loadTrainedModelFromUrl, urlReader } from '../src/browser.js';
import { loadTrainedModel, Seq2SeqModel, saveCheckpoint } from '../src/index.js';

// A served folder and picked files are read through the same checks as a
// folder on disk: the same model, and the same errors for the same damage.
let root: string;
let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-web-readers-'));
  const tokenizer = tokenizerFromJson(await trainCharTokenizer(['abcdefgh']));
  const model = Seq2SeqModel.create(
    {
      sourceVocabSize: tokenizer.vocabSize,
      targetVocabSize: tokenizer.vocabSize,
      hiddenSize: 8,
      embeddingSize: 4,
      attention: 'dot',
      padId: tokenizer.padId,
      bosId: tokenizer.bosId,
      eosId: tokenizer.eosId,
      sourcePadId: tokenizer.padId,
    },
    { seed: 3 },
  );
  dir = join(root, 'model');
  await saveCheckpoint(dir, { model, tokenizers: { target: tokenizer }, generation: { strategy: 'beam', beamWidth: 3, maxNewTokens: 6 } });
  model.dispose();
});
afterAll(() => rm(root, { recursive: true, force: true }));

const BASE = 'http://127.0.0.1:9/model/';

/** A fetch over a folder on disk (what a static server does), recording the URLs asked for. */
function diskFetch(folder: string, asked: string[] = []): typeof fetch {
  return (async (input: string) => {
    asked.push(String(input));
    const name = decodeURIComponent(new URL(String(input)).pathname.slice('/model/'.length));
    try {
      return new Response(new Uint8Array(await readFile(join(folder, name))), { status: 200 });
    } catch {
      return new Response('not found', { status: 404, statusText: 'Not Found' });
    }
  }) as typeof fetch;
}

async function pickedFiles(folder: string): Promise<File[]> {
  const names = await readdir(folder);
  return Promise.all(names.map(async (name) => new File([new Uint8Array(await readFile(join(folder, name)))], name)));
}

async function copyOf(name: string): Promise<string> {
  const copy = join(root, name);
  await rm(copy, { recursive: true, force: true });
  const { cp } = await import('node:fs/promises');
  await cp(dir, copy, { recursive: true });
  return copy;
}

describe('checkpoints from a URL or picked files', () => {
  it('load the same model as the folder on disk: same weights, tokenizer, defaults and n-best lists', async () => {
    const disk = await loadTrainedModel(dir);
    const served = await loadTrainedModelFromUrl(BASE, { fetch: diskFetch(dir) });
    const picked = await loadTrainedModelFromFiles(await pickedFiles(dir));
    try {
      expect(served.dir).toBe('http://127.0.0.1:9/model');
      for (const other of [served, picked]) {
        expect(other.config).toEqual(disk.config);
        expect(other.generation).toEqual(disk.generation);
        expect(other.targetTokenizer.toJSON()).toEqual(disk.targetTokenizer.toJSON());
        for (const [name, variable] of disk.model.namedWeights()) {
          expect(Array.from(other.model.namedWeights().get(name)!.dataSync()), name).toEqual(Array.from(variable.dataSync()));
        }
        expect(await generateTexts(other, ['abc', 'hgf'], { numReturn: 3 })).toEqual(await generateTexts(disk, ['abc', 'hgf'], { numReturn: 3 }));
      }
    } finally {
      for (const m of [disk, served, picked]) m.dispose();
    }
  });

  it('report a missing file, a server error and an unreachable server by URL', async () => {
    const copy = await copyOf('no-generation');
    await rm(join(copy, 'generation.json'));
    const missing = await loadTrainedModelFromUrl(BASE, { fetch: diskFetch(copy) }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CheckpointError);
    expect((missing as Error).message).toBe(`${BASE}generation.json: missing; the checkpoint is incomplete (save it again or pick another checkpoint)`);
    const failing = (async () => new Response('', { status: 500, statusText: 'Internal Server Error' })) as unknown as typeof fetch;
    expect(((await loadTrainedModelFromUrl(BASE, { fetch: failing }).catch((e: unknown) => e)) as Error).message).toBe(
      `${BASE}config.json: cannot be fetched (HTTP 500 Internal Server Error)`,
    );
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    expect(((await loadTrainedModelFromUrl(BASE, { fetch: down }).catch((e: unknown) => e)) as Error).message).toContain('cannot be fetched (fetch failed)');
    await expect(loadTrainedModelFromUrl('model/')).rejects.toThrow(/must be absolute/);
    await expect(loadTrainedModelFromUrl('file:///etc/')).rejects.toThrow(/not an http\(s\) URL/);
    const pickedError = await loadTrainedModelFromFiles(await pickedFiles(copy)).catch((e: unknown) => e);
    expect((pickedError as Error).message).toContain('picked files/generation.json: missing');
  });

  it('refuse a manifest naming a file outside the folder, with the message the disk loader gives, before fetching it', async () => {
    const copy = await copyOf('escaping');
    const manifest = JSON.parse(await readFile(join(copy, 'weights.json'), 'utf8'));
    manifest.weightsManifest[0].paths = ['../../secret.bin'];
    await writeFile(join(copy, 'weights.json'), JSON.stringify(manifest));
    const onDisk = ((await loadTrainedModel(copy).catch((e: unknown) => e)) as Error).message;
    const asked: string[] = [];
    const served = ((await loadTrainedModelFromUrl(BASE, { fetch: diskFetch(copy, asked) }).catch((e: unknown) => e)) as Error).message;
    expect(onDisk).toContain('weightsManifest[0].paths[0] is "../../secret.bin", which has a ".." segment');
    expect(served.replace(BASE, '')).toBe(onDisk.replace(`${copy}/`, ''));
    expect(asked.some((url) => url.includes('secret'))).toBe(false);
    const picked = ((await loadTrainedModelFromFiles(await pickedFiles(copy)).catch((e: unknown) => e)) as Error).message;
    expect(picked.replace('picked files/', '')).toBe(onDisk.replace(`${copy}/`, ''));
  });

  it('name a truncated weights file and a weight of the wrong shape as the disk loader does', async () => {
    const copy = await copyOf('truncated');
    const bin = await readFile(join(copy, 'weights.bin'));
    await writeFile(join(copy, 'weights.bin'), bin.subarray(0, bin.length - 8));
    const served = ((await loadTrainedModelFromUrl(BASE, { fetch: diskFetch(copy) }).catch((e: unknown) => e)) as Error).message;
    expect(served).toBe(`${BASE}weights.bin: holds ${bin.length - 8} bytes but ${BASE}weights.json describes ${bin.length}; the file is truncated or corrupt`);
    const picked = ((await loadTrainedModelFromFiles(await pickedFiles(copy)).catch((e: unknown) => e)) as Error).message;
    expect(picked).toContain(`holds ${bin.length - 8} bytes but picked files/weights.json describes ${bin.length}`);

    const shapes = await copyOf('shapes');
    const config = JSON.parse(await readFile(join(shapes, 'config.json'), 'utf8'));
    config.model.hiddenSize = 6;
    await writeFile(join(shapes, 'config.json'), JSON.stringify(config));
    const onDisk = ((await loadTrainedModel(shapes).catch((e: unknown) => e)) as Error).message;
    const overHttp = ((await loadTrainedModelFromUrl(BASE, { fetch: diskFetch(shapes) }).catch((e: unknown) => e)) as Error).message;
    expect(onDisk).toContain('does not match');
    expect(overHttp.split(BASE).join('')).toBe(onDisk.split(`${shapes}/`).join(''));
  });

  it('escape names so that a URL cannot leave the folder, and take files from a picked folder by their path in it', async () => {
    const reader = urlReader(BASE, { fetch: diskFetch(dir) });
    await expect(reader.readText('a?b#c:d.json', { field: 'f', in: 'x' })).rejects.toThrow(`${BASE}a%3Fb%23c%3Ad.json: missing`);
    await expect(reader.readText('http://evil/x', { field: 'files.tokenizer', in: 'config.json' })).rejects.toThrow(
      'files.tokenizer is "http://evil/x", which has an empty or "." segment',
    );
    const nested = new File(['{}'], 'config.json');
    Object.defineProperty(nested, 'webkitRelativePath', { value: 'my-model/config.json' });
    const files = filesReader([nested]);
    expect((await files.readText('config.json', { field: 'config.json', in: 'picked files' })).text).toBe('{}');
    expect(() => filesReader(['config.json' as unknown as File])).toThrow('expected File objects');
  });

  it('read a picked training output folder from its best/ checkpoint, else last/', async () => {
    const inFolder = async (sub: string) =>
      (await pickedFiles(dir)).map((file) => {
        Object.defineProperty(file, 'webkitRelativePath', { value: `run/${sub}/${file.name}` });
        return file;
      });
    const both = filesReader([...(await inFolder('last')), ...(await inFolder('best'))]);
    expect(both.dir).toBe('picked files/best');
    const lastOnly = await loadTrainedModelFromFiles(await inFolder('last'));
    expect(lastOnly.dir).toBe('picked files/last');
    lastOnly.dispose();
  });
});
