// The optional native engine (@seqloom/native): loaded by dynamic import so
// that its absence, or an addon that was never built, is never an error.
import { registerKernelSet } from './kernels/kernel-registry.js';
import { fusedNllKernels } from './kernels/nll-kernels.js';
import { fusedOptimizerKernels } from './kernels/optimizer-kernels.js';
import { fusedKernelSet } from './kernels/wasm-kernels.js';
import { nativeSequenceKernels } from './kernels/native-sequence-kernels.js';

/** What seqloom uses of @seqloom/native (see that package's index). */
interface NativeEngine {
  registerNativeBackend(options: { threads?: number }): void;
  describeNativeBackend(): string;
  nativeUnavailableReason(): string | undefined;
  ENABLE_NATIVE_COMMAND: string;
}

// Kept in a variable so tsc and bundlers do not resolve the optional dependency.
const NATIVE_PACKAGE = '@seqloom/native';
// Said only when the package itself cannot be imported; its own load errors name the rebuild command that fits where it is installed.
const ENABLE = 'npm install @seqloom/native (in this repository: pnpm install)';

let engine: NativeEngine | undefined;
let failure: string | undefined;
let told = false;

/** `SEQLOOM_NATIVE=off` turns the engine off (auto then starts wasm, silently). */
function disabled(): boolean {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['SEQLOOM_NATIVE'] === 'off';
}

async function loadEngine(): Promise<NativeEngine | string> {
  if (engine !== undefined) return engine;
  if (failure !== undefined) return failure;
  if (disabled()) return (failure = 'turned off by SEQLOOM_NATIVE=off');
  try {
    const loaded = (await import(NATIVE_PACKAGE)) as NativeEngine;
    const reason = loaded.nativeUnavailableReason();
    if (reason !== undefined) return (failure = reason);
    return (engine = loaded);
  } catch (error) {
    return (failure = `cannot import ${NATIVE_PACKAGE} (${(error as Error).message.split('\n')[0]}); enable it with \`${ENABLE}\``);
  }
}

/** Loads the native engine and registers its tfjs backend `native` with `threads` BLAS threads; returns why not, or undefined. */
export async function prepareNativeBackend(threads: number): Promise<string | undefined> {
  const loaded = await loadEngine();
  if (typeof loaded === 'string') return loaded;
  try {
    loaded.registerNativeBackend({ threads });
    // the engine registers seqloom's fused cell, optimizer and loss kernels and UnsortedSegmentSum on `native`
    registerKernelSet('native', { ...fusedKernelSet('native'), ...nativeSequenceKernels(), ...fusedOptimizerKernels(), ...fusedNllKernels() });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** `native (oneDNN 2.6.3, AVX-512, 1 thread)` or `native (OpenBLAS 0.3.21, Haswell, 1 thread)` once the engine is loaded, else `native`. */
export function describeNativeEngine(): string {
  return engine?.describeNativeBackend() ?? 'native';
}

/** Says once per process, on stderr, that `chosen` runs instead of the native engine and how to enable it. */
export function reportNativeFallback(chosen: string): void {
  if (told || engine !== undefined || disabled()) return;
  told = true;
  console.error(`backend: ${chosen}, as the native engine is unavailable (${failure ?? 'not loaded'})`);
}
