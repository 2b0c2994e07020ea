import type { Task } from '../model-contract.js';

/** A source with every acceptable target (several for words with several pronunciations). */
export interface MultiReferenceExample {
  source: string;
  targets: string[];
}

/** The fixed splits of a named dataset. */
export type SplitName = 'train' | 'valid' | 'test';

/** A named dataset with its fixed splits: pairs with references (seq2seq) or text (lm). */
export type CatalogDataset =
  | {
      task: Extract<Task, 'seq2seq'>;
      splits: Record<SplitName, MultiReferenceExample[]>;
      /** Tokenizer specs used when none is asked for (e.g. `char` → `word` for a pronunciation dictionary). */
      defaultTokenizers?: { source: string; target: string };
    }
  | { task: Extract<Task, 'lm'>; splits: Record<SplitName, string> };

/**
 * Named datasets accepted wherever a data path is expected (for example
 * `builtinDatasets` of `@seqloom/datasets`). Without a catalog every name is a path.
 */
export interface DatasetCatalog {
  /** Whether `name` is a dataset of this catalog (not a path). */
  has(name: string): boolean;
  /** Loads a dataset that `has(name)` accepted. */
  load(name: string): CatalogDataset;
}
