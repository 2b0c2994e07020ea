export { DatasetError } from './dataset-error.js';
export { splitOf, type SplitName, type SplitFractions } from './stable-split.js';
export {
  loadCmudict,
  loadCmudictSubset,
  pronunciationPairs,
  type CmudictSubsetSizes,
  CMUDICT_SPLIT_SEED,
  CMUDICT_SPLIT_RULES,
  type CmudictSplitRule,
  type CmudictOptions,
  type CmudictSplits,
  type PronunciationEntry,
} from './cmudict.js';
export { contiguousSplit, loadMobyDick, loadMobyDickSections, type MobyDickSection } from './moby-dick.js';
export {
  BUILTIN_DATASETS,
  builtinDatasets,
  isBuiltinDataset,
  isPronunciationDataset,
  loadBuiltinDataset,
  type BuiltinDataset,
  type BuiltinPairDataset,
  type BuiltinTextDataset,
  type MultiReferenceExample,
} from './builtin-datasets.js';
