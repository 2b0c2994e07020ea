import * as tf from '@tensorflow/tfjs';
import type { SeqKernels } from './kernel-set.js';
import { referenceKernels } from './reference-kernels.js';
import { installWasmKernels, wasmKernels } from './wasm-kernels.js';

/** A backend's kernel set and what must be registered on the backend before it runs. */
export interface BackendKernels {
  readonly kernels: SeqKernels;
  /** Registers the tfjs kernels the set calls (idempotent); run by `setBackend` before the backend starts. */
  readonly install?: () => void;
}

const sets = new Map<string, BackendKernels>([['wasm', { kernels: wasmKernels, install: installWasmKernels }]]);

/** The set chosen by the last successful `setBackend`, with its backend's name. */
let selected: { backend: string; kernels: SeqKernels } | null = null;

/**
 * Makes `kernels` the set of the tfjs backend `backendName`: `setBackend`
 * runs `install` and hands the set to every model built afterwards. How a
 * third engine plugs in (e.g. a `native` backend registered with
 * `tf.registerBackend`). Replaces an earlier registration for that name.
 */
export function registerKernelSet(backendName: string, kernels: SeqKernels, install?: () => void): void {
  if (backendName === '') throw new Error('registerKernelSet: backendName is empty; expected the name the backend is registered under in tfjs.');
  sets.set(backendName, install === undefined ? { kernels } : { kernels, install });
}

/** The set registered for a backend name; the reference set when none is. */
export function kernelSetFor(backendName: string): BackendKernels {
  return sets.get(backendName) ?? { kernels: referenceKernels };
}

/** Records the set `setBackend` chose for `backendName` (called once the backend runs). */
export function selectKernelSet(backendName: string): void {
  selected = { backend: backendName, kernels: kernelSetFor(backendName).kernels };
}

/**
 * The kernel set of the active tfjs backend: the one `setBackend` chose, or
 * the reference set when the backend was switched with a plain
 * `tf.setBackend` (seqloom's kernels may not be registered there).
 */
export function activeKernelSet(): SeqKernels {
  return selected !== null && selected.backend === tf.getBackend() ? selected.kernels : referenceKernels;
}
