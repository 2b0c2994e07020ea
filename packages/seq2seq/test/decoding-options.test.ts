import { describe, expect, it } from 'vitest';
import { decodingOptions } from '../src/pipeline/text-generation.js';
import type { TrainedModel } from '../src/pipeline/trained-model.js';

/** Just what decodingOptions reads of a trained model: its saved defaults and target tokenizer. */
function trainedWith(generation: Record<string, unknown>): TrainedModel {
  const targetTokenizer = { encode: (text: string) => [...text].map((c) => c.charCodeAt(0) - 96) };
  return { generation, targetTokenizer } as unknown as TrainedModel;
}

describe('decodingOptions (generation.json defaults under the caller options)', () => {
  const saved = {
    strategy: 'beam',
    beamWidth: 5,
    numReturn: 3,
    earlyStopping: 'width',
    lengthPenalty: 'wu',
    maxNewTokens: 20,
    seed: 9,
    suppressTokens: [4],
    forcedPrefix: [1],
    note: 'not a decoding option',
  };

  it('keeps the saved decoding options, drops keys that are not decoding options and lets the caller override', () => {
    expect(decodingOptions(trainedWith(saved), { beamWidth: 8 })).toEqual({
      strategy: 'beam',
      beamWidth: 8,
      numReturn: 3,
      earlyStopping: 'width',
      lengthPenalty: 'wu',
      maxNewTokens: 20,
      seed: 9,
      suppressTokens: [4],
    });
  });

  it("drops the saved strategy's own options when the caller picks another strategy", () => {
    expect(decodingOptions(trainedWith(saved), { strategy: 'sample', temperature: 0.7 })).toEqual({
      strategy: 'sample',
      lengthPenalty: 'wu',
      maxNewTokens: 20,
      seed: 9,
      suppressTokens: [4],
      temperature: 0.7,
    });
  });

  it('adds banned texts, encoded with the target tokenizer, to the banned sequences', () => {
    const merged = decodingOptions(trainedWith({ bannedSequences: [[7]] }), { banned: ['ab'] });
    expect(merged.bannedSequences).toEqual([[7], [1, 2]]);
    expect('banned' in merged).toBe(false);
  });
});
