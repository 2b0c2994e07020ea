import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint, Seq2SeqModel } from '@seqloom/seq2seq';
import type { Tokenizer } from '@seqloom/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSafetensors, importSafetensors } from '../src/export/index.js';
import { tempFolder, useTestBackend } from './support/export-models.js';
import { findPython } from './support/find-python.js';
import { isFrozenCase, maxDifference, probeRows, savedCase, seqloomLogits, TWIN_CASES, twinTokenizer } from './support/twin-models.js';

// The round trip through PyTorch, for every configuration: export → the twin
// (python/seqloom_torch.py) computes seqloom's logits within 1e-4 → the twin
// trains 20 steps on CPU → import → seqloom's logits equal the twin's within
// 1e-4. One Python process runs every twin job (torch starts once). CI has no
// torch: the test is then skipped, saying so.

const TWIN = fileURLToPath(new URL('../../../python/seqloom_torch.py', import.meta.url));
const TOLERANCE = 1e-4;
const python = findPython(['torch', 'tokenizers']);
if (python === undefined) console.log('torch-twin.test.ts: skipped — no Python with torch and tokenizers ($PYTHON, /work/venv-fixtures, python3)');

interface Prepared {
  name: string;
  lm: boolean;
  frozen: boolean;
  seqloom: number[][][];
  export: string;
  trained: string;
  probe: string;
}

let dir: string;
let cleanup: () => Promise<void>;
let tokenizer: Tokenizer;
const prepared: Prepared[] = [];
const REPORT: string[] = [];

const readLogits = async (path: string) => (JSON.parse(await readFile(path, 'utf8')) as { logits: number[][][] }).logits;

async function writeData(): Promise<{ pairs: string; text: string }> {
  const words = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'a', 'lazy', 'dog'];
  const pairs = words.flatMap((w, i) => [`${w}\t${[...w].reverse().join('')}`, `${w} ${words[(i + 1) % words.length]}\t${[...w].reverse().join('')}`]);
  await writeFile(join(dir, 'pairs.tsv'), `${pairs.join('\n')}\n`);
  await writeFile(join(dir, 'text.txt'), `${words.join(' ')}\n`.repeat(4));
  return { pairs: join(dir, 'pairs.tsv'), text: join(dir, 'text.txt') };
}

beforeAll(async () => {
  if (python === undefined) return;
  console.log(`torch-twin.test.ts: ${await useTestBackend()}, ${python}`);
  ({ dir, cleanup } = await tempFolder('twin'));
  tokenizer = await twinTokenizer();
  const data = await writeData();
  const jobs: string[][] = [];
  for (const [i, c] of TWIN_CASES.entries()) {
    const lm = c.config.task === 'lm';
    const { dir: checkpoint, model } = await savedCase(dir, `case-${i}`, c, tokenizer);
    const rows = probeRows(tokenizer, lm);
    const seqloom = await seqloomLogits(model, rows.sources, rows.targets);
    model.dispose();
    const exported = join(dir, `export-${i}`);
    await exportSafetensors(checkpoint, exported);
    const probe = join(dir, `probe-${i}.json`);
    await writeFile(probe, JSON.stringify(rows));
    const trained = join(dir, `trained-${i}`);
    jobs.push(['logits', '--model', exported, '--inputs', probe, '--out', join(dir, `twin-${i}.json`)]);
    jobs.push([
      'train',
      '--model',
      exported,
      '--data',
      lm ? data.text : data.pairs,
      '--steps',
      '20',
      '--batch-size',
      '6',
      '--window',
      '16',
      '--lr',
      '0.01',
      '--log-every',
      '20',
      '--out',
      trained,
    ]);
    jobs.push(['logits', '--model', trained, '--inputs', probe, '--out', join(dir, `trained-${i}.json`)]);
    prepared.push({ name: c.name, lm, frozen: isFrozenCase(c), seqloom, export: exported, trained, probe });
  }
  await writeFile(join(dir, 'jobs.json'), JSON.stringify(jobs));
  const run = spawnSync(python, [TWIN, 'jobs', join(dir, 'jobs.json')], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 300_000 });
  if (run.status !== 0) throw new Error(`seqloom_torch.py jobs failed (${run.status}):\n${run.stderr}`);
}, 300_000);

afterAll(async () => {
  if (REPORT.length > 0) console.log(`largest logit difference per configuration (seqloom vs twin; imported vs trained twin):\n${REPORT.join('\n')}`);
  await cleanup?.();
});

describe.skipIf(python === undefined)('the PyTorch twin (python/seqloom_torch.py)', () => {
  it("computes seqloom's logits from the exported safetensors, for every configuration", async () => {
    for (const [i, p] of prepared.entries()) {
      const twin = await readLogits(join(dir, `twin-${i}.json`));
      const diff = maxDifference(p.seqloom, twin);
      REPORT.push(`  ${p.name}: export ${diff.toExponential(2)}`);
      expect(diff, p.name).toBeLessThan(TOLERANCE);
    }
  });

  it("trains 20 steps, and seqloom import gives back a model with the twin's logits", async () => {
    for (const [i, p] of prepared.entries()) {
      const trainedTwin = await readLogits(join(dir, `trained-${i}.json`));
      expect(maxDifference(p.seqloom, trainedTwin), `${p.name}: training changed the logits`).toBeGreaterThan(1e-2);
      const checkpoint = join(dir, `imported-${i}`);
      await importSafetensors(p.trained, checkpoint);
      const loaded = await loadCheckpoint(checkpoint, { createModel: (config) => Seq2SeqModel.create(config) });
      const rows = JSON.parse(await readFile(p.probe, 'utf8')) as { sources: number[][]; targets: number[][] };
      const diff = maxDifference(await seqloomLogits(loaded.model, rows.sources, rows.targets), trainedTwin);
      REPORT[i] += `, after training + import ${diff.toExponential(2)}`;
      expect(diff, p.name).toBeLessThan(TOLERANCE);
      if (p.frozen) {
        const original = await loadCheckpoint(join(dir, `case-${i}`), { createModel: (config) => Seq2SeqModel.create(config) });
        expect(loaded.config.frozen).toEqual(['encoder/embedding']);
        expect(loaded.model.namedWeights().get('encoder/embedding')!.dataSync()).toEqual(original.model.namedWeights().get('encoder/embedding')!.dataSync());
        original.model.dispose();
      }
      loaded.model.dispose();
    }
  });
});
