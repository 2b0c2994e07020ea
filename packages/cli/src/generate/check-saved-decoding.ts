import { join } from 'node:path';
import { CliError, UsageError } from '../cli-error.js';
import { checkValue } from '../option-spec.js';
import { DECODER_FLAGS, type DecoderFlag } from '../options/decoder-options.js';

/**
 * Holds the decoding defaults of a model folder (generation.json) to the
 * ranges of the flags that set the same options: a folder may not ask for
 * what the command line refuses. (Bounds relative to the model — beam width,
 * new tokens — are checked when the checkpoint is read.)
 */
export function checkSavedDecoding(generation: Readonly<Record<string, unknown>>, dir: string, flags: readonly DecoderFlag[] = DECODER_FLAGS): void {
  for (const { spec, option, off, scale } of flags) {
    if (spec.kind !== 'number' && spec.kind !== 'integer') continue;
    const value = generation[option];
    if (value === undefined || (off !== undefined && value === off)) continue;
    const flagValue = typeof value === 'number' && scale !== undefined ? value / scale : value;
    try {
      checkValue(spec, flagValue);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      const expected = error.message.replace(/^--\S+ /, '').replace(/, got .*$/, '');
      throw new CliError(
        `${join(dir, 'generation.json')}: "${option}" is ${JSON.stringify(value)}; it ${expected}${scale === undefined ? '' : ` (×${scale})`}, as --${spec.name}; fix it or leave it out for the default`,
      );
    }
  }
}
