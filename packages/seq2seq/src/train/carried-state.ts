import * as tf from '@tensorflow/tfjs';
import type { LossOptions } from '../model-contract.js';

/**
 * The recurrent state a language model carries from one batch of stream
 * windows to the next (truncated back-propagation through time): the
 * decoder's final state of batch k, kept off the gradient tape, is the
 * initial state of batch k+1 (see `planStreams`). Null = zeros (the first
 * batch of an epoch). It owns its tensors.
 */
export class CarriedState {
  private current: tf.Tensor2D[][] | null = null;
  private pending: tf.Tensor2D[][] | null = null;

  /** Whether a state is held (false: the next batch starts from zeros). */
  get held(): boolean {
    return this.current !== null;
  }

  /**
   * Loss options for a batch of `rows` rows: the held state as `initialState`
   * (its first `rows` rows when the last stream has run out) and an
   * `onFinalState` that keeps the batch's final state for {@link commit}.
   */
  lossOptions(rows: number): Pick<LossOptions, 'initialState' | 'onFinalState'> {
    if (this.current !== null && this.current[0]![0]!.shape[0] !== rows) this.current = this.cut(this.current, rows);
    const onFinalState = (state: tf.Tensor2D[][]): void => {
      tf.dispose(this.pending?.flat() ?? []);
      this.pending = state.map((layer) => layer.map((t) => tf.keep(t)));
    };
    return this.current === null ? { onFinalState } : { initialState: this.current, onFinalState };
  }

  /** After a successful step: the final state it reported becomes the held state. */
  commit(): void {
    if (this.pending === null) return;
    tf.dispose(this.current?.flat() ?? []);
    this.current = this.pending;
    this.pending = null;
  }

  /** Back to zeros (a new epoch: the streams start again at the start of the text). */
  reset(): void {
    tf.dispose([...(this.current?.flat() ?? []), ...(this.pending?.flat() ?? [])]);
    this.current = null;
    this.pending = null;
  }

  /** The held state by name (`layer<l>/<i>`), for a checkpoint; empty when none is held. The tensors stay owned here. */
  named(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    this.current?.forEach((layer, l) => layer.forEach((t, i) => out.set(`layer${l}/${i}`, t)));
    return out;
  }

  /** Takes over tensors written by {@link named} (a resumed run continues from them). */
  restore(tensors: ReadonlyMap<string, tf.Tensor>): void {
    this.reset();
    const layers: tf.Tensor2D[][] = [];
    for (const [name, t] of tensors) {
      const m = /^layer(\d+)\/(\d+)$/.exec(name);
      if (!m || t.rank !== 2) throw new Error(`carried state: unexpected tensor "${name}" of shape [${t.shape.join(', ')}]`);
      (layers[Number(m[1])] ??= [])[Number(m[2])] = t as tf.Tensor2D;
    }
    this.current = layers.length > 0 ? layers : null;
  }

  dispose(): void {
    this.reset();
  }

  private cut(state: tf.Tensor2D[][], rows: number): tf.Tensor2D[][] {
    const next = state.map((layer) => layer.map((t) => tf.slice(t, [0, 0], [rows, -1]) as tf.Tensor2D));
    tf.dispose(state.flat());
    return next;
  }
}
