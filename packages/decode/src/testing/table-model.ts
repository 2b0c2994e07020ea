import type { StepModel } from '../step-model.js';

/** Logits for one row: a pure function of its source and the tokens generated so far. */
export type LogitsFunction = (source: readonly number[], prefix: readonly number[]) => ArrayLike<number>;

/** Counters a test can check: model work done and states not yet disposed. */
export interface TableModelStats {
  starts: number;
  steps: number;
  /** Total rows stepped, summed over all steps. */
  rowsStepped: number;
  /** Largest number of rows in one step. */
  maxRows: number;
  /** States handed out and not yet consumed (by step/reorder) or disposed. */
  liveStates: number;
}

/** A row of a table model's state: its source and the tokens it was fed (bos first). */
interface TableRow {
  source: readonly number[];
  fed: number[];
}

/** State of a table model: rows plus an id used to catch reuse of a consumed state. */
export interface TableState {
  readonly id: number;
  readonly rows: readonly TableRow[];
}

/** What a `TableStepModel` is made of: its size, special ids, logits function and whether it reports attention. */
export interface TableModelSpec {
  vocabSize: number;
  bosId: number;
  eosId: number;
  padId: number;
  logits: LogitsFunction;
  /** Also return attention rows: a softmax over source positions derived from the prefix. */
  attention?: boolean;
}

/**
 * A StepModel whose logits come from a function of (source, prefix), with no
 * tfjs: the test double every strategy is checked with. It tracks each row's
 * prefix itself from `previous` and `reorder`, so a decoder that reorders
 * wrongly gets logits for the wrong prefix. It counts the work it does, and
 * throws if a consumed or disposed state is used again.
 */
export class TableStepModel implements StepModel<TableState> {
  readonly vocabSize: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  readonly stats: TableModelStats = { starts: 0, steps: 0, rowsStepped: 0, maxRows: 0, liveStates: 0 };
  private readonly live = new Set<number>();
  private nextId = 1;

  constructor(private readonly spec: TableModelSpec) {
    this.vocabSize = spec.vocabSize;
    this.bosId = spec.bosId;
    this.eosId = spec.eosId;
    this.padId = spec.padId;
  }

  async start(sources: readonly (readonly number[])[]): Promise<TableState> {
    this.stats.starts++;
    return this.make(sources.map((s) => ({ source: [...s], fed: [] })));
  }

  async step(state: TableState, previous: Int32Array): Promise<{ logits: Float32Array; state: TableState; attention?: Float32Array }> {
    this.consume(state, 'step');
    const n = state.rows.length;
    if (previous.length !== n) throw new Error(`TableStepModel.step: previous has ${previous.length} entries for ${n} rows`);
    this.stats.steps++;
    this.stats.rowsStepped += n;
    this.stats.maxRows = Math.max(this.stats.maxRows, n);
    const V = this.vocabSize;
    const logits = new Float32Array(n * V);
    const rows: TableRow[] = [];
    let maxSource = 0;
    for (const row of state.rows) maxSource = Math.max(maxSource, row.source.length);
    const attention = this.spec.attention ? new Float32Array(n * Math.max(maxSource, 1)) : undefined;
    for (let r = 0; r < n; r++) {
      const old = state.rows[r];
      if (old.fed.length === 0 && previous[r] !== this.bosId) {
        throw new Error(`TableStepModel.step: row ${r} must be fed bosId (${this.bosId}) first, got ${previous[r]}`);
      }
      const row: TableRow = { source: old.source, fed: [...old.fed, previous[r]] };
      const prefix = row.fed.slice(1);
      rows.push(row);
      logits.set(this.spec.logits(row.source, prefix), r * V);
      if (attention) writeAttention(attention, r, Math.max(maxSource, 1), row.source.length, prefix);
    }
    const next = this.make(rows);
    return attention ? { logits, state: next, attention } : { logits, state: next };
  }

  reorder(state: TableState, rows: Int32Array): TableState {
    this.consume(state, 'reorder');
    const picked: TableRow[] = [];
    for (const i of rows) {
      if (i < 0 || i >= state.rows.length) throw new Error(`TableStepModel.reorder: row ${i} out of range (${state.rows.length} rows)`);
      const row = state.rows[i];
      picked.push({ source: row.source, fed: [...row.fed] });
    }
    return this.make(picked);
  }

  dispose(state: TableState): void {
    if (this.live.delete(state.id)) this.stats.liveStates--;
  }

  private make(rows: TableRow[]): TableState {
    const id = this.nextId++;
    this.live.add(id);
    this.stats.liveStates++;
    return { id, rows };
  }

  private consume(state: TableState, what: string): void {
    if (!this.live.delete(state.id)) throw new Error(`TableStepModel.${what}: state ${state.id} was already consumed or disposed`);
    this.stats.liveStates--;
  }
}

/** A deterministic attention row: a softmax over source positions seeded by the prefix length. */
function writeAttention(out: Float32Array, row: number, width: number, sourceLength: number, prefix: readonly number[]): void {
  const n = Math.max(sourceLength, 1);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const e = Math.exp(-Math.abs(j - (prefix.length % n)));
    out[row * width + j] = e;
    sum += e;
  }
  for (let j = 0; j < n; j++) out[row * width + j] /= sum;
}
