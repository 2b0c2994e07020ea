import { createRng } from '@seqloom/decode';
import type { Batch } from '@seqloom/seq2seq/model';
import type { BenchShape } from './bench-options.js';

export const PAD = 0;
export const BOS = 1;
export const EOS = 2;

/** A training batch as plain row-major arrays (what the anchor reads). */
export interface PlainBatch {
  source: number[][];
  sourceLengths: number[];
  targetIn: number[][];
  targetOut: number[][];
}

/** The data of one bench run: training batches and decode sources. */
export interface BenchData {
  batches: PlainBatch[];
  decodeSources: number[][];
}

/**
 * Random batches with lengths uniform in [⌈L/2⌉, L]: sources padded at the
 * end; targets shifted (`targetIn` starts with bos, `targetOut` ends with eos),
 * eos counted as a real token.
 */
export function makeBenchData(shape: BenchShape, batchCount = 8): BenchData {
  const rng = createRng(shape.seed >>> 0); // the project's one seeded generator: same data on every machine
  const random = () => rng.next();
  const token = () => 3 + Math.floor(random() * (shape.vocab - 3));
  const length = (max: number) => Math.ceil(max / 2) + Math.floor(random() * (max - Math.ceil(max / 2) + 1));
  const batches: PlainBatch[] = [];
  for (let n = 0; n < batchCount; n++) {
    const b: PlainBatch = { source: [], sourceLengths: [], targetIn: [], targetOut: [] };
    for (let r = 0; r < shape.batch; r++) {
      const s = length(shape.sourceLen);
      const t = length(shape.targetLen); // real target positions, eos included
      const body = Array.from({ length: t - 1 }, token);
      b.source.push(Array.from({ length: shape.sourceLen }, (_, i) => (i < s ? token() : PAD)));
      b.sourceLengths.push(s);
      b.targetIn.push(Array.from({ length: shape.targetLen }, (_, i) => (i === 0 ? BOS : i < t ? body[i - 1]! : PAD)));
      b.targetOut.push(Array.from({ length: shape.targetLen }, (_, i) => (i < t - 1 ? body[i]! : i === t - 1 ? EOS : PAD)));
    }
    batches.push(b);
  }
  const decodeSources = Array.from({ length: shape.decodeSources }, () => Array.from({ length: shape.sourceLen }, token));
  return { batches, decodeSources };
}

/** The model-contract form of a plain batch. */
export function toBatch(plain: PlainBatch): Batch {
  const rows = plain.source.length;
  const sourceLength = plain.source[0]!.length;
  const targetLength = plain.targetIn[0]!.length;
  const targetOut = Int32Array.from(plain.targetOut.flat());
  const targetMask = Float32Array.from(targetOut, (id) => (id === PAD ? 0 : 1));
  return {
    batchSize: rows,
    sourceLength,
    targetLength,
    source: Int32Array.from(plain.source.flat()),
    sourceLengths: Int32Array.from(plain.sourceLengths),
    targetIn: Int32Array.from(plain.targetIn.flat()),
    targetOut,
    targetMask,
    tokens: targetMask.reduce((a, b) => a + b, 0),
  };
}
