import type { CliCommand } from '../cli-command.js';

/** `seqloom average`: the mean of the weights of several checkpoints of one model. */
export const averageCommand: CliCommand = {
  name: 'average',
  usage: '<checkpoints..>',
  describe: 'average the weights of checkpoints of one model (same configuration and tokenizers) into a new model folder',
  positionals: [{ name: 'checkpoints', describe: 'checkpoint folders (a training folder stands for its best/)', array: true }],
  options: [
    { name: 'out', kind: 'path', describe: 'model folder to write the average to (required)' },
    { name: 'overwrite', kind: 'boolean', default: false, describe: 'replace an existing --out' },
    { name: 'json', kind: 'boolean', default: false, describe: 'print a JSON object' },
  ],
  examples: [
    ['seqloom average --out g2p/avg g2p/evals/step-6000 g2p/evals/step-7000 g2p/last', 'average three checkpoints of one run'],
    ['seqloom eval --model g2p/avg --data cmudict:g2p-seq2seq', 'score the average like any model'],
  ],
  run: async (ctx) => (await import('../average/run-average.js')).runAverage(ctx),
};
