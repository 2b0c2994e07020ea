// The kernel names as constants, for the code that calls or registers one
// kernel (the names themselves are rows of SEQLOOM_KERNELS, contract-table.ts).
import { SEQLOOM_KERNELS } from './contract-table.js';

/** Kernel name of the fused LSTM cell step: inputs x, r [B, 4H], c [≥B, H]; attr `full`. */
export const LSTM_CELL_KERNEL = SEQLOOM_KERNELS.lstmCell.name;
/** Kernel name of the LSTM cell step's backward. */
export const LSTM_CELL_GRAD_KERNEL = SEQLOOM_KERNELS.lstmCellGrad.name;
/** Kernel name of the fused GRU cell step. */
export const GRU_CELL_KERNEL = SEQLOOM_KERNELS.gruCell.name;
/** Kernel name of the fused plain RNN (tanh) cell step. */
export const RNN_CELL_KERNEL = SEQLOOM_KERNELS.rnnCell.name;
/** Kernel name of the whole-layer LSTM forward over packed sequences. */
export const LSTM_SEQUENCE_KERNEL = SEQLOOM_KERNELS.lstmSequence.name;
/** Kernel name of the whole-layer LSTM backward. */
export const LSTM_SEQUENCE_GRAD_KERNEL = SEQLOOM_KERNELS.lstmSequenceGrad.name;
/** Kernel name of the fused Adam step. */
export const ADAM_UPDATE_KERNEL = SEQLOOM_KERNELS.adamUpdate.name;
/** Kernel name of the sum of squares (for the global gradient norm), accumulated in double. */
export const SUM_OF_SQUARES_KERNEL = SEQLOOM_KERNELS.sumOfSquares.name;
/** Kernel name of the fused log-softmax + masked NLL. */
export const MASKED_NLL_KERNEL = SEQLOOM_KERNELS.maskedNll.name;
/** Kernel name of the masked NLL's gradient with respect to the logits. */
export const MASKED_NLL_GRAD_KERNEL = SEQLOOM_KERNELS.maskedNllGrad.name;
