import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeReport } from '@seqloom/cli';
import { loadTrainedModel, setBackend } from '@seqloom/seq2seq';
import { readMetricsLog } from '@seqloom/seq2seq/tooling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { trainSmallRun } from './helpers/report-run.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let model: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('report'));
  model = await trainSmallRun(dir);
});
afterAll(() => cleanup());

const CHARTS = ['loss-by-step', 'loss-by-time', 'learning-rate', 'tokens-per-second', 'gradient-norm', 'valid-accuracy', 'valid-perplexity', 'lengths'];

function attentionBlocks(html: string): number[][][] {
  return [...html.matchAll(/data-attention="([^"]*)"/g)].map((m) => JSON.parse(m[1]!.replace(/&#34;/g, '"')) as number[][]);
}

describe('seqloom train --log-every', () => {
  it('writes metrics.jsonl and continues it on --resume without duplicated or missing steps', async () => {
    const data = await writeLines(dir, 'resume.tsv', reversePairs(120, 4));
    const out = join(dir, 'resumed');
    const common = ['--data', data, ...TINY_MODEL, '--eval-every', '6', '--log-every', '4', '--out', out];
    expect((await seqloomInProcess(['train', ...common, '--max-steps', '14'])).code).toBe(0);
    expect((await seqloomInProcess(['train', '--resume', out, '--max-steps', '24'])).code).toBe(0);
    const records = readMetricsLog(join(out, 'metrics.jsonl'));
    expect(records.filter((r) => r.kind === 'train').map((r) => r.step)).toEqual([4, 8, 12, 16, 20, 24]);
    expect(records.filter((r) => r.kind === 'eval').map((r) => r.step)).toEqual([6, 12, 14, 18, 24]);
  });
});

describe('seqloom report', () => {
  it('writes one self-contained HTML file with every chart, the evaluations, the model and n examples with heatmaps', async () => {
    const out = join(dir, 'report.html');
    const png = join(dir, 'png');
    const run = await seqloomInProcess(['report', model, '--out', out, '--examples', '3', '--png', png, '--backend', 'wasm']);
    expect(run.code, run.stderr).toBe(0);
    const html = await readFile(out, 'utf8');
    for (const name of CHARTS) expect(html).toContain(`data-chart="${name}"><svg`);
    expect(html).not.toMatch(/<script|<link|src="http|href="http|url\(http/);
    expect(html).toContain('token accuracy');
    expect(html).toContain('parameters');
    expect(html).toContain('training pairs');
    expect(html.match(/<section class="example">/g)).toHaveLength(3);
    const heatmaps = attentionBlocks(html);
    expect(heatmaps).toHaveLength(3);
    for (const rows of heatmaps) {
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    // --png: each chart rasterised
    for (const name of CHARTS) {
      const bytes = await readFile(join(png, `${name}.png`));
      expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect((await stat(join(png, `${name}.png`))).size).toBeGreaterThan(5000);
    }
  });

  it('is a library function: n-best lists are sorted and the best beam hypothesis heads them', async () => {
    await setBackend('wasm');
    const trained = await loadTrainedModel(model);
    try {
      const report = await makeReport(model, { trained, examples: 2, beamWidth: 3 });
      expect(report.examples).toHaveLength(2);
      for (const e of report.examples) {
        expect(e.nBest.length).toBeGreaterThan(1);
        expect(e.nBest.length).toBeLessThanOrEqual(3);
        const scores = e.nBest.map((h) => h.score);
        expect([...scores].sort((a, b) => b - a)).toEqual(scores);
        expect(e.attention!.rows).toHaveLength(e.attention!.targetTokens.length);
        for (const row of e.attention!.rows) expect(row).toHaveLength(e.attention!.sourceTokens.length);
        expect(e.reference).toBe([...e.source].reverse().join(''));
      }
      expect(report.records.filter((r) => r.kind === 'eval').map((r) => r.step)).toEqual([10, 20, 30, 40]);
    } finally {
      trained.dispose();
    }
  });
});

describe('attention in generate and inspect', () => {
  it('generate --json --attention gives one row per generated token (stop token included) over the source tokens', async () => {
    const run = await seqloomInProcess(['generate', '--model', model, '--json', '--attention', '--backend', 'wasm', 'abcd', 'efg']);
    expect(run.code, run.stderr).toBe(0);
    const [first, second] = jsonLines(run.stdout);
    for (const [g, sourceLength] of [
      [first!, 4],
      [second!, 3],
    ] as const) {
      const rows = g.attention as number[][];
      expect(rows).toHaveLength((g.ids as number[]).length + (g.finishReason === 'eos' ? 1 : 0));
      for (const row of rows) {
        expect(row).toHaveLength(sourceLength);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      }
    }
    const plain = await seqloomInProcess(['generate', '--model', model, '--json', '--backend', 'wasm', 'abcd']);
    expect(jsonLines(plain.stdout)[0]).not.toHaveProperty('attention');
    const noJson = await seqloomInProcess(['generate', '--model', model, '--attention', '--backend', 'wasm', 'abcd']);
    expect(noJson.code).not.toBe(0);
    expect(noJson.stderr).toContain('--attention adds attention rows to the JSON output: give --json as well');
  });

  it('inspect says whether the model has attention and how many metric records its run holds', async () => {
    const run = await seqloomInProcess(['inspect', model, '--json', '--backend', 'wasm']);
    const summary = jsonLines(run.stdout).at(-1)!;
    expect(summary.attention).toBe(true);
    expect(summary.metricRecords).toBe(readMetricsLog(join(model, 'metrics.jsonl')).length);
    expect(summary.metricRecords).toBe(8 + 4);
    const text = await seqloomInProcess(['inspect', model, '--backend', 'wasm']);
    expect(text.stdout).toContain('attention:    yes (general)');
    expect(text.stdout).toContain('metrics:      12 records');
  });

  it('generate --attention names the model without attention', async () => {
    const plain = await trainSmallRun(join(dir, 'no-attention'), ['--attention', 'none', '--max-steps', '5']);
    const run = await seqloomInProcess(['generate', '--model', plain, '--json', '--attention', '--backend', 'wasm', 'abc']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--attention: this model has no attention (attention "none"');
  });
});
