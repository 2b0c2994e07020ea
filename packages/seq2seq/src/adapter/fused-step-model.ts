import { type FusedSessionHandle, isFusedDecoderCell } from '@seqloom/core';
import type { StepModel } from '@seqloom/decode';
import * as tf from '@tensorflow/tfjs';
import { padSources } from '../model/batch-layout.js';
import { initialDecoderState } from '../model/bridge.js';
import type { DecoderState } from '../model/decoder.js';
import { Dropper } from '../model/dropout.js';
import { encode } from '../model/encoder.js';
import type { ModelInternals } from '../model/model-internals.js';
import { typedTidy } from '../model/typed-tidy.js';
import type { ModelConfig } from '../model-contract.js';
import type { FusedDecoderEngine } from './fused-decoder-engine.js';
import { fusedModelHandle } from './fused-weights.js';
import { inference, primeLanguageModel } from './prime-language-model.js';
import { checkIds, checkReorderRows, StepModelUsageError } from './step-checks.js';

/**
 * Decoding state on a fused decoder engine: the engine's session (the
 * recurrent state, attention memory and keys of the batch, updated in place
 * by each step) and what the next step passes it.
 */
export interface FusedStepState {
  readonly rows: number;
  readonly session: FusedSessionHandle;
  /** lm only: the prime's last token per row, fed at the first step instead of `previous`. */
  readonly pending: Int32Array | null;
  /** A reorder not yet applied: live row i continues row `parents[i]` of the session (null: row i). */
  readonly parents: Int32Array | null;
  /** Padded source length (attention weights per row); 0 without attention. */
  readonly sourceLength: number;
  /** Set once the state was consumed by step/reorder/dispose. */
  consumed: boolean;
}

const NO_DROPOUT = new Dropper(false, 0);

/** Whether a fused decoder engine runs this model's decoder (its cell is one of the contract's FUSED_DECODER_CELLS); else it decodes on the tensor path. */
export function fusedDecoderFits(config: ModelConfig): boolean {
  return isFusedDecoderCell(config.cell);
}

/** The decoder state's tensors packed [slabs, rows, H]: per layer h (and c), then the fed-back vector. */
function packState(decoder: DecoderState, rows: number, hidden: number): Float32Array {
  const tensors = [...decoder.layers.flat(), ...(decoder.feed === null ? [] : [decoder.feed])];
  const packed = new Float32Array(tensors.length * rows * hidden);
  tensors.forEach((t, k) => packed.set(t.dataSync(), k * rows * hidden));
  return packed;
}

/** Layer 0's input gates come from a per-token table when the vocabulary is small next to the batch (as the tensor path). */
function useTable(config: ModelConfig, rows: number): boolean {
  return config.targetVocabSize <= 4 * rows;
}

async function start(model: ModelInternals, engine: FusedDecoderEngine, sources: readonly (readonly number[])[]): Promise<FusedStepState> {
  const { config, params } = model;
  if (sources.length === 0) throw new StepModelUsageError('start(sources): expected at least one source row, got none.');
  const handle = fusedModelHandle(engine, config, params);
  const { hiddenSize: hidden } = config;
  const rows = sources.length;
  if (config.task === 'lm') {
    sources.forEach((p, i) => checkIds(`start(sources): prime ${i}`, p, config.targetVocabSize));
    const { decoder, pending } = primeLanguageModel(model, sources);
    const initial = packState(decoder, rows, hidden);
    tf.dispose([...decoder.layers.flat(), ...(decoder.feed === null ? [] : [decoder.feed])]);
    const session = engine.createSession(handle, { rows, sourceLength: 0, memory: null, lengths: null, initial, table: useTable(config, rows) });
    return { rows, session, pending, parents: null, sourceLength: 0, consumed: false };
  }
  sources.forEach((s, i) => {
    if (s.length === 0) throw new StepModelUsageError(`start(sources): source ${i} is empty; a seq2seq model needs at least one source token per row.`);
    checkIds(`start(sources): source ${i}`, s, config.sourceVocabSize);
  });
  const batch = padSources(sources, config.sourcePadId);
  const attends = params.attention !== undefined;
  const { decoder, memory } = typedTidy(() => {
    const encoded = encode(params, config, batch, NO_DROPOUT, inference(model));
    return { decoder: initialDecoderState(params, config, encoded, batch.rows), memory: attends ? encoded.memory : null };
  });
  const initial = packState(decoder, rows, hidden);
  const memoryData = memory === null ? null : (memory.dataSync() as Float32Array);
  const sourceLength = attends ? batch.steps : 0;
  const session = engine.createSession(handle, {
    rows,
    sourceLength,
    memory: memoryData,
    lengths: attends ? batch.lengths : null,
    initial,
    table: useTable(config, rows),
  });
  tf.dispose([...decoder.layers.flat(), ...(decoder.feed === null ? [] : [decoder.feed]), ...(memory === null ? [] : [memory])]);
  return { rows, session, pending: null, parents: null, sourceLength, consumed: false };
}

function checkLive(state: FusedStepState, call: string): void {
  if (state.consumed) throw new StepModelUsageError(`${call}: this state was already consumed by step/reorder/dispose; pass the state they returned.`);
}

async function step(model: ModelInternals, engine: FusedDecoderEngine, state: FusedStepState, previous: Int32Array) {
  checkLive(state, 'step');
  if (previous.length !== state.rows) {
    throw new StepModelUsageError(`step(state, previous): previous has ${previous.length} ids but the state has ${state.rows} rows.`);
  }
  const vocab = model.config.targetVocabSize;
  const ids = state.pending ?? previous;
  checkIds('step(state, previous)', ids, vocab);
  const logits = new Float32Array(state.rows * vocab); // handed to the caller: one per step
  const attention = state.sourceLength > 0 ? new Float32Array(state.rows * state.sourceLength) : null;
  engine.step(state.session, ids, state.parents, logits, attention);
  state.consumed = true;
  const next: FusedStepState = { ...state, pending: null, parents: null, consumed: false };
  return attention === null ? { logits, state: next } : { logits, attention, state: next };
}

function reorder(state: FusedStepState, rows: Int32Array): FusedStepState {
  checkLive(state, 'reorder');
  checkReorderRows(rows, state.rows);
  const parents = state.parents === null ? rows.slice() : Int32Array.from(rows, (r) => (state.parents as Int32Array)[r]);
  const pending = state.pending === null ? null : Int32Array.from(rows, (r) => (state.pending as Int32Array)[r]);
  state.consumed = true;
  return { ...state, parents, pending, rows: rows.length, consumed: false };
}

function dispose(engine: FusedDecoderEngine, state: FusedStepState): void {
  if (state.consumed) return;
  engine.free(state.session);
  state.consumed = true;
}

/**
 * The StepModel of a model whose kernel set offers a fused decoder step: the
 * encoder runs once per batch on the tensor path, then every step (with the
 * pending beam reorder) is one engine call. Logits equal the tensor path's.
 */
export function createFusedStepModel(model: ModelInternals, engine: FusedDecoderEngine): StepModel<FusedStepState> {
  const { config } = model;
  return {
    vocabSize: config.targetVocabSize,
    bosId: config.bosId,
    eosId: config.eosId,
    padId: config.padId,
    start: (sources) => start(model, engine, sources),
    step: (state, previous) => step(model, engine, state, previous),
    reorder,
    dispose: (state) => dispose(engine, state),
  };
}
