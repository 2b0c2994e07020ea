import type { OptionSpec } from '../option-spec.js';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'config',
    kind: 'path',
    describe: "JSON or YAML file whose keys are this command's options (flags override it)",
    group: 'General:',
  },
  { name: 'quiet', alias: 'q', kind: 'boolean', default: false, describe: 'print only results and errors', group: 'General:' },
  {
    name: 'log-json',
    kind: 'boolean',
    default: false,
    describe: 'write progress and results as JSON lines on stdout',
    group: 'General:',
  },
  { name: 'verbose', kind: 'boolean', default: false, describe: 'show stack traces of errors', group: 'General:' },
];
