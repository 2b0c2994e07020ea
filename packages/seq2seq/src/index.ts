export { registerSeqloomWasmKernels } from './kernels/register-wasm-kernels.js';
