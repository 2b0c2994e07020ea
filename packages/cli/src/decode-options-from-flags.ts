import type { TextGenerationOptions } from '@seqloom/seq2seq';
import { UsageError } from './cli-error.js';
import type { OptionValues } from './option-spec.js';

/** CLI flag → `@seqloom/decode` option, with the flag value that means "off". */
const MAPPING: readonly [flag: string, key: keyof TextGenerationOptions, off?: unknown][] = [
  ['decoder', 'strategy'],
  ['beam-width', 'beamWidth'],
  ['n-best', 'numReturn'],
  ['length-penalty', 'lengthPenalty'],
  ['alpha', 'lengthPenaltyAlpha'],
  ['early-stopping', 'earlyStopping'],
  ['beam-groups', 'beamGroups'],
  ['diversity', 'diversityStrength'],
  ['temperature', 'temperature'],
  ['top-k', 'topK', 0],
  ['top-p', 'topP'],
  ['min-p', 'minP'],
  ['typical-p', 'typicalP'],
  ['repetition-penalty', 'repetitionPenalty'],
  ['no-repeat-ngram', 'noRepeatNgramSize', 0],
  ['min-length', 'minNewTokens'],
  ['max-length', 'maxNewTokens'],
  ['ban', 'banned'],
  ['max-search-space', 'maxSearchSpace'],
  ['seed', 'seed'],
];

/**
 * The decoding options the user set (by flag or config file). Options left
 * unset are omitted, so the model's generation.json and then the decode
 * package's defaults apply.
 */
export function decodeOptionsFromFlags(options: OptionValues, given: ReadonlySet<string>): TextGenerationOptions {
  const out: Record<string, unknown> = {};
  if (given.has('max-time')) out.maxTimeMs = (options.maxTime as number) * 1000;
  for (const [flag, key, off] of MAPPING) {
    if (!given.has(flag)) continue;
    const value = options[flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
    if (value === undefined || (off !== undefined && value === off)) continue;
    out[key] = value;
  }
  return out as TextGenerationOptions;
}

/**
 * Rewrites an option error of `@seqloom/decode` (which names its own option,
 * e.g. `numReturn`) to name the command-line flag (`--n-best`). Other errors
 * pass through unchanged.
 */
export function asFlagError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'DecodeOptionError') return error;
  const option = (error as Error & { option?: string }).option;
  const entry = MAPPING.find(([, key]) => key === option);
  if (!entry) return error;
  const text = error.message.startsWith(`${option}: `) ? error.message.slice(option!.length + 2) : error.message;
  const renamed = text.replace(/\b(numReturn|beamWidth|maxNewTokens|maxSearchSpace|strategy|minNewTokens)\b/g, (k) => {
    const flag = MAPPING.find(([, key]) => key === k)?.[0];
    return flag ? `--${flag}` : k;
  });
  return new UsageError(`--${entry[0]}: ${renamed}`);
}
