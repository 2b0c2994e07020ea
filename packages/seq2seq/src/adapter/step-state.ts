import * as tf from '@tensorflow/tfjs';
import type { AttentionMemory } from '../attention/attention.js';
import type { DecoderState } from '../model/decoder.js';
import { typedTidy } from '../model/typed-tidy.js';

/**
 * Decoding state of a batch of rows on the tensor path, all on the backend.
 * The attention memory is per row (gathered on reorder); the output kernel is
 * shared.
 */
export interface TensorStepState {
  readonly rows: number;
  readonly decoder: DecoderState;
  readonly memory: AttentionMemory | null;
  /** lm only: the prime's last token per row, fed at the first step instead of `previous`. */
  readonly pending: Int32Array | null;
  /** Output kernel [H|E, V]; owned (disposed with the state) when it is a transposed tied embedding. */
  readonly kernel: tf.Tensor2D;
  readonly ownsKernel: boolean;
  /**
   * Decoder layer 0's projected input for every target token, `E·K₀ + b₀`
   * ([V, G·H]), built at start when the vocabulary is small next to the batch:
   * each step then gathers B rows instead of multiplying [B, E]·[E, G·H].
   * Shared by every state of one decoding run; disposed with the last one.
   */
  readonly inputTable: tf.Tensor2D | null;
  /**
   * A reorder not yet applied to the decoder state: live row i continues row
   * `parents[i]` of `decoder` (null: row i of `decoder`). The next step
   * applies it, sharing each parent's recurrent product among its children.
   * The attention memory is always reordered at once.
   */
  readonly parents: Int32Array | null;
  /** Set once the state was consumed by step/reorder/dispose. */
  consumed: boolean;
}

/** The per-row tensors of a state (everything except the shared kernel). */
export function rowTensors(state: Pick<TensorStepState, 'decoder' | 'memory'>): tf.Tensor[] {
  const tensors: tf.Tensor[] = state.decoder.layers.flat();
  if (state.decoder.feed !== null) tensors.push(state.decoder.feed);
  if (state.memory !== null) tensors.push(state.memory.memory, state.memory.keys, state.memory.maskBias);
  return tensors;
}

/** The decoder state with a pending reorder applied (rows `parents` of every tensor). Call inside `tf.tidy`. */
export function reorderedDecoder(decoder: DecoderState, parents: Int32Array | null): DecoderState {
  if (parents === null) return decoder;
  const index = tf.tensor1d(parents, 'int32');
  const pick = <T extends tf.Tensor>(t: T): T => tf.gather(t, index) as T;
  return { layers: decoder.layers.map((layer) => layer.map(pick)), feed: decoder.feed === null ? null : pick(decoder.feed) };
}

/** Rows `rows` of the attention memory (a new memory; the old one is left alone). */
export function gatherMemory(memory: AttentionMemory, rows: Int32Array): AttentionMemory {
  return typedTidy(() => {
    const index = tf.tensor1d(rows, 'int32');
    const pick = <T extends tf.Tensor>(t: T): T => tf.gather(t, index) as T;
    return { memory: pick(memory.memory), keys: pick(memory.keys), maskBias: pick(memory.maskBias) };
  });
}

/** Frees the per-row tensors of a state. */
export function disposeRows(state: Pick<TensorStepState, 'decoder' | 'memory'>): void {
  for (const tensor of rowTensors(state)) tensor.dispose();
}
