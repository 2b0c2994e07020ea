// @seqloom/tokenizer in a browser (the "browser" condition of the exports map,
// also importable as @seqloom/tokenizer/browser): everything that needs no file
// system. Tokenizers come from tokenizer.json objects, URLs or picked files;
// `save` is refused (keep toJSON() and toConfig()). No node: module is imported.
// It is also the base of the Node entry (index.ts), which adds the file system.

export type { Corpus, TrainingProgress, ProgressOptions } from './corpus.js';
export {
  TokenizerError,
  CorpusError,
  TokenizerOptionError,
  TokenizerFormatError,
  VectorsFormatError,
  Utf8Error,
} from './errors.js';
export type { SpecialTokens } from './special-tokens.js';
export { DEFAULT_SPECIAL_TOKENS } from './special-tokens.js';
export type { TokenizerJson, AddedTokenJson, ModelJson, ComponentJson } from './tokenizer-json.js';
export { parseTokenizerJson } from './tokenizer-json.js';
export { describeJsonSyntaxError } from './json-syntax-error.js';
export type { EncodedBatch, EncodeBatchOptions } from './encode-batch.js';
export type { StreamingDetokenizer } from './streaming-detokenizer.js';
export type { Tokenizer, EncodeOptions, DecodeOptions, TokenizerSourceOptions } from './tokenizer.js';
export { tokenizerFromJson } from './tokenizer-from-json.js';
export type { PickedFile, TokenizerFileOptions, TokenizerUrlOptions } from './fetch-tokenizer.js';
export { tokenizerFromFile, tokenizerFromUrl } from './fetch-tokenizer.js';
export type { CharTrainerOptions } from './train-char.js';
export { trainCharTokenizer } from './train-char.js';
export type { WordTrainerOptions } from './train-word.js';
export { trainWordTokenizer, DEFAULT_WORD_PATTERN } from './train-word.js';
export type { BpeTrainerOptions } from './train-bpe.js';
export { trainBpeTokenizer } from './train-bpe.js';
export type { WordPieceTrainerOptions } from './train-wordpiece.js';
export { trainWordPieceTokenizer } from './train-wordpiece.js';
export type { WordVectors } from './word-vectors.js';
export type { AlignedVectors, AlignVectorsOptions } from './align-vectors.js';
export { alignVectors } from './align-vectors.js';
