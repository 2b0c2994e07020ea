import type { MetricsRecord } from '@seqloom/seq2seq/tooling';
import { describe, expect, it } from 'vitest';
import { chartPlans, renderCharts } from '../src/report/report-charts.js';
import { escapeHtml } from '../src/report/report-html.js';
import { lengthCounts } from '../src/report/run-data.js';

const train = (step: number): MetricsRecord => ({
  kind: 'train',
  step,
  epoch: 0,
  elapsedSeconds: step,
  loss: 3 / step,
  steps: 1,
  learningRate: 0.01,
  tokensPerSecond: 100 + step,
  gradNorm: 1,
});

describe('report parts', () => {
  it('leaves out the validation charts of a run without evaluations', () => {
    expect(chartPlans([train(1), train(2)]).map((p) => p.name)).toEqual([
      'loss-by-step',
      'loss-by-time',
      'learning-rate',
      'tokens-per-second',
      'gradient-norm',
    ]);
    expect(chartPlans([])).toEqual([]);
  });

  it('renders each chart as SVG with its title and axis titles', async () => {
    const [loss] = await renderCharts([
      train(1),
      train(2),
      { kind: 'eval', step: 2, epoch: 0, elapsedSeconds: 2, learningRate: 0.01, loss: 1, perplexity: Math.E, accuracy: 0.5, tokens: 9, isBest: true },
    ]);
    expect(loss!.svg.startsWith('<svg')).toBe(true);
    for (const text of ['Loss by step', 'loss (nats per token)', '>step<', 'training', 'validation']) expect(loss!.svg).toContain(text);
  });

  it('escapes markup in text taken from data', () => {
    expect(escapeHtml(`<b a="1">'&'</b>`)).toBe('&#60;b a=&#34;1&#34;&#62;&#39;&#38;&#39;&#60;/b&#62;');
  });

  it('counts lengths for the histogram', () => {
    expect(lengthCounts([3, 1, 3, 2, 3])).toEqual([
      { length: 1, count: 1 },
      { length: 2, count: 1 },
      { length: 3, count: 3 },
    ]);
  });
});
