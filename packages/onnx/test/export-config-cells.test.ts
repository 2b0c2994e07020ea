import { CELL_REGISTRY } from '@seqloom/seq2seq/model';
import { describe, expect, it } from 'vitest';
import { readSeqloomExportConfig, stateNames } from '../src/seqloom-export-config.js';

const KEYS = Object.keys(CELL_REGISTRY);

function exportConfig(cell: string): Record<string, unknown> {
  const graph = (file: string) => ({ file, inputs: ['input_ids'], outputs: ['logits'] });
  return {
    format: 'seqloom-onnx',
    formatVersion: 1,
    task: 'seq2seq',
    cell,
    layers: 1,
    hiddenSize: 4,
    attention: 'none',
    inputFeeding: false,
    vocabSize: 8,
    sourceVocabSize: 8,
    bosId: 1,
    eosId: 2,
    padId: 0,
    sourcePadId: 0,
    inputLimit: 16,
    encoder: graph('encoder.onnx'),
    decoder: graph('decoder_step.onnx'),
    state: [],
    memory: [],
    files: { tokenizer: 'tokenizer.json', generation: 'generation.json' },
  };
}

describe("a seqloom ONNX export's cell", () => {
  it('config.json may name every registered cell; another is rejected with exactly the registered ones listed', () => {
    for (const cell of KEYS) expect(readSeqloomExportConfig(exportConfig(cell), 'm/config.json').cell).toBe(cell);
    expect(() => readSeqloomExportConfig(exportConfig('transformer'), 'm/config.json')).toThrow(
      `m/config.json: field "cell" is "transformer"; expected one of ${KEYS.join(', ')}`,
    );
  });

  it("the decoder state holds each layer's states in the order of the cell definition, then the fed-back vector", () => {
    expect(stateNames(CELL_REGISTRY.lstm.states, 2, true)).toEqual(['state.h.0', 'state.c.0', 'state.h.1', 'state.c.1', 'state.feed']);
    expect(stateNames(CELL_REGISTRY.gru.states, 2, false)).toEqual(['state.h.0', 'state.h.1']);
    for (const definition of Object.values(CELL_REGISTRY)) expect(stateNames(definition.states, 3, false)).toHaveLength(3 * definition.states.length);
  });
});
