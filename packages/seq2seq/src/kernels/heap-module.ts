import { buildModule, instantiateOn, isWasmMemory, type WasmFunction, type WasmMemory } from './wasm-binary.js';

/** An exported function of a helper module: i32 arguments (heap byte offsets, counts), no result. */
export type HeapFunction = (...args: number[]) => void;

/** The wasm memory of a tfjs wasm backend: exported (single-threaded build) or shared (threaded build). */
function backendMemory(backend: unknown): WasmMemory | undefined {
  const module = (backend as { wasm?: { asm?: { memory?: unknown }; wasmMemory?: unknown } }).wasm;
  const memory = module?.asm?.memory ?? module?.wasmMemory;
  return isWasmMemory(memory) ? memory : undefined;
}

const instances = new WeakMap<object, Map<string, Record<string, HeapFunction> | null>>();

/**
 * The exports of a helper module (`key` names it; `functions` builds it once)
 * instantiated on the backend's heap, cached per backend; null when the
 * backend's memory cannot be reached (the caller then falls back to
 * TypeScript).
 */
export function heapModule(backend: object, key: string, functions: () => WasmFunction[]): Record<string, HeapFunction> | null {
  let modules = instances.get(backend);
  if (modules === undefined) instances.set(backend, (modules = new Map()));
  const known = modules.get(key);
  if (known !== undefined) return known;
  const memory = backendMemory(backend);
  let exports: Record<string, HeapFunction> | null = null;
  if (memory !== undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    exports = instantiateOn(buildModule(functions(), shared), memory) as Record<string, HeapFunction>;
  }
  modules.set(key, exports);
  return exports;
}
