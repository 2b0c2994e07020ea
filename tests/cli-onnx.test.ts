import { readFileSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, REPO_ROOT, seqloom, seqloomInProcess } from './helpers/run-seqloom.js';

// The CLI over a Hugging Face ONNX export folder: generate and eval take it
// like a seqloom checkpoint, with every decoder flag, and a damaged folder is
// a clear error naming the file.

const MARIAN = join(REPO_ROOT, 'packages/onnx/fixtures/tiny-marian');
interface Case {
  name: string;
  source_text: string;
  generate_kwargs: Record<string, unknown>;
  sequences: number[][];
  sequences_scores?: number[] | null;
}
const expected = JSON.parse(readFileSync(join(MARIAN, 'expected.json'), 'utf8')) as { cases: Case[] };
const eos = (JSON.parse(readFileSync(join(MARIAN, 'generation_config.json'), 'utf8')) as { eos_token_id: number }).eos_token_id;
/** A fixture sequence as the CLI prints ids: no decoder start, no stop token. */
const printed = (s: number[]) => s.slice(1).filter((id, i, all) => !(i === all.length - 1 && id === eos));

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('cli-onnx'));
});
afterAll(() => cleanup());

describe('seqloom generate --model <ONNX export>', () => {
  it("greedy gives generate()'s ids", async () => {
    const c = expected.cases.find((x) => x.name === 'greedy')!;
    const max = String(c.generate_kwargs.max_new_tokens);
    const run = await seqloomInProcess(['generate', '--model', MARIAN, '--decoder', 'greedy', '--max-length', max, '--json', '-q', c.source_text]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)[0].ids).toEqual(printed(c.sequences[0]));
  });

  it("beam search with an n-best list and scores gives generate()'s", async () => {
    const c = expected.cases.find((x) => x.name === 'beam' && x.generate_kwargs.early_stopping === false && x.generate_kwargs.length_penalty === 1)!;
    const flags = [
      '--decoder',
      'beam',
      '--beam-width',
      '5',
      '--n-best',
      '3',
      '--max-length',
      String(c.generate_kwargs.max_new_tokens),
      '--early-stopping',
      'heuristic',
      '--length-penalty',
      'power',
      '--alpha',
      '1',
    ];
    const run = await seqloomInProcess(['generate', '--model', MARIAN, ...flags, '--json', '-q', c.source_text]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const nBest = jsonLines(run.stdout)[0].nBest as { ids: number[]; score: number }[];
    expect(nBest.map((h) => h.ids)).toEqual(c.sequences.map(printed));
    nBest.forEach((h, i) => expect(Math.abs(h.score - c.sequences_scores![i])).toBeLessThan(1e-4));
  });

  it("the export's generation_config.json gives the defaults (Marian: beam 4)", async () => {
    const run = await seqloomInProcess(['generate', '--model', MARIAN, '--json', '-q', expected.cases[0].source_text]);
    expect(run.code).toBe(0);
    expect((jsonLines(run.stdout)[0].nBest as unknown[]).length).toBe(1);
  });

  it('eval scores the export on TSV pairs', async () => {
    const pairs = expected.cases.slice(0, 4).map(
      (c) =>
        `${c.source_text}\t${c.source_text
          .split(' ')
          .map((w) => [...w].reverse().join(''))
          .join(' ')}`,
    );
    const data = await writeLines(dir, 'pairs.tsv', pairs);
    const run = await seqloomInProcess(['eval', '--model', MARIAN, '--data', data, '--json', '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = jsonLines(run.stdout)[0] as { exactMatch?: number; loss?: number };
    expect(Number.isFinite(report.loss)).toBe(true);
  });
});

describe('a damaged export folder', () => {
  const damaged = async (name: string, damage: (folder: string) => Promise<void>): Promise<string> => {
    const folder = join(dir, name);
    await cp(MARIAN, folder, { recursive: true });
    await damage(folder);
    return folder;
  };
  const refused = async (folder: string, pattern: RegExp) => {
    const run = await seqloom(['generate', '--model', folder, 'the cat']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it('an unsupported model_type names the file and the types read', async () => {
    const folder = await damaged('gpt2', async (f) => {
      const config = JSON.parse(await readFile(join(f, 'config.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(f, 'config.json'), JSON.stringify({ ...config, model_type: 'gpt2' }));
    });
    await refused(folder, /config\.json: model_type "gpt2" is not an encoder-decoder.*marian/);
  });

  it('a special id beyond the vocabulary names the field', async () => {
    const folder = await damaged('bad-eos', async (f) => {
      const g = JSON.parse(await readFile(join(f, 'generation_config.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(f, 'generation_config.json'), JSON.stringify({ ...g, eos_token_id: 1e9 }));
    });
    await refused(folder, /generation_config\.json: field "eos_token_id" is 1000000000; expected a token id/);
  });

  it('a beam width from the folder beyond the allowed range is refused', async () => {
    const folder = await damaged('huge-beam', async (f) => {
      const g = JSON.parse(await readFile(join(f, 'generation_config.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(f, 'generation_config.json'), JSON.stringify({ ...g, num_beams: 1e9 }));
    });
    await refused(folder, /generation_config\.json: field "num_beams" is 1000000000; expected an integer in \[1, \d+\]/);
  });

  it('a truncated graph is an error naming the file, not an onnxruntime stack', async () => {
    const folder = await damaged('truncated', async (f) => {
      const path = join(f, 'onnx/decoder_model.onnx');
      const bytes = await readFile(path);
      await writeFile(path, bytes.subarray(0, 1000));
    });
    await refused(folder, /decoder_model\.onnx: onnxruntime could not load the graph/);
  });

  it('a missing decoder lists what was looked for', async () => {
    const folder = await damaged('no-decoder', async (f) => {
      for (const name of ['decoder_model_merged.onnx', 'decoder_model.onnx']) await rm(join(f, 'onnx', name));
    });
    await refused(
      folder,
      /no-decoder: has onnx\/encoder_model\.onnx but no decoder: expected onnx\/decoder_model\.onnx and onnx\/decoder_with_past_model\.onnx, or onnx\/decoder_model_merged\.onnx/,
    );
  });

  it('inspect and ensembles say they take seqloom checkpoints', async () => {
    const run = await seqloom(['inspect', MARIAN]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is an ONNX export; this command reads seqloom checkpoints/);
  });
});
