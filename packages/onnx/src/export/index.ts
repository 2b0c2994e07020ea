// @seqloom/onnx/export (Node): seqloom models out of seqloom — ONNX graphs that
// onnxruntime runs with seqloom's logits, and safetensors weights with PyTorch
// names. It pulls in @seqloom/seq2seq (TensorFlow.js); the main entry does not.

// safetensors with PyTorch names, and back (see README: "safetensors and the PyTorch twin")
export { exportSafetensors } from './export-safetensors.js';
export { importSafetensors, type ImportedSafetensors } from './import-safetensors.js';
export { SafetensorsError, decodeSafetensors, encodeSafetensors, type DecodeSafetensorsOptions, type NamedTensor } from './safetensors-format.js';
export { readSafetensorsFolderConfig, type SafetensorsFolderConfig, type SafetensorsFolderFiles } from './safetensors-folder.js';
export { fromTorchTensors, toTorchTensors, torchShapes, torchWeightPlan, type TorchWeight } from './torch-names.js';

// ONNX graphs with explicit state (see README: "Exporting seqloom models")
export {
  exportOnnx,
  OnnxExportError,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  type ExportableModel,
  type ExportOnnxOptions,
  type ExportOnnxResult,
} from './export-onnx.js';
export { ONNX_GATE_ORDER } from './gate-layout.js';
