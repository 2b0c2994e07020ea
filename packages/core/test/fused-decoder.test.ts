import { describe, expect, it } from 'vitest';
import { FUSED_DECODER_ATTENTIONS, FUSED_DECODER_CELLS, FUSED_DECODER_OUTPUTS, isFusedDecoderCell } from '../src/index.js';

describe('the fused decoder contract', () => {
  it('lists the cells, attentions and outputs in the engine-code order', () => {
    expect(FUSED_DECODER_CELLS).toEqual(['lstm', 'gru', 'rnn', 'relu']);
    expect(FUSED_DECODER_ATTENTIONS).toEqual(['none', 'dot', 'general', 'bahdanau']);
    expect(FUSED_DECODER_OUTPUTS).toEqual(['untied', 'tied', 'tied-projected']);
    expect(Object.isFrozen(FUSED_DECODER_CELLS)).toBe(true);
  });

  it('says which cells have a fused step', () => {
    for (const cell of FUSED_DECODER_CELLS) expect(isFusedDecoderCell(cell)).toBe(true);
    for (const cell of ['indrnn', 'LSTM', '', 'tanh']) expect(isFusedDecoderCell(cell)).toBe(false);
  });
});
