import { readFile } from 'node:fs/promises';
import {
  DECODE_OPTIONS,
  type DecodeOptionDefinition,
  DecodeOptionError,
  generate,
  type LogitsProcessor,
  type OptionValue,
  STRATEGIES,
  STRATEGY_NAMES,
  validateGenerateOptions,
} from '@seqloom/decode';
import { randomTableModel } from '@seqloom/decode/testing';
import { describe, expect, it } from 'vitest';

const ROWS: readonly DecodeOptionDefinition[] = DECODE_OPTIONS;
const SETUP = { vocabSize: 10, eosId: 2, prefixLength: 0, maxLength: 8 };

/** Values each kind must reject, whatever the row's range. */
function badValues(value: OptionValue<unknown>): unknown[] {
  switch (value.kind) {
    case 'integer': {
      const below = value.min === undefined || value.min <= -Number.MAX_SAFE_INTEGER ? [] : [value.min - 1];
      return [1.5, '3', Number.NaN, ...below];
    }
    case 'number': {
      const edge = value.min === undefined ? [] : [value.minExclusive ? value.min : value.min - 0.5];
      const top = value.max === undefined ? [] : [value.maxExclusive ? value.max : value.max + 0.5];
      return [Number.NaN, Number.POSITIVE_INFINITY, 'x', ...edge, ...top];
    }
    case 'choice':
      return ['no-such-choice', 3];
    case 'token-ids':
      return ['x', [1.5], [-1], [10]];
    case 'token-sequences':
      return [5, [[-1]], [[10]]];
    case 'functions':
      return [5, [1]];
    case 'object':
      return [5, null, {}];
  }
}

/** Values inside every row's range, at and near its bounds. */
function goodValues(value: OptionValue<unknown>): unknown[] {
  if (value.kind === 'integer') return [value.min, (value.min ?? 0) + 2];
  if (value.kind === 'number') {
    const lo = value.min ?? 0;
    const hi = value.max ?? lo + 4;
    return [...(value.minExclusive ? [] : [lo]), (lo + hi) / 2, ...(value.maxExclusive || value.max === undefined ? [] : [hi])];
  }
  return [];
}

describe('DECODE_OPTIONS', () => {
  it('has one row per option name, each with help text', () => {
    const names = ROWS.map((row) => row.name);
    expect(new Set(names).size).toBe(names.length);
    for (const row of ROWS) expect(row.help.length, row.name).toBeGreaterThan(5);
  });

  it("every row's validator rejects bad values with a DecodeOptionError naming the option", () => {
    for (const row of ROWS) {
      const bad = badValues(row.value);
      expect(bad.length, row.name).toBeGreaterThan(1);
      for (const value of bad) {
        let error: unknown;
        try {
          row.validate(value, SETUP.vocabSize);
        } catch (e) {
          error = e;
        }
        expect(error, `${row.name} accepted ${String(value)}`).toBeInstanceOf(DecodeOptionError);
        expect((error as DecodeOptionError).option.startsWith(row.name), row.name).toBe(true);
        expect((error as Error).message).toMatch(new RegExp(`^${row.name}(\\[\\d+\\])*: expected `));
      }
    }
  });

  it('generate rejects the same values through its options, before the model starts', async () => {
    for (const row of ROWS) {
      const model = randomTableModel({ vocabSize: 10, seed: 1 });
      const [value] = badValues(row.value);
      const options = { [row.name]: value } as never;
      await expect(generate(model, [[1]], options), row.name).rejects.toThrow(new RegExp(`^${row.name}\\b`));
      expect(model.stats.steps, row.name).toBe(0);
      expect(() => validateGenerateOptions(options), row.name).toThrow(DecodeOptionError);
    }
  });

  it('accepts its defaults and in-range values', () => {
    for (const row of ROWS) {
      if (row.default !== undefined) expect(row.validate(row.default, SETUP.vocabSize), row.name).toEqual(row.default);
      for (const value of goodValues(row.value)) expect(row.validate(value), `${row.name} = ${String(value)}`).toBe(value);
    }
  });

  it("a processor row's factory accepts exactly the values its validator accepts", () => {
    for (const row of ROWS.filter((r) => r.processor !== undefined && (r.value.kind === 'integer' || r.value.kind === 'number'))) {
      for (const value of [...badValues(row.value), ...goodValues(row.value)]) {
        const valid = (() => {
          try {
            row.validate(value);
            return true;
          } catch {
            return false;
          }
        })();
        const build = (): unknown => row.processor!(value, SETUP);
        if (valid) expect(build, `${row.name}(${String(value)})`).not.toThrow();
        else expect(build, `${row.name}(${String(value)})`).toThrow(DecodeOptionError);
      }
    }
  });

  it('names only registered strategies, and the strategy option offers every one of them', () => {
    expect(STRATEGY_NAMES).toEqual(Object.keys(STRATEGIES));
    const strategy = ROWS.find((row) => row.name === 'strategy')!;
    expect(strategy.value.choices).toEqual(STRATEGY_NAMES);
    for (const row of ROWS) for (const s of row.strategies ?? []) expect(STRATEGY_NAMES, row.name).toContain(s);
  });

  it('the README lists every option, in table order', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Options'), readme.indexOf('## What the numbers mean'));
    const listed = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(ROWS.map((row) => row.name));
  });

  it('an unknown option is rejected with the list of every table option', () => {
    const error = (() => {
      try {
        validateGenerateOptions({ beamSize: 4 });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toBe(`beamSize: unknown option; valid options are ${ROWS.map((row) => row.name).join(', ')}`);
  });
});

describe('the strategy registry', () => {
  it('every registered strategy decodes through generate', async () => {
    for (const strategy of STRATEGY_NAMES) {
      const model = randomTableModel({ vocabSize: 5, seed: 3 });
      const [result] = await generate(model, [[1]], { strategy, maxNewTokens: 3, seed: 1 });
      expect(result.best.ids.length, strategy).toBeGreaterThan(0);
      expect(model.stats.liveStates, strategy).toBe(0);
    }
  });
});

describe('processor order', () => {
  it('runs all-strategy processors, then your processors, then the sampling filters', async () => {
    const model = randomTableModel({ vocabSize: 6, seed: 2 });
    const seen: Float32Array[] = [];
    const spy: LogitsProcessor = (logits) => {
      seen.push(logits.slice());
      return logits;
    };
    const plain: Float32Array[] = [];
    const record: LogitsProcessor = (logits) => {
      plain.push(logits.slice());
      return logits;
    };
    await generate(model, [[1]], { strategy: 'sample', seed: 4, maxNewTokens: 1, processors: [record] });
    await generate(model, [[1]], {
      strategy: 'sample',
      seed: 4,
      maxNewTokens: 1,
      temperature: 0.5,
      topK: 2,
      suppressTokens: [3],
      processors: [spy],
    });
    // suppressTokens ran before the spy; temperature and topK (sampling filters) after it.
    expect(seen[0][3]).toBe(-Infinity);
    const expected = plain[0].slice();
    expected[3] = -Infinity;
    expect(Array.from(seen[0])).toEqual(Array.from(expected));
  });

  it('builds the sampling filters only for the strategies they apply to', async () => {
    const model = randomTableModel({ vocabSize: 6, seed: 2 });
    const greedy = await generate(model, [[1]], { maxNewTokens: 4 });
    const filtered = await generate(model, [[1]], { maxNewTokens: 4, temperature: 0.01, topK: 1, topP: 0.1 });
    expect(filtered[0].best.tokenLogProbs).toEqual(greedy[0].best.tokenLogProbs);
  });
});
