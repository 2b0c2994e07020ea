// @seqloom/seq2seq/tooling: the pieces seqloom's own command line (and its
// benchmarks and @seqloom/onnx's export) is built from — the training loop's
// parts, the checkpoint folder's files one by one, run files and folder locks,
// the text pipeline's helpers. No stability promise: names here may change in
// any release. Users compose the root, ./model, ./data, ./kernels and ./parallel.
// Node only (file IO); `@seqloom/seq2seq/tooling/defaults` gives the training
// defaults without loading TensorFlow.js.

export * from './training.js';
export * from './checkpoint/index.js';
export * from './pipeline/index.js';
