import type { TrainingProgress } from './corpus.js';
import { PairHeap } from './pair-heap.js';

/** Input of the merge learner: unique words as symbol-id sequences with their counts. */
export interface MergeInput {
  /** Each unique word as initial symbol ids (indices into `symbols`). Rewritten in place. */
  words: Int32Array[];
  /** How often each word occurs in the corpus. */
  counts: ArrayLike<number>;
  /** The initial alphabet; learnt symbols are appended. */
  symbols: string[];
  /** Stop once the alphabet plus learnt symbols reaches this size. */
  maxSymbols: number;
  /** Stop when the most frequent pair occurs fewer times than this. */
  minFrequency: number;
  /** The string of the symbol made by merging `a` and `b`. */
  combine: (a: string, b: string) => string;
  onProgress?: (progress: TrainingProgress) => void;
}

/** Learnt merges in order, and the final symbol table. */
export interface MergeResult {
  symbols: string[];
  merges: [string, string][];
}

const SHIFT = 2 ** 21;
const pairKey = (a: number, b: number): number => a * SHIFT + b;

interface PairTables {
  counts: Map<number, number>;
  /** pair → words that contain (or once contained) it; may hold stale entries. */
  where: Map<number, number[]>;
}

function countInitialPairs(words: Int32Array[], freq: ArrayLike<number>): PairTables {
  const counts = new Map<number, number>();
  const where = new Map<number, number[]>();
  for (let w = 0; w < words.length; w++) {
    const word = words[w];
    const f = freq[w];
    for (let i = 0; i + 1 < word.length; i++) {
      const key = pairKey(word[i], word[i + 1]);
      counts.set(key, (counts.get(key) ?? 0) + f);
      const list = where.get(key);
      if (list === undefined) where.set(key, [w]);
      else if (list[list.length - 1] !== w) list.push(w);
    }
  }
  return { counts, where };
}

/**
 * Replace every (a, b) in word `w` by `c`, recording count changes of neighbouring
 * pairs in `delta` and registering `w` under each new pair that contains `c`.
 * Returns the rewritten word, or null when the word does not contain the pair.
 */
function mergeWord(
  word: Int32Array,
  w: number,
  f: number,
  a: number,
  b: number,
  c: number,
  delta: Map<number, number>,
  tables: PairTables,
  scratch: Int32Array,
): Int32Array | null {
  const add = (key: number, by: number): void => {
    delta.set(key, (delta.get(key) ?? 0) + by);
  };
  const register = (key: number): void => {
    const list = tables.where.get(key);
    if (list === undefined) tables.where.set(key, [w]);
    else if (list[list.length - 1] !== w) list.push(w);
  };
  let out = 0;
  let changed = false;
  const n = word.length;
  for (let i = 0; i < n; ) {
    if (i + 1 < n && word[i] === a && word[i + 1] === b) {
      changed = true;
      if (out > 0) {
        const prev = scratch[out - 1];
        add(pairKey(prev, a), -f);
        add(pairKey(prev, c), f);
        register(pairKey(prev, c));
      }
      if (i + 2 < n) {
        const next = word[i + 2];
        add(pairKey(b, next), -f);
        add(pairKey(c, next), f);
        register(pairKey(c, next));
      }
      add(pairKey(a, b), -f);
      scratch[out++] = c;
      i += 2;
    } else {
      scratch[out++] = word[i++];
    }
  }
  return changed ? scratch.slice(0, out) : null;
}

interface MergeState {
  words: Int32Array[];
  freq: ArrayLike<number>;
  tables: PairTables;
  heap: PairHeap;
  /** Last merge that visited each word, to skip repeated entries of a word in a pair's list. */
  stamp: Int32Array;
  scratch: Int32Array;
}

/** Rewrite every word holding pair `key` = (a, b) to use `c`, then apply the count changes. */
function applyMerge(state: MergeState, key: number, a: number, b: number, c: number, mergeIndex: number): void {
  const { words, freq, tables, heap, stamp, scratch } = state;
  const delta = new Map<number, number>();
  const holders = tables.where.get(key) ?? [];
  tables.where.delete(key);
  for (const w of holders) {
    if (stamp[w] === mergeIndex) continue;
    stamp[w] = mergeIndex;
    const rewritten = mergeWord(words[w], w, freq[w], a, b, c, delta, tables, scratch);
    if (rewritten !== null) words[w] = rewritten;
  }
  for (const [k, d] of delta) {
    if (d === 0) continue;
    const next = (tables.counts.get(k) ?? 0) + d;
    if (next <= 0) tables.counts.delete(k);
    else tables.counts.set(k, next);
    // Lower counts are corrected lazily when popped; higher ones need a fresh entry.
    if (d > 0) heap.push(next, k);
  }
}

/**
 * Learn BPE merges. Pair counts are built once, then updated around each merge
 * (only the words holding the merged pair are visited), and the next pair comes from
 * a lazy max-heap, so the corpus is never recounted.
 */
export function learnMerges(input: MergeInput): MergeResult {
  const { words, counts: freq, combine, minFrequency, maxSymbols, onProgress } = input;
  const symbols = input.symbols.slice();
  const ids = new Map(symbols.map((s, i) => [s, i]));
  const tables = countInitialPairs(words, freq);
  const heap = new PairHeap();
  for (const [key, count] of tables.counts) heap.push(count, key);
  const longest = words.reduce((m, word) => Math.max(m, word.length), 0);
  const state: MergeState = {
    words,
    freq,
    tables,
    heap,
    stamp: new Int32Array(words.length).fill(-1),
    scratch: new Int32Array(longest),
  };
  const merges: [string, string][] = [];
  const target = Math.max(0, maxSymbols - symbols.length);
  while (symbols.length < maxSymbols && heap.size > 0) {
    const key = heap.topKey();
    const stale = heap.topCount();
    heap.pop();
    const live = tables.counts.get(key) ?? 0;
    if (live !== stale) {
      if (live > 0) heap.push(live, key);
      continue;
    }
    if (live < minFrequency || live <= 0) break;
    const a = Math.floor(key / SHIFT);
    const b = key - a * SHIFT;
    const merged = combine(symbols[a], symbols[b]);
    let c = ids.get(merged);
    if (c === undefined) {
      c = symbols.push(merged) - 1;
      ids.set(merged, c);
    }
    merges.push([symbols[a], symbols[b]]);
    applyMerge(state, key, a, b, c, merges.length);
    if (onProgress && merges.length % 500 === 0) onProgress({ phase: 'merge', done: merges.length, total: target });
  }
  onProgress?.({ phase: 'merge', done: merges.length, total: target });
  return { symbols, merges };
}
