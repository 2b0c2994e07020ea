import type { CliCommand } from '../cli-command.js';
import { tokenizerDecodeCommand, tokenizerEncodeCommand } from './tokenizer-codec.js';
import { tokenizerInspectCommand } from './tokenizer-inspect.js';
import { tokenizerTrainCommand } from './tokenizer-train.js';

/** `seqloom tokenizer train|encode|decode|inspect`. */
export const tokenizerCommand: CliCommand = {
  name: 'tokenizer',
  usage: '<action>',
  describe: 'train, apply and inspect tokenizers (Hugging Face tokenizer.json)',
  options: [],
  subcommands: [tokenizerTrainCommand, tokenizerEncodeCommand, tokenizerDecodeCommand, tokenizerInspectCommand],
};
