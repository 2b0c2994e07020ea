import { fusedKernelSet } from './fused-kernel-set.js';
import type { SeqKernels } from './kernel-set.js';
import { registerSeqloomWasmKernels } from './register-wasm-kernels.js';
import { registerUnsortedSegmentSum } from './unsorted-segment-sum.js';

/** The wasm kernel set: {@link fusedKernelSet} on the wasm backend. */
export const wasmKernels: SeqKernels = fusedKernelSet('wasm');

/**
 * What the wasm backend needs before {@link wasmKernels} run: the fused cell
 * kernels, seqloom's replacements of slow stock kernels, and
 * `UnsortedSegmentSum`. Idempotent.
 */
export function installWasmKernels(): void {
  registerUnsortedSegmentSum();
  registerSeqloomWasmKernels();
}
