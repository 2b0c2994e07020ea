// @seqloom/native/internal: what seqloom's own benchmarks and tests use besides
// the package's API (the raw addon, thread settings, the OpenBLAS core choice).
// Not a public API: it changes with the package, in any release.
export { ADDON_PATH, ENABLE_NATIVE_COMMAND, loadNativeAddon, type NativeAddon } from './addon.js';
export {
  cpuFlags,
  GENERIC_OPENBLAS_CORES,
  isGenericOpenblasCore,
  preferredOpenblasCore,
  selectOpenblasCore,
} from './openblas-core.js';
export { SERIAL_BELOW_DEFAULT, setNativeThreads } from './register-backend.js';
