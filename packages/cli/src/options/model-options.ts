import { CELL_TYPES, DEFAULT_CELL } from '@seqloom/seq2seq/tooling/defaults';
import type { OptionSpec } from '../option-spec.js';

const G = 'Model:';

/** Architecture options of `seqloom train` (they become the checkpoint's model config). */
export const MODEL_OPTIONS: readonly OptionSpec[] = [
  { name: 'cell', kind: 'choice', choices: CELL_TYPES, default: DEFAULT_CELL, describe: 'recurrent cell', group: G },
  { name: 'layers', kind: 'integer', min: 1, max: 16, default: 1, describe: 'stacked layers in the encoder and in the decoder', group: G },
  { name: 'hidden', kind: 'integer', min: 1, max: 65536, default: 256, describe: 'hidden units per layer', group: G },
  { name: 'embedding', kind: 'integer', min: 1, max: 65536, default: 128, describe: 'embedding size', group: G },
  { name: 'bidirectional', kind: 'boolean', default: false, describe: 'bidirectional encoder (its final states are bridged into the decoder)', group: G },
  {
    name: 'attention',
    kind: 'choice',
    choices: ['none', 'dot', 'general', 'bahdanau'],
    defaultText: 'general (none for --task lm)',
    describe: 'attention over the encoder states (Luong dot/general, Bahdanau additive)',
    group: G,
  },
  {
    name: 'input-feeding',
    kind: 'boolean',
    defaultText: 'true with attention',
    describe: 'feed the previous attentional vector into the next decoder input',
    group: G,
  },
  { name: 'dropout', kind: 'number', min: 0, max: 1, maxExclusive: true, default: 0, describe: 'dropout between layers and before the output layer', group: G },
  {
    name: 'embedding-init',
    kind: 'number',
    min: 0,
    minExclusive: true,
    default: 0.1,
    describe: 'embeddings start uniform in ±this (1.73 = variance 1, as PyTorch nn.Embedding starts; faster for character language models)',
    group: G,
  },
  {
    name: 'forget-bias',
    kind: 'number',
    default: 1,
    describe: "where the LSTM forget-gate bias starts (1 as Keras' unit_forget_bias; 0 as PyTorch's nn.LSTM on average, faster for character language models)",
    group: G,
  },
  { name: 'embedding-dropout', kind: 'number', min: 0, max: 1, maxExclusive: true, default: 0, describe: 'dropout on embeddings', group: G },
  { name: 'tie-embeddings', kind: 'boolean', default: false, describe: 'share the decoder input embedding with the output projection', group: G },
  { name: 'share-embeddings', kind: 'boolean', default: false, describe: 'one embedding for source and target (needs one shared tokenizer)', group: G },
  {
    name: 'source-embeddings',
    kind: 'path',
    describe: 'pretrained word vectors for the source embedding (word2vec/GloVe/fastText text)',
    group: G,
  },
  { name: 'target-embeddings', kind: 'path', describe: 'pretrained word vectors for the target embedding', group: G },
  { name: 'freeze-embeddings', kind: 'boolean', default: false, describe: 'keep pretrained embeddings fixed during training', group: G },
];
