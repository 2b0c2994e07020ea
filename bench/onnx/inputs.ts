// The bench's inputs: sentences drawn deterministically from the words of a
// fixture's source texts (expected.json), encoded as the model takes them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOnnxSeq2Seq } from './deps.js';

/** mulberry32: a small seeded generator, the same sentences on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The distinct words of the fixture's source texts, in order of first use. */
export function fixtureWords(folder: string): string[] {
  const expected = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as { cases: { source_text?: unknown }[] };
  const words = expected.cases.flatMap((c) => (typeof c.source_text === 'string' ? c.source_text.split(/\s+/) : []));
  const distinct = [...new Set(words.filter((w) => w.length > 0))];
  if (distinct.length === 0) throw new Error(`${folder}/expected.json: no case has a source_text to draw words from`);
  return distinct;
}

/** `count` sentences of `minWords`–`maxWords` words of the fixture, with `seed`. */
export function sentences(words: readonly string[], count: number, seed: number, minWords = 4, maxWords = 12): string[] {
  const next = rng(seed);
  return Array.from({ length: count }, () => {
    const n = minWords + Math.floor(next() * (maxWords - minWords + 1));
    return Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(' ');
  });
}

/** The sentences' token ids as the fixture's tokenizer gives them (its special tokens added). */
export async function benchInputs(folder: string, count: number, seed: number): Promise<{ texts: string[]; ids: number[][] }> {
  const texts = sentences(fixtureWords(folder), count, seed);
  const loaded = await loadOnnxSeq2Seq(folder, { sessionOptions: { intraOpNumThreads: 1 } });
  try {
    return { texts, ids: texts.map((t) => loaded.encode(t)) };
  } finally {
    await loaded.dispose();
  }
}
