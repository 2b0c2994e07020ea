import type * as tf from '@tensorflow/tfjs';
import type { KernelPass, SeqKernels } from '../kernels/kernel-set.js';
import type { Product } from './cached-transpose-mat-mul.js';
import type { CellParams, CellState } from './cell-params.js';

/** How a cell's initial weights are set (see createCell). */
export interface CellInitOptions {
  /** Where an LSTM forget-gate bias starts; cells without a forget gate ignore it. */
  readonly forgetBias: number;
}

/**
 * The few graph-building calls a cell's ONNX step needs (the export's graph
 * builder has them): every value is a tensor name in the graph.
 */
export interface CellGraph {
  /** A node of `opType` with `outputs` fresh outputs; integer attributes only. */
  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, number>>, outputs: number): string[];
  /** A node of `opType` with one output. */
  op1(opType: string, inputs: readonly string[]): string;
  /** An int64 constant vector (e.g. the split sizes of the gates). */
  int64s(values: readonly number[]): string;
}

/** The values one unrolled ONNX step of a cell starts from (tensor names). */
export interface CellGraphStep {
  /** `x·K + b`, [rows, G·H]. */
  readonly input: string;
  /** `h·U`, [rows, G·H] (without the recurrent bias). */
  readonly recurrent: string;
  /** The recurrent bias [G·H] of cells that have one; null otherwise. */
  readonly recurrentBias: string | null;
  /** The layer's state, in the order of {@link CellDefinition.states}, each [rows, H]. */
  readonly state: readonly string[];
  readonly hidden: number;
}

/** How a cell is written as ONNX: a whole layer as ONNX's own operator, one decoder step unrolled in plain ops. */
export interface CellOnnxForm {
  /** ONNX operator that runs a whole layer over a sequence (`LSTM`, `GRU`, `RNN`). */
  readonly layerOp: string;
  /** Its attributes besides `hidden_size` and `direction` (numbers are ints), e.g. GRU `linear_before_reset: 1`. */
  readonly layerAttributes: Readonly<Record<string, number | string | readonly string[]>>;
  /** For each ONNX gate block, the index of the seqloom gate block it is. */
  readonly gateOrder: readonly number[];
  /** One step in plain ONNX ops, in seqloom's own gate layout; returns the new state (h first). */
  step(graph: CellGraph, values: CellGraphStep): string[];
}

/**
 * Everything seqloom knows about one recurrent cell type: its shapes, its
 * initial weights, how it steps and runs a layer on a kernel set, and how
 * it is exported. Every part of seqloom that differs by cell reads it here
 * (see CELL_REGISTRY); weights are fused over the gates: kernel [I, G·H],
 * recurrent [H, G·H], bias [G·H].
 */
export interface CellDefinition {
  /** One line for help texts, e.g. `long short-term memory`. */
  readonly summary: string;
  /** Fused gates G. */
  readonly gates: number;
  /** Names of the per-layer state tensors, h (the output) first, e.g. `['h', 'c']`; each [B, H]. */
  readonly states: readonly ['h', ...string[]];
  /** Whether the cell has a recurrent bias [G·H] of its own (`…/recurrent_bias`, added to `h·U`). */
  readonly recurrentBias: boolean;
  /** The input bias [G·H] a new cell starts from. */
  initialBias(hidden: number, options: CellInitOptions): Float32Array;
  /** The kernel-set members its step and sequence call (what a backend must provide for this cell). */
  readonly kernelMembers: readonly (keyof SeqKernels)[];
  /**
   * One time step from the projected input `x·K + b` ([B, G·H]); the
   * recurrent product is `product(h, U)`. Returns the new state, h first.
   */
  step(kernels: SeqKernels, cell: CellParams, inputGates: tf.Tensor2D, state: CellState, product: Product): CellState;
  /**
   * A whole layer over a packed sequence as one op (see packedLayout):
   * `gates` the projected inputs of all packed rows ([P, G·H]), `state` the
   * initial state in sorted row order. Returns [h of every packed row; each
   * final state tensor] ([P + B·S, H], S = states.length). A cell without a
   * fused op of its own takes `steppedSequence(step)`.
   */
  sequence(cell: CellParams, gates: tf.Tensor2D, state: CellState, active: Int32Array, pass: KernelPass): tf.Tensor2D;
  /** Whether an embedding-fed layer may take its projected inputs from a per-token table (see foldsTokenGates). */
  readonly tokenTable: boolean;
  /** Whether the step adapter's shared-parent step (see lstmStepFromParents) runs stacked layers of this cell. */
  readonly parentSharedStep: boolean;
  /** Its ONNX form (see @seqloom/onnx/export). */
  readonly onnx: CellOnnxForm;
}
