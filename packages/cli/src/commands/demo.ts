import type { CliCommand } from '../cli-command.js';
import { DEMO_WORDS } from '../demo/demo-words.js';
import { backendOptions } from '../options/backend-options.js';

/** `seqloom demo`: a grapheme-to-phoneme model trained, evaluated and used in a few minutes. */
export const demoCommand: CliCommand = {
  name: 'demo',
  describe: 'train a small grapheme-to-phoneme model on CMUdict (~2 minutes), evaluate it and pronounce a few words',
  options: [
    { name: 'minutes', kind: 'number', min: 0, minExclusive: true, max: 600, default: 2, describe: 'training time' },
    { name: 'out', kind: 'path', default: 'demo-model', describe: 'folder to save the model in (a free name is picked if it exists)' },
    { name: 'words', kind: 'string', array: true, defaultText: DEMO_WORDS.join(' '), describe: 'words to pronounce at the end' },
    { name: 'seed', kind: 'integer', min: 0, default: 42, describe: 'seed of training and sampling' },
    ...backendOptions(undefined),
  ],
  examples: [
    ['seqloom demo', 'the whole tour in about two minutes'],
    ['seqloom demo --minutes 0.5 --words ghoti', 'a quicker, rougher model'],
  ],
  run: async (ctx) => (await import('../demo/run-demo.js')).runDemo(ctx),
};
