import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Page } from 'playwright-core';
import { type Finished, finished, startSeqloom } from './run-seqloom.js';

/** A `seqloom serve` process and the page address it printed. */
export interface ServeProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Sends Ctrl-C (SIGINT) and waits for the process to end. */
  stop(): Promise<Finished>;
}

/** Starts `seqloom serve --model dir --port 0` and waits for its `playground: URL` line. */
export async function startServe(model: string): Promise<ServeProcess> {
  const child = startSeqloom(['serve', '--model', model, '--port', '0']);
  const done = finished(child);
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer | string) => {
      seen += String(chunk);
      const match = /playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    void done.then((result) => reject(new Error(`seqloom serve exited (${result.code}) before serving: ${result.stderr}`)));
  });
  return {
    url,
    child,
    stop: async () => {
      child.kill('SIGINT');
      return done;
    },
  };
}

/** One hypothesis as the page lists it. */
export interface PageHypothesis {
  text: string;
  score: number;
  ids: number[];
}

/** Sets the decoder controls (by data-testid), runs, and waits for the n-best list to be replaced. */
export async function runInPage(page: Page, input: string, controls: Record<string, string>): Promise<PageHypothesis[]> {
  await page.fill('[data-testid=input]', input);
  await page.selectOption('[data-testid=decoder]', controls.decoder ?? 'greedy');
  for (const [testid, value] of Object.entries(controls)) if (testid !== 'decoder') await page.fill(`[data-testid=${testid}]`, value);
  await page.$eval('[data-testid=hypotheses]', (list) => list.replaceChildren());
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-testid=hypotheses] > li', { timeout: 30_000 });
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  return page.$$eval('[data-testid=hypotheses] > li', (items) =>
    items.map((item) => ({
      text: item.querySelector('.text')?.textContent ?? '',
      score: Number((item as HTMLElement).dataset.score),
      ids: ((item as HTMLElement).dataset.ids ?? '').split(' ').filter(Boolean).map(Number),
    })),
  );
}

/** How many distinct colours a screenshot has (sampled): a blank page has one or two. */
export async function screenshotColours(page: Page): Promise<number> {
  const shot = await page.screenshot({ fullPage: true });
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4 * 97) seen.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
    return seen.size;
  }, shot.toString('base64'));
}
