// @seqloom/onnx under Node: Hugging Face ONNX encoder-decoder exports as a
// seqloom StepModel on onnxruntime-node. Bundlers targeting a browser get
// browser.ts instead (onnxruntime-web, URLs and picked files).
import * as ort from 'onnxruntime-node';
import { folderReader } from './folder-reader.js';
import { loadExport, type LoadOnnxOptions, type OnnxSeq2Seq } from './load-export.js';
import type { OnnxRuntime } from './runtime.js';

export { OnnxModelError } from './errors.js';
export { OnnxStepModel, type OnnxState } from './onnx-step-model.js';
export { MODEL_TYPES, type ModelSpec, type ModelType } from './model-spec.js';
export { DTYPES, type Dtype, type DecoderLayout, type ExportLayout, type ExportReader } from './export-files.js';
export { hfGenerationOptions } from './generation-config.js';
export { generateTexts, loadExport, type LoadOnnxOptions, type OnnxSeq2Seq, type TextResult } from './load-export.js';
export { isOnnxExportFolder } from './detect.js';
export { SeqloomExportModel, type SeqloomExportState } from './seqloom-export-model.js';
export { SEQLOOM_ONNX_FORMAT, type GraphIo, type SeqloomExportConfig } from './seqloom-export-config.js';

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
