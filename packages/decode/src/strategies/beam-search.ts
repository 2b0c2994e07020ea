import { DecodeOptionError } from '../errors.js';
import { compareHypotheses, extendRow, type GenerationResult, type Hypothesis, type Row, rootRow, toHypothesis } from '../hypothesis.js';
import { argmax } from '../log-softmax.js';
import { type Candidate, offerRow, TopCandidates } from '../partial-select.js';
import type { FinishReason } from '../stopping-criteria.js';
import { HfBeamSearch } from './hf-beam-search.js';
import { upperBound } from './score-bound.js';
import { logProbAt, type SearchStrategy, type Selection, type StepLogProbs, type StrategyContext, type StrategyDefinition } from './search-strategy.js';

/**
 * Beam search, optionally diverse (Vijayakumar et al., 2018): the beam of
 * width W is split into G groups of W/G beams, searched one after another at
 * every step; group g's candidates are penalised by λ × (number of times the
 * token was chosen by groups 0..g−1 at this step), Hamming diversity. The
 * penalty steers selection only; reported log-probabilities are the model's.
 *
 * Per group and step: the 2·W/G best (beam, token) candidates are taken by
 * partial selection; a stop-token candidate ranked within the first W/G
 * finishes a hypothesis, the others fill the W/G live beams. The row on the
 * greedy path (group 0) always keeps its most probable continuation, so the
 * best hypothesis is never worse than greedy decoding's.
 */
export class BeamSearch implements SearchStrategy {
  private readonly finished: Hypothesis[][][] = []; // [source][group], best first, ≤ W/G each
  private readonly done: boolean[][] = [];
  private readonly groupWidth: number;
  private counts: Float64Array | null = null;
  private readonly heap: TopCandidates;
  constructor(private readonly ctx: StrategyContext) {
    this.groupWidth = ctx.options.beamWidth / ctx.options.beamGroups;
    this.heap = new TopCandidates(2 * this.groupWidth);
  }

  initial(sourceCount: number): Selection {
    const rows: Row[] = [];
    const parents: number[] = [];
    for (let s = 0; s < sourceCount; s++) {
      this.finished.push(Array.from({ length: this.ctx.options.beamGroups }, () => []));
      this.done.push(new Array<boolean>(this.ctx.options.beamGroups).fill(false));
      rows.push(rootRow(s, -1));
      parents.push(s);
    }
    return { rows, parents };
  }

  select(rows: readonly Row[], logProbs: StepLogProbs, attention: readonly (Float32Array | null)[]): Selection {
    const bySource = new Map<number, number[]>();
    rows.forEach((row, r) => {
      const list = bySource.get(row.source);
      if (list) list.push(r);
      else bySource.set(row.source, [r]);
    });
    const next: Selection = { rows: [], parents: [] };
    for (const [source, members] of bySource) {
      // Times each token was chosen by earlier groups at this step (diverse beam search).
      const counts = this.ctx.options.diversityStrength > 0 ? this.chosenCounts() : null;
      for (let g = 0; g < this.ctx.options.beamGroups; g++) {
        if (this.done[source][g]) continue;
        const groupRows = members.filter((r) => rows[r].slot === g || rows[r].slot === -1);
        if (groupRows.length === 0) continue;
        const live = this.selectGroup(g, groupRows, rows, logProbs, attention, counts);
        if (this.isDone(source, g, live.rows)) {
          this.done[source][g] = true;
          continue;
        }
        if (counts) {
          for (const row of live.rows) {
            counts[row.ids[row.ids.length - 1]]++;
          }
        }
        next.rows.push(...live.rows);
        next.parents.push(...live.parents);
      }
    }
    return next;
  }

  private chosenCounts(): Float64Array {
    if (!this.counts) this.counts = new Float64Array(this.ctx.vocabSize);
    else this.counts.fill(0);
    return this.counts;
  }

  /** The next live beams of one group; finished candidates are recorded. */
  private selectGroup(
    group: number,
    groupRows: number[],
    rows: readonly Row[],
    logProbs: StepLogProbs,
    attention: readonly (Float32Array | null)[],
    counts: Float64Array | null,
  ): Selection {
    const V = this.ctx.vocabSize;
    const W = this.groupWidth;
    const eos = this.ctx.eosId;
    const candidates = this.topCandidates(groupRows, rows, logProbs, counts);
    const greedyRow = group === 0 ? groupRows.find((r) => rows[r].greedy) : undefined;
    const greedyToken = greedyRow === undefined ? -1 : argmax(logProbs.logits, greedyRow * V, (greedyRow + 1) * V);
    let greedyKept = greedyRow === undefined;
    const out: Selection = { rows: [], parents: [] };
    for (let rank = 0; rank < candidates.length && out.rows.length < W; rank++) {
      const { row: r, token } = candidates[rank];
      if (token === eos && rank >= W) continue;
      const child = extendRow(rows[r], token, logProbAt(logProbs, V, r, token), attention[r], group);
      if (r === greedyRow && token === greedyToken) {
        child.greedy = true;
        greedyKept = true;
      }
      if (token === eos) this.addFinished(child, group, 'eos');
      else {
        out.rows.push(child);
        out.parents.push(r);
      }
    }
    if (!greedyKept && greedyRow !== undefined) {
      // The greedy continuation fell outside the beam: keep it in place of the weakest beam.
      const child = extendRow(rows[greedyRow], greedyToken, logProbAt(logProbs, V, greedyRow, greedyToken), attention[greedyRow], group);
      child.greedy = true;
      if (greedyToken === eos) this.addFinished(child, group, 'eos');
      else {
        if (out.rows.length === W) {
          out.rows.pop();
          out.parents.pop();
        }
        out.rows.push(child);
        out.parents.push(greedyRow);
      }
    }
    return out;
  }

  /** The 2·W best (row, token) continuations of a group, best first, diversity penalty applied. */
  private topCandidates(groupRows: number[], rows: readonly Row[], logProbs: StepLogProbs, counts: Float64Array | null): Candidate[] {
    const V = this.ctx.vocabSize;
    const lambda = this.ctx.options.diversityStrength;
    const heap = this.heap;
    heap.reset();
    for (const r of groupRows) {
      const rowMax = logProbs.max ? logProbs.max[r] : Infinity;
      offerRow(heap, logProbs.logits, r * V, V, rows[r].logProb, logProbs.shift[r], r, rowMax, counts, lambda);
    }
    return heap.sorted();
  }

  /** Whether a group can stop: no live beams, or enough finished ones per `earlyStopping`. */
  private isDone(source: number, group: number, live: readonly Row[]): boolean {
    if (live.length === 0) return true;
    const finished = this.finished[source][group];
    if (finished.length < this.groupWidth) return false;
    if (this.ctx.options.earlyStopping === 'width') return true;
    const worst = finished[finished.length - 1].score;
    const heuristic = this.ctx.options.earlyStopping === 'heuristic';
    for (const row of live) {
      const best = heuristic ? this.ctx.options.score(row.logProb, row.ids.length) : upperBound(this.ctx.options, row.logProb, row.ids.length);
      if (best > worst) return false;
    }
    return true;
  }

  private addFinished(row: Row, group: number, reason: FinishReason): void {
    const h = toHypothesis(row, reason, this.ctx.options.score(row.logProb, row.ids.length));
    const list = this.finished[row.source][group];
    let i = list.length;
    while (i > 0 && compareHypotheses(h, list[i - 1]) < 0) i--;
    if (i >= this.groupWidth) return;
    list.splice(i, 0, h);
    if (list.length > this.groupWidth) list.pop();
    this.ctx.emit({ type: 'hypothesis', source: row.source, hypothesis: h });
  }

  finish(row: Row, reason: FinishReason): void {
    this.addFinished(row, Math.max(row.slot, 0), reason);
  }

  results(sourceCount: number): GenerationResult[] {
    const out: GenerationResult[] = [];
    for (let s = 0; s < sourceCount; s++) {
      const all = this.finished[s].flat().sort(compareHypotheses);
      const seen = new Set<string>();
      const hypotheses = all.filter((h) => {
        const key = h.ids.join(',');
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      hypotheses.length = Math.min(hypotheses.length, this.ctx.options.numReturn);
      out.push({ best: hypotheses[0], hypotheses });
    }
    return out;
  }
}

/** Beam search: `beamWidth` live hypotheses per source, optionally in diverse groups. */
export const beamStrategy: StrategyDefinition = {
  help: 'keep the beamWidth best hypotheses at every step',
  check({ numReturn, beamWidth, beamGroups, compat }) {
    if (numReturn > beamWidth) throw new DecodeOptionError('numReturn', `must be ≤ beamWidth (${beamWidth}); got ${numReturn}`);
    if (beamWidth % beamGroups !== 0) throw new DecodeOptionError('beamGroups', `must divide beamWidth (${beamWidth}); got ${beamGroups}`);
    if (compat === 'hf' && beamGroups > 1) {
      throw new DecodeOptionError(
        'beamGroups',
        "diverse beam search (beamGroups > 1) follows seqloom's conventions only; drop compat: 'hf' or use beamGroups 1",
      );
    }
  },
  create: (context) => (context.options.compat === 'hf' ? new HfBeamSearch(context) : new BeamSearch(context)),
};
