import { loadTokenizer } from '@seqloom/tokenizer';
import type { CliCommand, CommandContext } from '../cli-command.js';
import { UsageError } from '../cli-error.js';
import { resolvePath, textInputs, untilAborted } from '../text-inputs.js';

const TOKENIZER_OPTION = {
  name: 'tokenizer',
  alias: 't',
  kind: 'path',
  describe: 'tokenizer.json, or a folder holding one (a model folder works)',
} as const;
const INPUT_OPTION = { name: 'input', alias: 'i', kind: 'path', describe: 'read inputs from this file, one per line' } as const;
const JSON_OPTION = { name: 'json', kind: 'boolean', default: false, describe: 'print one JSON object per input' } as const;

/** The texts of a tokenizer command (arguments, --input or stdin), ended by a signal even while one is awaited. */
function inputsOf(ctx: CommandContext, positionals: readonly string[]): AsyncIterable<string> {
  const reading = { warn: (message: string) => ctx.out.warn(message), signal: ctx.signal };
  return untilAborted(textInputs(ctx.io, positionals, ctx.options.input as string | undefined, reading), ctx.signal);
}

function requireTokenizer(value: unknown): string {
  if (typeof value !== 'string') throw new UsageError('--tokenizer is required: a tokenizer.json or a model folder');
  return value;
}

/** `seqloom tokenizer encode`: text → ids, one input per line. */
export const tokenizerEncodeCommand: CliCommand = {
  name: 'encode',
  usage: '[texts..]',
  describe: 'print the token ids of each text (arguments, --input lines, or stdin lines)',
  positionals: [{ name: 'texts', describe: 'texts to encode', array: true }],
  options: [
    TOKENIZER_OPTION,
    INPUT_OPTION,
    { name: 'tokens', kind: 'boolean', default: false, describe: 'print the token strings instead of ids' },
    { name: 'add-special', kind: 'boolean', default: false, describe: 'add the bos and eos tokens' },
    JSON_OPTION,
  ],
  async run(ctx) {
    const tokenizer = await loadTokenizer(resolvePath(ctx.io, requireTokenizer(ctx.options.tokenizer)));
    const special = ctx.options.addSpecial as boolean;
    for await (const text of inputsOf(ctx, ctx.positionals.texts as string[])) {
      const ids = tokenizer.encode(text, { addBos: special, addEos: special });
      const tokens = ids.map((id) => tokenizer.idToToken(id) ?? '');
      if (ctx.options.json) ctx.out.json({ text, ids, tokens });
      else ctx.out.result(ctx.options.tokens ? tokens.join(' ') : ids.join(' '));
    }
  },
};

/** Parses `12 7 99` or `12,7,99` or `[12, 7, 99]` into ids. */
export function parseIds(line: string, vocabSize: number): number[] {
  const words = line
    .replace(/[[\],]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  return words.map((w) => {
    const id = Number(w);
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new UsageError(`"${w}" in "${line}" is not a token id; expected integers from 0 to ${vocabSize - 1} separated by spaces or commas`);
    }
    return id;
  });
}

/** `seqloom tokenizer decode`: ids → text, one sequence per line. */
export const tokenizerDecodeCommand: CliCommand = {
  name: 'decode',
  usage: '[ids..]',
  describe: 'print the text of id sequences (arguments are one sequence; --input/stdin: one sequence per line)',
  positionals: [{ name: 'ids', describe: 'token ids of one sequence', array: true }],
  options: [
    TOKENIZER_OPTION,
    INPUT_OPTION,
    { name: 'keep-special', kind: 'boolean', default: false, describe: 'keep special tokens in the text' },
    JSON_OPTION,
  ],
  async run(ctx) {
    const tokenizer = await loadTokenizer(resolvePath(ctx.io, requireTokenizer(ctx.options.tokenizer)));
    const args = ctx.positionals.ids as string[];
    const lines = inputsOf(ctx, args.length > 0 ? [args.join(' ')] : []);
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const ids = parseIds(line, tokenizer.vocabSize);
      const text = tokenizer.decode(ids, { skipSpecialTokens: !(ctx.options.keepSpecial as boolean) });
      if (ctx.options.json) ctx.out.json({ ids, text });
      else ctx.out.result(text);
    }
  },
};
