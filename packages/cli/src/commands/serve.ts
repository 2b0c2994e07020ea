import type { CliCommand } from '../cli-command.js';

/** `seqloom serve`: the playground page, running a model in the browser. */
export const serveCommand: CliCommand = {
  name: 'serve',
  describe:
    'serve a playground page on 127.0.0.1 that runs a trained model (tfjs wasm) or a Hugging Face ONNX export (onnxruntime-web) in the browser: decoder controls, streaming, n-best lists, attention',
  options: [
    {
      name: 'model',
      alias: 'm',
      kind: 'path',
      describe:
        'model folder written by seqloom train (or one of its best/ or last/ checkpoints), or a Hugging Face ONNX export folder (config.json, tokenizer.json, onnx/*.onnx)',
      group: 'Model:',
    },
    {
      name: 'checkpoint',
      kind: 'choice',
      choices: ['best', 'last'],
      default: 'best',
      describe: 'which checkpoint of a training folder to serve (not for an ONNX export)',
      group: 'Model:',
    },
    { name: 'port', kind: 'integer', min: 0, max: 65535, default: 8080, describe: 'port on 127.0.0.1 (0 picks a free one)' },
  ],
  examples: [
    ['seqloom serve --model g2p --port 8080', 'open http://127.0.0.1:8080/ and run the model in the page'],
    ['seqloom serve --model opus-mt-en-de', 'run a Hugging Face ONNX export (Marian, T5, BART…) in the page'],
  ],
  run: async (ctx) => (await import('../serve/run-serve.js')).runServe(ctx),
};
