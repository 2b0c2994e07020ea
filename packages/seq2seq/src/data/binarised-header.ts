import { DataError } from './data-error.js';

/** The header file of a binarised folder, and the files beside it. */
export const BINARISED_FILES = Object.freeze({
  header: 'header.json',
  tokens: 'tokens.bin',
  offsets: 'offsets.bin',
  targetTokenizer: 'tokenizer.json',
  sourceTokenizer: 'source-tokenizer.json',
});

/** The format name a binarised header carries. */
export const BINARISED_FORMAT = 'seqloom-binarised-pairs';
/** The format version a binarised header carries (a reader refuses any other). */
export const BINARISED_VERSION = 1;

/** Lengths, in tokens, of the longest source and `targetOut`. */
export interface LongestLengths {
  source: number;
  target: number;
}

/**
 * `header.json` of a binarised folder: how to read its token and offset
 * files (little-endian), which examples train and which validate (the first
 * `split.train` train, the next `split.valid` validate), the tokenizers the
 * ids belong to and the data they came from.
 */
export interface BinarisedHeader {
  format: typeof BINARISED_FORMAT;
  version: number;
  task: 'seq2seq';
  tokenDtype: 'uint16' | 'int32';
  offsetDtype: 'uint32' | 'float64';
  /** Examples (train + valid) and tokens in `tokens.bin`; `offsets.bin` has 2 × examples + 1 offsets. */
  examples: number;
  tokens: number;
  split: { train: number; valid: number };
  bosId: number;
  eosId: number;
  /** Fingerprints (FNV-1a of tokenizer.json) and vocabulary sizes of the tokenizers. */
  tokenizers: { source: { fingerprint: string; vocabSize: number }; target: { fingerprint: string; vocabSize: number } };
  longest: { train: LongestLengths; valid: LongestLengths };
  /** `dataFingerprint` of the training and validation examples. */
  fingerprints: { train: string; valid: string };
  /** The files read, with their sizes and a hash of their lines. */
  sources: { file: string; bytes: number; fingerprint: string }[];
  /** The data options the folder was made with (split, lengths, tokenizers). */
  options: Record<string, unknown>;
  stats: { skippedLines: number; skippedExamples: string[]; droppedTooLong: number; droppedExample: string | null };
}

const form = `expected a ${BINARISED_FORMAT} header written by \`seqloom preprocess\`; write the folder again`;

function count(header: Record<string, unknown>, path: string, file: string): number {
  const value = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], header);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new DataError(`"${path}" must be a non-negative integer, got ${JSON.stringify(value)}; ${form}`, { file });
  }
  return value;
}

/** Checks a parsed header (untrusted: any JSON) and returns it typed; a bad field is a {@link DataError} naming it. */
export function checkBinarisedHeader(value: unknown, file: string): BinarisedHeader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DataError(`not a JSON object; ${form}`, { file });
  const header = value as Record<string, unknown>;
  if (header.format !== BINARISED_FORMAT) throw new DataError(`"format" is ${JSON.stringify(header.format)}; ${form}`, { file });
  if (header.version !== BINARISED_VERSION) {
    throw new DataError(
      `format version ${JSON.stringify(header.version)} is not one this seqloom reads (${BINARISED_VERSION}); write the folder again with this version's \`seqloom preprocess\``,
      { file },
    );
  }
  if (header.task !== 'seq2seq') throw new DataError(`"task" must be "seq2seq", got ${JSON.stringify(header.task)}`, { file });
  if (header.tokenDtype !== 'uint16' && header.tokenDtype !== 'int32')
    throw new DataError(`"tokenDtype" must be "uint16" or "int32", got ${JSON.stringify(header.tokenDtype)}`, { file });
  if (header.offsetDtype !== 'uint32' && header.offsetDtype !== 'float64')
    throw new DataError(`"offsetDtype" must be "uint32" or "float64", got ${JSON.stringify(header.offsetDtype)}`, { file });
  for (const path of ['examples', 'tokens', 'split.train', 'split.valid', 'bosId', 'eosId', 'tokenizers.source.vocabSize', 'tokenizers.target.vocabSize'])
    count(header, path, file);
  for (const path of ['longest.train.source', 'longest.train.target', 'longest.valid.source', 'longest.valid.target']) count(header, path, file);
  const split = header.split as { train: number; valid: number };
  if (split.train + split.valid !== header.examples || split.train === 0) {
    throw new DataError(
      `"split" (${split.train} train + ${split.valid} valid) must add up to "examples" (${String(header.examples)}) with at least one training example`,
      { file },
    );
  }
  const fingerprints = header.fingerprints as Record<string, unknown> | undefined;
  if (typeof fingerprints?.train !== 'string' || typeof fingerprints.valid !== 'string')
    throw new DataError(`"fingerprints" must hold "train" and "valid" strings; ${form}`, { file });
  const tokenizers = header.tokenizers as { source: { fingerprint?: unknown; vocabSize: number }; target: { fingerprint?: unknown; vocabSize: number } };
  if (typeof tokenizers.source.fingerprint !== 'string' || typeof tokenizers.target.fingerprint !== 'string')
    throw new DataError(`"tokenizers" must give each side's "fingerprint"; ${form}`, { file });
  const stats = header.stats as Record<string, unknown> | undefined;
  if (typeof stats?.skippedLines !== 'number' || typeof stats.droppedTooLong !== 'number' || !Array.isArray(stats.skippedExamples)) {
    throw new DataError(`"stats" must give skippedLines, droppedTooLong and skippedExamples; ${form}`, { file });
  }
  const vocab = Math.max(tokenizers.source.vocabSize as number, tokenizers.target.vocabSize as number);
  if (header.tokenDtype === 'uint16' && vocab > 0x10000)
    throw new DataError(`"tokenDtype" uint16 cannot hold the ids of a ${vocab}-token vocabulary`, { file });
  return header as unknown as BinarisedHeader;
}
