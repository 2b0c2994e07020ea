import type { CliCommand } from '../cli-command.js';
import { averageCommand } from './average.js';
import { demoCommand } from './demo.js';
import { evalCommand } from './eval.js';
import { exportCommand } from './export.js';
import { generateCommand } from './generate.js';
import { importCommand } from './import.js';
import { inspectCommand } from './inspect.js';
import { preprocessCommand } from './preprocess.js';
import { reportCommand } from './report.js';
import { serveCommand } from './serve.js';
import { tokenizerCommand } from './tokenizer.js';
import { trainCommand } from './train.js';

/** Every `seqloom` command, in help order. */
export const COMMANDS: readonly CliCommand[] = [
  demoCommand,
  preprocessCommand,
  trainCommand,
  generateCommand,
  evalCommand,
  averageCommand,
  exportCommand,
  importCommand,
  inspectCommand,
  reportCommand,
  serveCommand,
  tokenizerCommand,
];
