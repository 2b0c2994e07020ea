import type { CliCommand } from '../cli-command.js';
import { backendOptions } from '../options/backend-options.js';

/** `seqloom report`: one HTML page with a run's curves, evaluations and decoded examples. */
export const reportCommand: CliCommand = {
  name: 'report',
  usage: '<model>',
  describe: 'write a self-contained HTML report of a run: training curves, evaluations, model, data, n-best lists and attention heatmaps',
  positionals: [{ name: 'model', describe: 'model folder written by seqloom train (or a checkpoint inside it)' }],
  options: [
    { name: 'out', kind: 'path', default: 'report.html', describe: 'HTML file to write' },
    { name: 'examples', kind: 'integer', min: 0, default: 5, describe: 'validation examples to decode and show' },
    { name: 'beam-width', kind: 'integer', min: 1, default: 4, describe: 'beam width of the n-best lists' },
    {
      name: 'data',
      kind: 'string',
      defaultText: "the data in the run's run.json",
      describe: 'data the validation examples and the data summary come from: a TSV/JSONL file or a built-in dataset (cmudict)',
    },
    { name: 'png', kind: 'path', describe: 'also write each chart as a PNG file into this folder' },
    { name: 'checkpoint', kind: 'choice', choices: ['best', 'last'], default: 'best', describe: 'which checkpoint of a training folder decodes the examples' },
    backendOptions(undefined, 'TensorFlow.js backend used to decode')[0]!,
  ],
  examples: [['seqloom report model --out report.html --examples 8 --png charts', 'report of the run in model/, with PNG charts']],
  run: async (ctx) => (await import('../report/run-report.js')).runReport(ctx),
};
