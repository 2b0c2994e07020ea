import type { CliCommand } from '../cli-command.js';
import { TRAIN_OPTIONS } from '../options/train-command-options.js';

/** `seqloom train`: trains a model on pairs or text and writes checkpoints. */
export const trainCommand: CliCommand = {
  name: 'train',
  describe: 'train an encoder-decoder (or language) model; Ctrl-C saves a checkpoint, --resume continues it',
  options: TRAIN_OPTIONS,
  examples: [
    ['seqloom train --data pairs.tsv --out model', 'train on source<TAB>target lines'],
    ['seqloom train --data cmudict --source-tokenizer char --target-tokenizer word --out g2p', 'grapheme-to-phoneme on CMUdict'],
    ['seqloom train --data moby-dick --task lm --hidden 512 --out lm', 'a character language model'],
    ['seqloom train --resume model', 'continue an interrupted run'],
  ],
  run: async (ctx) => (await import('../train/run-train.js')).runTrain(ctx),
};
