import { DecodeModelError, NoAllowedTokenError } from './errors.js';
import type { Row } from './hypothesis.js';
import { logSumExp, logSumExpAndMax, logSumExpAndMaxF32 } from './log-softmax.js';
import { type LogitsProcessor, type ProcessorContext, processorLabel } from './processor.js';
import { isKernelProcessor, simdRow } from './simd/simd-row.js';
import { simdSubtractInto } from './simd/simd-row-ops.js';
import type { StepModel } from './step-model.js';
import type { StepLogProbs } from './strategies/search-strategy.js';

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

/** Reusable buffers for one decoding run, with a view of each row of `logits`. */
export class StepBuffers {
  logits = new Float32Array(0);
  shift = new Float64Array(0);
  max = new Float64Array(0);
  /** `rowViews[r]` = `logits.subarray(r·V, (r+1)·V)`, built once per buffer. */
  rowViews: Float32Array[] = [];
  ensure(rows: number, vocabSize: number): void {
    if (this.logits.length < rows * vocabSize) {
      this.logits = new Float32Array(rows * vocabSize);
      this.rowViews = [];
    }
    if (this.shift.length < rows) {
      this.shift = new Float64Array(rows);
      this.max = new Float64Array(rows);
    }
    for (let r = this.rowViews.length; r < rows; r++) this.rowViews.push(this.logits.subarray(r * vocabSize, (r + 1) * vocabSize));
  }
}

/**
 * Check one step's logits (`rows × vocab`, no NaN or +Infinity), run the
 * processors on each row and normalise each row. Without processors the
 * model's logits are read where they are (no copy); with processors they run
 * on a copy, since the model may reuse its buffer. With `logProbsFirst`
 * (Hugging Face's beam search) each row is normalised first and the
 * processors' output is kept unnormalised (shift 0). Throws a
 * DecodeModelError naming the step and row for bad model output, and a
 * NoAllowedTokenError naming the processors when a row has no allowed token.
 * Model output is checked as it is normalised: a NaN or +Infinity that a
 * processor masks (sets to −Infinity) before that goes unreported. With
 * `exactShift` false (greedy, beam: the shift only scores) long rows are
 * normalised with float32 exps (within 1e-6); sampling draws against the
 * exact shift.
 */
export function processLogits(
  logits: Float32Array,
  rows: readonly Row[],
  step: number,
  vocabSize: number,
  eosId: number,
  processors: readonly LogitsProcessor[],
  buffers: StepBuffers,
  logProbsFirst = false,
  exactShift = true,
): StepLogProbs {
  const lse = exactShift ? logSumExpAndMax : logSumExpAndMaxF32;
  const V = vocabSize;
  const n = rows.length * V;
  if (!logits || typeof logits.length !== 'number' || logits.length !== n) {
    throw new DecodeModelError(
      `step ${step}: model.step returned logits of length ${logits?.length}; expected rows × vocabSize = ${rows.length} × ${V} = ${n}`,
    );
  }
  buffers.ensure(rows.length, V);
  const { shift, max } = buffers;
  if (processors.length === 0 && !logProbsFirst) {
    for (let r = 0; r < rows.length; r++) {
      shift[r] = lse(logits, r * V, (r + 1) * V, max, r);
      if (!(shift[r] > -Infinity && shift[r] < Infinity)) rowFailed(logits, rows, r, step, V, eosId, processors, shift[r]);
    }
    return { logits, shift: shift.subarray(0, rows.length), max: max.subarray(0, rows.length) };
  }
  const copy = buffers.logits;
  if (!logProbsFirst) copy.set(logits);
  for (let r = 0; r < rows.length; r++) {
    let row = buffers.rowViews[r];
    if (logProbsFirst) {
      const first = exactShift ? logSumExp(logits, r * V, (r + 1) * V) : lse(logits, r * V, (r + 1) * V, max, r);
      if (Number.isNaN(first)) checkRow(logits.subarray(r * V, (r + 1) * V), step, r, rows[r].source);
      if (!simdSubtractInto(logits, r * V, first, row)) for (let v = 0, i = r * V; v < V; v++, i++) row[v] = logits[i] - first;
    }
    if (processors.length > 0) {
      const out = runProcessors(processors, row, { tokens: rows[r].ids, source: rows[r].source, vocabSize: V, eosId });
      if (out !== row) {
        if (out?.length !== V) {
          throw new DecodeModelError(`step ${step}: a logits processor returned ${out?.length} values; expected ${V} (vocabSize)`);
        }
        row.set(out);
        row = out;
      }
    }
    shift[r] = logProbsFirst ? unnormalisedShift(row, max, r) : lse(row, 0, V, max, r);
    if (!(shift[r] > -Infinity && shift[r] < Infinity)) rowFailed(logits, rows, r, step, V, eosId, processors, shift[r]);
  }
  return { logits: copy.subarray(0, n), shift: shift.subarray(0, rows.length), max: max.subarray(0, rows.length) };
}

/**
 * Apply `processors` in order to `row`, telling the staged SIMD row (see
 * `SimdRow.loadOnce`) to forget its copy before each one and after any that
 * may write the row outside the kernels.
 */
function runProcessors(processors: readonly LogitsProcessor[], row: Float32Array, context: ProcessorContext): Float32Array {
  const staged = simdRow();
  let current = row;
  for (const p of processors) {
    staged?.forget();
    current = p(current, context);
    if (!isKernelProcessor(p)) staged?.forget();
  }
  return current;
}

/** Throw the error for row `r`, whose normaliser is NaN, ±Infinity: bad model output first, then the processors. */
function rowFailed(
  logits: Float32Array,
  rows: readonly Row[],
  r: number,
  step: number,
  V: number,
  eosId: number,
  processors: readonly LogitsProcessor[],
  shift: number,
): never {
  const raw = logits.subarray(r * V, (r + 1) * V);
  checkRow(raw, step, r, rows[r].source);
  if (shift === -Infinity) throw noAllowedToken(raw, rows[r], step, r, V, eosId, processors);
  throw new DecodeModelError(
    `step ${step}, row ${r} (source ${rows[r].source}): the logits processors produced ${Number.isNaN(shift) ? 'NaN' : '+Infinity'}; ` +
      'a processor must return numbers or -Infinity',
  );
}

/** 0 for a row of log-probabilities kept as they are; -Infinity when every entry is masked, NaN when one is NaN. */
function unnormalisedShift(row: Float32Array, maxOut: Float64Array, at: number): number {
  let max = -Infinity;
  for (let v = 0; v < row.length; v++) {
    const x = row[v];
    if (x !== x) return NaN;
    if (x > max) max = x;
  }
  maxOut[at] = max;
  return max === -Infinity ? -Infinity : 0;
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
function noAllowedToken(raw: Float32Array, row: Row, step: number, r: number, V: number, eosId: number, processors: readonly LogitsProcessor[]): Error {
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
