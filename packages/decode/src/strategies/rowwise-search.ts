import { compareHypotheses, extendRow, type GenerationResult, type Hypothesis, type Row, rootRow, toHypothesis } from '../hypothesis.js';
import type { FinishReason } from '../stopping-criteria.js';
import type { SearchStrategy, Selection, StepLogProbs, StrategyContext } from './search-strategy.js';

/**
 * Chooses one token from a row of processed logits, `logits[start … start+vocab)`,
 * with log p = logits − shift; returns the token id (0 … vocab−1).
 */
export type TokenPicker = (logits: Float32Array, shift: number, start: number, vocab: number) => number;

/**
 * Greedy decoding and sampling: every row extends itself by one picked token
 * per step, independently. With `numReturn` n, each source gets n rows.
 */
export class RowwiseSearch implements SearchStrategy {
  private readonly finished: Hypothesis[][] = [];
  private step = 0;
  constructor(
    private readonly ctx: StrategyContext,
    private readonly pick: TokenPicker,
  ) {}

  initial(sourceCount: number): Selection {
    const rows: Row[] = [];
    const parents: number[] = [];
    for (let s = 0; s < sourceCount; s++) {
      this.finished.push([]);
      for (let k = 0; k < this.ctx.options.numReturn; k++) {
        rows.push(rootRow(s, k));
        parents.push(s);
      }
    }
    return { rows, parents };
  }

  select(rows: readonly Row[], logProbs: StepLogProbs, attention: readonly (Float32Array | null)[]): Selection {
    const V = this.ctx.vocabSize;
    const next: Row[] = [];
    const parents: number[] = [];
    for (let r = 0; r < rows.length; r++) {
      const shift = logProbs.shift[r];
      const token = this.pick(logProbs.logits, shift, r * V, V);
      const logProb = logProbs.logits[r * V + token] - shift;
      const row = rows[r];
      next.push(extendRow(row, token, logProb, attention[r]));
      parents.push(r);
      if (this.ctx.listening) this.ctx.emit({ type: 'token', source: row.source, sample: row.slot, step: this.step, token, logProb });
    }
    this.step++;
    return { rows: next, parents };
  }

  finish(row: Row, reason: FinishReason): void {
    const h = toHypothesis(row, reason, this.ctx.options.score(row.logProb, row.ids.length));
    this.finished[row.source].push(h);
    this.ctx.emit({ type: 'hypothesis', source: row.source, hypothesis: h });
  }

  results(sourceCount: number): GenerationResult[] {
    const out: GenerationResult[] = [];
    for (let s = 0; s < sourceCount; s++) {
      const hypotheses = this.finished[s].slice().sort(compareHypotheses);
      out.push({ best: hypotheses[0], hypotheses });
    }
    return out;
  }
}
