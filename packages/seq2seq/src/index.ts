export { registerSeqloomWasmKernels } from './kernels/register-wasm-kernels.js';
export { registerThreadedWasmBackend, threadedWasmThreads, ThreadedWasmError, type ThreadedWasmOptions } from './kernels/threaded-wasm.js';
