import type { CliCommand } from '../cli-command.js';
import { backendOptions } from '../options/backend-options.js';

/** `seqloom inspect`: what a model folder holds. */
export const inspectCommand: CliCommand = {
  name: 'inspect',
  usage: '<model>',
  describe: 'show a model: config, parameter count, vocabulary sizes, training history, backend',
  positionals: [{ name: 'model', describe: 'model folder written by seqloom train (or a checkpoint inside it)' }],
  options: [
    { name: 'checkpoint', kind: 'choice', choices: ['best', 'last'], default: 'best', describe: 'which checkpoint of a training folder to show' },
    backendOptions(undefined, 'TensorFlow.js backend used to load it')[0]!,
    { name: 'json', kind: 'boolean', default: false, describe: 'print a JSON object' },
  ],
  run: async (ctx) => (await import('../inspect/run-inspect.js')).runInspect(ctx),
};
