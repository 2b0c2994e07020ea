import * as tf from '@tensorflow/tfjs';
import { typedTidy } from '../model/typed-tidy.js';
import type { AttentionMemory } from '../attention/attention.js';
import type { DecoderState } from '../model/decoder.js';

/**
 * Decoding state of a batch of rows, all on the backend. The attention
 * memory is per row (gathered on reorder); the output kernel is shared.
 */
export interface StepState {
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
  /** Set once the state was consumed by step/reorder/dispose. */
  consumed: boolean;
}

/** The per-row tensors of a state (everything except the shared kernel). */
export function rowTensors(state: Pick<StepState, 'decoder' | 'memory'>): tf.Tensor[] {
  const tensors: tf.Tensor[] = state.decoder.layers.flat();
  if (state.decoder.feed !== null) tensors.push(state.decoder.feed);
  if (state.memory !== null) tensors.push(state.memory.memory, state.memory.keys, state.memory.maskBias);
  return tensors;
}

/** Gathers rows of every per-row tensor ([rows, …] along axis 0). */
export function gatherRows(state: StepState, rows: Int32Array): Pick<StepState, 'decoder' | 'memory'> {
  return typedTidy(() => {
    const index = tf.tensor1d(rows, 'int32');
    const pick = <T extends tf.Tensor>(t: T): T => tf.gather(t, index) as T;
    const decoder: DecoderState = {
      layers: state.decoder.layers.map((layer) => layer.map(pick)),
      feed: state.decoder.feed === null ? null : pick(state.decoder.feed),
    };
    const memory = state.memory === null ? null : { memory: pick(state.memory.memory), keys: pick(state.memory.keys), maskBias: pick(state.memory.maskBias) };
    return { decoder, memory };
  });
}

/** Frees the per-row tensors of a state. */
export function disposeRows(state: Pick<StepState, 'decoder' | 'memory'>): void {
  for (const tensor of rowTensors(state)) tensor.dispose();
}
