// `pnpm bench playground --model demo-model [--input ghoti] [--runs 3] [--screenshot docs/playground.png]`:
// serves the model with the playground (as `seqloom serve` does), opens it in
// Debian's Chromium (headless) and measures what the page downloads (bytes by
// file: the page, its script and style sheet, the wasm binary, the model) and
// the time from the start of the page load to the model being ready and to the
// first result (beam search, n-best 3) for a fresh page, `--runs` times.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startPlaygroundServer } from '@seqloom/cli';
import { resolveCheckpointDir } from '@seqloom/seq2seq/tooling';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'demo-model' },
    input: { type: 'string', default: 'ghoti' },
    runs: { type: 'string', default: '3' },
    screenshot: { type: 'string' },
  },
});
const runs = Number(values.runs);
const folder = await resolveCheckpointDir(resolve(values.model!));
const server = await startPlaygroundServer({ modelDir: folder, port: 0 });
const profile = await mkdtemp(join(tmpdir(), 'seqloom-bench-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1200, height: 760 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timings: { ready: number; firstResult: number; run: number }[] = [];
let bytes = new Map<string, number>();
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage();
    const seen = new Map<string, number>();
    page.on(
      'response',
      (response) =>
        void response.body().then(
          (body) => seen.set(new URL(response.url()).pathname, body.length),
          () => {},
        ),
    );
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    await page.fill('[data-testid=input]', values.input!);
    await page.selectOption('[data-testid=decoder]', 'beam');
    await page.fill('[data-testid=n-best]', '3');
    const clicked = await page.evaluate(() => performance.now());
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=hypotheses] > li', { timeout: 120_000 });
    const body = await page.$eval('body', (b) => ({ ready: Number(b.dataset.readyMs), firstResult: Number(b.dataset.firstResultMs) }));
    timings.push({ ready: body.ready, firstResult: body.firstResult, run: body.firstResult - clicked });
    if (i === runs - 1 && values.screenshot) await page.screenshot({ path: values.screenshot });
    bytes = seen;
    await page.close();
  }
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
  await server.close();
}
const page = [...bytes].filter(([path]) => !path.startsWith('/model/'));
const model = [...bytes].filter(([path]) => path.startsWith('/model/'));
const total = (list: [string, number][]) => list.reduce((sum, [, n]) => sum + n, 0);
console.log(`model ${folder}`);
console.log(`page assets: ${page.map(([p, n]) => `${p} ${n}`).join(', ')} = ${total(page)} bytes`);
console.log(`model files: ${model.map(([p, n]) => `${p} ${n}`).join(', ')} = ${total(model)} bytes`);
console.log(
  `median of ${runs} fresh page loads: model ready ${median(timings.map((t) => t.ready)).toFixed(0)} ms after the load started; ` +
    `first result (beam, n-best 3, "${values.input}") ${median(timings.map((t) => t.firstResult)).toFixed(0)} ms after it (decoding ${median(timings.map((t) => t.run)).toFixed(0)} ms from the click)`,
);
