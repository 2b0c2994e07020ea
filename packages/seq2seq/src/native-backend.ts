// The optional native engine (@seqloom/native): loaded by dynamic import so
// that its absence, or an addon that was never built, is never an error.
import { NATIVE_PACKAGE, nativeEnableCommand } from '@seqloom/core/enable-command';
import type { FusedDecoderEngine } from './adapter/fused-decoder-engine.js';
import { registerKernelSet } from './kernels/kernel-registry.js';
import { nativeKernelSet } from './kernels/native-kernel-set.js';

/** What seqloom uses of @seqloom/native (see that package's index). */
interface NativeEngine {
  registerNativeBackend(options: { threads?: number }): void;
  describeNativeBackend(): string;
  nativeUnavailableReason(): string | undefined;
  /** The fused decoder step (one native call per decoding step). */
  nativeDecodeStep(): FusedDecoderEngine;
}

// Said only when the package itself cannot be imported; its own load errors name the rebuild command that fits where it is installed.
const ENABLE = nativeEnableCommand({ location: 'unknown' }, { installed: false });

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
    registerKernelSet('native', { ...nativeKernelSet(), fusedDecoder: loaded.nativeDecodeStep() }); // decoding: one native call per step
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
