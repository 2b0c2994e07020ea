import type { CliCommand } from '../cli-command.js';
import type { OptionSpec } from '../option-spec.js';
import { backendOptions } from '../options/backend-options.js';
import { DECODER_OPTIONS } from '../options/decoder-options.js';

/** Options naming the model and the backend it runs on. */
export const MODEL_INPUT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'model',
    alias: 'm',
    kind: 'path',
    repeatable: true,
    describe:
      'model folder written by seqloom train (or one of its best/ or last/ checkpoints); give it several times to decode with an ensemble (same tokenizers; per step, the log of the mean of their probabilities)',
    group: 'Model:',
  },
  { name: 'checkpoint', kind: 'choice', choices: ['best', 'last'], default: 'best', describe: 'which checkpoint of a training folder to use', group: 'Model:' },
  ...backendOptions(
    'Model:',
    undefined,
    'threads decoding at once, each with its own copy of the model (greedy, beam and exhaustive search; sampling uses one)',
  ),
];

/** `seqloom generate`: runs a trained model on inputs. */
export const generateCommand: CliCommand = {
  name: 'generate',
  usage: '[inputs..]',
  describe: 'generate outputs for inputs (arguments, --input lines, or stdin lines as they arrive)',
  positionals: [{ name: 'inputs', describe: 'source texts (seq2seq) or primes (lm)', array: true }],
  options: [
    ...MODEL_INPUT_OPTIONS,
    { name: 'input', alias: 'i', kind: 'path', describe: 'read inputs from this file, one per line', group: 'Input/output:' },
    { name: 'prime', kind: 'string', describe: 'text a language model continues (lm models)', group: 'Input/output:' },
    { name: 'stream', kind: 'boolean', default: false, describe: 'print tokens as they are generated (greedy, sample)', group: 'Input/output:' },
    { name: 'json', kind: 'boolean', default: false, describe: 'one JSON object per input: text, ids, score, finish reason, n-best', group: 'Input/output:' },
    {
      name: 'attention',
      kind: 'boolean',
      default: false,
      describe: 'with --json: the attention rows of the best hypothesis (one per generated token, over the source tokens; models with attention)',
      group: 'Input/output:',
    },
    { name: 'batch-size', kind: 'integer', min: 1, default: 32, describe: 'inputs decoded together (arguments and --input files)', group: 'Input/output:' },
    ...DECODER_OPTIONS,
  ],
  examples: [
    ['seqloom generate --model g2p hello world', 'greedy output for two inputs'],
    ['seqloom generate --model g2p --decoder beam --beam-width 8 --n-best 3 hello', 'three best pronunciations'],
    ['seqloom generate --model lm --prime "Call me" --decoder sample --temperature 0.8 --seed 1', 'continue a text'],
    ['cat words.txt | seqloom generate --model g2p --json', 'stream inputs from stdin'],
    ['seqloom generate --model run1 --model run2 --decoder beam hello', 'an ensemble of two models'],
  ],
  run: async (ctx) => (await import('../generate/run-generate.js')).runGenerate(ctx),
};
