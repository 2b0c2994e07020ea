import { DECODE_OPTIONS } from '@seqloom/decode';
import type { TextGenerationOptions } from '@seqloom/seq2seq';
import { UsageError } from './cli-error.js';
import { camelCase, type OptionValues } from './option-spec.js';
import { DECODER_FLAGS, type DecoderFlag } from './options/decoder-options.js';

/**
 * The decoding options the user set (by flag or config file). Options left
 * unset are omitted, so the model's generation.json and then the decode
 * package's defaults apply.
 */
export function decodeOptionsFromFlags(
  options: OptionValues,
  given: ReadonlySet<string>,
  flags: readonly DecoderFlag[] = DECODER_FLAGS,
): TextGenerationOptions {
  const out: Record<string, unknown> = {};
  for (const { spec, option, off, scale } of flags) {
    if (!given.has(spec.name)) continue;
    const value = options[camelCase(spec.name)];
    if (value === undefined || (off !== undefined && value === off)) continue;
    out[option] = scale === undefined ? value : (value as number) * scale;
  }
  return out as TextGenerationOptions;
}

/** Decode option name → its flag, for the options that have one. */
const FLAG_OF: ReadonlyMap<string, string> = new Map(
  DECODER_FLAGS.filter((f) => DECODE_OPTIONS.some((o) => o.name === f.option)).map((f) => [f.option, f.spec.name]),
);
const OPTION_WORD = new RegExp(`\\b(${[...FLAG_OF.keys()].join('|')})\\b`, 'g');

/**
 * Rewrites an option error of `@seqloom/decode` (which names its own option,
 * e.g. `numReturn`) to name the command-line flag (`--n-best`), also where
 * the message mentions other options. Other errors pass through unchanged.
 */
export function asFlagError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'DecodeOptionError') return error;
  const option = (error as Error & { option?: string }).option;
  const flag = option === undefined ? undefined : FLAG_OF.get(option);
  if (flag === undefined) return error;
  const text = error.message.startsWith(`${option}: `) ? error.message.slice(option!.length + 2) : error.message;
  return new UsageError(`--${flag}: ${text.replace(OPTION_WORD, (k) => `--${FLAG_OF.get(k)}`)}`);
}
