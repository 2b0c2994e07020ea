import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli-error.js';
import { camelCase, checkValue, describeOption, kebabCase, type OptionSpec } from '../src/option-spec.js';
import { closestName } from '../src/suggest.js';

const prob: OptionSpec = { name: 'top-p', kind: 'number', min: 0, minExclusive: true, max: 1, describe: 'mass' };
const count: OptionSpec = { name: 'batch-size', kind: 'integer', min: 1, describe: 'n' };
const cell: OptionSpec = { name: 'cell', kind: 'choice', choices: ['lstm', 'gru'], describe: 'cell' };
const tok: OptionSpec = { name: 'tokenizer', kind: 'choice', choices: ['char'], pattern: { regex: /^bpe:\d+$/, form: 'bpe:<n>' }, describe: 't' };

describe('checkValue', () => {
  it('accepts values in range and converts numeric strings', () => {
    expect(checkValue(prob, 1)).toBe(1);
    expect(checkValue(prob, '0.25')).toBe(0.25);
    expect(checkValue(count, 3)).toBe(3);
    expect(checkValue(cell, 'gru')).toBe('gru');
    expect(checkValue(tok, 'bpe:8000')).toBe('bpe:8000');
    expect(checkValue({ name: 'x', kind: 'boolean', describe: '' }, 'false')).toBe(false);
    expect(checkValue({ name: 'words', kind: 'string', array: true, describe: '' }, 'a')).toEqual(['a']);
  });

  it('takes the last of a repeated flag', () => {
    expect(checkValue(count, [2, 5])).toBe(5);
  });

  it('rejects out-of-range, non-numeric and unknown values with the flag and the form', () => {
    expect(() => checkValue(prob, 0)).toThrow(new UsageError('--top-p must be a number in (0, 1], got 0'));
    expect(() => checkValue(prob, 1.5)).toThrow('--top-p must be a number in (0, 1], got 1.5');
    expect(() => checkValue(count, 2.5)).toThrow('--batch-size must be an integer in [1, ∞), got 2.5');
    expect(() => checkValue(count, 'many')).toThrow('--batch-size must be an integer in [1, ∞), got "many"');
    expect(() => checkValue(count, true)).toThrow('--batch-size must be an integer in [1, ∞), got true');
    expect(() => checkValue(cell, 'lstn')).toThrow('--cell must be one of lstm, gru; got "lstn"');
    expect(() => checkValue(tok, 'bpe')).toThrow('--tokenizer must be one of char, bpe:<n>; got "bpe"');
    expect(() => checkValue({ name: 'out', kind: 'path', describe: '' }, '')).toThrow('--out needs a path, got nothing');
    expect(() => checkValue(prob, 2, ' (in run.yaml)')).toThrow('--top-p (in run.yaml) must be');
  });

  it('describes choices and ranges in help', () => {
    expect(describeOption(prob)).toBe('mass in (0, 1]');
    expect(describeOption(tok)).toBe('t (char | bpe:<n>)');
  });
});

describe('names', () => {
  it('converts between kebab and camel case', () => {
    expect(camelCase('max-new-tokens')).toBe('maxNewTokens');
    expect(kebabCase('maxNewTokens')).toBe('max-new-tokens');
  });

  it('suggests the closest option for typos, and nothing for unrelated names', () => {
    const known = ['hidden', 'layers', 'lr', 'batch-size', 'max-steps'];
    expect(closestName('hiden', known)).toBe('hidden');
    expect(closestName('batchsize', known)).toBe('batch-size');
    expect(closestName('max-step', known)).toBe('max-steps');
    expect(closestName('temperature', known)).toBeUndefined();
  });
});
