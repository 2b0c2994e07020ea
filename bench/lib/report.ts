import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { BenchShape } from './bench-options.js';
import type { AnchorResult } from './torch-anchor.js';

/** One printed figure: seqloom's value, the anchor's per thread setting, and the ratio. */
export interface FigureRow {
  figure: string;
  unit: string;
  seqloom: number;
  torch: Record<string, number | undefined>; // by thread setting
  /** higher: larger is better (throughput); lower: smaller is better (time, memory). */
  better: 'higher' | 'lower';
}

/**
 * Ratio seqloom/PyTorch as a speed or size factor against the anchor's better
 * thread setting: for throughput seqloom ÷ PyTorch, for ms/step PyTorch ÷
 * seqloom (so > 1 always means seqloom is faster), for memory seqloom ÷ PyTorch.
 */
export function ratio(row: FigureRow): number | undefined {
  const values = Object.values(row.torch).filter((v): v is number => v !== undefined);
  if (values.length === 0) return undefined;
  if (row.figure === 'peak RSS') return row.seqloom / Math.min(...values);
  const best = row.better === 'higher' ? Math.max(...values) : Math.min(...values);
  return row.better === 'higher' ? row.seqloom / best : best / row.seqloom;
}

function fmt(value: number | undefined): string {
  if (value === undefined) return '—';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
}

/** Prints the figures as a table and, with `json`, writes them to that file. */
export function report(
  title: string,
  shape: BenchShape,
  backend: string,
  rows: FigureRow[],
  anchors: AnchorResult[],
  notes: string[],
  json: string | undefined,
  extra: Record<string, unknown> = {},
  showRatios = true,
): void {
  const settings = anchors.map((a) => `${a.threads} thread${a.threads > 1 ? 's' : ''}`);
  // other processes on the machine skew every timing: the load is printed with them
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `\n${title} — config ${shape.name}: vocab ${shape.vocab}, emb ${shape.emb}, hidden ${shape.hidden}, ` +
      `${shape.layers} layer(s), batch ${shape.batch}, source ${shape.sourceLen}, target ${shape.targetLen}`,
  );
  console.log(
    `seqloom: ${backend}; PyTorch: ${anchors[0] ? `torch ${anchors[0].torch ?? '?'} (${anchors[0].blas ?? 'BLAS unknown'})` : '—'}; ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${load}; ${new Date().toISOString()}`,
  );
  const header = ['figure', 'seqloom', ...settings.map((s) => `PyTorch ${s}`), 'ratio'];
  const table = rows.map((row) => {
    const r = showRatios ? ratio(row) : undefined;
    return [`${row.figure} (${row.unit})`, fmt(row.seqloom), ...settings.map((s) => fmt(row.torch[s])), r === undefined ? '—' : `${r.toFixed(2)}×`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  table.forEach((t) => console.log(line(t)));
  notes.forEach((n) => console.log(n));
  if (json !== undefined) {
    const out = {
      title,
      date: new Date().toISOString(),
      shape,
      backend,
      loadAverage: load,
      rows: rows.map((row) => ({ ...row, ratio: showRatios ? ratio(row) : undefined })),
      anchors,
      ...extra,
    };
    writeFileSync(json, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`figures written to ${json}`);
  }
}
