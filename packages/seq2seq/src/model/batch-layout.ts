import { SeqloomError } from '@seqloom/core';
import type { Batch } from '../model-contract.js';
import type { SourceBatch } from './encoder.js';

/** A batch error: the message names the field and the expected shape. */
export class BatchShapeError extends SeqloomError {
  constructor(message: string) {
    super(message);
    this.name = 'BatchShapeError';
  }
}

/** Row-major [B, T] → time-major [T·B] (index t·B + b). */
export function toTimeMajor<T extends Int32Array | Float32Array | Uint8Array>(values: T, rows: number, steps: number): T {
  const out = new (values.constructor as new (n: number) => T)(rows * steps);
  for (let b = 0; b < rows; b++) {
    for (let t = 0; t < steps; t++) out[t * rows + b] = values[b * steps + t];
  }
  return out;
}

/**
 * Per row, the steps up to and including its last real position of a
 * time-major mask [T·B] (0 for a row with none): a recurrent layer may stop
 * each row there, since nothing later carries loss.
 */
export function realLengths(mask: Float32Array | Uint8Array, rows: number, steps: number): Int32Array {
  const lengths = new Int32Array(rows);
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < rows; b++) if (mask[t * rows + b] !== 0) lengths[b] = t + 1;
  }
  return lengths;
}

/** Indices of the nonzero entries of a mask (the positions that carry loss). */
export function realRows(mask: Float32Array | Uint8Array): Int32Array {
  const rows: number[] = [];
  mask.forEach((m, i) => {
    if (m !== 0) rows.push(i);
  });
  return Int32Array.from(rows);
}

function expectLength(field: string, actual: number, expected: number, shape: string): void {
  if (actual !== expected) {
    throw new BatchShapeError(`Invalid batch: "${field}" has ${actual} values, expected ${shape} = ${expected}.`);
  }
}

/** Checks a batch's array sizes and ids against the vocabularies. */
export function checkBatch(batch: Batch, sourceVocab: number, targetVocab: number, needsSource: boolean): void {
  const { batchSize: b, sourceLength: s, targetLength: t } = batch;
  if (!Number.isInteger(b) || b < 1 || !Number.isInteger(t) || t < 1) {
    throw new BatchShapeError(`Invalid batch: batchSize and targetLength must be positive integers (got ${b}, ${t}).`);
  }
  expectLength('targetIn', batch.targetIn.length, b * t, 'batchSize × targetLength');
  expectLength('targetOut', batch.targetOut.length, b * t, 'batchSize × targetLength');
  expectLength('targetMask', batch.targetMask.length, b * t, 'batchSize × targetLength');
  for (const field of ['targetIn', 'targetOut'] as const) {
    const bad = batch[field].findIndex((id) => id < 0 || id >= targetVocab);
    if (bad >= 0) throw new BatchShapeError(`Invalid batch: "${field}"[${bad}] = ${batch[field][bad]} is outside the target vocabulary [0, ${targetVocab}).`);
  }
  if (!needsSource) return;
  if (!Number.isInteger(s) || s < 1) throw new BatchShapeError(`Invalid batch: a seq2seq batch needs sourceLength ≥ 1 (got ${s}).`);
  expectLength('source', batch.source.length, b * s, 'batchSize × sourceLength');
  expectLength('sourceLengths', batch.sourceLengths.length, b, 'batchSize');
  const badLength = batch.sourceLengths.findIndex((n) => n < 1 || n > s);
  if (badLength >= 0)
    throw new BatchShapeError(`Invalid batch: sourceLengths[${badLength}] = ${batch.sourceLengths[badLength]}, expected 1 to sourceLength (${s}).`);
  const bad = batch.source.findIndex((id) => id < 0 || id >= sourceVocab);
  if (bad >= 0) throw new BatchShapeError(`Invalid batch: "source"[${bad}] = ${batch.source[bad]} is outside the source vocabulary [0, ${sourceVocab}).`);
}

/** The batch's source side, time-major, for the encoder. */
export function sourceOf(batch: Batch): SourceBatch {
  return {
    ids: toTimeMajor(batch.source, batch.batchSize, batch.sourceLength),
    lengths: batch.sourceLengths,
    steps: batch.sourceLength,
    rows: batch.batchSize,
  };
}

/** Pads token-id rows into a time-major source batch. */
export function padSources(sources: readonly (readonly number[])[], padId: number): SourceBatch {
  const rows = sources.length;
  const steps = Math.max(1, ...sources.map((s) => s.length));
  const ids = new Int32Array(rows * steps).fill(padId);
  const lengths = new Int32Array(rows);
  sources.forEach((source, b) => {
    lengths[b] = source.length;
    source.forEach((id, t) => {
      ids[t * rows + b] = id;
    });
  });
  return { ids, lengths, steps, rows };
}
