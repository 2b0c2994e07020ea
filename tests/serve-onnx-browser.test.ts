import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayground } from '../packages/cli/scripts/build-playground.mjs';
import { runInPage, startServe } from './helpers/playground.js';

// `seqloom serve` on a Hugging Face ONNX export: the page loads it on
// onnxruntime-web (wasm, served by seqloom serve) and its greedy and beam
// search give the ids Hugging Face generate() gave in PyTorch (the fixtures).

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.log(`serve-onnx-browser.test.ts skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);

const FIXTURES = fileURLToPath(new URL('../packages/onnx/fixtures/', import.meta.url));
/** tiny-marian always; tiny-t5 and tiny-bart where the fixtures hold them. */
const MODELS = existsSync(FIXTURES)
  ? readdirSync(FIXTURES)
      .filter((d) => d.startsWith('tiny-') && existsSync(join(FIXTURES, d, 'expected.json')))
      .sort()
  : [];

interface Case {
  name: string;
  source_text: string;
  generate_kwargs: Record<string, unknown>;
  /** Hugging Face's sequences: the decoder start token first. */
  sequences: number[][];
  sequences_scores?: number[] | null;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** The fixture's greedy case and a beam case (5 beams, 3 returned) whose settings the page's controls can give. */
function casesOf(dir: string): { greedy: Case; beam: Case } {
  const cases = (readJson(join(dir, 'expected.json')) as unknown as { cases: Case[] }).cases;
  const early = readJson(join(dir, 'generation_config.json')).early_stopping ?? false;
  const greedy = cases.find((c) => c.name === 'greedy' && c.source_text);
  const beam = cases.find(
    (c) =>
      c.name === 'beam' &&
      c.source_text &&
      c.generate_kwargs.num_beams === 5 &&
      c.generate_kwargs.num_return_sequences === 3 &&
      c.generate_kwargs.early_stopping === early,
  );
  if (!greedy || !beam) throw new Error(`${dir}/expected.json has no greedy case or no beam case with 5 beams, 3 returned and early_stopping ${String(early)}`);
  return { greedy, beam };
}

describe.skipIf(!present)('seqloom serve with a Hugging Face ONNX export, in Chromium', () => {
  let profile: string;
  let browser: BrowserContext;
  beforeAll(async () => {
    // the page under test is the one the sources give now
    await buildPlayground();
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
  });

  /** Serves `dir`, opens the page, runs `check` with every URL the page requested; no console error, no request off 127.0.0.1. */
  async function withPage(dir: string, check: (page: Page, requested: readonly string[]) => Promise<void>): Promise<void> {
    const serve = await startServe(dir);
    const page = await browser.newPage();
    const errors: string[] = [];
    const requested: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    page.on('request', (request) => void requested.push(request.url()));
    try {
      const response = await page.goto(serve.url);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      await check(page, requested);
      expect(errors).toEqual([]);
      expect(requested.filter((url) => !url.startsWith(serve.url))).toEqual([]);
    } finally {
      await page.close();
      const stopped = await serve.stop();
      expect(stopped.code).toBe(130);
    }
  }

  it.each(MODELS)(
    '%s: greedy and beam search (5 beams, n-best 3) give the ids of Hugging Face generate(); seeded sampling repeats',
    async (name) => {
      const dir = join(FIXTURES, name);
      const { greedy, beam } = casesOf(dir);
      await withPage(dir, async (page, requested) => {
        const info = await page.textContent('[data-testid=model-info]');
        expect(info).toContain('Hugging Face ONNX export');
        expect(info).toContain('onnxruntime-web');
        expect(await page.textContent('[data-testid=attention]')).toContain('no heatmap');

        const maxNew = String(greedy.generate_kwargs.max_new_tokens);
        const [best] = await runInPage(page, greedy.source_text, { decoder: 'greedy', 'max-length': maxNew });
        expect(best!.ids).toEqual(greedy.sequences[0]!.slice(1));
        expect(await page.textContent('[data-testid=output]')).toBe(best!.text);

        const alpha = String(beam.generate_kwargs.length_penalty ?? 1);
        const controls = { decoder: 'beam', 'beam-width': '5', 'n-best': '3', 'max-length': String(beam.generate_kwargs.max_new_tokens), alpha };
        const nBest = await runInPage(page, beam.source_text, controls);
        expect(nBest.map((h) => h.ids)).toEqual(beam.sequences.map((s) => s.slice(1)));
        nBest.forEach((h, i) => expect(Math.abs(h.score - beam.sequences_scores![i]!), `score ${i}`).toBeLessThan(1e-4));

        const sampling = { decoder: 'sample', 'n-best': '2', temperature: '1.2', 'top-p': '0.95', seed: '7', 'max-length': '12' };
        const first = await runInPage(page, greedy.source_text, sampling);
        expect(first).toHaveLength(2);
        expect(await runInPage(page, greedy.source_text, sampling)).toEqual(first);

        // the graphs and onnxruntime-web's engine came from seqloom serve
        const paths = requested.map((url) => new URL(url).pathname);
        expect(paths).toContain('/ort/ort-wasm-simd-threaded.wasm');
        expect(paths).toContain('/model/onnx/encoder_model.onnx');
      });
    },
    120_000,
  );

  it('an ONNX export folder picked in the page replaces the served model and decodes as generate() did', async () => {
    const served = join(FIXTURES, MODELS.find((m) => m !== 'tiny-marian') ?? 'tiny-marian');
    const picked = join(FIXTURES, 'tiny-marian');
    const { greedy } = casesOf(picked);
    await withPage(served, async (page) => {
      await page.setInputFiles('[data-testid=model-files]', picked);
      await page.waitForFunction(() => document.querySelector('[data-testid=model-info]')?.textContent?.startsWith('picked folder'));
      expect(await page.textContent('[data-testid=model-info]')).toContain('marian (Hugging Face ONNX export');
      const [best] = await runInPage(page, greedy.source_text, { decoder: 'greedy', 'max-length': String(greedy.generate_kwargs.max_new_tokens) });
      expect(best!.ids).toEqual(greedy.sequences[0]!.slice(1));
    });
  }, 60_000);
});
