// @seqloom/seq2seq/parallel: worker-thread pools for decoding and training,
// and the threaded build of the wasm backend. Node only (node:worker_threads).
export { DecodingPool, type DecodingPoolOptions } from './decoding-pool.js';
export { TrainingPool, type TrainingPoolOptions } from './training-pool.js';
export { splitBatch } from './split-batch.js';
export { WorkerPoolError } from './worker-thread.js';
export {
  registerThreadedWasmBackend,
  threadedWasmThreads,
  ThreadedWasmError,
  type ThreadedWasmOptions,
} from '../kernels/threaded-wasm.js';
export type { BackendOptions } from '../backend.js';
