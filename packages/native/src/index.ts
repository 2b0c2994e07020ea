export {
  ADDON_PATH,
  ENABLE_NATIVE_COMMAND,
  NativeUnavailableError,
  loadNativeAddon,
  nativeUnavailableReason,
  type BlasInfo,
  type NativeAddon,
} from './addon.js';
export {
  NATIVE_BACKEND,
  describeNativeBackend,
  nativeBlasInfo,
  registerNativeBackend,
  setNativeThreads,
  type NativeBackendOptions,
} from './register-backend.js';
export { gruCell, lstmCell, lstmCellFull, lstmCellGrad, rnnCell, type LstmCellGradRows } from './cells.js';
export { MASKED_NLL_GRAD_KERNEL, MASKED_NLL_KERNEL } from './nll-kernels.js';
export { ADAM_UPDATE_KERNEL, SUM_OF_SQUARES_KERNEL } from './optimizer-kernels.js';
export { GRU_CELL_KERNEL, LSTM_CELL_GRAD_KERNEL, LSTM_CELL_KERNEL, RNN_CELL_KERNEL } from './cell-kernels.js';
export {
  GENERIC_OPENBLAS_CORES,
  cpuFlags,
  isGenericOpenblasCore,
  preferredOpenblasCore,
  selectOpenblasCore,
} from './openblas-core.js';
export { LSTM_SEQUENCE_GRAD_KERNEL, LSTM_SEQUENCE_KERNEL } from './sequence-kernels.js';
