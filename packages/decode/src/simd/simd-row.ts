import { bucketTotal } from '../bucket-total.js';
import { EXP_F32_CONSTANTS } from './exp-f32-kernel.js';
import { EXP_SUM_CONSTANTS, simdKernelBytes } from './simd-kernels.js';

/**
 * One row of logits staged in WebAssembly memory for the SIMD kernels
 * (`simd-kernels.ts`). The module is compiled on first use; where
 * WebAssembly or its SIMD instructions are missing, `simdRow()` returns null
 * and callers take their plain TypeScript path (which is also the fast path's
 * oracle in the tests).
 */

interface Kernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  rowMax(blocks: number): number;
  expSum(blocks: number, max: number, constPtr: number): number;
  expSumF32(blocks: number, max: number, constPtr: number): number;
  firstAbove(from: number, blocks: number, t: number): number;
  subtract(blocks: number, shift: number): void;
  subtractF32(blocks: number, shift: number): void;
  expBuckets(blocks: number, max: number, bucketPtr: number, powPtr: number, massPtr: number): void;
  drawIndex(blocks: number, shift: number, u: number, powPtr: number): number;
  maskBeyond(blocks: number, bucketPtr: number, boundary: number, listPtr: number): number;
  maskBelow(blocks: number, t: number): void;
  scale(blocks: number, factor: number): void;
}

/** Buckets of `expBuckets` (11-bit indices; 2^(−j/16) below 1024, 0 from there on). */
const TABLE_SIZE = 2048;

/** The slice of the WebAssembly global used here. */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * The constants of `expSum` (each in two float64 lanes) and `expSumF32` (in
 * four float32 lanes), as the kernels load them from memory; the float64 ones
 * as the 32-bit words of their bytes (a Float32Array-to-Float32Array `set`
 * copies bytes as they are).
 */
const EXP_SUM_SPLAT = new Float32Array(new Float64Array(EXP_SUM_CONSTANTS.flatMap((c) => [c, c])).buffer);
const EXP_F32_SPLAT = new Float32Array(EXP_F32_CONSTANTS.flatMap((c) => [c, c, c, c]));

/** Rows shorter than this stay on the plain path (staging costs more than it saves). */
export const SIMD_MIN_LENGTH = 256;

/** A row staged in WebAssembly memory: `blocks` blocks of 8 entries, the tail padded with −Infinity. */
export class SimdRow {
  private view: Float32Array;
  /** Blocks of 8 entries staged by the last `load`. */
  blocks = 0;
  /** Entries staged by the last `load`. */
  length = 0;
  /** The buffer (and byte offset) holding a copy of the staged row, or null (see `loadOnce`). */
  private residentBuffer: ArrayBufferLike | null = null;
  private residentAt = 0;
  /** See `knowLogSumExp` (NaN: nothing recorded). */
  private knownLse = Number.NaN;
  knownMax = 0;
  /** Where the table of `expBuckets` was written (it sits after the row, so a row of another length overwrites it). */
  private tableAt = -1;
  constructor(private readonly kernels: Kernels) {
    this.view = new Float32Array(kernels.memory.buffer);
  }

  /** Copy `values[start … end)` in (growing the memory when needed: the row, its buckets and two tables). */
  load(values: Float32Array, start: number, end: number): void {
    // Layout: the row (32 bytes a block), its u16 buckets (16 a block), the two float64 tables, an i32 list (32 a block), 256 bytes of constants.
    const n = end - start;
    const blocks = (n + 7) >>> 3;
    const bytes = blocks * 32 + blocks * 16 + 2 * TABLE_SIZE * 8 + blocks * 32 + 256;
    if (this.kernels.memory.buffer.byteLength < bytes) {
      this.kernels.memory.grow(Math.ceil((bytes - this.kernels.memory.buffer.byteLength) / 65536));
    }
    if (this.view.buffer !== this.kernels.memory.buffer) this.view = new Float32Array(this.kernels.memory.buffer);
    this.view.set(start === 0 && end === values.length ? values : values.subarray(start, end));
    this.view.fill(-Infinity, n, blocks * 8);
    if (blocks !== this.blocks) this.tableAt = -1;
    this.blocks = blocks;
    this.length = n;
    this.remember(values, start);
  }

  /**
   * `load`, unless the staged row is known to equal `values[start … end)`:
   * while vouching is on (`setSimdVouching`), a `load` and a `copyTo` record
   * where the staged row's copy lives, and the kernels that change the staged
   * row (or `forget`) clear that record.
   */
  loadOnce(values: Float32Array, start: number, end: number): void {
    if (this.residentBuffer !== values.buffer || this.residentAt !== values.byteOffset + 4 * start || this.length !== end - start) {
      this.load(values, start, end);
    }
  }

  /** Forget where the staged row's copy lives (its array is about to be written): the next `loadOnce` copies. */
  forget(): void {
    this.residentBuffer = null;
    this.knownLse = Number.NaN;
  }

  private remember(values: Float32Array, start: number): void {
    this.residentBuffer = vouching ? values.buffer : null;
    this.residentAt = values.byteOffset + 4 * start;
    this.knownLse = Number.NaN;
  }

  /**
   * Record the staged row's maximum and log Σ exp, as a kernel that already
   * summed the row's weights found them (top-p), while its copy is known
   * (see `loadOnce`); kept until the staged row or its copy changes.
   */
  knowLogSumExp(max: number, lse: number): void {
    if (this.residentBuffer !== null) {
      this.knownMax = max;
      this.knownLse = lse;
    }
  }

  /** The recorded log Σ exp of `values[start … end)` (its maximum in `knownMax`), or null when none is recorded for that range. */
  knownLogSumExp(values: Float32Array, start: number, end: number): number | null {
    if (Number.isNaN(this.knownLse)) return null;
    if (this.residentBuffer !== values.buffer || this.residentAt !== values.byteOffset + 4 * start || this.length !== end - start) return null;
    return this.knownLse;
  }

  /** The staged entry at `i`. */
  at(i: number): number {
    return this.view[i];
  }

  /** The largest staged entry, NaN skipped; −Infinity when there is none. */
  max(): number {
    return this.kernels.rowMax(this.blocks);
  }

  /** Σ exp(x − max) in float64 (to a relative 1e-10); NaN when an entry is NaN. `max` must be finite. */
  expSum(max: number): number {
    return this.kernels.expSum(this.blocks, max, this.constants(EXP_SUM_SPLAT));
  }

  /** Σ exp(x − max) with exp in float32, summed in float64 (to a relative 3e-7); NaN when an entry is NaN. `max` must be a finite staged entry. */
  expSumF32(max: number): number {
    return this.kernels.expSumF32(this.blocks, max, this.constants(EXP_F32_SPLAT));
  }

  /** Write a kernel's constants to their slot after the i32 list (see `load`); returns its address. */
  private constants(words: Float32Array): number {
    const at = this.blocks * 80 + 2 * TABLE_SIZE * 8;
    this.view.set(words, at / 4);
    return at;
  }

  /** Every staged entry x becomes float32(x − shift). */
  subtract(shift: number): void {
    this.forget();
    this.kernels.subtract(this.blocks, shift);
  }

  /** Every staged entry x becomes x − shift in float32 arithmetic (`shift` a float32 value): within one rounding of `subtract`'s value plus |shift|·6e-8. */
  subtractF32(shift: number): void {
    this.forget();
    this.kernels.subtractF32(this.blocks, shift);
  }

  /** Every staged entry below the float32 `t` becomes −Infinity. */
  maskBelow(t: number): void {
    this.forget();
    this.kernels.maskBelow(this.blocks, t);
  }

  /** Every staged entry x becomes float32(x · factor). */
  scale(factor: number): void {
    this.forget();
    this.kernels.scale(this.blocks, factor);
  }

  /** Copy the staged entries out to `out` (of the staged length). */
  copyTo(out: Float32Array): void {
    out.set(this.view.subarray(0, this.length));
    this.remember(out, 0);
  }

  /** Mask (−Infinity) the staged entry at `i` (as its caller masks its own copy). */
  maskAt(i: number): void {
    this.view[i] = -Infinity;
  }

  /**
   * The plain `expBuckets` (`log-softmax.ts`) of the staged row, to the same
   * bits: each entry's exp-table index into `bucketOf` (when given; it also
   * stays in WebAssembly memory for `maskBeyond`), its weight
   * exp(x − max) added to `bucketMass` (which must hold zeros); returns the total.
   */
  expBuckets(max: number, bucketOf: Uint16Array | null, bucketMass: Float64Array): number {
    const buffer = this.kernels.memory.buffer;
    const bucketPtr = this.blocks * 32;
    const powPtr = bucketPtr + this.blocks * 16;
    const massPtr = powPtr + TABLE_SIZE * 8;
    this.writeTable(powPtr);
    const mass = new Float64Array(buffer, massPtr, TABLE_SIZE);
    mass.fill(0);
    this.kernels.expBuckets(this.blocks, max, bucketPtr, powPtr, massPtr);
    bucketOf?.set(new Uint16Array(buffer, bucketPtr, this.length));
    bucketMass.set(mass.subarray(0, bucketMass.length));
    return bucketTotal(mass);
  }

  /**
   * After `expBuckets`: mask (−Infinity) every staged entry of a bucket above
   * `boundary`; returns the indices of the entries in bucket `boundary`, in
   * order (a view valid until the next call).
   */
  maskBeyond(boundary: number): Int32Array {
    const bucketPtr = this.blocks * 32;
    const listPtr = this.blocks * 48 + 2 * TABLE_SIZE * 8;
    this.forget();
    const count = this.kernels.maskBeyond(this.blocks, bucketPtr, boundary, listPtr);
    return new Int32Array(this.kernels.memory.buffer, listPtr, count);
  }

  /**
   * The plain `drawIndex` (`log-softmax.ts`) over the staged row, to the same
   * bits; null when an entry lies above `shift` (left to the plain path).
   */
  drawIndex(shift: number, u: number): number | null {
    const powPtr = this.blocks * 48;
    this.writeTable(powPtr);
    const token = this.kernels.drawIndex(this.blocks, shift, u, powPtr);
    return token === -2 ? null : token;
  }

  /** The table 2^(−j/16) of `expBuckets` and `drawIndex` at `powPtr`, unless it is there already. */
  private writeTable(powPtr: number): void {
    if (this.tableAt === powPtr) return;
    const pow = new Float64Array(this.kernels.memory.buffer, powPtr, TABLE_SIZE);
    for (let j = 0; j < TABLE_SIZE; j++) pow[j] = j < 1024 ? 2 ** (-j / 16) : 0;
    this.tableAt = powPtr;
  }

  /**
   * The first index ≥ `from` whose entry exceeds `t` (a float32 value), or
   * the staged length when none does. Scans 8 entries at a time.
   */
  firstAbove(from: number, t: number): number {
    const view = this.view;
    for (let block = from >>> 3; block < this.blocks; block++) {
      block = this.kernels.firstAbove(block, this.blocks, t);
      const stop = Math.min(block * 8 + 8, this.length);
      for (let i = Math.max(block * 8, from); i < stop; i++) if (view[i] > t) return i;
    }
    return this.length;
  }
}

let vouching = false;

/**
 * Let `SimdRow.loadOnce` skip copies (`true`: only inside the decoding loop's
 * step, where rows are written only through the kernels or after `forget`)
 * or not (`false`, the default). Either way, forgets the staged row's copy.
 * Returns the previous setting.
 */
export function setSimdVouching(on: boolean): boolean {
  const was = vouching;
  vouching = on;
  row?.forget();
  return was;
}

const kernelProcessors = new WeakSet<object>();

/**
 * Mark `processor` as one whose every write to its row goes through the
 * staged row's kernels (or `maskAt`), so that after it the decoding loop may
 * trust the staged copy; returns it.
 */
export function markKernelProcessor<F extends object>(processor: F): F {
  kernelProcessors.add(processor);
  return processor;
}

/** Whether `markKernelProcessor` marked `processor`. */
export function isKernelProcessor(processor: object): boolean {
  return kernelProcessors.has(processor);
}

let kernels: Kernels | null | undefined;
let row: SimdRow | null = null;
let enabled = true;

function compile(): Kernels | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return null;
  try {
    const bytes = simdKernelBytes();
    if (!api.validate(bytes)) return null;
    return new api.Instance(new api.Module(bytes), {}).exports as unknown as Kernels;
  } catch {
    return null;
  }
}

/** The shared staging row, or null where WebAssembly SIMD is unavailable (or switched off). */
export function simdRow(): SimdRow | null {
  if (!enabled) return null;
  if (kernels === undefined) {
    kernels = compile();
    row = kernels === null ? null : new SimdRow(kernels);
  }
  return row;
}

/** Switch the SIMD kernels off (`false`) or back on, e.g. to compare both paths; returns the previous setting. */
export function setSimdEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
