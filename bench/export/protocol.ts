// What bench/export.ts hands each side's process (a JSON file named by
// `--request FILE`) and what the side prints back (one JSON object, the last
// line of stdout).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export interface ExportBenchRequest {
  /** The seqloom checkpoint folder and its ONNX export. */
  checkpoint: string;
  exported: string;
  /** Source token ids. */
  inputs: number[][];
  /** Every output holds exactly this many new tokens (minNewTokens = maxNewTokens). */
  newTokens: number;
  beam: number;
  /** Inputs per generate() call. */
  batches: number[];
  /** Inputs decoded before timing, per batch size and strategy. */
  warmup: number;
}

export interface ExportBenchRow {
  batch: number;
  /** Sentences per second. */
  greedy: number;
  beam: number;
  /** sha1 of the greedy and beam outputs, to show both sides decode the same. */
  digest: string;
}

export interface ExportBenchResult {
  side: string;
  versions: Record<string, string>;
  rows: ExportBenchRow[];
}

export function readRequest(): ExportBenchRequest {
  const { values } = parseArgs({ options: { request: { type: 'string' } }, strict: false });
  return JSON.parse(readFileSync(String(values.request), 'utf8')) as ExportBenchRequest;
}

export function writeRequest(file: string, request: ExportBenchRequest): void {
  writeFileSync(file, JSON.stringify(request));
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Warms up on the first `warmup` inputs, then decodes all of them in chunks of `batch`: sentences per second and the outputs. */
export async function timePass(
  inputs: readonly number[][],
  batch: number,
  warmup: number,
  decode: (chunk: number[][]) => Promise<number[][]>,
): Promise<{ perSecond: number; outputs: number[][] }> {
  for (const chunk of chunks(inputs.slice(0, warmup), batch)) await decode(chunk);
  const outputs: number[][] = [];
  const start = process.hrtime.bigint();
  for (const chunk of chunks(inputs, batch)) outputs.push(...(await decode(chunk)));
  return { perSecond: inputs.length / (Number(process.hrtime.bigint() - start) / 1e9), outputs };
}
