import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isBuiltinDataset, loadBuiltinDataset } from '@seqloom/datasets';
import { type Corpus, CorpusError, readCorpusLines, tokenizerFromSpec } from '@seqloom/tokenizer';
import type { CliCommand, CommandContext } from '../cli-command.js';
import { CliError, UsageError } from '../cli-error.js';
import { checkWritable, resolvePath } from '../text-inputs.js';
import { describeTokenizer } from './tokenizer-inspect.js';

/** Text of the files (or built-in datasets), line by line, read afresh on each call. */
export function corpusOf(ctx: CommandContext, files: readonly string[]): () => Corpus {
  return () => streamFiles(ctx, files);
}

async function* streamFiles(ctx: CommandContext, files: readonly string[]): AsyncGenerator<string> {
  for (const file of files) {
    if (isBuiltinDataset(file)) {
      const ds = loadBuiltinDataset(file);
      if (ds.task === 'lm') yield* ds.splits.train.split('\n');
      else for (const e of ds.splits.train) yield* [e.source, ...e.targets];
      continue;
    }
    yield* readCorpusLines(resolvePath(ctx.io, file)); // strict UTF-8: a bad byte names the file and line
  }
}

/**
 * The file `--out` names: a folder (given with a trailing slash, or one that
 * exists) gets `tokenizer.json` (and `tokenizer_config.json`) inside it.
 */
async function outputFile(ctx: CommandContext, given: string): Promise<string> {
  const path = resolvePath(ctx.io, given);
  const isFolder = /[/\\]$/.test(given) || (await stat(path).catch(() => null))?.isDirectory() === true;
  return isFolder ? join(path, 'tokenizer.json') : path;
}

/** `seqloom tokenizer train`: trains a tokenizer on text files and writes tokenizer.json. */
export const tokenizerTrainCommand: CliCommand = {
  name: 'train',
  usage: '<files..>',
  describe: 'train a tokenizer on text files (one text per line) and write tokenizer.json',
  positionals: [{ name: 'files', describe: 'text files, or a built-in dataset name (cmudict, moby-dick)', array: true }],
  options: [
    { name: 'type', kind: 'choice', choices: ['char', 'word', 'bpe', 'wordpiece'], default: 'bpe', describe: 'tokenizer model' },
    { name: 'vocab-size', kind: 'integer', min: 8, default: 8000, describe: 'vocabulary size (bpe, wordpiece)' },
    { name: 'lowercase', kind: 'boolean', default: false, describe: 'lowercase text (char, word)' },
    {
      name: 'out',
      kind: 'path',
      default: 'tokenizer.json',
      describe: 'file to write (named tokenizer.json, or a folder: tokenizer_config.json is written beside it)',
    },
    { name: 'overwrite', kind: 'boolean', default: false, describe: 'replace an existing --out' },
  ],
  examples: [
    ['seqloom tokenizer train corpus.txt --type bpe --vocab-size 8000 --out bpe.json', 'byte-level BPE with 8,000 tokens'],
    ['seqloom tokenizer train moby-dick --type char --out char.json', 'characters of a built-in dataset'],
  ],
  async run(ctx) {
    const files = ctx.positionals.files as string[];
    if (files.length === 0) throw new UsageError('name at least one text file to train on');
    const o = ctx.options;
    const out = await outputFile(ctx, o.out as string);
    await checkWritable(out, o.overwrite as boolean);
    // Saving as …/tokenizer.json also writes tokenizer_config.json beside it.
    if (basename(out) === 'tokenizer.json') await checkWritable(join(dirname(out), 'tokenizer_config.json'), o.overwrite as boolean);
    const type = o.type as string;
    const spec = type === 'bpe' || type === 'wordpiece' ? `${type}:${o.vocabSize as number}` : type;
    ctx.out.info(`training a ${type} tokenizer on ${files.join(', ')}…`);
    const tokenizer = await tokenizerFromSpec(spec, corpusOf(ctx, files), { lowercase: o.lowercase as boolean }).catch((error: unknown) => {
      if (error instanceof CorpusError) throw new CliError(`${files.join(', ')}: no text to train a tokenizer on (${error.message})`);
      throw error;
    });
    await mkdir(dirname(out), { recursive: true });
    await tokenizer.save(out);
    const summary = describeTokenizer(tokenizer);
    if (ctx.out.logJson) ctx.out.json({ event: 'done', out, ...summary });
    else ctx.out.result(`wrote ${out}: ${summary.model} tokenizer, ${summary.vocabSize} tokens`);
  },
};
