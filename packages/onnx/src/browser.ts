// @seqloom/onnx in a browser (the "browser" condition of the exports map):
// exports from a URL or from files the user picked, on onnxruntime-web (wasm).
import * as ort from 'onnxruntime-web';
import { OnnxModelError } from './errors.js';
import type { ExportReader } from './export-files.js';
import { loadExport, type LoadOnnxOptions, type OnnxSeq2Seq } from './load-export.js';
import type { OnnxRuntime } from './runtime.js';

export * from './shared-exports.js';

/** Options of the browser's `loadOnnxSeq2Seq`. */
export interface BrowserLoadOptions extends LoadOnnxOptions {
  /** Where onnxruntime-web's `.wasm` files are served (a folder URL ending in `/`); default: beside the bundle. */
  wasmPaths?: string;
}

/** A file the user picked (an `<input type=file webkitdirectory>` entry or a dropped file). */
export interface PickedExportFile {
  /** Path inside the export folder (`webkitRelativePath` minus the folder, or `onnx/encoder_model.onnx`). */
  readonly path: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

function urlReader(base: string, fetchImpl: typeof fetch): ExportReader {
  const root = base.endsWith('/') ? base : `${base}/`;
  const get = async (name: string, method: 'GET' | 'HEAD') => {
    const response = await fetchImpl(new URL(name, root), { method });
    if (response.status === 404) return null;
    if (!response.ok) throw new OnnxModelError(`${root}${name}: HTTP ${response.status}`);
    return response;
  };
  return {
    where: root.slice(0, -1),
    has: async (name) => (await get(name, 'HEAD')) !== null,
    async read(name, maxBytes) {
      const response = await get(name, 'GET');
      if (response === null) return null;
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > maxBytes) throw new OnnxModelError(`${root}${name} is ${declared} bytes; at most ${maxBytes} are read`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > maxBytes) throw new OnnxModelError(`${root}${name} is ${bytes.length} bytes; at most ${maxBytes} are read`);
      return bytes;
    },
  };
}

function pickedReader(files: readonly PickedExportFile[]): ExportReader {
  // Paths relative to the picked folder: drop a common first segment (the folder's own name).
  const first = files[0]?.path.split('/')[0] ?? '';
  const strip = files.length > 0 && files.every((f) => f.path.startsWith(`${first}/`)) && !files.some((f) => f.path === 'config.json');
  const byName = new Map(files.map((f) => [strip ? f.path.slice(first.length + 1) : f.path, f]));
  return {
    where: strip ? first : 'picked files',
    has: async (name) => byName.has(name),
    async read(name, maxBytes) {
      const file = byName.get(name);
      if (!file) return null;
      if (file.size > maxBytes) throw new OnnxModelError(`${name} is ${file.size} bytes; at most ${maxBytes} are read`);
      return new Uint8Array(await file.arrayBuffer());
    },
  };
}

/**
 * Load a Hugging Face ONNX encoder-decoder export in a page on onnxruntime-web:
 * from a URL (the export folder's address) or from the files of a picked folder.
 */
export async function loadOnnxSeq2Seq(source: string | URL | readonly PickedExportFile[], options: BrowserLoadOptions = {}): Promise<OnnxSeq2Seq> {
  if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
  const reader = typeof source === 'string' || source instanceof URL ? urlReader(String(source), fetch.bind(globalThis)) : pickedReader(source);
  return loadExport(ort as unknown as OnnxRuntime, reader, options);
}
