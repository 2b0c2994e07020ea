import { DECODE_OPTIONS } from '@seqloom/decode';

/** The default of a decoding option in the decode package's table (`DECODE_OPTIONS`). */
function decodeDefault(name: 'strategy' | 'maxNewTokens'): unknown {
  return DECODE_OPTIONS.find((row) => row.name === name)!.default;
}

/**
 * Decoding defaults written to generation.json when a checkpoint is saved
 * without its own: the decode package's defaults (`DECODE_OPTIONS`), so a
 * model without generation defaults decodes as one with none. Its
 * `maxNewTokens` (64) is the fallback wherever a model names none.
 */
export const DEFAULT_GENERATION: Readonly<Record<string, unknown>> = Object.freeze({
  strategy: decodeDefault('strategy'),
  maxNewTokens: decodeDefault('maxNewTokens'),
});
