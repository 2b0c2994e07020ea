import type { TensorInfo } from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { POOLED_FROM, PooledCpuBackend } from './buffer-pool.js';

/** The native backend is a tfjs MathBackendCPU: tensor data lives in plain typed arrays. */
export type NativeBackend = MathBackendCPU;

/**
 * The Float32Array holding a float32 tensor's data on the backend, used in
 * place (no copy). Throws naming the kernel and input when the tensor is not
 * float32 or its data is not a Float32Array of the shape's size.
 */
export function f32(backend: NativeBackend, info: TensorInfo, kernel: string, name: string): Float32Array {
  if (info.dtype !== 'float32') throw new TypeError(`${kernel}: ${name} must be float32, got ${info.dtype}`);
  const values = backend.data.get(info.dataId)?.values;
  const size = info.shape.reduce((a, b) => a * b, 1);
  if (!(values instanceof Float32Array) || values.length !== size) {
    throw new TypeError(`${kernel}: ${name} has no float32 data of ${size} elements on the native backend`);
  }
  return values;
}

/** A new float32 output tensor of `shape` (zero-filled) and its data. */
export function output(backend: NativeBackend, shape: number[]): [TensorInfo, Float32Array] {
  const count = shape.reduce((a, b) => a * b, 1);
  const values = count >= POOLED_FROM && backend instanceof PooledCpuBackend ? backend.pool.take(count).fill(0) : new Float32Array(count);
  return [backend.makeTensorInfo(shape, 'float32', values), values];
}

/**
 * A new float32 output tensor of `shape` whose every element the caller
 * writes: from 1,024 elements on its memory is not zero-filled, and on the
 * native backend it is a buffer of a disposed tensor of the same size where
 * there is one (see BufferPool). Zeroing and first-touch page faults of fresh
 * memory were a tenth of a training step.
 */
export function filledOutput(backend: NativeBackend, shape: number[]): [TensorInfo, Float32Array] {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count < POOLED_FROM) return output(backend, shape);
  const values = backend instanceof PooledCpuBackend ? backend.pool.take(count) : new Float32Array(Buffer.allocUnsafeSlow(count * 4).buffer, 0, count);
  return [backend.makeTensorInfo(shape, 'float32', values), values];
}

/** Throws naming the kernel when `ok` is false. */
export function check(ok: boolean, kernel: string, message: string): void {
  if (!ok) throw new Error(`${kernel}: ${message}`);
}
