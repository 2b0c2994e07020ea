import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../packages/cli/scripts/build-playground.mjs';
import { TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { type PageHypothesis, runInPage, type ServeProcess, screenshotColours, startServe } from './helpers/playground.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.log(`playground-browser.test.ts skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);

/** `seqloom generate --json` on the wasm backend: the n-best list as the page shows it. */
async function generateInNode(model: string, input: string, flags: readonly string[]): Promise<PageHypothesis[]> {
  return (await nodeNBest(model, input, flags)).map(({ text, score, ids }) => ({ text, score, ids }));
}

/** The n-best list of `seqloom generate --json` with each hypothesis's finish reason. */
async function nodeNBest(model: string, input: string, flags: readonly string[]): Promise<(PageHypothesis & { finishReason: string })[]> {
  const run = await seqloomInProcess(['generate', '--model', model, '--backend', 'wasm', '--json', '-q', ...flags, '--', input]);
  if (run.code !== 0) throw new Error(run.stderr);
  const [result] = jsonLines(run.stdout);
  return result!.nBest as (PageHypothesis & { finishReason: string })[];
}

/**
 * The page's hypotheses equal Node's: the same ids and text, and the same scores up to the
 * last bits (Chromium's and Node's V8 may round Math.exp / Math.log differently).
 */
function expectSameHypotheses(page: readonly PageHypothesis[], node: readonly PageHypothesis[]): void {
  expect(page.map(({ text, ids }) => ({ text, ids }))).toEqual(node.map(({ text, ids }) => ({ text, ids })));
  page.forEach((h, i) => expect(Math.abs(h.score - node[i]!.score), `score ${i}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(node[i]!.score))));
}

async function train(args: readonly string[]): Promise<void> {
  const run = await seqloomInProcess(['train', ...args, ...TINY_MODEL, '-q']);
  if (run.code !== 0) throw new Error(`training failed (${run.code}): ${run.stderr}`);
}

describe.skipIf(!present)('the playground in Chromium', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let profile: string;
  let browser: BrowserContext;
  const models: Record<'seq2seq' | 'lm', string> = { seq2seq: '', lm: '' };
  beforeAll(async () => {
    ({ dir, cleanup } = await tempFolder('playground'));
    // the page under test is the one the sources give now
    await buildPlayground();
    // the demo's model (bidirectional LSTM with attention on CMUdict, separate source and target tokenizers), shortened
    models.seq2seq = join(dir, 'demo-model');
    const demo = await seqloomInProcess(['demo', '--minutes', '0.1', '--words', 'cat', '--out', models.seq2seq]);
    if (demo.code !== 0) throw new Error(`the demo run failed (${demo.code}): ${demo.stderr}`);
    models.lm = join(dir, 'lm');
    const book = await writeLines(
      dir,
      'book.txt',
      Array.from({ length: 30 }, () => 'the whale swam on. the ship sailed on.'),
    );
    await train(['--data', book, '--task', 'lm', '--out', models.lm, '--window', '16', '--max-steps', '60', '--eval-every', '30']);
    profile = await mkdtemp(join(tmpdir(), 'seqloom-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 800 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await cleanup?.();
  });

  /** Serves `model`, opens the page, runs `check`, then stops the server with Ctrl-C. */
  async function withPage(model: string, check: (page: Page, errors: string[]) => Promise<void>): Promise<void> {
    const serve: ServeProcess = await startServe(model);
    const page = await browser.newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    page.on('request', (request) => void (request.url().startsWith(serve.url) || outside.push(request.url())));
    try {
      const response = await page.goto(serve.url);
      // no inline or foreign script, only wasm compilation besides the page's own script
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(response?.headers()['x-content-type-options']).toBe('nosniff');
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      await check(page, errors);
      expect(errors).toEqual([]);
      // the model, the page and the wasm binaries all come from seqloom serve: no CDN
      expect(outside).toEqual([]);
    } finally {
      await page.close();
      const stopped = await serve.stop();
      expect(stopped.stderr).toContain('server closed');
      expect(stopped.code).toBe(130);
    }
  }

  it('the demo model (seq2seq): beam n-best 3 and greedy give the ids and scores of seqloom generate; seeded sampling repeats; tokens stream; attention is drawn', async () => {
    await withPage(models.seq2seq, async (page, errors) => {
      // the page's policy refuses inline script: what a file smuggled into the page would run
      const ran = await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true';
        document.body.append(script);
        return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
      });
      expect(ran).toBe(false);
      await expect.poll(() => errors.some((e) => e.includes('Content Security Policy'))).toBe(true);
      errors.splice(0, errors.length, ...errors.filter((e) => !e.includes('Content Security Policy')));

      const input = 'pronunciation';
      const beam = await runInPage(page, input, { decoder: 'beam', 'n-best': '3', 'beam-width': '4' });
      expect(beam).toHaveLength(3);
      const inNode = await nodeNBest(models.seq2seq, input, ['--decoder', 'beam', '--beam-width', '4', '--n-best', '3']);
      expectSameHypotheses(beam, inNode);
      expect(beam[0]!.ids.length).toBeGreaterThan(1);

      // the heatmap of the chosen hypothesis: one row per generated phoneme (and the stop token when it ended on it), one column per source letter
      const heatmap = await page.$eval('[data-testid=attention]', (figure) => ({
        rows: Number((figure as HTMLElement).dataset.rows),
        cols: Number((figure as HTMLElement).dataset.cols),
        cells: figure.querySelectorAll('rect').length,
      }));
      expect(heatmap.cols).toBe(input.length);
      expect(heatmap.rows).toBe(beam[0]!.ids.length + (inNode[0]!.finishReason === 'eos' ? 1 : 0));
      expect(heatmap.cells).toBe(heatmap.rows * heatmap.cols);
      await page.click('[data-testid=hypotheses] > li:nth-child(2)');
      expect(await page.$eval('[data-testid=attention]', (f) => Number((f as HTMLElement).dataset.rows))).toBe(beam[1]!.ids.length + 1);

      // greedy streams: the output changes once per token before the result
      await page.$eval('[data-testid=output]', (output) => {
        const seen: string[] = [];
        new MutationObserver(() => seen.push(output.textContent ?? '')).observe(output, { childList: true, characterData: true, subtree: true });
        (window as unknown as { streamed: string[] }).streamed = seen;
      });
      const greedy = await runInPage(page, input, { decoder: 'greedy' });
      expectSameHypotheses(greedy, await generateInNode(models.seq2seq, input, ['--decoder', 'greedy']));
      const streamed = await page.evaluate(() => (window as unknown as { streamed: string[] }).streamed.filter((t) => t !== ''));
      expect(streamed.length).toBeGreaterThanOrEqual(greedy[0]!.ids.length);
      expect(streamed[0]!.length).toBeLessThan(greedy[0]!.text.length);

      const sampling = { decoder: 'sample', 'n-best': '2', temperature: '1.5', 'top-p': '0.95', seed: '11' };
      const first = await runInPage(page, input, sampling);
      const second = await runInPage(page, input, sampling);
      expect(second).toEqual(first);
      expectSameHypotheses(
        first,
        await generateInNode(models.seq2seq, input, ['--decoder', 'sample', '--n-best', '2', '--temperature', '1.5', '--top-p', '0.95', '--seed', '11']),
      );
      expect(await screenshotColours(page)).toBeGreaterThan(20);
    });
  }, 90_000);

  it('a model folder picked in the page (a training output folder) replaces the served one and decodes as seqloom generate does', async () => {
    await withPage(models.seq2seq, async (page) => {
      await page.setInputFiles('[data-testid=model-files]', models.lm);
      await page.waitForFunction(() => document.querySelector('[data-testid=model-info]')?.textContent?.startsWith('picked folder'));
      expect(await page.textContent('[data-testid=model-info]')).toContain('language model');
      const beam = await runInPage(page, 'the wh', { decoder: 'beam', 'n-best': '3', 'max-length': '12' });
      expectSameHypotheses(beam, await generateInNode(models.lm, 'the wh', ['--decoder', 'beam', '--n-best', '3', '--max-length', '12']));
    });
  }, 60_000);

  it('lm: the prime is continued as seqloom generate continues it, greedy, beam and seeded sampling', async () => {
    await withPage(models.lm, async (page) => {
      expect(await page.textContent('label[for=input]')).toContain('Prime');
      const prime = 'the wh';
      const beam = await runInPage(page, prime, { decoder: 'beam', 'n-best': '3', 'max-length': '12' });
      expect(beam).toHaveLength(3);
      expectSameHypotheses(beam, await generateInNode(models.lm, prime, ['--decoder', 'beam', '--n-best', '3', '--max-length', '12']));
      for (const h of beam) expect(h.text.startsWith(prime)).toBe(true);
      expect(await page.textContent('[data-testid=attention]')).toContain('no attention');
      const greedy = await runInPage(page, prime, { decoder: 'greedy', 'max-length': '12' });
      expectSameHypotheses(greedy, await generateInNode(models.lm, prime, ['--decoder', 'greedy', '--max-length', '12']));
      const sampling = { decoder: 'sample', 'n-best': '1', seed: '5', temperature: '1', 'max-length': '12' };
      const first = await runInPage(page, prime, sampling);
      expect(await runInPage(page, prime, sampling)).toEqual(first);
      expectSameHypotheses(first, await generateInNode(models.lm, prime, ['--decoder', 'sample', '--seed', '5', '--temperature', '1', '--max-length', '12']));

      // a bad control is named in the page, not thrown at the console
      await page.fill('[data-testid=temperature]', '-1');
      await page.click('[data-testid=run]');
      await page.waitForSelector('[data-testid=error]:not([hidden])');
      expect(await page.textContent('[data-testid=error]')).toMatch(/^Temperature \(temperature\): /);
      await page.selectOption('[data-testid=decoder]', 'beam');
      await page.fill('[data-testid=beam-width]', '2.5');
      await page.click('[data-testid=run]');
      await page.waitForFunction(() => document.querySelector('[data-testid=error]')?.textContent === 'Beam width (beam-width): "2.5" is not an integer');
      expect(await screenshotColours(page)).toBeGreaterThan(20);
    });
  }, 90_000);
});
