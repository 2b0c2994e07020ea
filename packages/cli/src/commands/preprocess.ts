import { DATA_DEFAULTS } from '@seqloom/seq2seq/tooling/defaults';
import type { CliCommand } from '../cli-command.js';
import { DATA_OPTIONS } from '../options/data-options.js';

/** `seqloom preprocess`: binarises a pair corpus once, for training with bounded memory. */
export const preprocessCommand: CliCommand = {
  name: 'preprocess',
  describe: 'binarise a pair corpus (token ids + offsets + header) that `seqloom train --data <folder>` reads from disk with bounded memory',
  options: [
    ...DATA_OPTIONS,
    {
      name: 'seed',
      kind: 'integer',
      min: 0,
      default: DATA_DEFAULTS.seed,
      describe: 'seed of the validation split (use the seed you train with to get the same split as training on the file)',
      group: 'Data:',
    },
    { name: 'out', kind: 'path', describe: 'folder to write (written beside it, then renamed into place)', group: 'Output:' },
    { name: 'overwrite', kind: 'boolean', default: false, describe: 'replace an existing --out folder', group: 'Output:' },
  ],
  examples: [
    ['seqloom preprocess --data pairs.tsv --out pairs.bin', 'tokenize, split and binarise once'],
    ['seqloom train --data pairs.bin --out model', 'train from the folder: the same examples as from pairs.tsv'],
  ],
  run: async (ctx) => (await import('../preprocess/run-preprocess.js')).runPreprocess(ctx),
};
