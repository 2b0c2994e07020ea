import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from './helpers/fixtures.js';
import { screenshotColours } from './helpers/playground.js';
import { seqloomInProcess } from './helpers/run-seqloom.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.log(`report-browser.test.ts skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);

const EXAMPLES = 3;

describe.skipIf(!present)('the report in Chromium', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let profile: string;
  let report: string;
  let browser: BrowserContext;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempFolder('report-browser'));
    // a real run: the demo's model (bidirectional LSTM with attention on CMUdict), shortened
    const model = join(dir, 'demo-model');
    const demo = await seqloomInProcess(['demo', '--minutes', '0.1', '--words', 'cat', '--out', model]);
    if (demo.code !== 0) throw new Error(`the demo run failed (${demo.code}): ${demo.stderr}`);
    report = join(dir, 'report.html');
    const run = await seqloomInProcess(['report', model, '--data', 'cmudict', '--out', report, '--examples', String(EXAMPLES), '--backend', 'wasm']);
    if (run.code !== 0) throw new Error(run.stderr);
    profile = await mkdtemp(join(tmpdir(), 'seqloom-chromium-'));
    // a fresh profile folder (the --user-data-dir of this run)
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await cleanup?.();
  });

  it('opens from disk without console errors or requests; charts have marks and axis titles; heatmap rows sum to 1; the screenshot is not blank', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    page.on('request', (request) => void (request.url().startsWith('file:') || requests.push(request.url())));
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });

    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => ({
        name: f.getAttribute('data-chart'),
        marks: f.querySelectorAll('g[class*="mark-"] path, g[class*="mark-"] rect').length,
        axisTitles: [...f.querySelectorAll('.role-axis-title text')].map((t) => t.textContent ?? ''),
        width: f.getBoundingClientRect().width,
      })),
    );
    expect(charts.length).toBeGreaterThanOrEqual(8);
    for (const chart of charts) {
      expect(chart.marks, chart.name ?? '').toBeGreaterThan(0);
      expect(
        chart.axisTitles.filter((t) => t.trim() !== ''),
        chart.name ?? '',
      ).toHaveLength(2);
      expect(chart.width).toBeGreaterThan(100);
    }

    const heatmaps = await page.$$eval('figure.heatmap', (figures) =>
      figures.map((f) => ({
        rows: JSON.parse(f.getAttribute('data-attention') ?? '[]') as number[][],
        cells: f.querySelectorAll('g.mark-rect.role-mark path').length,
      })),
    );
    expect(heatmaps).toHaveLength(EXAMPLES);
    for (const { rows, cells } of heatmaps) {
      expect(rows.length).toBeGreaterThan(0);
      expect(cells).toBe(rows.length * rows[0]!.length);
      for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    }

    const colours = await screenshotColours(page);
    expect(colours).toBeGreaterThan(20);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 120_000);
});
