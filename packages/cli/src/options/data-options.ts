import { DATA_DEFAULTS } from '@seqloom/seq2seq/tooling/defaults';
import type { OptionSpec } from '../option-spec.js';

const G = 'Data:';

/** `char`, `word`, `bpe:<size>`, `wordpiece:<size>` or a path to a tokenizer.json. */
export const TOKENIZER_PATTERN = {
  regex: /^(bpe|wordpiece):\d+$|[/\\.]/,
  form: 'bpe:<size> | wordpiece:<size> | <path to tokenizer.json>',
  check: (text: string): string | undefined => {
    const sized = /^(bpe|wordpiece):(\d+)$/.exec(text);
    if (!sized || Number(sized[2]) >= 8) return undefined;
    return `${text}: the vocabulary size after "${sized[1]}:" must be an integer ≥ 8, e.g. ${sized[1]}:8000`;
  },
};

/** Where training data comes from and how it is tokenized. */
export const DATA_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'data',
    kind: 'string',
    describe:
      'training data: a TSV/JSONL file of pairs, a folder written by `seqloom preprocess`, a text file for --task lm, or a built-in dataset (cmudict, cmudict:g2p-seq2seq, moby-dick, moby-dick:90-10)',
    group: G,
  },
  { name: 'valid', kind: 'string', describe: 'validation data in the same form (default: a seeded split of --data)', group: G },
  {
    name: 'valid-fraction',
    kind: 'number',
    min: 0,
    max: 0.5,
    default: DATA_DEFAULTS.validFraction,
    describe: 'share of --data held out for validation when --valid is not given',
    group: G,
  },
  {
    name: 'task',
    kind: 'choice',
    choices: ['seq2seq', 'lm'],
    defaultText: 'seq2seq (lm for moby-dick)',
    describe: 'source → target, or a language model that continues text',
    group: G,
  },
  { name: 'format', kind: 'choice', choices: ['tsv', 'jsonl', 'text'], defaultText: 'from the file extension', describe: 'data file format', group: G },
  {
    name: 'tokenizer',
    kind: 'choice',
    choices: ['char', 'word'],
    pattern: TOKENIZER_PATTERN,
    defaultText: 'char (cmudict, cmudict:g2p-seq2seq: char → word, i.e. letters in, phonemes out)',
    describe: 'tokenizer trained on the data (or loaded from a file) for source and target',
    group: G,
  },
  {
    name: 'source-tokenizer',
    kind: 'choice',
    choices: ['char', 'word'],
    pattern: TOKENIZER_PATTERN,
    defaultText: '--tokenizer',
    describe: 'tokenizer of the source side',
    group: G,
  },
  {
    name: 'target-tokenizer',
    kind: 'choice',
    choices: ['char', 'word'],
    pattern: TOKENIZER_PATTERN,
    defaultText: '--tokenizer',
    describe: 'tokenizer of the target side',
    group: G,
  },
  { name: 'lowercase', kind: 'boolean', default: false, describe: 'lowercase all text before tokenizing', group: G },
  { name: 'max-source-length', kind: 'integer', min: 1, defaultText: '1024', describe: 'drop pairs whose source has more tokens', group: G },
  { name: 'max-target-length', kind: 'integer', min: 1, defaultText: '1024', describe: 'drop pairs whose target has more tokens', group: G },
  { name: 'window', kind: 'integer', min: 2, default: DATA_DEFAULTS.window, describe: 'tokens per training window for --task lm', group: G },
  { name: 'skip-bad-lines', kind: 'boolean', default: false, describe: 'skip malformed data lines (counted and reported) instead of stopping', group: G },
];
