import { DecodeModelError } from './errors.js';
import type { StepModel } from './step-model.js';

/** State of an {@link EnsembleStepModel}: one state per member (null once consumed). */
export interface EnsembleState {
  readonly members: (unknown | null)[];
}

/** One step's output of a member model. */
type MemberStep = { logits: Float32Array; state: unknown; attention?: Float32Array };

/**
 * Several StepModels with the same vocabulary decoded as one: every member is
 * started, stepped, reordered and disposed together, and each step returns,
 * per row and token, the log of the members' mean probability,
 *
 *   log p(v) = log( (1/M) Σₘ softmax(logitsₘ)(v) ) = logsumexpₘ(log pₘ(v)) − log M,
 *
 * the usual ensemble of sequence models (as OpenNMT-py averages its members'
 * probabilities). Each member's raw logits are log-softmaxed first, so the
 * result is already a normalised log-distribution: the decode loop's own
 * log-softmax leaves it unchanged (its normaliser is 0), and a logits
 * processor sees log-probabilities. A token every member masks (-Infinity)
 * stays masked. Attention, when the first member reports it, is the first
 * member's (attention weights of different models do not average into one
 * alignment); the others' is dropped.
 */
export class EnsembleStepModel implements StepModel<EnsembleState> {
  readonly vocabSize: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  private readonly models: readonly StepModel<unknown>[];

  constructor(models: readonly StepModel<unknown>[]) {
    if (!Array.isArray(models) || models.length === 0) {
      throw new DecodeModelError('EnsembleStepModel: give at least one member model');
    }
    const first = models[0];
    models.forEach((m, i) => {
      for (const key of ['vocabSize', 'bosId', 'eosId', 'padId'] as const) {
        if (m[key] !== first[key]) {
          throw new DecodeModelError(
            `EnsembleStepModel: member ${i} has ${key} ${String(m[key])} but member 0 has ${String(first[key])}; ` +
              'the members of an ensemble must share one target vocabulary',
          );
        }
      }
    });
    this.models = [...models];
    this.vocabSize = first.vocabSize;
    this.bosId = first.bosId;
    this.eosId = first.eosId;
    this.padId = first.padId;
  }

  /** Number of member models. */
  get size(): number {
    return this.models.length;
  }

  async start(sources: readonly (readonly number[])[]): Promise<EnsembleState> {
    const members: unknown[] = [];
    try {
      for (const m of this.models) members.push(await m.start(sources));
    } catch (error) {
      members.forEach((s, i) => this.models[i].dispose(s));
      throw error;
    }
    return { members };
  }

  async step(state: EnsembleState, previous: Int32Array): Promise<{ logits: Float32Array; state: EnsembleState; attention?: Float32Array }> {
    const outs: MemberStep[] = [];
    try {
      for (let i = 0; i < this.models.length; i++) {
        const input = takeMember(state, i, 'step');
        outs.push(await this.models[i].step(input, previous));
      }
    } catch (error) {
      outs.forEach((o, i) => this.models[i].dispose(o.state));
      this.dispose(state);
      throw error;
    }
    const next: EnsembleState = { members: outs.map((o) => o.state) };
    const logits = averageProbabilities(
      outs.map((o) => o.logits),
      previous.length,
      this.vocabSize,
    );
    const attention = outs[0].attention;
    return attention === undefined ? { logits, state: next } : { logits, state: next, attention };
  }

  reorder(state: EnsembleState, rows: Int32Array): EnsembleState {
    const members: unknown[] = [];
    try {
      for (let i = 0; i < this.models.length; i++) members.push(this.models[i].reorder(takeMember(state, i, 'reorder'), rows));
    } catch (error) {
      members.forEach((s, i) => this.models[i].dispose(s));
      this.dispose(state);
      throw error;
    }
    return { members };
  }

  dispose(state: EnsembleState): void {
    state.members.forEach((s, i) => {
      if (s === null) return;
      state.members[i] = null;
      this.models[i].dispose(s);
    });
  }
}

/** Member i's state, marked consumed in the ensemble state. */
function takeMember(state: EnsembleState, i: number, call: string): unknown {
  const s = state.members[i];
  if (s === null || s === undefined) throw new DecodeModelError(`EnsembleStepModel.${call}: member ${i}'s state was already consumed or disposed`);
  state.members[i] = null;
  return s;
}

/**
 * log of the mean of the members' softmax distributions, row by row
 * (`logits[m]` is `[rows × V]`). A member row with NaN or +Infinity makes the
 * combined row NaN, which the decode loop reports.
 */
export function averageProbabilities(logits: readonly Float32Array[], rows: number, vocabSize: number): Float32Array {
  const V = vocabSize;
  logits.forEach((l, m) => {
    if (l?.length !== rows * V) {
      throw new DecodeModelError(`EnsembleStepModel: member ${m} returned ${l?.length} logits; expected rows × vocabSize = ${rows} × ${V} = ${rows * V}`);
    }
  });
  const M = logits.length;
  const out = new Float32Array(rows * V);
  const shift = new Float64Array(M);
  const logM = Math.log(M);
  for (let r = 0; r < rows; r++) {
    const base = r * V;
    for (let m = 0; m < M; m++) shift[m] = rowLogSumExp(logits[m], base, V);
    for (let v = 0; v < V; v++) {
      let max = -Infinity;
      let bad = false;
      for (let m = 0; m < M; m++) {
        const lp = memberLogProb(logits[m][base + v], shift[m]);
        if (!(lp < Infinity))
          bad = true; // NaN or +Infinity
        else if (lp > max) max = lp;
      }
      if (bad) {
        out[base + v] = NaN;
        continue;
      }
      if (max === -Infinity) {
        out[base + v] = -Infinity;
        continue;
      }
      let sum = 0;
      for (let m = 0; m < M; m++) {
        const lp = memberLogProb(logits[m][base + v], shift[m]);
        if (lp !== -Infinity) sum += Math.exp(lp - max);
      }
      out[base + v] = max + Math.log(sum) - logM;
    }
  }
  return out;
}

/** A member's log-probability of a token from its logit and row normaliser; a fully masked row gives every token -Infinity. */
function memberLogProb(logit: number, shift: number): number {
  if (Number.isNaN(shift)) return NaN;
  return shift === -Infinity ? -Infinity : logit - shift;
}

/** log Σ exp over `values[base .. base + n)`; NaN when the row holds NaN or +Infinity. */
function rowLogSumExp(values: Float32Array, base: number, n: number): number {
  let max = -Infinity;
  for (let i = base; i < base + n; i++) {
    const x = values[i];
    if (!(x < Infinity)) return NaN;
    if (x > max) max = x;
  }
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = base; i < base + n; i++) if (values[i] !== -Infinity) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}
