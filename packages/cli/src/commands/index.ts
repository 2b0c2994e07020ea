import type { CliCommand } from '../cli-command.js';
import { tokenizerCommand } from './tokenizer.js';

/** Every `seqloom` command, in help order. */
export const COMMANDS: readonly CliCommand[] = [tokenizerCommand];
