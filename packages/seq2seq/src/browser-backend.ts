// Backend selection in a browser: the single-threaded wasm build (its .wasm
// files served with the page) or the plain JavaScript cpu backend. No
// tfjs-node, no native engine, no threaded wasm (those are Node's, see backend.ts).
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BackendUnavailableError } from './backend-error.js';
import { kernelSetFor, selectKernelSet } from './kernels/kernel-registry.js';

/** Backends seqloom runs on in a browser; `auto` is wasm, else cpu. */
export type BrowserBackendChoice = 'auto' | 'wasm' | 'cpu';

/** Options of {@link setBackend} in a browser. */
export interface BrowserBackendOptions {
  /**
   * Where the wasm backend's `.wasm` files are served: a URL prefix ending in
   * `/` (e.g. `'/wasm/'`), or a map from file name to URL. Passed to
   * tfjs-backend-wasm's `setWasmPaths`; give it so they come from your own
   * server, never a CDN.
   */
  wasmPaths?: string | Record<string, string>;
}

const CHOICES = ['auto', 'wasm', 'cpu'] as const;

async function activate(name: 'wasm' | 'cpu'): Promise<string | undefined> {
  kernelSetFor(name).install?.();
  try {
    if (!(await tf.setBackend(name))) return `tf.setBackend('${name}') failed to initialise`;
    await tf.ready();
    selectKernelSet(name);
    return undefined;
  } catch (error) {
    return `tf.setBackend('${name}') failed: ${(error as Error).message}`;
  }
}

/**
 * Selects the TensorFlow.js backend in a browser and the kernel set models
 * created afterwards run on. `wasm` runs seqloom's own wasm kernels, as under
 * Node, so a model gives the same ids in both. Returns the backend's name; a
 * backend that cannot start throws {@link BackendUnavailableError}.
 */
export async function setBackend(name: BrowserBackendChoice = 'auto', options: BrowserBackendOptions = {}): Promise<string> {
  if (!(CHOICES as readonly string[]).includes(name)) {
    throw new BackendUnavailableError(
      `Unknown backend "${String(name)}" in a browser: expected one of ${CHOICES.join(', ')} (tensorflow, native and threads are Node's).`,
    );
  }
  if (options.wasmPaths !== undefined) {
    setWasmPaths(options.wasmPaths as string);
  }
  const reasons: string[] = [];
  for (const candidate of name === 'auto' ? (['wasm', 'cpu'] as const) : [name]) {
    const error = await activate(candidate);
    if (error === undefined) return candidate;
    reasons.push(`${candidate}: ${error}`);
  }
  throw new BackendUnavailableError(`Backend "${name}" is unavailable: ${reasons.join('; ')}.`);
}

/** The active backend as a log line (`wasm (1 thread)`, `cpu`). */
export function describeBackend(): string {
  const name = tf.getBackend();
  return name === 'wasm' ? 'wasm (1 thread)' : name;
}
