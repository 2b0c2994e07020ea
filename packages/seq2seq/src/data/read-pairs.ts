import { extname } from 'node:path';
import { SeqloomError } from '@seqloom/core';
import { DataError } from './data-error.js';
import { type NumberedLine, readDataLines } from './data-lines.js';

/** A text source with one target (a source with several targets gives several pairs). */
export interface TextPair {
  source: string;
  target: string;
}

/** Format of a pair file: tab-separated or JSON lines. */
export type PairFormat = 'tsv' | 'jsonl';

/** How `readPairs` reads a TSV or JSONL file of source/target pairs (format, bad lines). */
export interface ReadPairsOptions {
  /** Defaults to the file extension: `.jsonl`/`.json` → jsonl, anything else → tsv. */
  format?: PairFormat;
  /** Skip malformed lines (counting them) instead of throwing. Default false. */
  skipBadLines?: boolean;
  /** A longer line is a {@link DataError} naming file and line. Default `MAX_DATA_LINE_BYTES` (64 MiB). */
  maxLineBytes?: number;
}

/** Pairs read from a file, with the malformed lines that were skipped. */
export interface ReadPairsResult {
  pairs: TextPair[];
  /** Number of malformed lines skipped (only with `skipBadLines`). */
  skipped: number;
  /** The first few skipped lines as `file:line: reason`, for reporting. */
  skippedExamples: string[];
}

const TSV_FORM = 'expected `source<TAB>target` (more targets may follow, tab-separated, or on ' + 'following lines as `<TAB>target`)';
const JSONL_FORM = 'expected a JSON object per line: {"source": "...", "target": "..."} ' + '(target may be an array of strings)';

/** Picks the format from an explicit option or the file extension. */
export function pairFormatOf(file: string, format?: PairFormat): PairFormat {
  if (format !== undefined) {
    if (format !== 'tsv' && format !== 'jsonl') {
      throw new DataError(`unknown pair format "${String(format)}"; use "tsv" or "jsonl"`, {
        file,
      });
    }
    return format;
  }
  const ext = extname(file).toLowerCase();
  return ext === '.jsonl' || ext === '.json' || ext === '.ndjson' ? 'jsonl' : 'tsv';
}

/** A malformed line that was skipped: its message names the file, line and expected form. */
export type SkipListener = (problem: DataError) => void;

/**
 * Streams the source/target pairs of a file (one pass, nothing kept): the
 * reading of {@link readPairs}, for corpora larger than memory. With
 * `skipBadLines`, each skipped line is reported to `onSkip`.
 */
export async function* streamPairs(file: string, options: ReadPairsOptions = {}, onSkip: SkipListener = () => {}): AsyncGenerator<TextPair> {
  const format = pairFormatOf(file, options.format);
  // The source continuation lines attach to; `skipped` after a skipped line,
  // whose source is unknown (its continuation lines are skipped too).
  let previousSource: string | undefined | typeof SKIPPED;
  for await (const numbered of readDataLines(file, options.maxLineBytes)) {
    if (numbered.text.trim() === '') continue;
    let parsed: ParsedLine;
    try {
      parsed = format === 'tsv' ? parseTsvLine(numbered, previousSource) : parseJsonlLine(numbered);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      const problem = new DataError(`${error.message}; ${format === 'tsv' ? TSV_FORM : JSONL_FORM}`, {
        file,
        line: numbered.line,
      });
      if (!options.skipBadLines) throw problem;
      previousSource = SKIPPED;
      onSkip(problem);
      continue;
    }
    previousSource = parsed.source;
    for (const target of parsed.targets) yield { source: parsed.source, target };
  }
}

/**
 * Reads source/target pairs, streaming line by line. TSV lines are
 * `source<TAB>target[<TAB>target…]`; a line `<TAB>target` adds another target
 * to the previous source. JSONL lines are `{"source","target"}` objects.
 * Blank lines are ignored. A malformed line is a {@link DataError} naming file
 * and line, unless `skipBadLines` is set.
 */
export async function readPairs(file: string, options: ReadPairsOptions = {}): Promise<ReadPairsResult> {
  const result: ReadPairsResult = { pairs: [], skipped: 0, skippedExamples: [] };
  const onSkip = (problem: DataError): void => {
    result.skipped += 1;
    if (result.skippedExamples.length < 5) result.skippedExamples.push(problem.message);
  };
  for await (const pair of streamPairs(file, options, onSkip)) result.pairs.push(pair);
  return result;
}

interface ParsedLine {
  source: string;
  targets: string[];
}

class LineError extends SeqloomError {}

const SKIPPED = Symbol('skipped line');

function parseTsvLine(numbered: NumberedLine, previousSource: string | undefined | typeof SKIPPED): ParsedLine {
  const fields = numbered.text.split('\t');
  if (fields.length < 2) throw new LineError('no TAB between source and target');
  const [source, ...targets] = fields;
  if (targets.some((t) => t === '')) throw new LineError('empty target field');
  if (source === '') {
    if (previousSource === undefined) {
      throw new LineError('a continuation line `<TAB>target` has no source line before it');
    }
    if (previousSource === SKIPPED) {
      throw new LineError('a continuation line `<TAB>target` follows a skipped line, so its source is unknown');
    }
    return { source: previousSource, targets };
  }
  return { source, targets };
}

function parseJsonlLine(numbered: NumberedLine): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(numbered.text);
  } catch {
    throw new LineError('not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LineError('not a JSON object');
  }
  const record = value as Record<string, unknown>;
  if (typeof record.source !== 'string') throw new LineError('"source" is missing or not a string');
  const target = record.target;
  const targets = Array.isArray(target) ? target : [target];
  if (targets.length === 0 || !targets.every((t): t is string => typeof t === 'string')) {
    throw new LineError('"target" is missing or not a string (or array of strings)');
  }
  return { source: record.source, targets };
}
