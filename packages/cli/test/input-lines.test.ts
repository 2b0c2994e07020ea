import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { boundLines, type CutLine } from '../src/bounded-lines.js';
import { untilAborted } from '../src/text-inputs.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function* count(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** Bytes of heap still in use after a full collection. */
function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('untilAborted', () => {
  it('keeps nothing per item: the live heap after 300 000 items is what it was', async () => {
    const controller = new AbortController();
    const before = liveHeap();
    let seen = 0;
    for await (const _ of untilAborted(count(300_000), controller.signal)) seen++;
    const grown = liveHeap() - before;
    expect(seen).toBe(300_000);
    // one reaction per item on a promise that never settles was about 100 bytes an item (30 MB here)
    expect(grown).toBeLessThan(5 * 1024 * 1024);
  });

  it('ends while the next item is awaited, when the signal aborts', async () => {
    const controller = new AbortController();
    async function* stalls(): AsyncGenerator<string> {
      yield 'first';
      await new Promise(() => {});
    }
    const got: string[] = [];
    setTimeout(() => controller.abort(), 20);
    for await (const item of untilAborted(stalls(), controller.signal)) got.push(item);
    expect(got).toEqual(['first']);
  });
});

async function collect(chunks: (string | Uint8Array)[], max: number): Promise<{ text: string; cuts: CutLine[] }> {
  const cuts: CutLine[] = [];
  async function* source() {
    yield* chunks;
  }
  const out: Uint8Array[] = [];
  for await (const piece of boundLines(source(), max, (cut) => cuts.push(cut))) out.push(piece);
  return { text: Buffer.concat(out).toString('utf8'), cuts };
}

describe('boundLines', () => {
  it('passes lines up to the bound as they are, over any chunking', async () => {
    expect(await collect(['ab', 'c\nde', 'f\n', 'g'], 3)).toEqual({ text: 'abc\ndef\ng', cuts: [] });
  });

  it('cuts a longer line at the bound, keeps the line numbers, and reports its full length once its end is read', async () => {
    const { text, cuts } = await collect(['one\nabcdefgh', 'ijkl\nthree\nxxxxxx'], 5);
    expect(text).toBe('one\nabcde\nthree\nxxxxx');
    expect(cuts).toEqual([
      { line: 2, bytes: 12 },
      { line: 4, bytes: 6 },
    ]);
  });

  it('never splits a UTF-8 character: the kept part stays valid', async () => {
    const { text, cuts } = await collect([Buffer.from('ééé\n')], 5); // é is 2 bytes: 4 fit, not 5
    expect(text).toBe('éé\n');
    expect(cuts).toEqual([{ line: 1, bytes: 6 }]);
  });
});
