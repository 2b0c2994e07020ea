import { DecodeModelError, NoAllowedTokenError } from './errors.js';
import type { Row } from './hypothesis.js';
import { logSoftmaxInto } from './log-softmax.js';
import { applyProcessors, processorLabel, type LogitsProcessor, type ProcessorContext } from './processor.js';
import type { StepModel } from './step-model.js';

/** Check the model's constants before decoding starts. */
export function validateModel<S>(model: StepModel<S>): void {
  const V = model.vocabSize;
  if (!Number.isInteger(V) || V < 1) {
    throw new DecodeModelError(`model.vocabSize must be a positive integer, got ${String(V)}`);
  }
  for (const key of ['bosId', 'eosId', 'padId'] as const) {
    const id = model[key];
    if (!Number.isInteger(id) || id < 0 || id >= V) {
      throw new DecodeModelError(`model.${key} must be a token id in [0, ${V - 1}], got ${String(id)}`);
    }
  }
}

/** Reusable buffers for one decoding run. */
export class StepBuffers {
  logits = new Float32Array(0);
  logProbs = new Float64Array(0);
  ensure(n: number): void {
    if (this.logits.length < n) {
      this.logits = new Float32Array(n);
      this.logProbs = new Float64Array(n);
    }
  }
}

/**
 * Validate one step's logits (`rows × vocab`, no NaN or +Infinity), run the
 * processors on each row, and log-softmax into `buffers.logProbs`. Throws a
 * DecodeModelError naming the step and row for bad model output, and a
 * NoAllowedTokenError naming the processors when a row has no allowed token.
 */
export function processLogits(
  logits: Float32Array,
  rows: readonly Row[],
  step: number,
  vocabSize: number,
  eosId: number,
  processors: readonly LogitsProcessor[],
  buffers: StepBuffers,
): Float64Array {
  const V = vocabSize;
  const n = rows.length * V;
  if (!logits || typeof logits.length !== 'number' || logits.length !== n) {
    throw new DecodeModelError(
      `step ${step}: model.step returned logits of length ${logits?.length}; expected rows × vocabSize = ${rows.length} × ${V} = ${n}`,
    );
  }
  buffers.ensure(n);
  for (let r = 0; r < rows.length; r++) {
    const raw = logits.subarray(r * V, (r + 1) * V);
    let row: Float32Array = buffers.logits.subarray(r * V, (r + 1) * V);
    if (!copyFinite(raw, row)) checkRow(raw, step, r, rows[r].source);
    const context: ProcessorContext = { tokens: rows[r].ids, source: rows[r].source, vocabSize: V, eosId };
    const out = applyProcessors(processors, row, context);
    if (out !== row) {
      if (out?.length !== V) {
        throw new DecodeModelError(`step ${step}: a logits processor returned ${out?.length} values; expected ${V} (vocabSize)`);
      }
      row.set(out);
      row = out;
    }
    const max = logSoftmaxInto(row, buffers.logProbs.subarray(r * V, (r + 1) * V));
    if (max === -Infinity || Number.isNaN(max)) throw noAllowedToken(raw, rows[r], step, r, V, eosId, processors);
  }
  return buffers.logProbs.subarray(0, n);
}

/** Copy `raw` into `row`; false when it holds NaN or +Infinity. */
function copyFinite(raw: Float32Array, row: Float32Array): boolean {
  let ok = true;
  for (let v = 0; v < raw.length; v++) {
    const x = raw[v];
    if (!(x < Infinity)) ok = false;
    row[v] = x;
  }
  return ok;
}

/** Throw the error that describes a row with NaN or +Infinity logits. */
function checkRow(raw: Float32Array, step: number, row: number, source: number): void {
  let bad = -1;
  let nan = 0;
  for (let v = 0; v < raw.length; v++) {
    const x = raw[v];
    if (!(x < Infinity)) {
      if (bad < 0) bad = v;
      if (x !== x) nan++;
    }
  }
  if (bad < 0) return;
  const where = `step ${step}, row ${row} (source ${source})`;
  if (nan === raw.length) throw new DecodeModelError(`${where}: the model returned NaN for every logit; check the model's weights and inputs`);
  const what = Number.isNaN(raw[bad]) ? `NaN (${nan} NaN values in the row)` : '+Infinity';
  throw new DecodeModelError(`${where}: the model returned ${what} at token ${bad}; logits must be finite or -Infinity`);
}

/** Find which processor removed the last allowed token, for the error message. */
function noAllowedToken(
  raw: Float32Array,
  row: Row,
  step: number,
  r: number,
  V: number,
  eosId: number,
  processors: readonly LogitsProcessor[],
): Error {
  const where = `step ${step}, row ${r} (source ${row.source}, after ${row.ids.length} tokens)`;
  let current: Float32Array = raw.slice();
  if (!current.some((x) => x > -Infinity)) {
    return new NoAllowedTokenError(`${where}: the model gave -Infinity to every token`);
  }
  const context: ProcessorContext = { tokens: row.ids, source: row.source, vocabSize: V, eosId };
  const names = processors.map(processorLabel);
  for (let i = 0; i < processors.length; i++) {
    current = processors[i](current, context);
    if (!current.some((x) => x > -Infinity)) {
      return new NoAllowedTokenError(
        `${where}: no token is allowed after ${names[i]} (processors applied: ${names.slice(0, i + 1).join(' → ')}); ` +
          'relax the constraints (banned/suppressed tokens, n-gram or length limits) so at least one token stays allowed',
      );
    }
  }
  return new NoAllowedTokenError(`${where}: no token is allowed (processors: ${names.join(' → ')})`);
}
