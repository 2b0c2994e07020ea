import type { MetricsRecord } from '@seqloom/seq2seq/tooling';
import type { TopLevelSpec } from 'vega-lite';

/** One chart of a report: its name (file name of its PNG), title and SVG. */
export interface ReportChart {
  name: string;
  title: string;
  svg: string;
}

/** A chart to draw: a vega-lite spec over the metrics rows. */
interface ChartPlan {
  name: string;
  title: string;
  spec: TopLevelSpec;
}

type Row = Record<string, number | string>;

const WIDTH = 420;
const HEIGHT = 220;

function lineChart(title: string, rows: Row[], x: { field: string; title: string }, y: { field: string; title: string; scale?: 'log' }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: 'line', point: rows.length <= 40 },
    encoding: {
      x: { field: x.field, type: 'quantitative', title: x.title },
      y: { field: y.field, type: 'quantitative', title: y.title, scale: y.scale ? { type: y.scale } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** Training and validation rows of the metrics log, in the long form the charts read. */
function metricRows(records: readonly MetricsRecord[]): { loss: Row[]; train: Row[]; evals: Row[] } {
  const loss: Row[] = [];
  const train: Row[] = [];
  const evals: Row[] = [];
  for (const r of records) {
    const at = { step: r.step, minutes: r.elapsedSeconds / 60 };
    if (r.kind === 'train') {
      loss.push({ ...at, loss: r.loss, series: 'training' });
      train.push({ ...at, learningRate: r.learningRate, tokensPerSecond: r.tokensPerSecond, gradNorm: r.gradNorm, series: 'training' });
    } else {
      loss.push({ ...at, loss: r.loss, series: 'validation' });
      evals.push({ ...at, accuracy: r.accuracy, perplexity: r.perplexity, series: 'validation' });
    }
  }
  return { loss, train, evals };
}

/** The charts a metrics log gives (those with no rows are left out). */
export function chartPlans(records: readonly MetricsRecord[]): ChartPlan[] {
  const { loss, train, evals } = metricRows(records);
  const step = { field: 'step', title: 'step' };
  const plans: ChartPlan[] = [
    { name: 'loss-by-step', title: 'Loss by step', spec: lineChart('Loss by step', loss, step, { field: 'loss', title: 'loss (nats per token)' }) },
    {
      name: 'loss-by-time',
      title: 'Loss by wall time',
      spec: lineChart('Loss by wall time', loss, { field: 'minutes', title: 'training time (minutes)' }, { field: 'loss', title: 'loss (nats per token)' }),
    },
    { name: 'learning-rate', title: 'Learning rate', spec: lineChart('Learning rate', train, step, { field: 'learningRate', title: 'learning rate' }) },
    {
      name: 'tokens-per-second',
      title: 'Throughput',
      spec: lineChart('Throughput', train, step, { field: 'tokensPerSecond', title: 'target tokens per second' }),
    },
    {
      name: 'gradient-norm',
      title: 'Gradient norm',
      spec: lineChart('Gradient norm before clipping', train, step, { field: 'gradNorm', title: 'global gradient norm' }),
    },
    {
      name: 'valid-accuracy',
      title: 'Validation accuracy',
      spec: lineChart('Validation token accuracy', evals, step, { field: 'accuracy', title: 'token accuracy' }),
    },
    {
      name: 'valid-perplexity',
      title: 'Validation perplexity',
      spec: lineChart('Validation perplexity', evals, step, { field: 'perplexity', title: 'perplexity' }),
    },
  ];
  const rowsOf = new Map([
    ['loss-by-step', loss],
    ['loss-by-time', loss],
    ['valid-accuracy', evals],
    ['valid-perplexity', evals],
  ]);
  return plans.filter((plan) => (rowsOf.get(plan.name) ?? train).length > 0);
}

/** Attention heatmap: one row per generated token, one column per source token. */
export function heatmapSpec(rows: readonly (readonly number[])[], sourceTokens: readonly string[], targetTokens: readonly string[]): TopLevelSpec {
  const cells: Row[] = [];
  rows.forEach((row, t) =>
    row.forEach((weight, s) => cells.push({ t, s, target: `${t + 1}: ${targetTokens[t] ?? ''}`, source: `${s + 1}: ${sourceTokens[s] ?? ''}`, weight })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: Math.max(60, 22 * sourceTokens.length),
    height: Math.max(60, 22 * targetTokens.length),
    data: { values: cells },
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x: { field: 'source', type: 'ordinal', title: 'source tokens', sort: { field: 's' }, axis: { labelAngle: -45 } },
      y: { field: 'target', type: 'ordinal', title: 'generated tokens', sort: { field: 't' } },
      color: { field: 'weight', type: 'quantitative', title: 'attention', scale: { domain: [0, 1], scheme: 'blues' } },
    },
  };
}

/**
 * Renders a vega-lite spec to SVG with vega's headless SVG renderer (no canvas, no network).
 * vega is loaded here, on first use: its module graph has a top-level await
 * (vega-canvas), which would keep `require('@seqloom/cli')` from loading.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Every chart of a metrics log, rendered. */
export async function renderCharts(records: readonly MetricsRecord[]): Promise<ReportChart[]> {
  const charts: ReportChart[] = [];
  for (const plan of chartPlans(records)) charts.push({ name: plan.name, title: plan.title, svg: await renderSvg(plan.spec) });
  return charts;
}
