// The printed report of `pnpm bench onnx`: sentences per second per side and
// batch size, seqloom's speed against each other side, and where its time goes.
import type { SideResult, SideRow, TimeSplit } from './protocol.js';

const fmt = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const pct = (part: number, total: number) => `${Math.round((100 * part) / total)} %`;

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  rows.forEach((r) => console.log(line(r)));
}

/** side | batch | greedy | beam | new tokens per output. */
export function printSpeeds(results: SideResult[], beam: number): void {
  const rows = results.flatMap((r) =>
    r.rows.map((row) => [
      r.side,
      String(row.batch),
      fmt(row.greedy),
      fmt(row.beam),
      row.tokensPerOutput.min === row.tokensPerOutput.max ? String(row.tokensPerOutput.min) : `${row.tokensPerOutput.min}–${row.tokensPerOutput.max}`,
    ]),
  );
  table(['side', 'batch', 'greedy sent/s', `beam-${beam} sent/s`, 'new tokens'], rows);
}

const rowOf = (r: SideResult, batch: number): SideRow | undefined => r.rows.find((x) => x.batch === batch);
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : '—');

/** seqloom ÷ each other side, greedy and beam, per batch size (> 1: seqloom faster). */
export function printRatios(seqloom: SideResult[], others: SideResult[], batches: number[], beam: number): void {
  if (others.length === 0) return;
  const header = ['ratio (> 1: seqloom faster)', ...batches.flatMap((b) => [`greedy b${b}`, `beam-${beam} b${b}`])];
  const rows = seqloom.flatMap((s) =>
    others.map((o) => [
      `${s.side} ÷ ${o.side}`,
      ...batches.flatMap((b) => [ratio(rowOf(s, b)?.greedy, rowOf(o, b)?.greedy), ratio(rowOf(s, b)?.beam, rowOf(o, b)?.beam)]),
    ]),
  );
  console.log('');
  table(header, rows);
}

/** Whether the JavaScript sides decoded the same greedy ids (same graphs, same inputs). */
export function printSameOutputs(results: SideResult[]): void {
  const withDigests = results.filter((r) => r.digests);
  if (withDigests.length < 2) return;
  const batches = Object.keys(withDigests[0].digests!);
  const same = batches.map((b) => `batch ${b}: ${new Set(withDigests.map((r) => r.digests![b])).size === 1 ? 'yes' : 'NO'}`);
  console.log(`same greedy ids on ${withDigests.map((r) => r.side).join(', ')}: ${same.join(', ')}`);
}

function describeSplit(s: TimeSplit): string {
  const [run, ...rest] = s.parts;
  const perCall = (1e6 * run[1]) / s.runCalls;
  return (
    `${s.strategy} (batch ${s.batch}, ${s.total.toFixed(2)} s): ${run[0]} ${pct(run[1], s.total)} (${s.runCalls} calls, ${perCall.toFixed(0)} µs each), ` +
    rest.map(([label, seconds]) => `${label} ${pct(seconds, s.total)}`).join(', ')
  );
}

/** Where each side's time went in its profiled pass (one more pass, not the timed ones). */
export function printSplits(results: SideResult[]): void {
  console.log('time by part (one more pass over the inputs with run() timed):');
  for (const r of results) r.split?.forEach((x) => console.log(`  ${r.side}, ${describeSplit(x)}`));
}
