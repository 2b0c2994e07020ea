import type { OnnxRuntime, Tensor, TensorData } from './runtime.js';

type TypedArrayCtor = { new (length: number): TensorData };

/** The rows `rows` of `tensor` along its first dimension, as a new tensor (a row may repeat). */
export function gatherRows(ort: OnnxRuntime, tensor: Tensor, rows: Int32Array): Tensor {
  const data = tensor.data as TensorData;
  const dims = tensor.dims;
  const stride = dims[0] === 0 ? 0 : data.length / dims[0];
  const out = new (data.constructor as TypedArrayCtor)(rows.length * stride);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    out.set(data.subarray(r * stride, (r + 1) * stride) as never, i * stride);
  }
  return new ort.Tensor(tensor.type as 'float32', out as Float32Array, [rows.length, ...dims.slice(1)]);
}

/** Whether two row maps are equal. */
export function sameRows(a: Int32Array | null, b: Int32Array): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const HALF_EXP = new Float32Array(32);
for (let e = 0; e < 32; e++) HALF_EXP[e] = 2 ** (e - 15);

/** IEEE half-precision words to float32. */
export function halfToFloat(words: Uint16Array): Float32Array {
  const out = new Float32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const sign = w & 0x8000 ? -1 : 1;
    const exp = (w >> 10) & 0x1f;
    const frac = w & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24;
    else if (exp === 31) out[i] = frac === 0 ? sign * Infinity : NaN;
    else out[i] = sign * HALF_EXP[exp] * (1 + frac / 1024);
  }
  return out;
}

/** The last position's logits of `[rows, seq, vocab]` as float32 `[rows × vocab]`. */
export function lastPositionLogits(tensor: Tensor, vocabSize: number): Float32Array {
  const [rows, seq, width] = tensor.dims;
  const raw = tensor.data as Float32Array | Uint16Array;
  const data = tensor.type === 'float16' ? halfToFloat(raw as Uint16Array) : (raw as Float32Array);
  if (seq === 1 && width === vocabSize) return data;
  const out = new Float32Array(rows * vocabSize);
  for (let r = 0; r < rows; r++) {
    const from = (r * seq + seq - 1) * width;
    out.set(data.subarray(from, from + vocabSize), r * vocabSize);
  }
  return out;
}
