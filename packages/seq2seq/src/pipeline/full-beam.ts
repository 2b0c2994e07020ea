import { DECODE_OPTIONS } from '@seqloom/decode';
import { decodingOptions, type TextGenerationOptions } from './text-generation.js';
import type { TrainedModel } from './trained-model.js';

const DEFAULT_BEAM_WIDTH = DECODE_OPTIONS.find((o) => o.name === 'beamWidth')?.default as number;

/**
 * `options` with beam search returning its whole beam (`numReturn` =
 * `beamWidth`) when the decoding in effect (the model's generation.json
 * overlaid by `options`) is beam search and no `numReturn` is set: the best
 * hypothesis stays the same, and the n-best lists give oracle scores.
 */
export function fullBeam(trained: TrainedModel, options: TextGenerationOptions = {}): TextGenerationOptions {
  const merged = decodingOptions(trained, options);
  if ((merged.strategy ?? 'greedy') !== 'beam' || merged.numReturn !== undefined) return options;
  return { ...options, numReturn: merged.beamWidth ?? DEFAULT_BEAM_WIDTH };
}
