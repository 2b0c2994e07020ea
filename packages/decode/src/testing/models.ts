import { FNV1A_OFFSET, fnv1a } from '@seqloom/core';
import { createRng } from '../rng.js';
import { TableStepModel } from './table-model.js';

/** Special ids shared by the small models below. */
export interface SpecialIds {
  bosId?: number;
  eosId?: number;
  padId?: number;
}

/**
 * A bigram model: `table[p]` is the logits row after token p (bos at the
 * first step). `table` must have vocabSize rows of vocabSize logits.
 * Defaults: pad 0, bos 1, eos 2.
 */
export function bigramModel(table: readonly (readonly number[])[], ids: SpecialIds = {}): TableStepModel {
  const V = table.length;
  table.forEach((row, i) => {
    if (row.length !== V) throw new Error(`bigramModel: table[${i}] has ${row.length} logits; expected ${V} (one per token)`);
  });
  const { bosId = 1, eosId = 2, padId = 0 } = ids;
  const rows = table.map((r) => Float32Array.from(r));
  return new TableStepModel({
    vocabSize: V,
    bosId,
    eosId,
    padId,
    logits: (_source, prefix) => rows[prefix.length === 0 ? bosId : prefix[prefix.length - 1]],
  });
}

/**
 * A scripted model: every row gets `steps[t]` as logits at its step t (the
 * last entry repeats), whatever it generated. Defaults: pad 0, bos 1, eos 2.
 */
export function scriptedModel(steps: readonly (readonly number[])[], ids: SpecialIds = {}): TableStepModel {
  if (steps.length === 0) throw new Error('scriptedModel: give at least one step of logits');
  const V = steps[0].length;
  const rows = steps.map((r, i) => {
    if (r.length !== V) throw new Error(`scriptedModel: steps[${i}] has ${r.length} logits; expected ${V}`);
    return Float32Array.from(r);
  });
  const { bosId = 1, eosId = 2, padId = 0 } = ids;
  return new TableStepModel({
    vocabSize: V,
    bosId,
    eosId,
    padId,
    logits: (_source, prefix) => rows[Math.min(prefix.length, rows.length - 1)],
  });
}

/** Options of `randomTableModel`: its vocabulary, seed, logit scale, stop-token bias and attention rows. */
export interface RandomModelOptions extends SpecialIds {
  vocabSize: number;
  seed: number;
  /** Scale of the logits (larger = peakier distributions). Default 2. */
  scale?: number;
  /** Extra logit added to the stop token (positive = shorter outputs). Default 0. */
  eosBias?: number;
  /** Report attention rows over the source. Default false. */
  attention?: boolean;
}

/**
 * A random-table model: the logits of a row are a seeded pseudo-random
 * function of (seed, source, whole prefix), so every prefix has its own
 * distribution, as in a real autoregressive model. Deterministic: the same
 * options give the same model. Defaults: pad 0, bos 1, eos 2.
 */
export function randomTableModel(options: RandomModelOptions): TableStepModel {
  const { vocabSize: V, seed, scale = 2, eosBias = 0, bosId = 1, eosId = 2, padId = 0 } = options;
  return new TableStepModel({
    vocabSize: V,
    bosId,
    eosId,
    padId,
    attention: options.attention ?? false,
    logits: (source, prefix) => {
      const rng = createRng(hashTokens(seed, source, prefix));
      const out = new Float32Array(V);
      for (let v = 0; v < V; v++) out[v] = scale * gaussian(rng.next(), rng.next());
      out[eosId] += eosBias;
      return out;
    },
  });
}

/** FNV-1a 32-bit hash of the seed, the source and the prefix (ids + 1, the two apart by 0xfffe). */
function hashTokens(seed: number, source: readonly number[], prefix: readonly number[]): number {
  return fnv1a([...source.map((t) => t + 1), 0xfffe, ...prefix.map((t) => t + 1)], (FNV1A_OFFSET ^ seed) >>> 0);
}

/** Box–Muller: a standard normal value from two uniforms. */
function gaussian(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}
