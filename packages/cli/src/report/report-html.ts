import type { EvalMetricsRecord } from '@seqloom/seq2seq/tooling';
import type { ReportChart } from './report-charts.js';
import type { ReportExample } from './report-examples.js';

/** What the HTML page shows, computed before it is written. */
export interface ReportContent {
  title: string;
  charts: readonly ReportChart[];
  /** Best (lowest validation loss) and last evaluation. */
  best: EvalMetricsRecord | null;
  final: EvalMetricsRecord | null;
  /** Rows of the model and data tables: label → value. */
  model: readonly (readonly [string, string])[];
  data: readonly (readonly [string, string])[];
  examples: readonly ReportExample[];
  /** Heatmap SVG of each example (same order; null without attention). */
  heatmaps: readonly (string | null)[];
  notes: readonly string[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const table = (rows: readonly (readonly string[])[], head?: readonly string[]): string =>
  `<table>${head ? `<tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>` : ''}${rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 && !head ? `<th>${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`)
    .join('')}</table>`;

function evaluationTable(best: EvalMetricsRecord | null, final: EvalMetricsRecord | null): string {
  const rows = (
    [
      ['best', best],
      ['final', final],
    ] as const
  )
    .filter(([, r]) => r !== null)
    .map(([label, r]) => [
      label,
      String(r!.step),
      String(r!.epoch),
      r!.loss.toFixed(4),
      r!.perplexity.toFixed(3),
      `${(100 * r!.accuracy).toFixed(2)} %`,
      r!.learningRate.toPrecision(3),
    ]);
  if (rows.length === 0) return '<p>No evaluation was recorded (the run had no validation data).</p>';
  return table(rows, ['evaluation', 'step', 'epoch', 'loss', 'perplexity', 'token accuracy', 'learning rate']);
}

function exampleSection(example: ReportExample, index: number, heatmap: string | null): string {
  const nBest = table(
    example.nBest.map((h, rank) => [String(rank + 1), h.text, h.score.toFixed(4), h.logProb.toFixed(4)]),
    ['rank', 'beam hypothesis', 'score', 'log-probability'],
  );
  const attention = example.attention
    ? `<figure class="heatmap" data-example="${index}" data-attention="${escapeHtml(JSON.stringify(example.attention.rows))}">${heatmap ?? ''}<figcaption>Attention of the best beam hypothesis (rows: generated tokens, columns: source tokens)</figcaption></figure>`
    : '<p>This model has no attention.</p>';
  return `<section class="example"><h3>Example ${index + 1}</h3>${table([
    ['source', example.source],
    ['reference', example.reference],
    ['greedy', example.greedy],
  ])}${nBest}${attention}</section>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .6rem;text-align:left;font-variant-numeric:tabular-nums}
th{background:#f4f4f4}.charts{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}.example{margin-bottom:2rem}`;

/** The report as one HTML page: charts and heatmaps are inline SVG, nothing is loaded from elsewhere. */
export function reportHtml(content: ReportContent): string {
  const charts = content.charts.map((c) => `<figure class="chart" data-chart="${escapeHtml(c.name)}">${c.svg}</figure>`).join('\n');
  const examples = content.examples.map((e, i) => exampleSection(e, i, content.heatmaps[i] ?? null)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>${STYLE}</style></head>
<body><h1>${escapeHtml(content.title)}</h1>
${content.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}
<h2>Evaluations</h2>${evaluationTable(content.best, content.final)}
<h2>Training curves</h2><div class="charts">${charts || '<p>No metrics were recorded (metrics.jsonl is missing or empty).</p>'}</div>
<h2>Model</h2>${table(content.model)}
<h2>Data</h2>${table(content.data)}
<h2>Validation examples</h2>${examples || '<p>No validation examples to show.</p>'}
</body></html>
`;
}
