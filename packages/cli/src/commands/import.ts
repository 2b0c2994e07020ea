import type { CliCommand } from '../cli-command.js';

/** `seqloom import`: a model from outside seqloom (safetensors with PyTorch names) as a seqloom checkpoint. */
export const importCommand: CliCommand = {
  name: 'import',
  describe: 'import safetensors weights with PyTorch names (seqloom export --format safetensors, or the PyTorch twin after training) as a seqloom model folder',
  options: [
    { name: 'format', kind: 'choice', choices: ['safetensors'], default: 'safetensors', describe: 'what --model holds' },
    { name: 'model', alias: 'm', kind: 'path', describe: 'folder with config.json, model.safetensors and tokenizer.json (required)' },
    { name: 'out', kind: 'path', describe: 'model folder to write (required)' },
    { name: 'overwrite', alias: 'force', kind: 'boolean', default: false, describe: 'replace an existing --out (only a seqloom model folder is replaced)' },
    { name: 'json', kind: 'boolean', default: false, describe: 'print a JSON object' },
  ],
  examples: [
    ['python python/seqloom_torch.py train --model g2p-st --data pairs.tsv --steps 20 --out g2p-torch', 'train the PyTorch twin of an export'],
    ['seqloom import --format safetensors --model g2p-torch --out g2p-back', 'bring the trained weights back'],
    ['seqloom generate --model g2p-back hello', 'decode with every seqloom decoder'],
  ],
  run: async (ctx) => (await import('../import/run-import.js')).runImport(ctx),
};
