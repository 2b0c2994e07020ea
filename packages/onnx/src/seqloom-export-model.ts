import type { StepModel } from '@seqloom/decode';
import { OnnxModelError } from './errors.js';
import type { InferenceSession, OnnxRuntime, Tensor } from './runtime.js';
import { IO, type SeqloomExportConfig } from './seqloom-export-config.js';
import { gatherRows, sameRows } from './tensor-rows.js';

/** The encoder's outputs for one batch of sources, shared by every row decoding each source. */
interface EncodedSources {
  /** `memory`, `memory_keys` and `memory_mask`, each [sources, S, …]; empty without attention. */
  readonly memory: Readonly<Record<string, Tensor>>;
  /** The memory gathered for the last row → source map used, reused while it does not change. */
  cache: { sources: Int32Array; feeds: Record<string, Tensor> } | null;
}

/** Decoder state of a seqloom export: each row's source, its `state.*` tensors, and (lm) the prompt's last token still to feed. */
export interface SeqloomExportState {
  readonly encoded: EncodedSources;
  readonly sources: Int32Array;
  /** `state.*` inputs of the next step, each [rows, H]. */
  readonly tensors: Readonly<Record<string, Tensor>>;
  /** lm: the prompt's last token per row, fed at the first step instead of `previous`. */
  readonly pending: Int32Array | null;
}

const MAX_SOURCE_TOKENS = 1 << 16;

/** Right-padded int64 ids and mask [rows, width] of token rows. */
function padded(ort: OnnxRuntime, rows: readonly (readonly number[])[], pad: number): { ids: Tensor; mask: Tensor } {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * width).fill(BigInt(pad));
  const mask = new BigInt64Array(rows.length * width);
  rows.forEach((r, i) =>
    r.forEach((id, j) => {
      ids[i * width + j] = BigInt(id);
      mask[i * width + j] = 1n;
    }),
  );
  return { ids: new ort.Tensor('int64', ids, [rows.length, width]), mask: new ort.Tensor('int64', mask, [rows.length, width]) };
}

/**
 * A seqloom ONNX export (see `exportOnnx`) as a `StepModel`, with seqloom's
 * own decoding conventions: `start` runs the encoder once per batch (for a
 * language model, the prime graph over bos and all of each prompt but its
 * last token, which the first step then takes); `step` runs the decoder-step
 * graph with every row's `state.*` and its source's memory; `reorder`
 * gathers the state rows. The memory is kept once per source and gathered
 * for the rows only when the row → source map changes.
 */
export class SeqloomExportModel implements StepModel<SeqloomExportState> {
  readonly vocabSize: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;

  constructor(
    private readonly ort: OnnxRuntime,
    readonly config: SeqloomExportConfig,
    private readonly encoder: InferenceSession,
    private readonly decoder: InferenceSession,
  ) {
    this.vocabSize = config.vocabSize;
    this.bosId = config.bosId;
    this.eosId = config.eosId;
    this.padId = config.padId;
  }

  async start(sources: readonly (readonly number[])[]): Promise<SeqloomExportState> {
    if (sources.length === 0) throw new OnnxModelError('start(sources): expected at least one source row, got none');
    const lm = this.config.task === 'lm';
    const vocab = lm ? this.config.vocabSize : this.config.sourceVocabSize;
    sources.forEach((s, i) => {
      if (!lm && s.length === 0) throw new OnnxModelError(`source ${i} is empty; a seq2seq model needs at least one source token per row`);
      if (s.length > MAX_SOURCE_TOKENS) throw new OnnxModelError(`source ${i} has ${s.length} tokens; at most ${MAX_SOURCE_TOKENS}`);
      s.forEach((id, j) => {
        if (!Number.isInteger(id) || id < 0 || id >= vocab)
          throw new OnnxModelError(`source ${i}, token ${j}: ${id} is not a token id of this model (0..${vocab - 1})`);
      });
    });
    const identity = Int32Array.from(sources, (_, i) => i);
    if (lm) return { encoded: { memory: {}, cache: null }, sources: identity, ...(await this.prime(sources)) };
    const { ids, mask } = padded(this.ort, sources, this.config.sourcePadId);
    const out = await this.encoder.run({ [IO.ids]: ids, [IO.mask]: mask });
    const memory: Record<string, Tensor> = {};
    for (const name of this.config.memory) memory[name] = out[name]!;
    if (this.config.memory.length > 0) memory[IO.memoryMask] = mask;
    const tensors: Record<string, Tensor> = {};
    for (const { input } of this.config.state) tensors[input] = out[input] ?? this.missing(input);
    return { encoded: { memory, cache: null }, sources: identity, tensors, pending: null };
  }

  async step(state: SeqloomExportState, previous: Int32Array): Promise<{ logits: Float32Array; state: SeqloomExportState; attention?: Float32Array }> {
    const rows = state.sources.length;
    if (previous.length !== rows) throw new OnnxModelError(`step: ${previous.length} previous tokens for ${rows} rows`);
    const ids = state.pending ?? previous;
    ids.forEach((id, r) => {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize)
        throw new OnnxModelError(`step: row ${r}'s previous token ${id} is not a token id (0..${this.vocabSize - 1})`);
    });
    const feeds: Record<string, Tensor> = {
      ...this.memoryFeeds(state),
      ...state.tensors,
      [IO.previous]: new this.ort.Tensor(
        'int64',
        BigInt64Array.from(ids, (v) => BigInt(v)),
        [rows],
      ),
    };
    const out = await this.decoder.run(feeds);
    const logits = out[IO.logits];
    if (!logits || logits.dims.length !== 2 || logits.dims[0] !== rows || logits.dims[1] !== this.vocabSize) {
      throw new OnnxModelError(`the decoder step returned logits of shape [${logits?.dims.join(', ')}]; expected [${rows}, ${this.vocabSize}]`);
    }
    const tensors: Record<string, Tensor> = {};
    for (const { input, output } of this.config.state) tensors[input] = out[output]!;
    const next: SeqloomExportState = { encoded: state.encoded, sources: state.sources, tensors, pending: null };
    const attention = out[IO.attention];
    return { logits: logits.data as Float32Array, state: next, ...(attention ? { attention: attention.data as Float32Array } : {}) };
  }

  reorder(state: SeqloomExportState, rows: Int32Array): SeqloomExportState {
    const count = state.sources.length;
    const bad = rows.findIndex((r) => !Number.isInteger(r) || r < 0 || r >= count);
    if (bad >= 0) throw new OnnxModelError(`reorder(state, rows): rows[${bad}] = ${rows[bad]} is not a row of the state (0 to ${count - 1})`);
    const tensors: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(state.tensors)) tensors[name] = gatherRows(this.ort, t, rows);
    const pending = state.pending === null ? null : Int32Array.from(rows, (r) => state.pending![r]!);
    return { encoded: state.encoded, sources: Int32Array.from(rows, (r) => state.sources[r]!), tensors, pending };
  }

  dispose(state: SeqloomExportState): void {
    state.encoded.cache = null;
  }

  /** The memory inputs for the state's rows, gathered once per row → source map. */
  private memoryFeeds(state: SeqloomExportState): Record<string, Tensor> {
    const { encoded, sources } = state;
    const names = Object.keys(encoded.memory);
    if (names.length === 0) return {};
    if (encoded.cache && sameRows(encoded.cache.sources, sources)) return encoded.cache.feeds;
    const first = encoded.memory[names[0]!]!;
    const identity = sources.length === first.dims[0] && sources.every((s, i) => s === i);
    const feeds: Record<string, Tensor> = {};
    for (const name of names) feeds[name] = identity ? encoded.memory[name]! : gatherRows(this.ort, encoded.memory[name]!, sources);
    encoded.cache = { sources, feeds };
    return feeds;
  }

  /**
   * lm: runs [bos, prompt[0..n-2]] through the prime graph for the rows with
   * a prompt (the others start from zeros) and leaves each row's last token
   * (bos for an empty prompt) pending.
   */
  private async prime(prompts: readonly (readonly number[])[]): Promise<Pick<SeqloomExportState, 'tensors' | 'pending'>> {
    const { bosId, hiddenSize: h } = this.config;
    const pending = Int32Array.from(prompts, (p) => (p.length === 0 ? bosId : p[p.length - 1]!));
    const primed = prompts.map((p, i) => [i, p] as const).filter(([, p]) => p.length > 0);
    const tensors: Record<string, Tensor> = {};
    for (const { input } of this.config.state) tensors[input] = new this.ort.Tensor('float32', new Float32Array(prompts.length * h), [prompts.length, h]);
    if (primed.length === 0) return { tensors, pending };
    const { ids, mask } = padded(
      this.ort,
      primed.map(([, p]) => [bosId, ...p.slice(0, -1)]),
      this.config.padId,
    );
    const out = await this.encoder.run({ [IO.ids]: ids, [IO.mask]: mask });
    for (const { input } of this.config.state) {
      const values = (out[input] ?? this.missing(input)).data as Float32Array;
      const into = tensors[input]!.data as Float32Array;
      primed.forEach(([row], k) => into.set(values.subarray(k * h, (k + 1) * h), row * h));
    }
    return { tensors, pending };
  }

  private missing(name: string): never {
    throw new OnnxModelError(`the ${this.config.encoder.file} graph gave no output "${name}", which config.json lists as decoder state`);
  }
}
