// @seqloom/seq2seq/tooling/defaults: the import-free part of ./tooling (no
// TensorFlow.js, no node: module), for seqloom's own command line (its help
// texts and option choices) and @seqloom/onnx's export reader, which runs in
// browsers too. No stability promise: names here may change in any release.

export * from './cells/cell-types.js';
export * from './train/training-defaults.js';
