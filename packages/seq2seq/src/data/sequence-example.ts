import { DataError } from './data-error.js';
import type { TextPair } from './read-pairs.js';

/**
 * One training example as token ids with the target already shifted for
 * teacher forcing: `targetIn` is what the decoder reads, `targetOut` what it
 * must predict at each position (same length). `source` is empty for `lm`.
 */
export interface SequenceExample {
  source: readonly number[];
  targetIn: readonly number[];
  targetOut: readonly number[];
}

/** Turns text into token ids (e.g. `(t) => tokenizer.encode(t)`). */
export type TextCodec = (text: string) => number[];

/** Shifts a target for teacher forcing: in = [bos, ...y], out = [...y, eos]. */
export function shiftTarget(target: readonly number[], bosId: number, eosId: number): { targetIn: number[]; targetOut: number[] } {
  return { targetIn: [bosId, ...target], targetOut: [...target, eosId] };
}

/** How `encodePairs` turns text pairs into examples: the two encoders and the start and stop ids. */
export interface EncodePairsOptions {
  encodeSource: TextCodec;
  encodeTarget: TextCodec;
  bosId: number;
  eosId: number;
  /** Drop pairs whose source has more tokens than this (counted in `dropped`). */
  maxSourceLength?: number;
  /** Drop pairs whose target has more tokens than this (counted in `dropped`). */
  maxTargetLength?: number;
}

/** Encodes text pairs into shifted id examples (the stop token is appended to every target). */
export function encodePairs(pairs: readonly TextPair[], options: EncodePairsOptions): { examples: SequenceExample[]; dropped: number } {
  const maxSource = options.maxSourceLength ?? Infinity;
  const maxTarget = options.maxTargetLength ?? Infinity;
  const examples: SequenceExample[] = [];
  let dropped = 0;
  for (const pair of pairs) {
    const source = options.encodeSource(pair.source);
    const target = options.encodeTarget(pair.target);
    if (source.length > maxSource || target.length > maxTarget) {
      dropped += 1;
      continue;
    }
    examples.push({ source, ...shiftTarget(target, options.bosId, options.eosId) });
  }
  return { examples, dropped };
}

/** How `lmWindows` cuts a text into language-model windows: the encoder, the window size and the special ids. */
export interface LmWindowOptions {
  encode: TextCodec;
  /** Tokens predicted per window (the truncated back-propagation length). */
  windowSize: number;
  bosId: number;
  eosId: number;
}

/**
 * Chunks a text into language-model training windows. The text is read as one
 * stream `[bos, ...ids, eos]` cut into consecutive windows of `windowSize`
 * predictions; each window's `targetOut` is its `targetIn` moved one token on,
 * so every token of the text is predicted exactly once and only the last
 * window ends with the stop token.
 */
export function lmWindows(text: string, options: LmWindowOptions): SequenceExample[] {
  const { windowSize } = options;
  if (!Number.isInteger(windowSize) || windowSize < 1) {
    throw new DataError(`windowSize must be a positive integer, got ${windowSize}`);
  }
  const stream = [options.bosId, ...options.encode(text), options.eosId];
  const windows: SequenceExample[] = [];
  for (let start = 0; start + 1 < stream.length; start += windowSize) {
    const end = Math.min(start + windowSize, stream.length - 1);
    windows.push({
      source: [],
      targetIn: stream.slice(start, end),
      targetOut: stream.slice(start + 1, end + 1),
    });
  }
  return windows;
}
