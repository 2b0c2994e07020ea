import { FUSED_DECODER_CELLS } from '@seqloom/core';
import { describe, expect, it } from 'vitest';
import { CELL_TYPES } from '../cells/cell-types.js';
import type { ModelParams } from '../model/parameters.js';
import type { ModelConfig } from '../model-contract.js';
import { fusedDecoderFits } from './fused-step-model.js';
import { fusedSpec } from './fused-weights.js';

const withCell = (cell: string) => ({ cell }) as unknown as ModelConfig;

describe('which models decode on a fused decoder engine', () => {
  it("every seqloom cell in the contract's list fits; a cell outside it takes the tensor path", () => {
    for (const cell of CELL_TYPES) expect(fusedDecoderFits(withCell(cell))).toBe((FUSED_DECODER_CELLS as readonly string[]).includes(cell));
    expect(fusedDecoderFits(withCell('indrnn'))).toBe(false);
  });

  it('will not describe a decoder of a cell the engine lacks', () => {
    expect(() => fusedSpec(withCell('indrnn'), {} as ModelParams)).toThrow(/cell "indrnn" has no fused step/);
  });
});
