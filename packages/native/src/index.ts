// @seqloom/native: register the engine, describe it, or say why it is unavailable.
// The kernels it registers and the addon's functions are @seqloom/core's kernel
// contract; what seqloom's own benchmarks and tests reach besides is under
// `@seqloom/native/internal`.
export { NativeUnavailableError, nativeUnavailableReason, type BlasInfo } from './addon.js';
export {
  NATIVE_BACKEND,
  describeNativeBackend,
  nativeBlasInfo,
  registerNativeBackend,
  type NativeBackendOptions,
} from './register-backend.js';
// The fused decoder step (one native call per decoding step; seq2seq's kernel set hands it to the StepModel adapter).
export {
  nativeDecodeStep,
  type DecodeStepLayer,
  type DecodeStepModel,
  type DecodeStepSession,
  type DecodeStepSessionInit,
  type DecodeStepSpec,
  type DecodeStepWeights,
  type NativeDecodeStep,
} from './decode-step.js';
