import { OnnxModelError } from './errors.js';
import type { FloatType, InferenceSession } from './runtime.js';

/** The decoder of an export: one merged graph, or the first-step graph and the with-past one. */
export interface DecoderGraphs {
  /** Runs the first step (no past); the merged graph with `use_cache_branch` false. */
  readonly first: InferenceSession;
  /** Runs every later step; the same session as `first` when merged. */
  readonly withPast: InferenceSession;
  readonly merged: boolean;
  readonly layers: number;
  /** Element type of the past keys and values (float16 exports keep them in half precision). */
  readonly pastType: FloatType;
  /** Which optional encoder inputs each graph takes. */
  readonly firstTakesHidden: boolean;
  readonly pastTakesHidden: boolean;
  readonly pastTakesMask: boolean;
}

export const pastName = (layer: number, side: 'decoder' | 'encoder', kv: 'key' | 'value'): string => `past_key_values.${layer}.${side}.${kv}`;
export const presentName = (layer: number, side: 'decoder' | 'encoder', kv: 'key' | 'value'): string => `present.${layer}.${side}.${kv}`;

const KV = ['key', 'value'] as const;

function need(names: readonly string[], wanted: string, file: string, what: string): void {
  if (!names.includes(wanted)) {
    throw new OnnxModelError(
      `${file}: the graph has no ${what} "${wanted}" (it has ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}); expected an Optimum seq2seq decoder export`,
    );
  }
}

function checkNoStrangers(names: readonly string[], known: (name: string) => boolean, file: string): void {
  const strange = names.filter((n) => !known(n));
  if (strange.length > 0) {
    throw new OnnxModelError(
      `${file}: the decoder takes inputs this loader does not know how to feed: ${strange.slice(0, 6).join(', ')}; expected input_ids, encoder_attention_mask, encoder_hidden_states, past_key_values.* and use_cache_branch`,
    );
  }
}

function pastTypeOf(session: InferenceSession, file: string): FloatType {
  const meta = session.inputMetadata?.find((m) => m.name === pastName(0, 'decoder', 'key'));
  const type = meta && meta.isTensor ? String(meta.type) : 'float32';
  if (type !== 'float32' && type !== 'float16') throw new OnnxModelError(`${file}: past keys and values are ${type}; expected float32 or float16`);
  return type;
}

/**
 * Check the decoder graphs' inputs and outputs against `layers` decoder layers
 * (from config.json) and describe how to feed them. `files` name the graphs
 * in errors: [first, withPast] (the same file twice when merged).
 */
export function describeDecoder(first: InferenceSession, withPast: InferenceSession, layers: number, files: readonly [string, string]): DecoderGraphs {
  const merged = first === withPast;
  const [firstFile, pastFile] = files;
  for (const name of ['input_ids', 'encoder_attention_mask']) need(first.inputNames, name, firstFile, 'input');
  need(first.outputNames, 'logits', firstFile, 'output');
  need(withPast.outputNames, 'logits', pastFile, 'output');
  for (let i = 0; i < layers; i++) {
    for (const kv of KV) {
      need(first.outputNames, presentName(i, 'decoder', kv), firstFile, 'output');
      need(first.outputNames, presentName(i, 'encoder', kv), firstFile, 'output');
      need(withPast.outputNames, presentName(i, 'decoder', kv), pastFile, 'output');
      need(withPast.inputNames, pastName(i, 'decoder', kv), pastFile, 'input');
      need(withPast.inputNames, pastName(i, 'encoder', kv), pastFile, 'input');
    }
  }
  if (withPast.inputNames.includes(pastName(layers, 'decoder', 'key'))) {
    throw new OnnxModelError(`${pastFile}: the graph has more decoder layers than config.json says (${layers})`);
  }
  if (merged) need(first.inputNames, 'use_cache_branch', firstFile, 'input');
  const known = (n: string) =>
    ['input_ids', 'encoder_attention_mask', 'encoder_hidden_states', 'use_cache_branch'].includes(n) ||
    /^past_key_values\.\d+\.(decoder|encoder)\.(key|value)$/.test(n);
  checkNoStrangers(first.inputNames, known, firstFile);
  checkNoStrangers(withPast.inputNames, known, pastFile);
  return {
    first,
    withPast,
    merged,
    layers,
    pastType: pastTypeOf(withPast, pastFile),
    firstTakesHidden: first.inputNames.includes('encoder_hidden_states'),
    pastTakesHidden: withPast.inputNames.includes('encoder_hidden_states'),
    pastTakesMask: withPast.inputNames.includes('encoder_attention_mask'),
  };
}
