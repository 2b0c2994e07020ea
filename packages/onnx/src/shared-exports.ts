// The part of @seqloom/onnx that is the same in Node and in a browser: both
// entries (index.ts on onnxruntime-node, browser.ts on onnxruntime-web)
// re-export this list and add their own `loadOnnxSeq2Seq`. Nothing here
// imports a runtime or a node: module.

export { OnnxModelError } from './errors.js';
export { OnnxStepModel, type OnnxState } from './onnx-step-model.js';
export { MODEL_TYPES, type ModelSpec, type ModelType } from './model-spec.js';
export { DTYPES, type Dtype, type DecoderLayout, type ExportLayout, type ExportReader } from './export-files.js';
export { hfGenerationOptions } from './generation-config.js';
export { generateTexts, loadExport, type LoadOnnxOptions, type OnnxSeq2Seq, type TextResult } from './load-export.js';
export { isOnnxExportFolder } from './detect.js';
export { SeqloomExportModel, type SeqloomExportState } from './seqloom-export-model.js';
export { SEQLOOM_ONNX_FORMAT, type GraphIo, type SeqloomExportConfig } from './seqloom-export-config.js';
