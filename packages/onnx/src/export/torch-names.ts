// seqloom's weight names ↔ PyTorch's. seqloom stores kernels as [in, out]
// (x·K); PyTorch's nn.LSTM/GRU/RNN and nn.Linear store weights as [out, in]
// (x·Wᵀ), so every kernel is transposed; embeddings and biases are not. Gate
// order is the same on both sides (LSTM i,f,g,o; GRU r,z,n, with the reset
// gate applied after the recurrent projection as in nn.GRU). seqloom's LSTM
// and RNN cells have one bias: it becomes `bias_ih`, `bias_hh` is zeros, and
// reading back sums the two. The GRU's recurrent bias is `bias_hh` itself.
import type { ModelConfig } from '@seqloom/seq2seq';
import { cellDefinition } from '@seqloom/seq2seq/model';
import { seq2seqWeightShapes } from '@seqloom/seq2seq/tooling';
import type { NamedTensor } from './safetensors-format.js';

/** One PyTorch tensor and where it comes from in seqloom. */
export interface TorchWeight {
  /** The PyTorch name, e.g. `encoder.lstm.weight_ih_l0_reverse`. */
  torch: string;
  shape: number[];
  /** The seqloom weight it holds (null: zeros, an LSTM/RNN `bias_hh`). */
  seqloom: string | null;
  /** seqloom's [in, out] kernel is PyTorch's [out, in] weight. */
  transpose: boolean;
  /** On reading back, the PyTorch tensor added to this one (`bias_hh` into seqloom's single LSTM/RNN bias). */
  sumWith?: string;
}

const CELL_PARAMS: Record<string, [string, boolean]> = {
  kernel: ['weight_ih', true],
  recurrent: ['weight_hh', true],
  bias: ['bias_ih', false],
  recurrent_bias: ['bias_hh', false],
};

const FIXED: Record<string, [string, boolean]> = {
  embedding: ['decoder.embedding.weight', false], // shared by encoder and decoder: stored once
  'encoder/embedding': ['encoder.embedding.weight', false],
  'decoder/embedding': ['decoder.embedding.weight', false],
  'attention/memory_kernel': ['decoder.attn.linear_context.weight', true],
  'attention/query_kernel': ['decoder.attn.linear_query.weight', true],
  'attention/score': ['decoder.attn.v.weight', true],
  'attention/combine': ['decoder.attn.linear_out.weight', true],
  'output/kernel': ['generator.weight', true],
  'output/tie_projection': ['generator.projection.weight', true],
  'output/bias': ['generator.bias', false],
};

const CELL_WEIGHT = /^(encoder\/(fwd|bwd)|decoder)\/l(\d+)\/(kernel|recurrent|bias|recurrent_bias)$/;

/** The PyTorch name of a seqloom weight, and whether it is transposed. */
export function torchNameOf(config: ModelConfig, seqloom: string): [string, boolean] {
  const fixed = FIXED[seqloom];
  if (fixed !== undefined) return fixed;
  const match = CELL_WEIGHT.exec(seqloom);
  if (match === null) throw new Error(`torchNameOf: seqloom weight "${seqloom}" has no PyTorch name (a newer model layout?).`);
  const [, where, direction, layer, param] = match;
  const [name, transpose] = CELL_PARAMS[param];
  const module = where.startsWith('encoder') ? 'encoder' : 'decoder';
  return [`${module}.${config.cell}.${name}_l${layer}${direction === 'bwd' ? '_reverse' : ''}`, transpose];
}

/**
 * Every tensor of the PyTorch state dict of a seqloom model of `config`, in
 * seqloom's order, with the seqloom weight each holds. For cells without a
 * recurrent bias of their own (LSTM, RNN) a zero `bias_hh` follows each `bias_ih`.
 */
export function torchWeightPlan(config: ModelConfig): TorchWeight[] {
  const plan: TorchWeight[] = [];
  const separateRecurrentBias = cellDefinition(config.cell).recurrentBias;
  for (const [seqloom, shape] of seq2seqWeightShapes(config)) {
    const [torch, transpose] = torchNameOf(config, seqloom);
    const torchShape = transpose ? [...shape].reverse() : [...shape];
    const pairedBias = !separateRecurrentBias && torch.includes('.bias_ih_l') ? torch.replace('.bias_ih_l', '.bias_hh_l') : undefined;
    plan.push({ torch, shape: torchShape, seqloom, transpose, ...(pairedBias ? { sumWith: pairedBias } : {}) });
    if (pairedBias) plan.push({ torch: pairedBias, shape: torchShape, seqloom: null, transpose: false });
  }
  return plan;
}

/** The PyTorch tensors a model of `config` has, by name and shape (what a safetensors file must hold). */
export function torchShapes(config: ModelConfig): Map<string, number[]> {
  return new Map(torchWeightPlan(config).map((w) => [w.torch, w.shape]));
}

/** A row-major [rows, cols] matrix transposed. */
function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  }
  return out;
}

/** seqloom weights (by seqloom name) as PyTorch tensors (by PyTorch name), in plan order. */
export function toTorchTensors(config: ModelConfig, weights: ReadonlyMap<string, Float32Array>): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const w of torchWeightPlan(config)) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (w.seqloom === null) {
      out.set(w.torch, { shape: w.shape, data: new Float32Array(size) });
      continue;
    }
    const values = weights.get(w.seqloom);
    if (values === undefined || values.length !== size) {
      throw new Error(
        `toTorchTensors: seqloom weight "${w.seqloom}" is ${values === undefined ? 'missing' : `${values.length} values`}; the model of config.json needs ${size}.`,
      );
    }
    out.set(w.torch, { shape: w.shape, data: w.transpose ? transposed(values, w.shape[1], w.shape[0]) : values.slice() });
  }
  return out;
}

/**
 * PyTorch tensors (checked against {@link torchShapes}) as seqloom weights:
 * kernels transposed back, `bias_ih + bias_hh` summed into the single bias
 * of an LSTM or RNN cell.
 */
export function fromTorchTensors(config: ModelConfig, tensors: ReadonlyMap<string, NamedTensor>): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const w of torchWeightPlan(config)) {
    if (w.seqloom === null) continue;
    const tensor = tensors.get(w.torch);
    if (tensor === undefined) throw new Error(`fromTorchTensors: PyTorch tensor "${w.torch}" is missing.`);
    const values = w.transpose ? transposed(tensor.data, w.shape[0], w.shape[1]) : tensor.data.slice();
    const extra = w.sumWith === undefined ? undefined : tensors.get(w.sumWith);
    if (w.sumWith !== undefined && extra === undefined) throw new Error(`fromTorchTensors: PyTorch tensor "${w.sumWith}" is missing.`);
    if (extra !== undefined) values.forEach((v, i) => (values[i] = v + extra.data[i]));
    out.set(w.seqloom, values);
  }
  return out;
}

/** seqloom weight names ↔ PyTorch names (frozen weights are recorded by name). */
export function seqloomNameOf(config: ModelConfig, torch: string): string | undefined {
  return torchWeightPlan(config).find((w) => w.torch === torch)?.seqloom ?? undefined;
}
