import { describe, expect, it } from 'vitest';
import { fusedKernelSet } from './fused-kernel-set.js';
import { nativeKernelSet } from './native-kernel-set.js';
import { wasmKernels } from './wasm-kernels.js';

describe('the kernel sets that call seqloom kernels by their contract names', () => {
  it('the native set is the fused cell set with every optional kernel the engine registers', () => {
    const set = nativeKernelSet();
    expect(set.name).toBe('native');
    for (const member of [
      'lstmCell',
      'lstmCellFull',
      'lstmCellGrad',
      'gruCell',
      'rnnCell',
      'segmentSum',
      'lstmSequence',
      'lstmSequenceGrad',
      'adamUpdate',
      'sumOfSquares',
      'maskedNllSum',
    ] as const) {
      expect(typeof set[member], member).toBe('function');
    }
  });

  it('the wasm set is the fused cell set alone (wasm registers no sequence, optimizer or loss kernel)', () => {
    expect(wasmKernels.name).toBe('wasm');
    expect(Object.keys(wasmKernels).sort()).toEqual(Object.keys(fusedKernelSet('wasm')).sort());
    expect(wasmKernels.lstmSequence).toBeUndefined();
    expect(wasmKernels.adamUpdate).toBeUndefined();
  });
});
