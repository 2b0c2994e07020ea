import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fnv1a } from '@seqloom/core';
import { writeDirAtomic } from '@seqloom/core/node';
import { BINARISED_FILES, BINARISED_FORMAT, BINARISED_VERSION, type BinarisedHeader } from '../data/binarised-header.js';
import { BinarisedWriter } from '../data/binarised-writer.js';
import { DATA_DEFAULTS } from '../data/data-defaults.js';
import { DataError } from '../data/data-error.js';
import { isBinarisedFolder, tokenizerFingerprint } from './binarised-data.js';
import { encodePairCorpus, pairTokenizers, trainingSide } from './pair-corpus.js';
import { readTrainingCorpus, type TrainingDataOptions } from './training-data.js';

/** Options of {@link preprocessTrainingData}: the data options of training, and where to write. */
export interface PreprocessOptions extends TrainingDataOptions {
  /** The folder to write (made atomically: written beside it, then renamed). */
  out: string;
  /** Replace an existing folder [false: refuse]. */
  overwrite?: boolean;
}

/** The size and a hash (FNV-1a of the bytes) of a file, read in 1 MiB chunks. */
async function fileFingerprint(file: string): Promise<{ file: string; bytes: number; fingerprint: string }> {
  let hash: number | undefined;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash = fnv1a(chunk as Buffer, hash);
  return { file, bytes: (await stat(file)).size, fingerprint: (hash ?? fnv1a('')).toString(16).padStart(8, '0') };
}

async function refuseExisting(out: string, overwrite: boolean): Promise<void> {
  if (!overwrite && (await stat(out).catch(() => null))) {
    throw new DataError('already exists; choose another --out or pass --overwrite to replace it', { file: out });
  }
}

/** The data files `options` read (paths, not named datasets). */
function dataFiles(options: PreprocessOptions, cwd: string): string[] {
  const names = [options.data, options.valid].filter((n): n is string => typeof n === 'string' && !options.datasets?.has(n));
  return names.map((n) => resolve(cwd, n));
}

/**
 * Binarises a pair corpus once, for training on corpora larger than memory
 * (`seqloom preprocess`): the same reading, split, tokenizers and encoding as
 * {@link prepareTrainingData}, streamed into a folder of `tokens.bin` (ids,
 * 16 bits when the vocabulary fits), `offsets.bin` (two an example),
 * `tokenizer.json` (and `source-tokenizer.json` when the sides differ) and
 * `header.json`. Memory is bounded: only a grouped split keeps 12 bytes a
 * distinct source. Training on the folder sees the same examples as training
 * on the file with the same options.
 */
export async function preprocessTrainingData(options: PreprocessOptions): Promise<BinarisedHeader> {
  const cwd = options.cwd ?? process.cwd();
  const out = resolve(cwd, options.out);
  if (typeof options.data === 'string' && (await isBinarisedFolder(resolve(cwd, options.data)))) {
    throw new DataError('is already a binarised folder; train on it directly', { file: options.data });
  }
  await refuseExisting(out, options.overwrite ?? false);
  const raw = await readTrainingCorpus(options);
  if (raw.task !== 'seq2seq')
    throw new DataError('preprocess binarises pairs (seq2seq); a language model reads its text file directly', { file: String(options.data) });
  const { train, split } = await trainingSide(raw, options);
  const tokenizers = await pairTokenizers(train, options, raw.defaultTokenizers);
  const vocab = Math.max(tokenizers.source.vocabSize, tokenizers.target.vocabSize);
  const files = dataFiles(options, cwd);
  let inputBytes = 0;
  for (const file of files) inputBytes += (await stat(file)).size;
  let header: BinarisedHeader | undefined;
  await writeDirAtomic(out, async (temp) => {
    const { bosId, eosId } = tokenizers.target;
    const writer = new BinarisedWriter(
      { tokens: join(temp, BINARISED_FILES.tokens), offsets: join(temp, BINARISED_FILES.offsets) },
      vocab <= 0x10000 ? 'uint16' : 'int32',
      // A token is at least one byte of text (built-in datasets are small).
      inputBytes < 0xffffffff ? 'uint32' : 'float64',
      bosId,
      eosId,
    );
    let counts: Awaited<ReturnType<typeof encodePairCorpus>>;
    try {
      counts = await encodePairCorpus(raw, split, tokenizers, options, writer);
    } catch (error) {
      writer.abandon();
      throw error;
    }
    const written = writer.finish();
    await tokenizers.target.save(join(temp, BINARISED_FILES.targetTokenizer));
    if (tokenizers.source !== tokenizers.target) await tokenizers.source.save(join(temp, BINARISED_FILES.sourceTokenizer));
    header = {
      format: BINARISED_FORMAT,
      version: BINARISED_VERSION,
      task: 'seq2seq',
      tokenDtype: writer.tokenDtype,
      offsetDtype: writer.offsetDtype,
      examples: written.train.count + written.valid.count,
      tokens: written.tokens,
      split: { train: written.train.count, valid: written.valid.count },
      bosId,
      eosId,
      tokenizers: {
        source: { fingerprint: tokenizerFingerprint(tokenizers.source), vocabSize: tokenizers.source.vocabSize },
        target: { fingerprint: tokenizerFingerprint(tokenizers.target), vocabSize: tokenizers.target.vocabSize },
      },
      longest: { train: written.train.longest, valid: written.valid.longest },
      fingerprints: { train: written.train.fingerprint, valid: written.valid.fingerprint },
      sources: await Promise.all(files.map(fileFingerprint)),
      options: {
        data: typeof options.data === 'string' ? options.data : 'pairs in memory',
        ...(options.valid
          ? { valid: options.valid }
          : { validFraction: options.validFraction ?? DATA_DEFAULTS.validFraction, seed: options.seed ?? DATA_DEFAULTS.seed }),
        lengthLimits: counts.lengthLimits,
        ...(options.tokenizer ? { tokenizer: options.tokenizer } : {}),
        ...(options.sourceTokenizer ? { sourceTokenizer: options.sourceTokenizer } : {}),
        ...(options.targetTokenizer ? { targetTokenizer: options.targetTokenizer } : {}),
        lowercase: options.lowercase ?? false,
      },
      stats: {
        skippedLines: raw.skips.skipped,
        skippedExamples: raw.skips.examples,
        droppedTooLong: counts.droppedTooLong,
        droppedExample: counts.droppedExample,
      },
    };
    await writeFile(join(temp, BINARISED_FILES.header), `${JSON.stringify(header, null, 2)}\n`);
  });
  return header!;
}
