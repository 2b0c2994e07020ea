import type { DataId } from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/** Buffers below this many elements come from the JS heap as before (cheap to make, not worth keeping). */
export const POOLED_FROM = 1024;
/** The most bytes of free buffers the pool keeps. */
const MAX_POOLED_BYTES = 128 * 1024 * 1024;
/** The most free buffers of one size class the pool keeps. */
const MAX_PER_SIZE = 64;

/**
 * The capacity (elements) of the buffer that serves `count`: the next of
 * 2ᵏ·{1, 1.25, 1.5, 1.75}, so ragged shapes (packed sequences of varying
 * length) share buffers, wasting at most a fifth.
 */
export function sizeClass(count: number): number {
  const top = 2 ** Math.floor(Math.log2(Math.max(1, count)));
  const quarter = Math.max(1, top / 4);
  return Math.ceil(count / quarter) * quarter;
}

/** What the pool knows of a buffer it made: its owning array and whether a tensor (only one) holds it. */
interface Lease {
  owner: Float32Array;
  held: boolean;
  /** Some other array (a view, a second tensor) reached its memory: never reuse it. */
  shared: boolean;
}

/**
 * Float32 output buffers of the native kernels, reused once the tensor that
 * held one is disposed. A training step or decode step makes the same shapes
 * every time; without reuse each is fresh external memory, whose page faults
 * and the full garbage collections it provokes cost a tenth or more of a
 * step. A buffer is reused only when exactly one tensor ever held it: views
 * of it (e.g. a stock kernel's `subarray` slice) mark it shared, and the
 * backend's reads hand out copies, so no array a caller keeps can change
 * after its tensor is gone.
 */
export class BufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private readonly leases = new WeakMap<ArrayBufferLike, Lease>();
  private pooledBytes = 0;

  /** A buffer of `count` elements with arbitrary contents (the caller writes every element). */
  take(count: number): Float32Array {
    const capacity = sizeClass(count);
    let buffer = this.free.get(capacity)?.pop();
    if (buffer !== undefined) this.pooledBytes -= buffer.byteLength;
    else buffer = Buffer.allocUnsafeSlow(capacity * 4).buffer as ArrayBuffer;
    const values = new Float32Array(buffer, 0, count);
    this.leases.set(buffer, { owner: values, held: false, shared: false });
    return values;
  }

  /** Whether `values` is a buffer of the pool's (its owning array). */
  owns(values: unknown): values is Float32Array {
    return values instanceof Float32Array && this.leases.get(values.buffer)?.owner === values;
  }

  /** A tensor now holds `values`: the first holder is expected; any other array on a pool buffer shares it. */
  noteHeld(values: unknown): void {
    if (!ArrayBuffer.isView(values)) return;
    const lease = this.leases.get(values.buffer);
    if (lease === undefined) return;
    if (values === lease.owner && !lease.held) lease.held = true;
    else lease.shared = true;
  }

  /** The tensor holding `values` is gone: keep the buffer for reuse unless it was shared or the pool is full. */
  release(values: unknown): void {
    if (!(values instanceof Float32Array)) return;
    const lease = this.leases.get(values.buffer);
    if (lease === undefined || lease.owner !== values || lease.shared) return;
    const buffer = values.buffer as ArrayBuffer;
    this.leases.delete(buffer); // the next take makes a new owning view
    const capacity = buffer.byteLength / 4;
    const list = this.free.get(capacity) ?? [];
    if (list.length >= MAX_PER_SIZE || this.pooledBytes + buffer.byteLength > MAX_POOLED_BYTES) return; // left to the garbage collector
    list.push(buffer);
    this.free.set(capacity, list);
    this.pooledBytes += buffer.byteLength;
  }

  /** Drops every free buffer. */
  clear(): void {
    this.free.clear();
    this.pooledBytes = 0;
  }

  /** Bytes of free buffers held for reuse. */
  get bytes(): number {
    return this.pooledBytes;
  }
}

type Values = Parameters<MathBackendCPU['write']>[0];

/**
 * tfjs's cpu backend whose float32 kernel outputs come from a {@link BufferPool}:
 * disposing a tensor returns its buffer, and reads (`dataSync`, `data`) of
 * pooled tensors return copies.
 */
export class PooledCpuBackend extends MathBackendCPU {
  readonly pool = new BufferPool();

  constructor() {
    super();
    // tfjs's advice to install tfjs-node on the first write does not apply: this backend is native already
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  override write(values: Values, shape: number[], dtype: Parameters<MathBackendCPU['write']>[2]): DataId {
    this.pool.noteHeld(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: DataId, values: Values, shape: number[], dtype: Parameters<MathBackendCPU['move']>[3], refCount: number): void {
    this.pool.noteHeld(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: DataId): ReturnType<MathBackendCPU['readSync']> {
    const values = this.data.get(dataId)?.values;
    if (this.pool.owns(values)) return values.slice();
    return super.readSync(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.get(dataId)?.values;
    const released = super.disposeData(dataId, force);
    if (released && values !== undefined && !this.data.has(dataId)) this.pool.release(values);
    return released;
  }

  override dispose(): void {
    this.pool.clear();
    super.dispose();
  }
}
