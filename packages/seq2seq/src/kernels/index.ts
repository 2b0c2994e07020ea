// @seqloom/seq2seq/kernels: the kernel seam. A backend's kernel set
// implements SeqKernels and is registered for the backend's tfjs name;
// setBackend installs it and hands it to every model created afterwards.
export type { AdamUpdateAttrs, AdamUpdateInputs, KernelPass, LstmCellGradAttrs, LstmCellGradInputs, SeqKernels } from './kernel-set.js';
export { fusedOptimizerKernels } from './optimizer-kernels.js';
export { fusedNllKernels } from './nll-kernels.js';
export { referenceKernels } from './reference-kernels.js';
export { fusedKernelSet } from './fused-kernel-set.js';
export { nativeKernelSet } from './native-kernel-set.js';
export { installWasmKernels, wasmKernels } from './wasm-kernels.js';
export { activeKernelSet, kernelSetFor, registerKernelSet, type BackendKernels } from './kernel-registry.js';
export { registerSeqloomWasmKernels } from './register-wasm-kernels.js';
export { registerUnsortedSegmentSum } from './unsorted-segment-sum.js';
