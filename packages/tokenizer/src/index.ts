// @seqloom/tokenizer under Node: everything of the browser entry (browser.ts:
// trainers writing Hugging Face tokenizer.json, loading any tokenizer.json,
// special tokens, batching, streaming detokenisation, vector alignment) plus
// what needs the file system: reading corpora and vectors, loading and saving
// files. Bundlers targeting a browser get browser.ts alone (the "browser"
// condition of the exports map).

export * from './browser.js';

// Under Node a tokenizer's `save` writes files: this tokenizerFromJson takes the place of the browser's.
export { tokenizerFromJson } from './node-tokenizer.js';
export { readCorpusLines, readNumberedTextLines, readStreamTextLines, readTextLines } from './corpus-files.js';
export type { NumberedLine } from './utf8-file.js';
export { loadTokenizer } from './load-tokenizer.js';
export type { ReadWordVectorsOptions } from './word-vectors.js';
export { readWordVectors } from './word-vectors.js';
export { writeProjectorFiles } from './projector-files.js';
export type { TokenizerSpec, TokenizerFromSpecOptions } from './tokenizer-spec.js';
export { parseTokenizerSpec, tokenizerFromSpec } from './tokenizer-spec.js';
