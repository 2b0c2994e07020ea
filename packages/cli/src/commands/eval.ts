import type { CliCommand } from '../cli-command.js';
import { DECODER_OPTIONS } from '../options/decoder-options.js';
import { MODEL_INPUT_OPTIONS } from './generate.js';

/** `seqloom eval`: loss, perplexity and text metrics of a model on data. */
export const evalCommand: CliCommand = {
  name: 'eval',
  describe: 'evaluate a model: loss, perplexity, exact match, token/character/word error rate, BLEU, chrF (and G2P word/phoneme error rates)',
  options: [
    ...MODEL_INPUT_OPTIONS,
    {
      name: 'data',
      kind: 'string',
      describe: 'TSV/JSONL pairs (several lines per source = several references), text for lm, or a built-in dataset',
      group: 'Data:',
    },
    { name: 'split', kind: 'choice', choices: ['train', 'valid', 'test'], default: 'test', describe: 'split of a built-in dataset', group: 'Data:' },
    { name: 'format', kind: 'choice', choices: ['tsv', 'jsonl'], defaultText: 'from the file extension', describe: 'pairs file format', group: 'Data:' },
    { name: 'skip-bad-lines', kind: 'boolean', default: false, describe: 'skip malformed data lines instead of stopping', group: 'Data:' },
    { name: 'limit', kind: 'integer', min: 1, defaultText: 'all', describe: 'evaluate only the first N sources', group: 'Data:' },
    { name: 'window', kind: 'integer', min: 2, default: 128, describe: 'tokens per window (lm)', group: 'Data:' },
    {
      name: 'carry-state',
      kind: 'boolean',
      defaultText: 'as the model was trained',
      describe:
        'lm: read the windows as --batch-size parallel streams and carry the state from each window to the next (--no-carry-state: every window from zeros)',
      group: 'Data:',
    },
    { name: 'batch-size', kind: 'integer', min: 1, default: 32, describe: 'examples per batch', group: 'Data:' },
    {
      name: 'g2p',
      kind: 'boolean',
      defaultText: 'on for cmudict and cmudict:g2p-seq2seq',
      describe:
        'also score as grapheme-to-phoneme (targets are space-separated phonemes): word and phoneme error rate, n-best oracle word error rate with beam search',
      group: 'Output:',
    },
    { name: 'json', kind: 'boolean', default: false, describe: 'print a JSON report', group: 'Output:' },
    { name: 'show', kind: 'integer', min: 0, default: 0, describe: 'print this many sources with their output and references', group: 'Output:' },
    ...DECODER_OPTIONS,
  ],
  examples: [
    ['seqloom eval --model g2p --data cmudict', 'score on the CMUdict test split'],
    ['seqloom eval --model g2p --data cmudict:g2p-seq2seq --decoder beam', 'score on the test part of the g2p-seq2seq split'],
    ['seqloom eval --model g2p --data test.tsv --decoder beam --json', 'beam search, machine-readable'],
    ['seqloom eval --model run1 --model run2 --data test.tsv', 'score an ensemble of two models'],
    ['seqloom eval --model g2p --data lexicon-test.tsv --g2p', 'G2P word and phoneme error rates on any pronunciation TSV'],
  ],
  run: async (ctx) => (await import('../evaluate/run-eval.js')).runEval(ctx),
};
