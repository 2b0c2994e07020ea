import * as tf from '@tensorflow/tfjs';
import { registerSeqloomWasmKernels } from './kernels/register-wasm-kernels.js';
import { registerUnsortedSegmentSum } from './kernels/unsorted-segment-sum.js';

/** Backends seqloom can run on; `auto` picks the fastest one available. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** A named backend could not be started. */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

// Kept in a variable so bundlers and tsc do not try to resolve the optional peer.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function loadNative(): Promise<string | undefined> {
  try {
    await import(TFJS_NODE);
  } catch (error) {
    return `cannot import ${TFJS_NODE} (${(error as Error).message.split('\n')[0]})`;
  }
  if (tf.findBackendFactory('tensorflow') === null) {
    return `${TFJS_NODE} loaded but registered no "tensorflow" backend (is it the same @tensorflow/tfjs-core version as @tensorflow/tfjs 4.22?)`;
  }
  return undefined;
}

async function loadWasm(): Promise<string | undefined> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    return undefined;
  } catch (error) {
    return `cannot import @tensorflow/tfjs-backend-wasm (${(error as Error).message})`;
  }
}

async function activate(name: 'tensorflow' | 'wasm' | 'cpu'): Promise<string | undefined> {
  const loadError = name === 'tensorflow' ? await loadNative() : name === 'wasm' ? await loadWasm() : undefined;
  if (loadError !== undefined) return loadError;
  if (name === 'wasm') {
    registerUnsortedSegmentSum();
    registerSeqloomWasmKernels();
  }
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') failed to initialise`;
    await tf.ready();
    return undefined;
  } catch (error) {
    return `tf.setBackend('${name}') failed: ${(error as Error).message}`;
  }
}

/**
 * Selects the TensorFlow.js backend and registers seqloom's kernels on it.
 *
 * `auto` tries `tensorflow` (the optional peer `@tensorflow/tfjs-node`, native),
 * then `wasm`, then `cpu`. A named backend that cannot start throws
 * {@link BackendUnavailableError} saying why. Returns the chosen backend's name
 * (callers log it).
 */
export async function setBackend(name: BackendChoice = 'auto'): Promise<string> {
  if (!(BACKENDS as readonly string[]).includes(name)) {
    throw new BackendUnavailableError(
      `Unknown backend "${String(name)}": expected one of ${BACKENDS.join(', ')}.`,
    );
  }
  if (name !== 'auto') {
    const error = await activate(name);
    if (error !== undefined) {
      const hint = name === 'tensorflow' ? ` Install it with \`pnpm add ${TFJS_NODE}@4.22.0\`, or pick --backend wasm.` : '';
      throw new BackendUnavailableError(`Backend "${name}" is unavailable: ${error}.${hint}`);
    }
    return name;
  }
  const reasons: string[] = [];
  for (const candidate of ['tensorflow', 'wasm', 'cpu'] as const) {
    const error = await activate(candidate);
    if (error === undefined) return candidate;
    reasons.push(`${candidate}: ${error}`);
  }
  throw new BackendUnavailableError(`No TensorFlow.js backend could start: ${reasons.join('; ')}.`);
}
