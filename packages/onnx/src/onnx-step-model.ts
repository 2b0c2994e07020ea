import type { StepModel } from '@seqloom/decode';
import { type DecoderGraphs, pastName, presentName } from './decoder-graphs.js';
import { OnnxModelError } from './errors.js';
import type { ModelSpec } from './model-spec.js';
import type { InferenceSession, OnnxRuntime, Tensor } from './runtime.js';
import { gatherRows, lastPositionLogits, sameRows } from './tensor-rows.js';

/** The encoder's output for one batch of sources, shared by every row (beam, sample) of each source. */
interface EncodedBatch {
  /** [sources, S, D] */
  hidden: Tensor;
  /** [sources, S] int64 */
  mask: Tensor;
  /** Cross-attention keys and values from the first step, per layer [key, value], each [sources, H, S, dk]. */
  cross: Tensor[] | null;
  /** The encoder inputs gathered for the last row map used, reused while it does not change. */
  cache: { sources: Int32Array; hidden: Tensor | null; mask: Tensor; cross: Tensor[] | null } | null;
}

/** Decoder state: which source each row decodes, and the rows' self-attention past. */
export interface OnnxState {
  readonly batch: EncodedBatch;
  /** The source of each row. */
  readonly sources: Int32Array;
  /** Self-attention keys and values per layer [key, value], each [rows, H, t, dk]; null before the first step. */
  readonly past: Tensor[] | null;
}

/** The longest source (tokens) the encoder is given. */
const MAX_SOURCE_TOKENS = 1 << 16;

/**
 * A Hugging Face encoder-decoder export as a seqloom `StepModel`: `start`
 * runs the encoder once per batch; `step` runs the decoder on the last token
 * of every row with its past keys and values; `reorder` selects rows of the
 * decoder's past by parent index. The encoder output and the cross-attention
 * keys and values are kept once per source and handed to the decoder for
 * each row of that source.
 */
export class OnnxStepModel implements StepModel<OnnxState> {
  readonly vocabSize: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;

  constructor(
    private readonly ort: OnnxRuntime,
    readonly spec: ModelSpec,
    private readonly encoder: InferenceSession,
    private readonly decoder: DecoderGraphs,
  ) {
    this.vocabSize = spec.vocabSize;
    this.bosId = spec.decoderStartId;
    this.eosId = spec.eosId;
    this.padId = spec.padId;
  }

  async start(sources: readonly (readonly number[])[]): Promise<OnnxState> {
    const n = sources.length;
    const width = Math.max(1, ...sources.map((s) => s.length));
    sources.forEach((s, i) => {
      if (s.length === 0)
        throw new OnnxModelError(`source ${i} is empty; an encoder-decoder needs at least one token (the tokenizer adds the end-of-source token)`);
      if (s.length > MAX_SOURCE_TOKENS) throw new OnnxModelError(`source ${i} has ${s.length} tokens; at most ${MAX_SOURCE_TOKENS}`);
    });
    const ids = new BigInt64Array(n * width).fill(BigInt(this.padId));
    const mask = new BigInt64Array(n * width);
    sources.forEach((s, i) => {
      s.forEach((id, j) => {
        if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize)
          throw new OnnxModelError(`source ${i}, token ${j}: ${id} is not a token id of this model (0..${this.vocabSize - 1})`);
        ids[i * width + j] = BigInt(id);
        mask[i * width + j] = 1n;
      });
    });
    const maskTensor = new this.ort.Tensor('int64', mask, [n, width]);
    const out = await this.encoder.run({ input_ids: new this.ort.Tensor('int64', ids, [n, width]), attention_mask: maskTensor });
    const hidden = out.last_hidden_state;
    if (!hidden || hidden.dims.length !== 3 || hidden.dims[0] !== n || hidden.dims[1] !== width) {
      throw new OnnxModelError(`the encoder returned last_hidden_state of shape [${hidden?.dims.join(', ')}]; expected [${n}, ${width}, d_model]`);
    }
    return { batch: { hidden, mask: maskTensor, cross: null, cache: null }, sources: Int32Array.from({ length: n }, (_, i) => i), past: null };
  }

  async step(state: OnnxState, previous: Int32Array): Promise<{ logits: Float32Array; state: OnnxState }> {
    const rows = state.sources.length;
    if (previous.length !== rows) throw new OnnxModelError(`step: ${previous.length} previous tokens for ${rows} rows`);
    const { batch } = state;
    const encoder = this.encoderInputs(batch, state.sources);
    const feeds: Record<string, Tensor> = {
      input_ids: new this.ort.Tensor(
        'int64',
        BigInt64Array.from(previous, (v) => BigInt(v)),
        [rows, 1],
      ),
    };
    const first = state.past === null;
    const graph = first ? this.decoder.first : this.decoder.withPast;
    if (first || this.decoder.pastTakesMask) feeds.encoder_attention_mask = encoder.mask;
    if (first ? this.decoder.firstTakesHidden : this.decoder.pastTakesHidden) feeds.encoder_hidden_states = encoder.hidden!;
    if (this.decoder.merged) feeds.use_cache_branch = new this.ort.Tensor('bool', new Uint8Array([first ? 0 : 1]), [1]);
    if (!first) this.feedPast(feeds, state.past!, encoder.cross!);
    else if (this.decoder.merged) this.feedEmptyPast(feeds, rows);
    const out = await graph.run(feeds);
    const logits = out.logits;
    if (!logits || logits.dims.length !== 3 || logits.dims[0] !== rows || logits.dims[2] < this.vocabSize) {
      throw new OnnxModelError(`the decoder returned logits of shape [${logits?.dims.join(', ')}]; expected [${rows}, 1, ${this.vocabSize}]`);
    }
    const past: Tensor[] = [];
    for (let i = 0; i < this.decoder.layers; i++) past.push(out[presentName(i, 'decoder', 'key')], out[presentName(i, 'decoder', 'value')]);
    if (first) batch.cross = this.firstCross(out, state.sources, batch.hidden.dims[0]);
    return { logits: lastPositionLogits(logits, this.vocabSize), state: { batch, sources: state.sources, past } };
  }

  reorder(state: OnnxState, rows: Int32Array): OnnxState {
    const sources = Int32Array.from(rows, (r) => state.sources[r]);
    const past = state.past === null ? null : state.past.map((t) => gatherRows(this.ort, t, rows));
    return { batch: state.batch, sources, past };
  }

  dispose(state: OnnxState): void {
    state.batch.cache = null;
  }

  /** The encoder inputs for rows decoding `sources`, gathered once per row map. */
  private encoderInputs(batch: EncodedBatch, sources: Int32Array): NonNullable<EncodedBatch['cache']> {
    const cached = batch.cache;
    if (cached && sameRows(cached.sources, sources) && (cached.cross !== null || batch.cross === null)) return cached;
    const identity = sources.length === batch.hidden.dims[0] && sources.every((s, i) => s === i);
    const pick = (t: Tensor) => (identity ? t : gatherRows(this.ort, t, sources));
    const needHidden = this.decoder.firstTakesHidden || this.decoder.pastTakesHidden;
    batch.cache = {
      sources,
      hidden: needHidden ? pick(batch.hidden) : null,
      mask: pick(batch.mask),
      cross: batch.cross === null ? null : batch.cross.map(pick),
    };
    return batch.cache;
  }

  private feedPast(feeds: Record<string, Tensor>, past: Tensor[], cross: Tensor[]): void {
    for (let i = 0; i < this.decoder.layers; i++) {
      feeds[pastName(i, 'decoder', 'key')] = past[2 * i];
      feeds[pastName(i, 'decoder', 'value')] = past[2 * i + 1];
      feeds[pastName(i, 'encoder', 'key')] = cross[2 * i];
      feeds[pastName(i, 'encoder', 'value')] = cross[2 * i + 1];
    }
  }

  /** The merged graph's first step still takes past inputs: empty ones (length 0). */
  private feedEmptyPast(feeds: Record<string, Tensor>, rows: number): void {
    const { decoderHeads: H, headDim } = this.spec;
    const type = this.decoder.pastType;
    const empty = () =>
      new this.ort.Tensor(type as 'float32', (type === 'float16' ? new Uint16Array(0) : new Float32Array(0)) as Float32Array, [rows, H, 0, headDim]);
    for (let i = 0; i < this.decoder.layers; i++) {
      for (const side of ['decoder', 'encoder'] as const) {
        feeds[pastName(i, side, 'key')] = empty();
        feeds[pastName(i, side, 'value')] = empty();
      }
    }
  }

  /** The cross-attention keys and values of the first step, one row per source (the first row of each). */
  private firstCross(out: Record<string, Tensor>, sources: Int32Array, sourceCount: number): Tensor[] {
    const firstRow = new Int32Array(sourceCount).fill(-1);
    sources.forEach((s, r) => {
      if (firstRow[s] < 0) firstRow[s] = r;
    });
    const identity = sources.length === sourceCount && firstRow.every((r, s) => r === s);
    const cross: Tensor[] = [];
    for (let i = 0; i < this.decoder.layers; i++) {
      for (const kv of ['key', 'value'] as const) {
        const t = out[presentName(i, 'encoder', kv)];
        cross.push(identity ? t : gatherRows(this.ort, t, firstRow));
      }
    }
    return cross;
  }
}
