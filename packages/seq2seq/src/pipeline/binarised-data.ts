import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fnv1a } from '@seqloom/core';
import { loadTokenizer, type Tokenizer } from '@seqloom/tokenizer';
import { BINARISED_FILES, type BinarisedHeader, checkBinarisedHeader } from '../data/binarised-header.js';
import { BinarisedFiles, BinarisedStore } from '../data/binarised-store.js';
import { DataError } from '../data/data-error.js';
import { exampleList } from '../data/example-list.js';
import type { TrainingData, TrainingDataOptions } from './training-data-types.js';

/** The largest header.json read (a header is a few kilobytes; the file is untrusted). */
const MAX_HEADER_BYTES = 1 << 20;

/** A tokenizer's fingerprint: FNV-1a of its tokenizer.json, as a binarised header records it. */
export function tokenizerFingerprint(tokenizer: Tokenizer): string {
  return fnv1a(JSON.stringify(tokenizer.toJSON())).toString(16).padStart(8, '0');
}

/** True when `path` is a folder written by `preprocessTrainingData` (it holds header.json). */
export async function isBinarisedFolder(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info !== null && info.isDirectory() && existsSync(join(path, BINARISED_FILES.header));
}

/** Reads and checks a binarised folder's header.json. */
export async function readBinarisedHeader(folder: string): Promise<BinarisedHeader> {
  const file = join(folder, BINARISED_FILES.header);
  const info = await stat(file);
  if (info.size > MAX_HEADER_BYTES) throw new DataError(`is ${info.size} bytes; a header has a few kilobytes (at most ${MAX_HEADER_BYTES})`, { file });
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new DataError('is not valid JSON; write the folder again with `seqloom preprocess`', { file });
  }
  return checkBinarisedHeader(value, file);
}

async function folderTokenizer(folder: string, name: string, expected: { fingerprint: string; vocabSize: number }): Promise<Tokenizer> {
  const file = join(folder, name);
  const tokenizer = await loadTokenizer(file);
  if (tokenizerFingerprint(tokenizer) !== expected.fingerprint || tokenizer.vocabSize !== expected.vocabSize) {
    throw new DataError(`is not the tokenizer the header names (fingerprint ${expected.fingerprint}, ${expected.vocabSize} tokens); write the folder again`, {
      file,
    });
  }
  return tokenizer;
}

/** The folder's tokenizers; given ones (a resumed run's) must be the same. */
async function binarisedTokenizers(folder: string, header: BinarisedHeader, given: TrainingDataOptions['tokenizers']) {
  const sourceFile = existsSync(join(folder, BINARISED_FILES.sourceTokenizer)) ? BINARISED_FILES.sourceTokenizer : BINARISED_FILES.targetTokenizer;
  const target = await folderTokenizer(folder, BINARISED_FILES.targetTokenizer, header.tokenizers.target);
  const source = sourceFile === BINARISED_FILES.targetTokenizer ? target : await folderTokenizer(folder, sourceFile, header.tokenizers.source);
  if (given) {
    const same =
      tokenizerFingerprint(given.target) === header.tokenizers.target.fingerprint &&
      tokenizerFingerprint(given.source ?? given.target) === header.tokenizers.source.fingerprint;
    if (!same)
      throw new DataError(
        "its ids were made by other tokenizers than the run being resumed; preprocess the data with that run's tokenizer.json (--tokenizer PATH)",
        { file: folder },
      );
  }
  if (target.bosId !== header.bosId || target.eosId !== header.eosId) {
    throw new DataError(`the header's start/stop ids (${header.bosId}/${header.eosId}) are not the tokenizer's (${target.bosId}/${target.eosId})`, {
      file: join(folder, BINARISED_FILES.header),
    });
  }
  return { source, target };
}

/**
 * Training data from a binarised folder, read from disk with bounded memory:
 * a few kilobytes of cached offsets and one example's tokens at a time. The
 * header, sizes and offsets are checked first (the folder is untrusted input).
 */
export async function openBinarisedData(folder: string, options: TrainingDataOptions): Promise<TrainingData> {
  if (options.task === 'lm') throw new DataError('is a binarised pair corpus (seq2seq); language-model text is read from its text file', { file: folder });
  if (options.valid) throw new DataError('a binarised folder holds its own validation split; give --valid to `seqloom preprocess` instead', { file: folder });
  const header = await readBinarisedHeader(folder);
  const tokenizers = await binarisedTokenizers(folder, header, options.tokenizers);
  const files = new BinarisedFiles(header, join(folder, BINARISED_FILES.tokens), join(folder, BINARISED_FILES.offsets));
  const { train, valid } = header.split;
  return {
    task: 'seq2seq',
    train: exampleList(new BinarisedStore(files, 0, train, header.fingerprints.train, header.longest.train)),
    valid: exampleList(new BinarisedStore(files, train, valid, header.fingerprints.valid, header.longest.valid)),
    sourceTokenizer: tokenizers.source,
    targetTokenizer: tokenizers.target,
    stats: {
      trainExamples: train,
      validExamples: valid,
      skippedLines: header.stats.skippedLines,
      droppedTooLong: header.stats.droppedTooLong,
      lengthLimits: null,
      droppedExample: header.stats.droppedExample,
      skippedExamples: header.stats.skippedExamples,
    },
  };
}
