import type { ModelConfig, Seq2SeqModel } from '@seqloom/seq2seq';
import { cellDefinition } from '@seqloom/seq2seq/model';

export type CellKind = ModelConfig['cell'];

/** A weight's values, row-major, and shape. */
export interface WeightValues {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** A recurrent cell's weights in seqloom's fused layout (see gate-layout.ts). */
export interface CellWeights {
  readonly kind: CellKind;
  readonly inputSize: number;
  readonly hidden: number;
  readonly kernel: Float32Array; // [I, G·H]
  readonly recurrent: Float32Array; // [H, G·H]
  readonly bias: Float32Array; // [G·H]
  /** Cells with a recurrent bias of their own (GRU); null otherwise. */
  readonly recurrentBias: Float32Array | null; // [G·H]
}

/** A model's weights by seqloom's stable names (`encoder/fwd/l0/kernel`, `attention/combine`, …). */
export class ModelWeights {
  private constructor(
    readonly config: ModelConfig,
    private readonly values: ReadonlyMap<string, WeightValues>,
  ) {}

  /** Copies every weight of `model` off its backend. */
  static of(model: Seq2SeqModel): ModelWeights {
    const values = new Map<string, WeightValues>();
    for (const [name, variable] of model.namedWeights())
      values.set(name, { data: Float32Array.from(variable.dataSync() as Float32Array), shape: [...variable.shape] });
    return new ModelWeights(model.config, values);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The weight `name`; its shape must be `shape`. */
  get(name: string, shape: readonly number[]): Float32Array {
    const found = this.values.get(name);
    if (!found) throw new Error(`exportOnnx: the model has no weight "${name}" (its configuration and weights disagree)`);
    if (found.shape.length !== shape.length || found.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`exportOnnx: weight "${name}" has shape [${found.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    return found.data;
  }

  /** The cell `prefix` (`encoder/fwd/l0`, `decoder/l1`). */
  cell(prefix: string, inputSize: number): CellWeights {
    const { cell: kind, hiddenSize: hidden } = this.config;
    const definition = cellDefinition(kind);
    const width = definition.gates * hidden;
    return {
      kind,
      inputSize,
      hidden,
      kernel: this.get(`${prefix}/kernel`, [inputSize, width]),
      recurrent: this.get(`${prefix}/recurrent`, [hidden, width]),
      bias: this.get(`${prefix}/bias`, [width]),
      recurrentBias: definition.recurrentBias ? this.get(`${prefix}/recurrent_bias`, [width]) : null,
    };
  }

  /** The source embedding [Vs, E] (the shared one when source and target share it). */
  sourceEmbedding(): Float32Array {
    const { sourceVocabSize: v, embeddingSize: e, shareEmbeddings } = this.config;
    return this.get(shareEmbeddings ? 'embedding' : 'encoder/embedding', [v, e]);
  }

  /** The target embedding [Vt, E]. */
  targetEmbedding(): Float32Array {
    const { targetVocabSize: v, embeddingSize: e, shareEmbeddings, task } = this.config;
    return this.get(shareEmbeddings && task !== 'lm' ? 'embedding' : 'decoder/embedding', [v, e]);
  }
}
