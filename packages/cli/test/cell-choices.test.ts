import { CELL_REGISTRY } from '@seqloom/seq2seq/model';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli-error.js';
import { checkValue } from '../src/option-spec.js';
import { MODEL_OPTIONS } from '../src/options/model-options.js';

const KEYS = Object.keys(CELL_REGISTRY);
const cell = MODEL_OPTIONS.find((spec) => spec.name === 'cell')!;

describe('--cell', () => {
  it("offers exactly the cell registry's cells, in its order, and defaults to one of them", () => {
    expect(cell.choices).toEqual(KEYS);
    expect(KEYS).toContain(cell.default);
  });

  it('accepts every registered cell and, rejecting another, lists exactly the registered ones', () => {
    for (const key of KEYS) expect(checkValue(cell, key)).toBe(key);
    expect(() => checkValue(cell, 'transformer')).toThrow(UsageError);
    expect(() => checkValue(cell, 'transformer')).toThrow(`--cell must be one of ${KEYS.join(', ')}; got "transformer"`);
  });
});
