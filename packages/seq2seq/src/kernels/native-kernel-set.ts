import { fusedKernelSet } from './fused-kernel-set.js';
import type { SeqKernels } from './kernel-set.js';
import { nativeSequenceKernels } from './native-sequence-kernels.js';
import { fusedNllKernels } from './nll-kernels.js';
import { fusedOptimizerKernels } from './optimizer-kernels.js';

/**
 * The native engine's kernel set: every seqloom kernel of the contract by name
 * (the engine registers them all on its tfjs backend `native`): the fused
 * cells, the whole-layer LSTM forward and backward, the fused Adam step and
 * sum of squares, and the fused log-softmax + masked NLL.
 */
export function nativeKernelSet(): SeqKernels {
  return { ...fusedKernelSet('native'), ...nativeSequenceKernels(), ...fusedOptimizerKernels(), ...fusedNllKernels() };
}
