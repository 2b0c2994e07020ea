import type { CliCommand } from '../cli-command.js';

/** `seqloom serve`: the playground page, running a model in the browser. */
export const serveCommand: CliCommand = {
  name: 'serve',
  describe: 'serve a playground page on 127.0.0.1 that runs a trained model in the browser (tfjs wasm): decoder controls, streaming, n-best lists, attention',
  options: [
    { name: 'model', alias: 'm', kind: 'path', describe: 'model folder written by seqloom train (or one of its best/ or last/ checkpoints)', group: 'Model:' },
    { name: 'checkpoint', kind: 'choice', choices: ['best', 'last'], default: 'best', describe: 'which checkpoint of a training folder to serve', group: 'Model:' },
    { name: 'port', kind: 'integer', min: 0, max: 65535, default: 8080, describe: 'port on 127.0.0.1 (0 picks a free one)' },
  ],
  examples: [['seqloom serve --model g2p --port 8080', 'open http://127.0.0.1:8080/ and run the model in the page']],
  run: async (ctx) => (await import('../serve/run-serve.js')).runServe(ctx),
};
