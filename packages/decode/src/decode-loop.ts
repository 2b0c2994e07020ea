import { DecodeModelError, DecodeOptionError, describe } from './errors.js';
import type { StepEvent } from './events.js';
import type { GenerationResult, Row } from './hypothesis.js';
import { processLogits, StepBuffers, validateModel } from './model-output.js';
import type { GenerateOptions } from './option-table.js';
import { resolveOptions } from './options.js';
import { setSimdVouching } from './simd/simd-row.js';
import type { StepModel } from './step-model.js';
import type { FinishReason, StoppingContext, StoppingCriterion } from './stopping-criteria.js';
import { STRATEGIES } from './strategies/registry.js';
import type { SearchStrategy } from './strategies/search-strategy.js';

/**
 * The one decoding loop: stopping criteria → model step → logits processors →
 * strategy picks → reorder. Rows that stop are dropped with `reorder` before
 * the next step, so they cost no further model work. The final state is
 * always disposed, also on error. `beforeStep` lets a consumer hold the loop
 * back (stream backpressure); returns null when `cancelled()` ended it early.
 * `emit` null: nobody listens, so no per-token events are built.
 */
export async function runDecodeLoop<S>(
  model: StepModel<S>,
  sources: readonly (readonly number[])[],
  options: GenerateOptions | undefined,
  emit: ((event: StepEvent) => void) | null,
  cancelled: () => boolean = () => false,
  beforeStep: () => Promise<void> = async () => {},
): Promise<GenerationResult[] | null> {
  validateModel(model);
  checkSources(sources);
  const opts = resolveOptions(model, options);
  const definition = STRATEGIES[opts.strategy];
  definition.checkModel?.(model, opts);
  if (sources.length === 0) return [];
  const send = emit ?? (() => {});
  const strategy = definition.create({ vocabSize: model.vocabSize, eosId: model.eosId, options: opts, emit: send, listening: emit !== null });
  const noAttention: null[] = [];
  const started = performance.now();
  const buffers = new StepBuffers();
  const logProbsFirst = opts.compat === 'hf' && opts.strategy === 'beam';
  const exactShift = definition.random === true; // sampling draws against the exact normaliser
  let state: S = await model.start(sources);
  let yielded = performance.now();
  try {
    let { rows, parents } = strategy.initial(sources.length);
    if (!isIdentity(parents, sources.length)) state = model.reorder(state, Int32Array.from(parents));
    for (let step = 0; ; step++) {
      const keep = stopRows(rows, opts.criteria, performance.now() - started, strategy);
      if (keep.length < rows.length) {
        rows = keep.map((i) => rows[i]);
        if (rows.length === 0) break;
        state = model.reorder(state, Int32Array.from(keep));
      }
      if (performance.now() - yielded >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        yielded = performance.now();
      }
      await beforeStep();
      if (cancelled()) return null;
      const previous = new Int32Array(rows.length);
      for (let r = 0; r < rows.length; r++) previous[r] = rows[r].ids.length ? rows[r].ids[rows[r].ids.length - 1] : model.bosId;
      const out: { logits: Float32Array; state: S; attention?: Float32Array } = await model.step(state, previous);
      state = out.state;
      // From the logits to the picks, a row staged for the SIMD kernels is not copied in again (see `SimdRow.loadOnce`).
      const vouching = setSimdVouching(true);
      let next: ReturnType<SearchStrategy['select']>;
      try {
        const logProbs = processLogits(out.logits, rows, step, model.vocabSize, model.eosId, opts.processors, buffers, logProbsFirst, exactShift);
        next = strategy.select(rows, logProbs, splitAttention(out.attention, rows.length, step, noAttention));
      } finally {
        setSimdVouching(vouching);
      }
      if (next.rows.length === 0) break;
      if (!isIdentity(next.parents, rows.length)) state = model.reorder(state, Int32Array.from(next.parents));
      rows = next.rows;
    }
  } finally {
    model.dispose(state);
  }
  const results = strategy.results(sources.length);
  results.forEach((result, source) => send({ type: 'result', source, result }));
  return results;
}

/**
 * Longest stretch of decoding between returns to the event loop, in ms: a
 * model whose steps resolve at once would otherwise keep timers, I/O, signal
 * handlers and abort signals waiting until the whole generation ends.
 */
const YIELD_EVERY_MS = 20;

interface Scheduling {
  scheduler?: { yield?: () => Promise<void> };
  setImmediate?: (callback: () => void) => unknown;
  MessageChannel?: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(value: unknown): void } };
  setTimeout: (callback: () => void, ms: number) => unknown;
}

/**
 * One turn of the event loop: `scheduler.yield` (browsers that have it),
 * `setImmediate` (Node), a message to itself (other browsers: unlike a zero
 * timeout, not clamped to 4 ms), else a zero timeout.
 */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as unknown as Scheduling;
  if (typeof g.scheduler?.yield === 'function') return g.scheduler.yield();
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof g.MessageChannel === 'function') {
    const channel = new g.MessageChannel();
    return new Promise((resolve) => {
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => g.setTimeout(resolve, 0));
}

/** Run the stopping criteria on every live row; finished rows go to the strategy. Returns the rows that go on. */
function stopRows(rows: readonly Row[], criteria: readonly StoppingCriterion[], elapsedMs: number, strategy: SearchStrategy): number[] {
  const keep: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    const context: StoppingContext = { tokens: rows[r].ids, source: rows[r].source, elapsedMs };
    let reason: FinishReason | null = null;
    for (const c of criteria) {
      reason = c(context);
      if (reason) break;
    }
    if (reason) strategy.finish(rows[r], reason);
    else keep.push(r);
  }
  return keep;
}

/** Each row's attention, or `nulls` (grown to `rows` nulls, reused across steps) when the model reports none. */
function splitAttention(attention: Float32Array | undefined, rows: number, step: number, nulls: null[]): (Float32Array | null)[] {
  if (attention === undefined) {
    while (nulls.length < rows) nulls.push(null);
    return nulls;
  }
  if (attention.length % rows !== 0) {
    throw new DecodeModelError(`step ${step}: model.step returned attention of length ${attention.length}; expected rows (${rows}) × source length`);
  }
  const width = attention.length / rows;
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) out.push(attention.slice(r * width, (r + 1) * width));
  return out;
}

function isIdentity(parents: readonly number[], rows: number): boolean {
  if (parents.length !== rows) return false;
  for (let i = 0; i < rows; i++) if (parents[i] !== i) return false;
  return true;
}

function checkSources(sources: readonly (readonly number[])[]): void {
  if (!Array.isArray(sources)) {
    throw new DecodeOptionError('sources', `expected an array of token-id arrays (one per source), got ${describe(sources)}`);
  }
  sources.forEach((s, i) => {
    if (!Array.isArray(s) && !ArrayBuffer.isView(s)) {
      throw new DecodeOptionError(`sources[${i}]`, `expected an array of token ids (empty for a language model), got ${describe(s)}`);
    }
  });
}
