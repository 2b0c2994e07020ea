// What bench/onnx.ts hands each side's process and what the side prints back:
// the request is a JSON file named by `--request FILE`; the result is the last
// line of stdout, one JSON object.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The work every side does: the same source ids, exactly `newTokens` new tokens each. */
export interface SideRequest {
  /** The export folder (a packages/onnx/fixtures/tiny-* folder). */
  folder: string;
  /** Source token ids, the tokenizer's special tokens included. */
  inputs: number[][];
  /** Every output holds exactly this many new tokens (min_new_tokens = max_new_tokens). */
  newTokens: number;
  /** Beam width of the beam rows (one hypothesis returned). */
  beam: number;
  /** Inputs per generate() call, one timed pass each. */
  batches: number[];
  /** Inputs decoded before timing (once per batch size and strategy). */
  warmup: number;
  /** Timed passes over the inputs; the fastest counts (other processes only ever slow a pass down). */
  repeats: number;
}

/** One timed pass: sentences per second, or null where the side cannot run it. */
export interface SideRow {
  batch: number;
  greedy: number | null;
  beam: number | null;
  /** New tokens per output (every output has newTokens of them when the work is the same). */
  tokensPerOutput: { min: number; max: number };
}

/** Where a side's time goes in one profiled pass. */
export interface TimeSplit {
  strategy: 'greedy' | 'beam';
  batch: number;
  /** Seconds of the whole pass. */
  total: number;
  runCalls: number;
  /** Seconds by part, the first inside onnxruntime's InferenceSession.run() (the native call and its promise). */
  parts: [label: string, seconds: number][];
}

export interface SideResult {
  side: string;
  versions: Record<string, string>;
  rows: SideRow[];
  /** sha1 of the greedy outputs per batch size (same weights, same ids: equal digests). */
  digests?: Record<string, string>;
  split?: TimeSplit[];
  notes?: string[];
}

/** The request this process was started with. */
export function readRequest(): SideRequest {
  const { values } = parseArgs({ options: { request: { type: 'string' } }, strict: false });
  if (typeof values.request !== 'string') throw new Error('usage: <side> --request FILE (bench/onnx.ts writes it)');
  return JSON.parse(readFileSync(values.request, 'utf8')) as SideRequest;
}

/** Prints the result as the last line of stdout. */
export function writeResult(result: SideResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Consecutive slices of `items` of `size` each (the last may be shorter). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Sentences per second of decoding the request's inputs in chunks of `batch`,
 * after decoding `warmup` of them: the fastest of `repeats` passes. Returns the
 * last pass's outputs.
 */
export async function timePasses(
  request: SideRequest,
  batch: number,
  decode: (chunk: number[][]) => Promise<number[][]>,
): Promise<{ perSecond: number; outputs: number[][] }> {
  const { inputs } = request;
  for (const chunk of chunks(inputs.slice(0, request.warmup), batch)) await decode(chunk);
  let best = Infinity;
  let outputs: number[][] = [];
  for (let pass = 0; pass < request.repeats; pass++) {
    outputs = [];
    const start = process.hrtime.bigint();
    for (const chunk of chunks(inputs, batch)) outputs.push(...(await decode(chunk)));
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { perSecond: inputs.length / best, outputs };
}

/** The shortest and longest output. */
export function lengths(outputs: readonly number[][]): { min: number; max: number } {
  const ls = outputs.map((o) => o.length);
  return { min: Math.min(...ls), max: Math.max(...ls) };
}
