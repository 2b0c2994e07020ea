import { DecodeOptionError } from '../errors.js';
import { compareHypotheses, extendRow, type GenerationResult, type Hypothesis, type Row, rootRow, toHypothesis } from '../hypothesis.js';
import type { FinishReason } from '../stopping-criteria.js';
import { upperBound } from './score-bound.js';
import { logProbAt, type SearchStrategy, type Selection, type StepLogProbs, type StrategyContext, type StrategyDefinition } from './search-strategy.js';

/**
 * Exhaustive search: the exact `numReturn` highest-scoring sequences of at
 * most maxNewTokens tokens. Breadth-first over all prefixes, one model step
 * per length for all live prefixes of all sources; a prefix is dropped only
 * when no completion of it can beat the current n-th best finished sequence
 * (branch and bound, `upperBound`), so the result is exact.
 */
export class ExhaustiveSearch implements SearchStrategy {
  private readonly best: Hypothesis[][] = [];
  constructor(private readonly ctx: StrategyContext) {}

  initial(sourceCount: number): Selection {
    const rows: Row[] = [];
    const parents: number[] = [];
    for (let s = 0; s < sourceCount; s++) {
      this.best.push([]);
      rows.push(rootRow(s, 0));
      parents.push(s);
    }
    return { rows, parents };
  }

  select(rows: readonly Row[], logProbs: StepLogProbs, attention: readonly (Float32Array | null)[]): Selection {
    const V = this.ctx.vocabSize;
    const eos = this.ctx.eosId;
    const open: { r: number; v: number; logProb: number }[] = [];
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      for (let v = 0; v < V; v++) {
        const x = logProbAt(logProbs, V, r, v);
        if (x === -Infinity) continue;
        if (v === eos) this.offer(extendRow(row, v, x, attention[r]), 'eos');
        else open.push({ r, v, logProb: row.logProb + x });
      }
    }
    const next: Selection = { rows: [], parents: [] };
    for (const { r, v } of open) {
      const row = rows[r];
      const x = logProbAt(logProbs, V, r, v);
      const bound = upperBound(this.ctx.options, row.logProb + x, row.ids.length + 1);
      if (bound < this.worst(row.source)) continue;
      next.rows.push(extendRow(row, v, x, attention[r]));
      next.parents.push(r);
    }
    return next;
  }

  /** Score the n-th best must be beaten by, −Infinity while fewer than n are known. */
  private worst(source: number): number {
    const list = this.best[source];
    return list.length < this.ctx.options.numReturn ? -Infinity : list[list.length - 1].score;
  }

  private offer(row: Row, reason: FinishReason): void {
    const h = toHypothesis(row, reason, this.ctx.options.score(row.logProb, row.ids.length));
    const list = this.best[row.source];
    let i = list.length;
    while (i > 0 && compareHypotheses(h, list[i - 1]) < 0) i--;
    if (i >= this.ctx.options.numReturn) return;
    list.splice(i, 0, h);
    if (list.length > this.ctx.options.numReturn) list.pop();
    this.ctx.emit({ type: 'hypothesis', source: row.source, hypothesis: h });
  }

  finish(row: Row, reason: FinishReason): void {
    this.offer(row, reason);
  }

  results(sourceCount: number): GenerationResult[] {
    const out: GenerationResult[] = [];
    for (let s = 0; s < sourceCount; s++) out.push({ best: this.best[s][0], hypotheses: this.best[s].slice() });
    return out;
  }
}

/**
 * Refuse an exhaustive search whose full prefix tree is larger than
 * `maxSearchSpace`: with b = vocabulary minus the stop and pad tokens and L =
 * maxLength, it expands up to 1 + b + b² + … + b^(L−1) prefixes per source.
 */
export function checkSearchSpace(vocabSize: number, eosId: number, padId: number, maxLength: number, limit: number): void {
  const b = vocabSize - 1 - (padId !== eosId ? 1 : 0);
  let total = 0;
  let level = 1;
  for (let d = 0; d < maxLength && total <= limit; d++) {
    total += level;
    level *= b;
  }
  if (total > limit) {
    let full = 0;
    let lv = 1;
    for (let d = 0; d < maxLength; d++) {
      full += lv;
      lv *= b;
    }
    const size = Number.isFinite(full) ? full.toPrecision(3) : 'more than 1e308';
    throw new DecodeOptionError(
      'maxSearchSpace',
      `exhaustive search over ${b} continuing tokens up to ${maxLength} tokens would expand up to ${size} prefixes per source, ` +
        `more than maxSearchSpace (${limit}); lower maxNewTokens, raise maxSearchSpace, or use strategy 'beam'`,
    );
  }
}

/** Exhaustive search: the exact n-best, refused up front when the search space is too large. */
export const exhaustiveStrategy: StrategyDefinition = {
  help: 'the exact best sequences (small vocabularies and lengths)',
  checkModel: (model, settings) => checkSearchSpace(model.vocabSize, model.eosId, model.padId, settings.maxLength, settings.maxSearchSpace),
  create: (context) => new ExhaustiveSearch(context),
};
