import { seq2seqWeightShapes } from '../checkpoint/check-shapes.js';
import type { ModelConfig } from '../model-contract.js';

/** The optimizer a memory estimate is for (its state per weight). */
export interface OptimizerKind {
  type: 'adam' | 'rmsprop' | 'sgd';
  /** SGD and RMSProp keep a momentum buffer when it is above 0. */
  momentum?: number;
}

/** What training a model of some configuration holds in memory. */
export interface TrainingMemoryEstimate {
  /** Trainable numbers of the model. */
  parameters: number;
  /** Bytes (float32) of the weights, a gradient per weight and the optimizer state, over all training threads. */
  stateBytes: number;
  /**
   * The peak a training step reaches: the state and temporaries of the
   * weights' size (initial values, gradient sums, update terms) — measured on
   * the native backend (LSTM, hidden 1024–4096, Adam), a step's peak is about
   * 2.5 times the state.
   */
  bytes: number;
}

/** A training step's peak memory over its state (weights, gradients, optimizer state), as measured. */
const PEAK_OVER_STATE = 2.5;

/** Float32 tensors the optimizer keeps per weight (Adam: m and v; RMSProp: the mean square and any momentum; SGD: any momentum). */
function optimizerSlots(optimizer: OptimizerKind): number {
  const momentum = (optimizer.momentum ?? 0) > 0 ? 1 : 0;
  if (optimizer.type === 'adam') return 2;
  if (optimizer.type === 'rmsprop') return 1 + momentum;
  return momentum;
}

/**
 * The memory training a model of `config` needs, worked out from the
 * configuration alone (no tensor is allocated): the weights, a gradient per
 * weight and the optimizer's state, 4 bytes a number (each further
 * data-parallel thread holds its own weights and gradients), and the
 * temporaries of a step. Activations (batch × length × hidden) come on top.
 * Enough to refuse, up front, a configuration that cannot fit.
 */
export function estimateTrainingMemory(config: ModelConfig, optimizer: OptimizerKind, threads = 1): TrainingMemoryEstimate {
  let parameters = 0;
  for (const shape of seq2seqWeightShapes(config).values()) parameters += shape.reduce((a, b) => a * b, 1);
  const stateBytes = 4 * parameters * (2 + optimizerSlots(optimizer) + 2 * Math.max(0, threads - 1));
  return { parameters, stateBytes, bytes: PEAK_OVER_STATE * stateBytes };
}
