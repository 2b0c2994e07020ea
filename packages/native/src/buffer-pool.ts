import { BUFFER_ALIGNMENT } from '@seqloom/core';
import type { DataId } from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/** Buffers below this many elements come from the JS heap as before (cheap to make, not worth keeping). */
export const POOLED_FROM = 1024;
/**
 * The most bytes of free buffers the pool keeps. A training step frees its
 * activations and gradients before the optimizer's old weights and moments;
 * with 128 MiB, config B (hidden 512, two layers: about 82 MB of weights and
 * moments a step) found the pool full of activations, and every Adam output
 * was fresh memory: 46 of a 391 ms step on two threads, 261 ms with 512 MiB
 * (7 Dec 2026), at the same peak RSS (the buffers it dropped were garbage
 * until the next collection anyway).
 */
const MAX_POOLED_BYTES = 512 * 1024 * 1024;
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

/**
 * Where a Float32Array's data starts: bytes past the last 64-byte boundary
 * (the addon's `alignmentOf`).
 */
export type AlignmentProbe = (values: Float32Array) => number;

/** A buffer the pool made: its memory and the byte offset of its aligned start. */
interface Block {
  buffer: ArrayBuffer;
  offset: number;
  /** Elements from `offset` on (its size class). */
  capacity: number;
}

/** What the pool knows of a buffer it made: its owning array and whether a tensor (only one) holds it. */
interface Lease {
  owner: Float32Array;
  block: Block;
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
 *
 * Given an {@link AlignmentProbe}, every buffer starts on a 64-byte boundary
 * (allocated 64 bytes larger, viewed from the boundary): large mallocs start
 * 16 bytes past one, and the GEMM loses up to a tenth on such operands.
 * Without one, buffers start wherever the allocator put them.
 */
export class BufferPool {
  private readonly free = new Map<number, Block[]>();
  private readonly leases = new WeakMap<ArrayBufferLike, Lease>();
  private pooledBytes = 0;

  /** `alignmentOf` makes every buffer 64-byte aligned; without it they are not. */
  constructor(private readonly alignmentOf?: AlignmentProbe) {}

  /**
   * `values` on a 64-byte boundary: itself when it starts on one, is the
   * pool's own or the pool cannot tell; else a copy in a buffer of the pool's.
   */
  aligned(values: Float32Array): Float32Array {
    // (`values as unknown`: a false `owns` would narrow `values` to never)
    if (this.alignmentOf === undefined || this.owns(values as unknown) || this.alignmentOf(values) === 0) return values;
    const copy = this.take(values.length);
    copy.set(values);
    return copy;
  }

  /** A buffer of `count` elements with arbitrary contents (the caller writes every element). */
  take(count: number): Float32Array {
    const capacity = sizeClass(count);
    let block = this.free.get(capacity)?.pop();
    if (block !== undefined) this.pooledBytes -= block.buffer.byteLength;
    else block = this.allocate(capacity);
    const values = new Float32Array(block.buffer, block.offset, count);
    this.leases.set(block.buffer, { owner: values, block, held: false, shared: false });
    return values;
  }

  /** A fresh block of `capacity` elements, from a 64-byte boundary when the pool can find one. */
  private allocate(capacity: number): Block {
    if (this.alignmentOf === undefined) return { buffer: Buffer.allocUnsafeSlow(capacity * 4).buffer as ArrayBuffer, offset: 0, capacity };
    const buffer = Buffer.allocUnsafeSlow(capacity * 4 + BUFFER_ALIGNMENT).buffer as ArrayBuffer;
    const past = this.alignmentOf(new Float32Array(buffer, 0, 1));
    const offset = past % 4 === 0 ? (BUFFER_ALIGNMENT - past) % BUFFER_ALIGNMENT : 0; // a float view needs a multiple of 4
    return { buffer, offset, capacity };
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

  /**
   * Something outside tensors (a native handle holding the array in place)
   * keeps reading `values`: its buffer is never handed out again, even after
   * the tensor holding it is disposed.
   */
  retain(values: unknown): void {
    if (!ArrayBuffer.isView(values)) return;
    const lease = this.leases.get(values.buffer);
    if (lease !== undefined) lease.shared = true;
  }

  /** The tensor holding `values` is gone: keep the buffer for reuse unless it was shared or the pool is full. */
  release(values: unknown): void {
    if (!(values instanceof Float32Array)) return;
    const lease = this.leases.get(values.buffer);
    if (lease === undefined || lease.owner !== values || lease.shared) return;
    const { block } = lease;
    this.leases.delete(block.buffer); // the next take makes a new owning view
    const list = this.free.get(block.capacity) ?? [];
    const bytes = block.buffer.byteLength;
    if (list.length >= MAX_PER_SIZE || this.pooledBytes + bytes > MAX_POOLED_BYTES) return; // left to the garbage collector
    list.push(block);
    this.free.set(block.capacity, list);
    this.pooledBytes += bytes;
  }

  /** Drops every free buffer. */
  clear(): void {
    this.free.clear();
    this.pooledBytes = 0;
  }

  /** Bytes of free buffers held for reuse (their alignment slack included). */
  get bytes(): number {
    return this.pooledBytes;
  }
}

type Values = Parameters<MathBackendCPU['write']>[0];

/**
 * Float32 data written to the backend from JavaScript (`tf.tensor` of a
 * user's array, loaded or freshly initialised weights, a stock kernel's
 * output) from this many elements on is copied once into an aligned pool
 * buffer when it does not start on a 64-byte boundary: such arrays are
 * typically weights, the operands every GEMM of a step reads.
 */
export const ALIGN_WRITES_FROM = 16_384;

/**
 * tfjs's cpu backend whose float32 kernel outputs come from a {@link BufferPool}:
 * disposing a tensor returns its buffer, and reads (`dataSync`, `data`) of
 * pooled tensors return copies. Given an {@link AlignmentProbe}, its buffers
 * are 64-byte aligned and large float32 arrays written to it are aligned
 * copies (see {@link ALIGN_WRITES_FROM}), so a tensor never shares a large
 * misaligned array with its writer.
 */
export class PooledCpuBackend extends MathBackendCPU {
  readonly pool: BufferPool;

  constructor(alignmentOf?: AlignmentProbe) {
    super();
    this.pool = new BufferPool(alignmentOf);
    // tfjs's advice to install tfjs-node on the first write does not apply: this backend is native already
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  override write(values: Values, shape: number[], dtype: Parameters<MathBackendCPU['write']>[2]): DataId {
    return super.write(this.adopt(values, dtype), shape, dtype);
  }

  override move(dataId: DataId, values: Values, shape: number[], dtype: Parameters<MathBackendCPU['move']>[3], refCount: number): void {
    super.move(dataId, this.adopt(values, dtype), shape, dtype, refCount);
  }

  /** The array a tensor of `values` holds: an aligned pool copy of a large misaligned float32 array, else `values` itself. */
  private adopt(values: Values, dtype: string): Values {
    const large = dtype === 'float32' && values instanceof Float32Array && values.length >= ALIGN_WRITES_FROM;
    const held = large ? this.pool.aligned(values) : values;
    this.pool.noteHeld(held);
    return held;
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
