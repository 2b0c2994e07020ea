// @seqloom/onnx/export (Node): seqloom models out of seqloom — ONNX graphs that
// onnxruntime runs with seqloom's logits, and safetensors weights with PyTorch
// names. It pulls in @seqloom/seq2seq (TensorFlow.js); the main entry does not.
