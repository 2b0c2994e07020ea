import type { CliCommand } from '../cli-command.js';

/** `seqloom export`: a trained model out of seqloom, as ONNX graphs or safetensors weights. */
export const exportCommand: CliCommand = {
  name: 'export',
  describe: 'export a trained model: ONNX graphs that onnxruntime runs (Node, browsers, Python, C#, Java…) or safetensors weights with PyTorch names',
  options: [
    { name: 'format', kind: 'choice', choices: ['onnx', 'safetensors'], default: 'onnx', describe: 'what to write' },
    { name: 'model', alias: 'm', kind: 'path', describe: 'model folder written by seqloom train (or one of its best/ or last/ checkpoints) (required)' },
    { name: 'checkpoint', kind: 'choice', choices: ['best', 'last'], default: 'best', describe: 'which checkpoint of a training folder to export (onnx)' },
    { name: 'out', kind: 'path', describe: 'folder to write the export to (required)' },
    { name: 'overwrite', alias: 'force', kind: 'boolean', default: false, describe: 'replace an earlier export in a non-empty --out' },
    { name: 'json', kind: 'boolean', default: false, describe: 'print a JSON object' },
  ],
  examples: [
    ['seqloom export --format onnx --model g2p --out g2p-onnx', 'encoder.onnx + decoder_step.onnx, tokenizers, config.json'],
    ['seqloom generate --model g2p-onnx hello', 'decode the export on onnxruntime-node with any seqloom decoder'],
    ['seqloom export --format safetensors --model g2p --out g2p-st', 'model.safetensors with PyTorch names, for the PyTorch twin'],
  ],
  run: async (ctx) => (await import('../export/run-export.js')).runExport(ctx),
};
