import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTrainedModel, type TrainedModel, type TrainingData } from '@seqloom/seq2seq';
import { type EvalMetricsRecord, METRICS_FILE, type MetricsRecord, readMetricsLog, runRoot, type TrainingDataOptions } from '@seqloom/seq2seq/tooling';
import type { TopLevelSpec } from 'vega-lite';
import { heatmapSpec, type ReportChart, renderCharts, renderSvg } from './report-charts.js';
import { type ReportExample, reportExamples } from './report-examples.js';
import { reportHtml } from './report-html.js';
import { lengthCounts, readRunData } from './run-data.js';

/** Options of {@link makeReport}. */
export interface ReportOptions {
  /** A model already loaded from `modelDir` (else it is loaded on the current backend and freed afterwards). */
  trained?: TrainedModel;
  /** Validation examples decoded and shown [5]. */
  examples?: number;
  /** Beam width of the n-best lists [4]. */
  beamWidth?: number;
  /** Data to take the examples and data summary from [the data named in the run's run.json]. */
  data?: Omit<TrainingDataOptions, 'tokenizers'>;
}

/** A report: the HTML page and each chart on its own (for PNG files). */
export interface Report {
  html: string;
  charts: ReportChart[];
  records: MetricsRecord[];
  examples: ReportExample[];
}

function lengthChart(data: TrainingData): TopLevelSpec {
  const rows = [
    ...lengthCounts(data.train.map((e) => e.source.length)).map((r) => ({ ...r, side: 'source' })),
    ...lengthCounts(data.train.map((e) => e.targetOut.length)).map((r) => ({ ...r, side: 'target (with stop token)' })),
  ].filter((r) => r.length > 0);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Training example lengths',
    width: 420,
    height: 220,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'length', type: 'ordinal', title: 'length (tokens)' },
      xOffset: { field: 'side' },
      y: { field: 'count', type: 'quantitative', title: 'examples' },
      color: { field: 'side', type: 'nominal', title: null },
    },
  };
}

function lengthSummary(lengths: readonly number[]): string {
  if (lengths.length === 0) return '—';
  const sorted = [...lengths].sort((a, b) => a - b);
  const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  return `min ${sorted[0]}, median ${sorted[Math.floor(sorted.length / 2)]}, mean ${mean.toFixed(1)}, max ${sorted.at(-1)}`;
}

function modelRows(trained: TrainedModel): [string, string][] {
  const c = trained.config.model;
  const rows: [string, string][] = [
    ['checkpoint', trained.dir],
    ['parameters', trained.model.parameterCount().toLocaleString('en-US')],
  ];
  for (const [key, value] of Object.entries(c)) rows.push([key, String(value)]);
  for (const [key, value] of Object.entries(trained.config.training ?? {})) rows.push([`training.${key}`, JSON.stringify(value)]);
  return rows;
}

function dataRows(trained: TrainedModel, data: TrainingData | null): [string, string][] {
  const rows: [string, string][] = [
    ['source vocabulary', String(trained.config.model.task === 'lm' ? '—' : trained.sourceTokenizer.vocabSize)],
    ['target vocabulary', String(trained.targetTokenizer.vocabSize)],
  ];
  if (!data) return [...rows, ['examples', 'unknown: the run names no data (run.json) and none was given']];
  const side = trained.config.model.task === 'lm' ? 'windows' : 'pairs';
  return [
    [`training ${side}`, String(data.stats.trainExamples)],
    [`validation ${side}`, String(data.stats.validExamples)],
    ...rows,
    ...(side === 'pairs' ? [['source length (tokens)', lengthSummary(data.train.map((e) => e.source.length))] as [string, string]] : []),
    ['target length (tokens, with stop)', lengthSummary(data.train.map((e) => e.targetOut.length))],
    ['dropped (too long)', String(data.stats.droppedTooLong)],
  ];
}

function bestAndFinal(records: readonly MetricsRecord[]): { best: EvalMetricsRecord | null; final: EvalMetricsRecord | null } {
  const evals = records.filter((r): r is EvalMetricsRecord => r.kind === 'eval');
  const best = evals.reduce<EvalMetricsRecord | null>((b, r) => (b === null || r.loss < b.loss ? r : b), null);
  return { best, final: evals.at(-1) ?? null };
}

/**
 * Builds the report of a training run (its output folder, or a checkpoint
 * in it): curves from `metrics.jsonl`, the best and final evaluation, the
 * model and data, and decoded validation examples with n-best lists and
 * attention heatmaps. Charts are vega-lite specs drawn to SVG by vega.
 */
export async function makeReport(modelDir: string, options: ReportOptions = {}): Promise<Report> {
  const trained = options.trained ?? (await loadTrainedModel(modelDir));
  try {
    const runDir = runRoot(trained.dir);
    const records = readMetricsLog(join(runDir, METRICS_FILE));
    const data = await readRunData(runDir, trained, options.data);
    const charts = await renderCharts(records);
    if (data && data.train.length > 0) charts.push({ name: 'lengths', title: 'Training example lengths', svg: await renderSvg(lengthChart(data)) });
    const examples = data ? await reportExamples(trained, data.valid, { count: options.examples ?? 5, beamWidth: options.beamWidth ?? 4 }) : [];
    const heatmaps: (string | null)[] = [];
    for (const e of examples)
      heatmaps.push(e.attention ? await renderSvg(heatmapSpec(e.attention.rows, e.attention.sourceTokens, e.attention.targetTokens)) : null);
    const notes = existsSync(join(runDir, METRICS_FILE)) ? [] : [`${join(runDir, METRICS_FILE)} not found: the run was trained before metrics were logged`];
    const html = reportHtml({
      title: `seqloom report: ${runDir}`,
      charts,
      ...bestAndFinal(records),
      model: modelRows(trained),
      data: dataRows(trained, data),
      examples,
      heatmaps,
      notes,
    });
    return { html, charts, records, examples };
  } finally {
    if (!options.trained) trained.dispose();
  }
}

/** Writes each chart as `<dir>/<name>.png` (SVG rasterised by resvg at twice the size); returns the paths. */
export async function writeChartPngs(charts: readonly ReportChart[], dir: string): Promise<string[]> {
  const { Resvg } = await import('@resvg/resvg-js');
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const chart of charts) {
    const png = new Resvg(chart.svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true }, background: 'white' }).render().asPng();
    const path = join(dir, `${chart.name}.png`);
    await writeFile(path, png);
    paths.push(path);
  }
  return paths;
}
