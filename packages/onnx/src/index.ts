// @seqloom/onnx under Node: Hugging Face ONNX encoder-decoder exports as a
// seqloom StepModel on onnxruntime-node. Bundlers targeting a browser get
// browser.ts instead (onnxruntime-web, URLs and picked files).
import * as ort from 'onnxruntime-node';
import { folderReader } from './folder-reader.js';
import { loadExport, type LoadOnnxOptions, type OnnxSeq2Seq } from './load-export.js';
import type { OnnxRuntime } from './runtime.js';

export * from './shared-exports.js';

/**
 * Load a Hugging Face ONNX encoder-decoder export folder (`config.json`,
 * `generation_config.json`, `tokenizer.json`, `onnx/encoder_model*.onnx`,
 * `onnx/decoder_model_merged*.onnx` or the unmerged pair) on onnxruntime-node.
 * The folder is untrusted input: every file is checked before use, and an
 * OnnxModelError names the file and field that is wrong.
 */
export async function loadOnnxSeq2Seq(folder: string, options: LoadOnnxOptions = {}): Promise<OnnxSeq2Seq> {
  return loadExport(ort as unknown as OnnxRuntime, await folderReader(folder), options);
}
