import { DECODE_OPTIONS, type DecodeOptionDefinition, DecodeOptionError, STRATEGY_NAMES } from '@seqloom/decode';
import { describe, expect, it } from 'vitest';
import { asFlagError, decodeOptionsFromFlags } from '../src/decode-options-from-flags.js';
import { kebabCase } from '../src/option-spec.js';
import { DECODER_FLAGS, DECODER_OPTIONS, decoderFlags, FLAG_FORMS } from '../src/options/decoder-options.js';

const ROWS: readonly DecodeOptionDefinition[] = DECODE_OPTIONS;
const formOf = (name: string) => (FLAG_FORMS as Record<string, { flag?: string; texts?: string } | undefined>)[name];

describe('decoding flags from the option table', () => {
  it('has one flag per table option with a command-line value, in table order, named after it', () => {
    const expected = ROWS.filter((row) => ['integer', 'number', 'choice'].includes(row.value.kind) || formOf(row.name)?.texts).map(
      (row) => formOf(row.name)?.flag ?? kebabCase(row.name),
    );
    expect(DECODER_OPTIONS.map((spec) => spec.name)).toEqual(expected);
    // The options that take lists, functions or objects have no flag.
    const without = ROWS.filter((row) => !DECODER_FLAGS.some((f) => f.option === row.name || f.option === formOf(row.name)?.texts));
    expect(without.map((row) => row.name)).toEqual(['suppressTokens', 'processors', 'forcedPrefix', 'signal', 'rng', 'stoppingCriteria']);
  });

  it('takes --decoder choices from the strategy registry, and help text, ranges and defaults from the table', () => {
    const decoder = DECODER_OPTIONS.find((spec) => spec.name === 'decoder')!;
    expect(decoder.choices).toEqual(STRATEGY_NAMES);
    for (const row of ROWS) {
      const flag = DECODER_FLAGS.find((f) => f.option === row.name);
      if (!flag || formOf(row.name)) continue;
      expect(flag.spec.describe, row.name).toBe(row.help);
      expect(flag.spec.min, row.name).toBe(row.value.min);
      expect(flag.spec.max, row.name).toBe(row.value.max);
      expect(flag.spec.choices, row.name).toEqual(row.value.choices);
      expect(flag.spec.default ?? flag.spec.defaultText, row.name).toBe(row.default ?? row.defaultText);
    }
  });

  it('gives a new table option its flag, its help, its range and its default', () => {
    const topP = ROWS.find((row) => row.name === 'topP')!;
    const table = [...ROWS, { ...topP, name: 'fooMass', help: 'a new filter' }];
    const flags = decoderFlags(table);
    const foo = flags.find((f) => f.spec.name === 'foo-mass')!;
    expect(foo.option).toBe('fooMass');
    expect(foo.spec).toMatchObject({ kind: 'number', describe: 'a new filter', min: 0, minExclusive: true, max: 1, default: 1, group: 'Decoding:' });
    expect(decodeOptionsFromFlags({ fooMass: 0.5 }, new Set(['foo-mass']), flags)).toEqual({ fooMass: 0.5 });
  });

  it('names the flag in every decode option error', () => {
    for (const flag of DECODER_FLAGS.filter((f) => ROWS.some((row) => row.name === f.option))) {
      const error = new DecodeOptionError(flag.option, 'expected something else');
      expect((asFlagError(error) as Error).message, flag.option).toBe(`--${flag.spec.name}: expected something else`);
    }
  });

  it('turns flag values into options: off values dropped, seconds scaled, texts to the pipeline', () => {
    const options = { decoder: 'beam', noRepeatNgram: 0, maxTime: 2, ban: ['ab'], alpha: 0.3, seed: 5 };
    const given = new Set(['decoder', 'no-repeat-ngram', 'max-time', 'ban', 'alpha']);
    expect(decodeOptionsFromFlags(options, given)).toEqual({ strategy: 'beam', maxTimeMs: 2000, banned: ['ab'], lengthPenaltyAlpha: 0.3 });
  });
});
