import {
  DecodeModelError,
  DecodeOptionError,
  type GenerateOptions,
  generate,
  NoAllowedTokenError,
  type StepEvent,
  type StepModel,
  stream,
  validateGenerateOptions,
} from '@seqloom/decode';
import { randomTableModel, type TableState, type TableStepModel } from '@seqloom/decode/testing';
import { describe, expect, it } from 'vitest';

/** Wrap a table model, letting a test rewrite the logits of a step. */
function faulty(inner: TableStepModel, edit: (logits: Float32Array, step: number) => Float32Array): StepModel<TableState> {
  let step = 0;
  return {
    vocabSize: inner.vocabSize,
    bosId: inner.bosId,
    eosId: inner.eosId,
    padId: inner.padId,
    start: (s) => inner.start(s),
    step: async (state, prev) => {
      const out = await inner.step(state, prev);
      return { ...out, logits: edit(out.logits, step++) };
    },
    reorder: (s, r) => inner.reorder(s, r),
    dispose: (s) => inner.dispose(s),
  };
}

describe('model output validation', () => {
  it('a row of NaN logits names the step and row, and the state is still disposed', async () => {
    const inner = randomTableModel({ vocabSize: 6, seed: 1, eosBias: -3 });
    const model = faulty(inner, (l, step) => (step === 2 ? l.fill(Number.NaN, 6, 12) : l));
    const err = await generate(model, [[1], [2]], { maxNewTokens: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeModelError);
    expect((err as Error).message).toMatch(/step 2, row 1 \(source 1\): the model returned NaN for every logit/);
    expect(inner.stats.liveStates).toBe(0);
  });

  it('a single NaN or +Infinity names the token', async () => {
    const nan = faulty(randomTableModel({ vocabSize: 6, seed: 1 }), (l) => ((l[3] = Number.NaN), l));
    await expect(generate(nan, [[1]])).rejects.toThrow(/step 0, row 0 \(source 0\): the model returned NaN \(1 NaN values in the row\) at token 3/);
    const inf = faulty(randomTableModel({ vocabSize: 6, seed: 1 }), (l) => ((l[4] = Infinity), l));
    await expect(generate(inf, [[1]])).rejects.toThrow(/returned \+Infinity at token 4/);
  });

  it('logits of the wrong length name the expected rows × vocabSize', async () => {
    const inner = randomTableModel({ vocabSize: 6, seed: 1 });
    const model = faulty(inner, (l) => l.subarray(0, l.length - 1));
    await expect(generate(model, [[1], [2], [3]])).rejects.toThrow(/step 0: model.step returned logits of length 17; expected rows × vocabSize = 3 × 6 = 18/);
    expect(inner.stats.liveStates).toBe(0);
  });

  it('rejects a model with bad constants', async () => {
    const model = { ...randomTableModel({ vocabSize: 6, seed: 1 }), eosId: 6 } as unknown as StepModel<unknown>;
    await expect(generate(model, [[1]])).rejects.toThrow(/model.eosId must be a token id in \[0, 5\], got 6/);
  });
});

describe('option validation', () => {
  const model = randomTableModel({ vocabSize: 6, seed: 1 });
  const cases: [GenerateOptions, RegExp][] = [
    [{ strategy: 'sample', topP: 1.5 }, /topP: expected a number in \(0, 1\], got 1\.5/],
    [{ strategy: 'sample', topP: 0 }, /topP/],
    [{ strategy: 'sample', temperature: -1 }, /temperature: expected a finite number ≥ 0/],
    [{ strategy: 'beam', beamWidth: 0 }, /beamWidth: expected an integer ≥ 1, got 0/],
    [{ strategy: 'beam', beamWidth: 2, numReturn: 3 }, /numReturn: must be ≤ beamWidth \(2\); got 3/],
    [{ strategy: 'beam', beamWidth: 4, beamGroups: 3 }, /beamGroups: must divide beamWidth \(4\); got 3/],
    [{ strategy: 'beam', lengthPenalty: 'log' as never }, /lengthPenalty: expected 'none', 'avg', 'wu' or 'power'/],
    [{ strategy: 'beam', lengthPenaltyAlpha: Infinity }, /lengthPenaltyAlpha/],
    [{ strategy: 'beam', earlyStopping: true as never }, /earlyStopping: expected 'bound', 'width' or 'heuristic'/],
    [{ strategy: 'nucleus' as never }, /strategy: expected 'greedy', 'beam', 'sample' or 'exhaustive'/],
    [{ temperature: -0.5 }, /temperature: expected a finite number ≥ 0/],
    [{ numReturn: 2 }, /numReturn: greedy decoding returns one hypothesis/],
    [{ maxNewTokens: -1 }, /maxNewTokens: expected an integer ≥ 0/],
    [{ topp: 0.9 } as never, /topp: unknown option; valid options are strategy, /],
    [{ strategy: 'sample', seed: 1, rng: { next: () => 0.5 } as never }, /seed: give either seed or rng/],
    [{ forcedPrefix: [7] }, /forcedPrefix\[0\]: expected a token id, an integer in \[0, 5\] \(vocabSize 6\), got 7/],
    [{ suppressTokens: [-1] }, /suppressTokens\[0\]/],
    [{ strategy: 'exhaustive', maxSearchSpace: 0 }, /maxSearchSpace: expected an integer ≥ 1/],
    [{ maxTimeMs: 0 }, /maxTimeMs/],
    [{ seed: 0.5 }, /seed: expected a safe integer/],
    [{ strategy: 'beam', topP: 2 }, /topP: expected a number in \(0, 1\]/],
    [{ processors: [5 as never] }, /processors: expected an array of functions/],
  ];
  it.each(cases)('%j is rejected', async (options, message) => {
    const err = await generate(model, [[1]], options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeOptionError);
    expect((err as Error).message).toMatch(message);
    expect(model.stats.starts).toBe(0);
  });
});

describe('strategy-specific options', () => {
  it('are validated but ignored by other strategies, so saved defaults compose', async () => {
    const model = randomTableModel({ vocabSize: 9, seed: 2 });
    const [plain] = await generate(model, [[1]], { maxNewTokens: 6 });
    const [mixed] = await generate(model, [[1]], {
      maxNewTokens: 6,
      temperature: 0.3,
      topK: 2,
      topP: 0.5,
      beamWidth: 4,
      beamGroups: 3,
      earlyStopping: 'width',
      maxSearchSpace: 10,
      seed: 3,
    });
    expect(mixed.best.ids).toEqual(plain.best.ids);
    expect(mixed.best.logProb).toBe(plain.best.logProb);
  });
});

describe('processors and stopping in the loop', () => {
  it('says which processor removed the last allowed token', async () => {
    const model = randomTableModel({ vocabSize: 5, seed: 1 });
    // pad 0 is masked by the loop; suppress everything but eos (2), then forbid eos for 2 tokens.
    const err = await generate(model, [[]], { suppressTokens: [1, 3, 4], minNewTokens: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAllowedTokenError);
    expect((err as Error).message).toMatch(
      /step 0, row 0 \(source 0, after 0 tokens\): no token is allowed after minNewTokens\(2\) \(processors applied: suppressTokens\(1\) → suppressTokens\(3\) → minNewTokens\(2\)\)/,
    );
    expect(model.stats.liveStates).toBe(0);
  });

  it('a processor that produces NaN is named as the cause', async () => {
    const model = randomTableModel({ vocabSize: 5, seed: 1 });
    const broken = (l: Float32Array): Float32Array => l.fill(Number.NaN, 3);
    await expect(generate(model, [[]], { processors: [broken] })).rejects.toThrow(/step 0, row 0 \(source 0\): the logits processors produced NaN/);
    expect(model.stats.liveStates).toBe(0);
  });

  it('forced prefix starts every output and does not count against maxNewTokens', async () => {
    const model = randomTableModel({ vocabSize: 8, seed: 3, eosBias: -10 });
    for (const strategy of ['greedy', 'beam', 'sample'] as const) {
      const [r] = await generate(model, [[]], { strategy, forcedPrefix: [5, 6, 7], maxNewTokens: 4, seed: 1 });
      expect(r.best.ids.slice(0, 3)).toEqual([5, 6, 7]);
      expect(r.best.ids).toHaveLength(7);
      expect(r.best.tokenLogProbs.slice(0, 3)).toEqual([0, 0, 0]);
      expect(r.best.finishReason).toBe('length');
    }
  });

  it('min new tokens delays eos', async () => {
    const model = randomTableModel({ vocabSize: 8, seed: 3, eosBias: 10 });
    const [plain] = await generate(model, [[]], { maxNewTokens: 9 });
    expect(plain.best.ids).toEqual([2]);
    const [r] = await generate(model, [[]], { maxNewTokens: 9, minNewTokens: 4 });
    expect(r.best.ids).toHaveLength(5);
    expect(r.best.ids.at(-1)).toBe(2);
  });

  it('no-repeat-n-gram, banned sequences and repetition penalty apply to every strategy', async () => {
    const model = randomTableModel({ vocabSize: 5, seed: 9, eosBias: -10 });
    for (const strategy of ['greedy', 'beam', 'sample', 'exhaustive'] as const) {
      const [r] = await generate(model, [[]], { strategy, noRepeatNgramSize: 1, maxNewTokens: 3, seed: 2 });
      expect(new Set(r.best.ids).size).toBe(r.best.ids.length);
      const [b] = await generate(model, [[]], { strategy, bannedSequences: [[3], [4, 1]], maxNewTokens: 4, seed: 2 });
      expect(b.best.ids).not.toContain(3);
      expect(b.best.ids.join(',')).not.toContain('4,1');
    }
  });

  it('an aborted signal stops every row with reason aborted; an already aborted one steps nothing', async () => {
    const controller = new AbortController();
    const inner = randomTableModel({ vocabSize: 6, seed: 1, eosBias: -10 });
    const model = faulty(inner, (l, step) => {
      if (step === 2) controller.abort();
      return l;
    });
    const results = await generate(model, [[1], [2]], { strategy: 'beam', beamWidth: 2, maxNewTokens: 50, signal: controller.signal });
    for (const r of results) {
      expect(r.best.finishReason).toBe('aborted');
      expect(r.best.ids).toHaveLength(3);
    }
    const fresh = randomTableModel({ vocabSize: 6, seed: 1 });
    const [r] = await generate(fresh, [[1]], { signal: controller.signal });
    expect(r.best).toMatchObject({ ids: [], finishReason: 'aborted' });
    expect(fresh.stats.steps).toBe(0);
    expect(fresh.stats.liveStates).toBe(0);
  });

  it('max time stops with reason time', async () => {
    const inner = randomTableModel({ vocabSize: 6, seed: 1, eosBias: -10 });
    const slow: StepModel<TableState> = {
      ...faulty(inner, (l) => l),
      step: async (s, p) => {
        await new Promise((resolve) => setTimeout(resolve, 15));
        return inner.step(s, p);
      },
    };
    const [r] = await generate(slow, [[1]], { maxNewTokens: 1000, maxTimeMs: 40 });
    expect(r.best.finishReason).toBe('time');
    expect(r.best.ids.length).toBeGreaterThan(0);
    expect(r.best.ids.length).toBeLessThan(10);
  });

  it('user processors and stopping criteria join the built-in ones', async () => {
    const model = randomTableModel({ vocabSize: 6, seed: 4, eosBias: -10 });
    const onlyFive = (l: Float32Array): Float32Array => l.map((x, i) => (i === 5 ? x : -Infinity));
    const [r] = await generate(model, [[]], {
      maxNewTokens: 10,
      processors: [onlyFive],
      stoppingCriteria: [({ tokens }) => (tokens.length === 3 ? 'length' : null)],
    });
    expect(r.best.ids).toEqual([5, 5, 5]);
    expect(r.best.tokenLogProbs).toEqual([0, 0, 0]);
  });

  it('collects attention rows per token when the model reports them', async () => {
    const model = randomTableModel({ vocabSize: 6, seed: 1, attention: true, eosBias: -10 });
    const [a, b] = await generate(model, [[1, 2, 3], [4]], { strategy: 'beam', beamWidth: 2, maxNewTokens: 4 });
    expect(a.best.attention).toHaveLength(a.best.ids.length);
    expect(a.best.attention![0]).toHaveLength(3); // padded to the longest source
    expect(b.best.attention![0][0]).toBeCloseTo(1, 6);
    const sum = Array.from(a.best.attention![1]).reduce((x, y) => x + y, 0);
    expect(sum).toBeCloseTo(1, 6);
  });

  it('maxNewTokens 0 returns empty hypotheses without stepping, for every strategy', async () => {
    for (const strategy of ['greedy', 'beam', 'sample', 'exhaustive'] as const) {
      const model = randomTableModel({ vocabSize: 6, seed: 1 });
      const [r] = await generate(model, [[1]], { strategy, maxNewTokens: 0, seed: 1 });
      expect(r.best).toMatchObject({ ids: [], logProb: 0, finishReason: 'length' });
      expect(model.stats.steps).toBe(0);
      expect(model.stats.liveStates).toBe(0);
    }
  });

  it('an empty batch returns no results and starts nothing', async () => {
    const model = randomTableModel({ vocabSize: 6, seed: 1 });
    expect(await generate(model, [])).toEqual([]);
    expect(model.stats.starts).toBe(0);
  });
});

describe('stream', () => {
  it('yields token events that spell the result, then the result', async () => {
    const model = randomTableModel({ vocabSize: 7, seed: 6, eosBias: 0.5 });
    const events: StepEvent[] = [];
    for await (const e of stream(model, [[1], [2]], { maxNewTokens: 8 })) events.push(e);
    const results = await generate(model, [[1], [2]], { maxNewTokens: 8 });
    for (const source of [0, 1]) {
      const tokens = events.flatMap((e) => (e.type === 'token' && e.source === source ? [e.token] : []));
      expect(tokens).toEqual(results[source].best.ids);
      const result = events.find((e) => e.type === 'result' && e.source === source);
      expect(result && result.type === 'result' && result.result.best.ids).toEqual(tokens);
    }
    expect(events.at(-1)?.type).toBe('result');
  });

  it('yields finished hypotheses for beam search', async () => {
    const model = randomTableModel({ vocabSize: 7, seed: 6, eosBias: 0.5 });
    const events: StepEvent[] = [];
    for await (const e of stream(model, [[1]], { strategy: 'beam', beamWidth: 3, numReturn: 3, maxNewTokens: 6 })) events.push(e);
    const finished = events.flatMap((e) => (e.type === 'hypothesis' ? [e.hypothesis.ids.join()] : []));
    const last = events.at(-1);
    if (last?.type !== 'result') throw new Error(`the last event is ${last?.type}, expected result`);
    expect(last.result.hypotheses).toHaveLength(3);
    for (const h of last.result.hypotheses) expect(finished).toContain(h.ids.join());
  });

  it('stops stepping and frees the state when the consumer breaks out', async () => {
    const model = randomTableModel({ vocabSize: 7, seed: 6, eosBias: -10 });
    let seen = 0;
    for await (const e of stream(model, [[1]], { maxNewTokens: 100 })) {
      if (e.type === 'token' && ++seen === 3) break;
    }
    expect(model.stats.steps).toBe(3);
    expect(model.stats.liveStates).toBe(0);
  });

  it('rethrows errors to the consumer', async () => {
    const model = randomTableModel({ vocabSize: 7, seed: 6 });
    const consume = async (): Promise<void> => {
      for await (const _ of stream(model, [[1]], { strategy: 'beam', beamWidth: 0 })) void _;
    };
    await expect(consume()).rejects.toThrow(/beamWidth/);
  });
});

describe('validateGenerateOptions (stored decoding defaults)', () => {
  it('accepts valid options and returns them unchanged', () => {
    const saved = { strategy: 'beam', beamWidth: 5, numReturn: 2, lengthPenalty: 'wu', maxNewTokens: 40, suppressTokens: [3] };
    expect(validateGenerateOptions(saved, 10)).toBe(saved);
    expect(validateGenerateOptions({})).toEqual({});
  });

  it('rejects a misspelt option, a bad value and an id outside the vocabulary, naming the option', () => {
    expect(() => validateGenerateOptions({ strategy: 'beam', beamSize: 4 })).toThrow(/^beamSize: unknown option; valid options are .*beamWidth/);
    expect(() => validateGenerateOptions({ strategy: 'beam', beamWidth: 0 })).toThrow(DecodeOptionError);
    expect(() => validateGenerateOptions({ topP: 1.5 })).toThrow(/^topP: expected a number in \(0, 1\]/);
    expect(() => validateGenerateOptions({ forcedPrefix: [12] }, 10)).toThrow(/^forcedPrefix\[0\]: .*vocabSize 10/);
    expect(() => validateGenerateOptions('beam')).toThrow(/^options: expected an object/);
    expect(() => validateGenerateOptions({}, 0)).toThrow(/^vocabSize/);
  });
});
