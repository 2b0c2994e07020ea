import type { GraphBuilder } from './graph-builder.js';
import type { CellWeights } from './model-weights.js';

/**
 * One cell step unrolled in plain ops, in seqloom's own gate layout (no
 * reordering: the weights are seqloom's kernels as they are):
 * LSTM  z = x·K + b + h·U, [i, f, g, o] = split(z); c' = σf·c + σi·tanh g; h' = σo·tanh c'
 * GRU   [xr, xz, xn] = x·K + b; [hr, hz, hn] = h·U + b_U; r = σ(xr + hr); z = σ(xz + hz);
 *       n = tanh(xn + r·hn); h' = n + z·(h − n)
 * RNN   h' = tanh(x·K + b + h·U)
 * `state` is [h] or [h, c] (each [rows, H]); returns the new state.
 */
export function stepCell(b: GraphBuilder, name: string, cell: CellWeights, x: string, state: readonly string[]): string[] {
  const { kind, hidden: h, inputSize } = cell;
  const g = kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1;
  const kernel = b.weight(`${name}.kernel`, cell.kernel, [inputSize, g * h]);
  const recurrent = b.weight(`${name}.recurrent`, cell.recurrent, [h, g * h]);
  const bias = b.weight(`${name}.bias`, cell.bias, [g * h]);
  const input = b.op1('Add', [b.op1('MatMul', [x, kernel]), bias]); // [rows, G·H]
  const hPrev = state[0]!;
  let fromH = b.op1('MatMul', [hPrev, recurrent]); // [rows, G·H]
  if (kind === 'rnn') return [b.op1('Tanh', [b.op1('Add', [input, fromH])])];
  const sizes = b.int64s(Array.from({ length: g }, () => h));
  if (kind === 'lstm') {
    const [i, f, c, o] = b.op('Split', [b.op1('Add', [input, fromH]), sizes], { axis: 1 }, 4) as [string, string, string, string];
    const cNext = b.op1('Add', [b.op1('Mul', [b.op1('Sigmoid', [f]), state[1]!]), b.op1('Mul', [b.op1('Sigmoid', [i]), b.op1('Tanh', [c])])]);
    const hNext = b.op1('Mul', [b.op1('Sigmoid', [o]), b.op1('Tanh', [cNext])]);
    return [hNext, cNext];
  }
  fromH = b.op1('Add', [fromH, b.weight(`${name}.recurrent_bias`, cell.recurrentBias!, [g * h])]);
  const [xr, xz, xn] = b.op('Split', [input, sizes], { axis: 1 }, 3) as [string, string, string];
  const [hr, hz, hn] = b.op('Split', [fromH, sizes], { axis: 1 }, 3) as [string, string, string];
  const reset = b.op1('Sigmoid', [b.op1('Add', [xr, hr])]);
  const update = b.op1('Sigmoid', [b.op1('Add', [xz, hz])]);
  const candidate = b.op1('Tanh', [b.op1('Add', [xn, b.op1('Mul', [reset, hn])])]);
  return [b.op1('Add', [candidate, b.op1('Mul', [update, b.op1('Sub', [hPrev, candidate])])])];
}
