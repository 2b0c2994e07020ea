import { TokenizerOptionError } from './errors.js';

/** A rectangular batch of token ids, row-major `[batchSize × length]`. */
export interface EncodedBatch {
  /** Token ids, padded with the pad id. */
  ids: Int32Array;
  /** 1 where `ids` holds a real token, 0 at padding. */
  mask: Uint8Array;
  /** Real (unpadded) length of each row. */
  lengths: Int32Array;
  batchSize: number;
  length: number;
}

/** Options of {@link Tokenizer.encodeBatch}. */
export interface EncodeBatchOptions {
  /** Prepend the bos token to every row. */
  addBos?: boolean;
  /** Append the eos (stop) token to every row. */
  addEos?: boolean;
  /** Truncate rows to at most this many tokens; bos/eos are kept, text tokens are dropped from the end. */
  maxLength?: number;
  /** 'longest' (default): pad to the longest row; a number: pad every row to exactly that length. */
  padTo?: 'longest' | number;
}

/** The special ids batching needs. */
export interface BatchSpecialIds {
  padId: number;
  bosId: number;
  eosId: number;
}

function checkLength(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TokenizerOptionError(`encodeBatch: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function rowOf(body: number[], options: EncodeBatchOptions, ids: BatchSpecialIds, limit: number | undefined): number[] {
  const prefix = options.addBos ? [ids.bosId] : [];
  const suffix = options.addEos ? [ids.eosId] : [];
  let text = body;
  if (limit !== undefined) {
    const room = limit - prefix.length - suffix.length;
    if (room < 0) {
      throw new TokenizerOptionError(`encodeBatch: maxLength ${limit} leaves no room for the bos/eos tokens; use at least ${prefix.length + suffix.length}`);
    }
    if (text.length > room) text = text.slice(0, room);
  }
  return [...prefix, ...text, ...suffix];
}

/**
 * Build a padded batch from already-encoded rows (`encodeRow` gives a row's text ids).
 * Rows longer than `maxLength` (or a numeric `padTo`) are truncated.
 */
export function buildBatch(
  texts: readonly string[],
  encodeRow: (text: string) => number[],
  ids: BatchSpecialIds,
  options: EncodeBatchOptions = {},
): EncodedBatch {
  if (!Array.isArray(texts)) throw new TokenizerOptionError('encodeBatch: texts must be an array of strings');
  const maxLength = checkLength(options.maxLength, 'maxLength');
  const padTo = options.padTo ?? 'longest';
  const fixed = padTo === 'longest' ? undefined : checkLength(padTo, "padTo (a positive integer or 'longest')");
  if (fixed !== undefined && maxLength !== undefined && maxLength > fixed) {
    throw new TokenizerOptionError(`encodeBatch: maxLength ${maxLength} exceeds padTo ${fixed}; rows cannot be longer than the padded length`);
  }
  const limit = maxLength ?? fixed;
  const rows = texts.map((text, i) => {
    if (typeof text !== 'string') throw new TokenizerOptionError(`encodeBatch: texts[${i}] is ${typeof text}; expected a string`);
    return rowOf(encodeRow(text), options, ids, limit);
  });
  const length = fixed ?? rows.reduce((m, r) => Math.max(m, r.length), 0);
  const batch: EncodedBatch = {
    ids: new Int32Array(rows.length * length).fill(ids.padId),
    mask: new Uint8Array(rows.length * length),
    lengths: new Int32Array(rows.length),
    batchSize: rows.length,
    length,
  };
  rows.forEach((row, r) => {
    batch.ids.set(row, r * length);
    batch.mask.fill(1, r * length, r * length + row.length);
    batch.lengths[r] = row.length;
  });
  return batch;
}
