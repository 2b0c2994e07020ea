import { compareHypotheses, extendRow, type GenerationResult, type Hypothesis, type Row, rootRow, toHypothesis } from '../hypothesis.js';
import { offerRow, TopCandidates } from '../partial-select.js';
import type { FinishReason } from '../stopping-criteria.js';
import { upperBound } from './score-bound.js';
import { logProbAt, type SearchStrategy, type Selection, type StepLogProbs, type StrategyContext } from './search-strategy.js';

/**
 * Beam search as Hugging Face `generate()` runs it (`compat: 'hf'`), so ids and
 * sequence scores match it on the same model. Per source and step:
 * - the 2·W best (beam, token) continuations by accumulated log-probability;
 * - a continuation that ends (the stop token, or the length limit reached)
 *   becomes a finished hypothesis only when ranked within the first W; its
 *   score is logProb / lengthPenalty(length);
 * - the W best continuations that do not end are the next live beams;
 * - the source stops per `earlyStopping`: `width` once W hypotheses are
 *   finished (HF `True`), `heuristic` when the best live beam scored at its
 *   current length cannot beat the worst finished one (HF `False`), `bound`
 *   when it cannot even at the length limit (HF `"never"`).
 * Unlike seqloom's beam search, the greedy continuation is not kept alive.
 */
export class HfBeamSearch implements SearchStrategy {
  private readonly finished: Hypothesis[][] = []; // [source], best first, ≤ W each
  private readonly done: boolean[] = [];
  private readonly width: number;
  private readonly heap: TopCandidates;

  constructor(private readonly ctx: StrategyContext) {
    this.width = ctx.options.beamWidth;
    this.heap = new TopCandidates(2 * this.width);
  }

  initial(sourceCount: number): Selection {
    const rows: Row[] = [];
    const parents: number[] = [];
    for (let s = 0; s < sourceCount; s++) {
      this.finished.push([]);
      this.done.push(false);
      rows.push(rootRow(s, 0));
      parents.push(s);
    }
    return { rows, parents };
  }

  select(rows: readonly Row[], logProbs: StepLogProbs, attention: readonly (Float32Array | null)[]): Selection {
    const next: Selection = { rows: [], parents: [] };
    let start = 0;
    while (start < rows.length) {
      let end = start + 1;
      while (end < rows.length && rows[end].source === rows[start].source) end++;
      const source = rows[start].source;
      if (!this.done[source]) this.selectSource(source, start, end, rows, logProbs, attention, next);
      start = end;
    }
    return next;
  }

  /** Extend the live rows `from..to` of one source; its next live rows go to `next`. */
  private selectSource(
    source: number,
    from: number,
    to: number,
    rows: readonly Row[],
    logProbs: StepLogProbs,
    attention: readonly (Float32Array | null)[],
    next: Selection,
  ): void {
    const V = this.ctx.vocabSize;
    const W = this.width;
    const candidates = this.topCandidates(from, to, rows, logProbs);
    const atLimit = rows[from].ids.length + 1 >= this.ctx.options.maxLength;
    const live: Row[] = [];
    for (let rank = 0; rank < candidates.length; rank++) {
      const { row: r, token } = candidates[rank];
      const ends = atLimit || token === this.ctx.eosId;
      if (ends && rank >= W) continue;
      if (!ends && live.length >= W) continue;
      const child = extendRow(rows[r], token, logProbAt(logProbs, V, r, token), attention[r]);
      if (ends) this.addFinished(child, token === this.ctx.eosId ? 'eos' : 'length');
      else {
        live.push(child);
        next.rows.push(child);
        next.parents.push(r);
      }
    }
    if (this.canStop(source, live)) {
      this.done[source] = true;
      next.rows.length -= live.length;
      next.parents.length -= live.length;
    }
  }

  /** The 2·W best (row, token) continuations of rows `from..to`, best first. */
  private topCandidates(from: number, to: number, rows: readonly Row[], logProbs: StepLogProbs) {
    const V = this.ctx.vocabSize;
    const heap = this.heap;
    heap.reset();
    const logits = logProbs.logits;
    for (let r = from; r < to; r++) {
      const rowMax = logProbs.max ? logProbs.max[r] : Infinity;
      offerRow(heap, logits, r * V, V, rows[r].logProb - logProbs.shift[r], 0, r, rowMax);
    }
    return heap.sorted();
  }

  /** Whether a source is finished: no live beam, or per `earlyStopping` once W hypotheses are finished. */
  private canStop(source: number, live: readonly Row[]): boolean {
    if (live.length === 0) return true;
    const finished = this.finished[source];
    if (finished.length < this.width) return false;
    const { earlyStopping, score } = this.ctx.options;
    if (earlyStopping === 'width') return true;
    // Live rows all have the same length, and the first has the highest log-probability.
    const best = live[0];
    const possible = earlyStopping === 'bound' ? upperBound(this.ctx.options, best.logProb, best.ids.length) : score(best.logProb, best.ids.length);
    return possible <= finished[finished.length - 1].score;
  }

  private addFinished(row: Row, reason: FinishReason): void {
    const list = this.finished[row.source];
    if (this.ctx.options.earlyStopping === 'width' && list.length >= this.width) return;
    const h = toHypothesis(row, reason, this.ctx.options.score(row.logProb, row.ids.length));
    let i = list.length;
    while (i > 0 && compareHypotheses(h, list[i - 1]) < 0) i--;
    if (i >= this.width) return;
    list.splice(i, 0, h);
    if (list.length > this.width) list.pop();
    this.ctx.emit({ type: 'hypothesis', source: row.source, hypothesis: h });
  }

  finish(row: Row, reason: FinishReason): void {
    this.addFinished(row, reason);
  }

  results(sourceCount: number): GenerationResult[] {
    const out: GenerationResult[] = [];
    for (let s = 0; s < sourceCount; s++) {
      const hypotheses = this.finished[s].slice(0, this.ctx.options.numReturn);
      out.push({ best: hypotheses[0], hypotheses });
    }
    return out;
  }
}
